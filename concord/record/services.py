"""Every write of the record app: the search index and the sealed chain.

Both follow the contributions. ``contribution_changed`` is what a write to a contribution calls once it has
committed (``concord.record.apps`` connects it to ``post_save`` until the contribution services call it
explicitly); ``rebuild_index`` and ``seal_consultation`` catch up in bulk (``concord reindex``) and are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from concord.consultations.models import Consultation
from concord.contributions.models import Contribution
from concord.core import audit

from . import chain, search
from .models import SealEntry, SealKind, SearchDocument

logger = logging.getLogger(__name__)
BATCH = 2000


def _documents(contributions: Iterable[Contribution]) -> list[SearchDocument]:
    return [
        SearchDocument(
            contribution_id=c.pk,
            config=search.config_for(c.language),
            body=search.document_body(c),
            stamp=search.document_stamp(c),
            **search.document_fields(c),
        )
        for c in contributions
    ]


@transaction.atomic
def index_contributions(contributions: Iterable[Contribution]) -> int:
    """Write (or refresh) the search documents of these contributions. Derived data: not audited one by one."""
    documents = _documents(contributions)
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["contribution"],
        update_fields=["config", "body", "stamp", *search.DOCUMENT_FIELDS],
        batch_size=500,
    )
    return len(documents)


def _is_stale(contribution: Contribution) -> bool:
    document = getattr(contribution, "search_document", None)
    return document is None or document.stamp != search.document_stamp(contribution)


def rebuild_index(actor, consultation: Consultation | None = None, *, everything: bool = False) -> int:
    """Index every contribution whose document is missing or stale (all of them with ``everything``)."""
    queryset = Contribution.objects.select_related("entity", "search_document").order_by("pk")
    if consultation is not None:
        queryset = queryset.filter(consultation=consultation)
    done = 0
    batch: list[Contribution] = []
    for contribution in queryset.iterator(chunk_size=BATCH):
        if everything or _is_stale(contribution):
            batch.append(contribution)
        if len(batch) >= BATCH:
            done += index_contributions(batch)
            batch = []
    if batch:
        done += index_contributions(batch)
    if consultation is not None and done:
        with transaction.atomic():
            audit.log(actor, "record.reindex", consultation, {"documents": [None, done]})
    return done


def _append(consultation: Consultation, contribution: Contribution, kind: str, number: int, now) -> SealEntry:
    last = SealEntry.objects.filter(consultation=consultation).order_by("-position").first()
    entry = SealEntry(
        consultation=consultation,
        position=(last.position + 1) if last else 1,
        kind=kind,
        contribution=contribution,
        receipt_number=contribution.receipt_number,
        version=number,
        content_sha256=chain.canonical_sha256(chain.content(contribution, kind, number)),
        previous_sha256=last.entry_sha256 if last else chain.GENESIS,
        sealed_at=now,
    )
    entry.entry_sha256 = chain.canonical_sha256(chain.entry_fields(entry, consultation.slug))
    entry.save()
    audit.log_create("record", "record.seal", entry)
    return entry


@transaction.atomic
def seal_contribution(contribution: Contribution, *, now=None) -> list[SealEntry]:
    """Append what the chain lacks for this contribution: its current version once public, its withdrawal."""
    now = now or timezone.now()
    # One writer per chain: the consultation's row lock orders concurrent appends (SQLite serialises writers).
    consultation = Consultation.objects.select_for_update().get(pk=contribution.consultation_id)
    contribution = Contribution.objects.get(pk=contribution.pk)
    sealed = set(SealEntry.objects.filter(contribution=contribution).values_list("kind", "version"))
    added = []
    is_public = Contribution.objects.public().filter(pk=contribution.pk).exists()
    if is_public and (SealKind.VERSION, contribution.version) not in sealed:
        added.append(_append(consultation, contribution, SealKind.VERSION, contribution.version, now))
    if contribution.is_withdrawn and sealed and (SealKind.WITHDRAWAL, contribution.version) not in sealed:
        added.append(_append(consultation, contribution, SealKind.WITHDRAWAL, contribution.version, now))
    return added


@transaction.atomic
def seal_consultation(consultation: Consultation, *, now=None) -> int:
    """Seal every public version of the consultation not yet in its chain, oldest first. Safe to run twice."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    sealed = set(
        SealEntry.objects.filter(consultation=consultation, kind=SealKind.VERSION).values_list(
            "contribution_id", "version"
        )
    )
    count = 0
    for contribution in Contribution.objects.public().filter(consultation=consultation).order_by("received_at", "id"):
        if (contribution.pk, contribution.version) not in sealed:
            _append(consultation, contribution, SealKind.VERSION, contribution.version, now)
            count += 1
    return count


def head(consultation: Consultation) -> SealEntry | None:
    return SealEntry.objects.filter(consultation=consultation).order_by("-position").first()


def contribution_changed(contribution_id: int) -> None:
    """Bring the index and the chain up to date after a contribution was written (call after commit)."""
    contribution = Contribution.objects.select_related("entity").filter(pk=contribution_id).first()
    if contribution is None:
        return
    try:
        index_contributions([contribution])
        seal_contribution(contribution)
    except Exception:  # The write itself has committed; `concord reindex` catches up.
        logger.exception("could not index or seal contribution %s", contribution_id)
