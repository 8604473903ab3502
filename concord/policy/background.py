"""Analysis in the background: a consultation is tagged, checked for campaigns and positions again by the task
worker once its contributions stop changing, instead of waiting for someone to run ``concord analyze run``.

Every change of a contribution reaches the worker through the record's task; it marks the consultation as changed
and schedules one check ``delay()`` seconds later. A check that finds a newer change leaves the work to the check
that change scheduled (the debounce), so a burst of a hundred submissions costs one run. A run is skipped when
nothing the analysis reads has changed (moderation and consent alone do not).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from .models import AnalysisState

logger = logging.getLogger(__name__)
ACTOR = "worker:analysis"


def delay() -> datetime.timedelta:
    """How long a consultation's contributions must stay unchanged before the worker analyses it again."""
    # A setting when a test or a deployment's settings give one, else the environment (README, "Configuration").
    seconds = getattr(settings, "CONCORD_ANALYSIS_DELAY", None)
    if seconds is None:
        seconds = int(os.environ.get("CONCORD_ANALYSIS_DELAY", "60"))
    return datetime.timedelta(seconds=seconds)


def request_analysis(consultation_id: int, *, now=None) -> None:
    """Note that a consultation changed and schedule its check (called by the worker, never in a request)."""
    now = now or timezone.now()
    AnalysisState.objects.update_or_create(consultation_id=consultation_id, defaults={"requested_at": now})
    transaction.on_commit(lambda: _schedule(consultation_id, now + delay()))


def contribution_changed(contribution_id: int) -> None:
    """A contribution was written or changed: mark its consultation for the background analysis."""
    from concord.contributions.models import Contribution

    consultation_id = Contribution.objects.filter(pk=contribution_id).values_list("consultation_id", flat=True).first()
    if consultation_id is not None:
        request_analysis(consultation_id)


def _schedule(consultation_id: int, run_after: datetime.datetime) -> None:
    from .tasks import analyse_when_settled

    if analyse_when_settled.get_backend().supports_defer:
        analyse_when_settled.using(run_after=run_after).enqueue(consultation_id)
    else:
        # A backend that runs tasks at once (tests, a single process): the check runs now and, unless the delay is
        # zero, finds the change too recent and leaves it for the next one.
        analyse_when_settled.enqueue(consultation_id)


def fingerprint(consultation_id: int) -> str:
    """What the analysis reads of a consultation: its contributions, their versions, extracted texts, withdrawals."""
    from concord.contributions.models import Contribution

    rows = (
        Contribution.objects.filter(consultation_id=consultation_id)
        .annotate(extracted=Length("extracted_text"))
        .order_by("pk")
        .values_list("pk", "version", "extracted", "withdrawn_at")
    )
    digest = hashlib.sha256()
    for row in rows.iterator(chunk_size=2000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def analyse_if_settled(consultation_id: int, *, now=None) -> str:
    """Analyse the consultation if its last change is older than the delay and changed what the analysis reads.

    Returns what happened: "idle", "waiting" (a newer change's check will run), "unchanged" or "analysed". Safe to
    run twice: the change is claimed by a conditional update, so two workers never analyse it both.
    """
    from concord.consultations.models import Consultation

    from .analysis import analyse_consultation

    now = now or timezone.now()
    state = AnalysisState.objects.filter(consultation_id=consultation_id).first()
    if state is None or state.requested_at is None:
        return "idle"
    if state.requested_at + delay() > now:
        return "waiting"
    claimed = AnalysisState.objects.filter(pk=state.pk, requested_at=state.requested_at).update(requested_at=None)
    if not claimed:
        return "idle"
    seen = fingerprint(consultation_id)
    if seen == state.fingerprint:
        return "unchanged"
    consultation = Consultation.objects.get(pk=consultation_id)
    try:
        from concord.positions.analysis import analyse_stances

        analyse_consultation(ACTOR, consultation)
        analyse_stances(ACTOR, consultation)
    except Exception:
        # Leave the change marked so that the next change (or `concord analyze run`) tries again.
        AnalysisState.objects.filter(pk=state.pk, requested_at__isnull=True).update(requested_at=state.requested_at)
        raise
    AnalysisState.objects.filter(pk=state.pk).update(fingerprint=seen, analysed_at=now)
    logger.info("analysed %s in the background", consultation.slug)
    return "analysed"
