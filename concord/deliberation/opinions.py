"""The opinion groups of a phase: its votes as plain records through ``concord.analysis.opinions``, results kept.

The computation sees the votes on every statement, with the statements that fail the gate passed as moderated out
(Pol.is's rule: their votes do not shape the groups) and meta statements as meta. The result is stored per phase
and computed again by the task worker once a statement's moderation changed or votes were cast, at most every
``REFRESH_SECONDS``: a vote costs no computation, and a page read costs four queries.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import ordering
from .models import OpinionResult, Phase, Statement, Vote, VoteEvent


def _statements_key(phase: Phase) -> tuple[str, set[str], set[str]]:
    """A fingerprint of which statements count (public and not meta), with the moderated-out and meta sets."""
    public_ids = set(Statement.objects.public().filter(phase=phase).values_list("number", flat=True))
    rows = list(phase.statements.values_list("number", "is_meta").order_by("number"))
    moderated_out = {str(n) for n, _meta in rows if n not in public_ids}
    meta = {str(n) for n, is_meta in rows if is_meta}
    fingerprint = ";".join(f"{n}:{int(n in public_ids)}{int(m)}" for n, m in rows)
    return hashlib.sha256(fingerprint.encode()).hexdigest(), moderated_out, meta


def fit(phase: Phase, *, moderated_out: set[str] | None = None, meta: set[str] | None = None):
    """The fitted ``OpinionModel`` of the phase's current votes (participants and statements by their numbers)."""
    from concord.analysis.opinions import OpinionModel
    from concord.analysis.opinions import Vote as VoteRecord

    if moderated_out is None or meta is None:
        _key, moderated_out, meta = _statements_key(phase)
    votes = [
        VoteRecord(participant=str(voter), statement=str(statement), value=int(value))
        for voter, statement, value in Vote.objects.filter(statement__phase=phase)
        .order_by("voter__number", "statement__number")
        .values_list("voter__number", "statement__number", "value")
    ]
    return OpinionModel().fit(votes, moderated_out=moderated_out, meta=meta)


def _statement_places(model) -> dict[str, tuple[float, float]]:
    """Each voted statement's projection on the two components (Pol.is's ``comment-projection``)."""
    places = (getattr(model, "pca_", None) or {}).get("statement_projection")
    if places is None:
        return {}
    return {str(s): (float(x), float(y)) for s, (x, y) in zip(model.statements_, places, strict=False)}


def _as_data(model, numbers: set[str] = frozenset(), meta: set[str] = frozenset()) -> dict:
    """The fitted model as JSON: string keys, plain numbers; with the priority of each statement (``numbers``: all
    of the phase's, voted on or not) for the voting page's order (``ordering``)."""

    def statement_id(item):
        return str(item["statement"]) if isinstance(item, dict) else str(item)

    return {
        "participants": {str(p): (None if g is None else int(g)) for p, g in model.participants_.items()},
        "projection": {str(p): [float(xy[0]), float(xy[1])] for p, xy in model.projection_.items()},
        "groups": [
            {"id": int(g["id"]), "size": int(g["size"]), "members": [str(m) for m in g["members"]]}
            for g in model.groups_
        ],
        "statement_votes": {
            str(s): {str(g): {k: int(v) for k, v in counts.items()} for g, counts in by_group.items()}
            for s, by_group in model.statement_votes_.items()
        },
        "group_aware_consensus": {str(s): float(v) for s, v in model.group_aware_consensus_.items()},
        "repness": {
            str(g): [
                {k: (v if isinstance(v, str | int | float | bool) or v is None else float(v)) for k, v in r.items()}
                | {"statement": str(r["statement"])}
                for r in rows
            ]
            for g, rows in model.repness_.items()
        },
        "consensus": {side: [statement_id(item) for item in items] for side, items in model.consensus_.items()},
        "priorities": ordering.priorities(
            sorted(numbers, key=int),
            {str(s): {str(g): c for g, c in by_group.items()} for s, by_group in model.statement_votes_.items()},
            _statement_places(model),
            {str(s) for s in meta},
        ),
    }


# While votes arrive, a phase's opinion groups are computed again at most once every REFRESH_SECONDS, by the task
# worker: never in the request that casts a vote or reads a page.
REFRESH_SECONDS = 5
EMPTY = {
    "participants": {},
    "projection": {},
    "groups": [],
    "statement_votes": {},
    "group_aware_consensus": {},
    "repness": {},
    "consensus": {"agree": [], "disagree": []},
}
logger = logging.getLogger(__name__)


def _last_event(phase: Phase) -> int:
    # Newest first along the primary key: a phase taking votes finds its latest event at once.
    return VoteEvent.objects.filter(statement__phase=phase).order_by("-id").values_list("id", flat=True).first() or 0


def _refresh_key(phase_id: int) -> str:
    return f"deliberation:refresh:{phase_id}"


def request_refresh(phase_id: int) -> bool:
    """Have the task worker compute the phase's opinion groups again at the end of the current window: the first
    call in a window schedules one computation REFRESH_SECONDS later, which takes in every vote cast meanwhile (a
    trailing debounce); the other calls cost one cache lookup. Returns whether this call scheduled it.

    The window is kept in the cache: with the default per-process cache, each server process schedules its own,
    which only adds a computation that finds the result current."""
    if not cache.add(_refresh_key(phase_id), True, timeout=REFRESH_SECONDS):
        return False
    from .tasks import refresh_opinions

    if refresh_opinions.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=REFRESH_SECONDS)
        refresh_opinions.using(run_after=run_after).enqueue(phase_id)
    else:
        # A backend that runs tasks at once (tests, a single process): the result is current on return.
        refresh_opinions.enqueue(phase_id)
    return True


def schedule_refresh(phase_id: int) -> bool:
    """``request_refresh`` where a failure (the cache or the task queue down) must not turn a recorded vote or a
    page into an error: it is logged, and the next vote or reader asks again."""
    try:
        return request_refresh(phase_id)
    except Exception:
        logger.warning("could not schedule the opinion groups of phase %s", phase_id, exc_info=True)
        return False


def refresh(phase: Phase, *, now=None) -> str:
    """Compute and store the phase's opinion groups unless the stored result is current (it includes the last vote
    and the statements that count now). Returns "current" or "computed". Safe to run twice."""
    key, moderated_out, meta = _statements_key(phase)
    last_event = _last_event(phase)
    stored = OpinionResult.objects.filter(phase=phase).values_list("statements_key", "last_event_id").first()
    if stored == (key, last_event):
        return "current"
    numbers = {str(n) for n in phase.statements.values_list("number", flat=True)}
    data = _as_data(fit(phase, moderated_out=moderated_out, meta=meta), numbers, meta)
    with transaction.atomic():
        OpinionResult.objects.update_or_create(
            phase=phase,
            defaults={
                "last_event_id": last_event,
                "statements_key": key,
                "computed_at": now or timezone.now(),
                "data": data,
            },
        )
    return "computed"


def opinion_results(phase: Phase) -> dict:
    """The phase's opinion groups as last computed, for pages and the API: ``version`` is the last vote included,
    ``pending`` says that votes or a moderation decision came since (a computation is then scheduled, see
    ``request_refresh``). Before the first computation, no groups."""
    key, _moderated_out, _meta = _statements_key(phase)
    last_event = _last_event(phase)
    stored = OpinionResult.objects.filter(phase=phase).first()
    current = stored is not None and (stored.statements_key, stored.last_event_id) == (key, last_event)
    if not current and schedule_refresh(phase.pk):
        stored = OpinionResult.objects.filter(phase=phase).first()
        current = stored is not None and (stored.statements_key, stored.last_event_id) == (key, last_event)
    if stored is None:
        return {**EMPTY, "version": 0, "pending": True}
    return {**stored.data, "version": stored.last_event_id, "pending": not current}


def current_results(phase: Phase) -> dict:
    """The phase's opinion groups including every vote cast so far, computed now if need be: for the report and
    the exports, which are documents of a moment, not pages read while votes arrive."""
    refresh(phase)
    stored = OpinionResult.objects.get(phase=phase)
    return {**stored.data, "version": stored.last_event_id, "pending": False}
