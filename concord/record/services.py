"""Every write of the record app: the search index and the sealed chain.

Both follow the contributions. The contribution services seal each change of a contribution's state in their own
transaction (``seal_contribution``); ``contribution_changed`` is what the background task runs after a write
(re-index, and seal a new written submission); ``rebuild_index`` and ``seal_consultation`` catch up in bulk
(``concord reindex``) and are idempotent.
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
from .models import LEGACY_KINDS, SealEntry, SealHead, SearchDocument

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


class _Chain:
    """Appends to one consultation's chain, under the consultation's row lock (one writer per chain: the lock
    orders concurrent appends; SQLite serialises writers anyway)."""

    def __init__(self, consultation: Consultation):
        self.consultation = consultation
        # The stored head, not the last entry left: appending after entries deleted from the end must not hide the
        # gap they leave (the new entry links to the head, and verify reports the missing positions).
        stored = SealHead.objects.filter(consultation=consultation).first()
        self.stored = stored is not None
        if stored is None:  # a chain begun before its head was stored, or whose head was deleted
            stored = SealEntry.objects.filter(consultation=consultation).order_by("-position").first()
        if stored is not None:
            self.position, self.sha256 = stored.position, stored.entry_sha256
        else:
            self.position, self.sha256 = 0, chain.GENESIS
        self.written = 0

    def entry(self, contribution: Contribution, kind: str, state: dict, now) -> SealEntry:
        entry = SealEntry(
            consultation=self.consultation,
            position=self.position + 1,
            kind=kind,
            contribution=contribution,
            receipt_number=contribution.receipt_number,
            version=contribution.version,
            state=state,
            content_sha256=chain.canonical_sha256(state),
            previous_sha256=self.sha256,
            sealed_at=now,
        )
        entry.entry_sha256 = chain.canonical_sha256(chain.entry_fields(entry, self.consultation.slug))
        self.position, self.sha256 = entry.position, entry.entry_sha256
        self.written += 1
        return entry

    def save_head(self, now) -> None:
        if not self.written:
            return
        head = {"position": self.position, "entry_sha256": self.sha256, "sealed_at": now}
        if self.stored:
            SealHead.objects.filter(consultation=self.consultation).update(**head)
        else:
            SealHead.objects.create(consultation=self.consultation, **head)
            self.stored = True


def _latest_states(contribution_ids: list[int]) -> dict[int, dict]:
    """Each contribution's last sealed state (entries of the former scheme sealed none)."""
    latest: dict[int, tuple[int, dict]] = {}
    # Not ordered in SQL: SQLite would then walk the chain's (consultation, position) index instead of the
    # contribution's (8 ms instead of 0.1 at a few thousand entries).
    entries = (
        SealEntry.objects.filter(contribution_id__in=contribution_ids)
        .exclude(kind__in=LEGACY_KINDS)
        .order_by()
        .values_list("contribution_id", "position", "state")
    )
    for contribution_id, position, state in entries:
        if contribution_id not in latest or position > latest[contribution_id][0]:
            latest[contribution_id] = (position, state)
    return {contribution_id: state for contribution_id, (_position, state) in latest.items()}


# No savepoint: inside a service's transaction a failure here fails the whole change, as it should.
@transaction.atomic(savepoint=False)
def seal_contribution(contribution: Contribution, *, now=None) -> SealEntry | None:
    """Seal the contribution's state if it differs from its last entry (or it has none); safe to run twice.

    The services that change a contribution call it in their own transaction, so that each change of its
    publication state is its own entry; a new written submission is sealed by the background task (see
    ``concord.contributions.services.common._record_changed``), and ``concord verify`` reports it as not sealed yet."""
    now = now or timezone.now()
    # Locks in the order the contribution services take them (the contribution, then the chain), so that the
    # background task and a withdrawal of the same contribution never wait on each other in a cycle. NO KEY UPDATE:
    # the rows that reference them (a new contribution, this entry) take KEY SHARE locks, which it leaves free.
    contribution = (
        Contribution.objects.select_for_update(no_key=True, of=("self",))
        .select_related("entity", "group")
        .get(pk=contribution.pk)
    )
    consultation = Consultation.objects.select_for_update(no_key=True).get(pk=contribution.consultation_id)
    current = chain.states([contribution])[contribution.pk]
    before = _latest_states([contribution.pk]).get(contribution.pk)
    if before == current:
        return None
    writer = _Chain(consultation)
    entry = writer.entry(contribution, chain.kind_of_change(before, current), current, now)
    entry.save(force_insert=True)
    writer.save_head(now)
    audit.log_create("record", "record.seal", entry)
    return entry


@transaction.atomic
def seal_consultation(consultation: Consultation, *, now=None) -> int:
    """Seal every contribution of the consultation whose state the chain lacks, oldest first. Safe to run twice."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    writer = _Chain(consultation)
    contributions = (
        Contribution.objects.filter(consultation=consultation)
        .select_related("entity", "group")
        .order_by("received_at", "pk")
    )
    entries: list[SealEntry] = []
    chunk: list[Contribution] = []

    def seal(chunk: list[Contribution]) -> None:
        current = chain.states(chunk)
        before = _latest_states([c.pk for c in chunk])
        for c in chunk:
            if before.get(c.pk) != current[c.pk]:
                entries.append(
                    writer.entry(c, chain.kind_of_change(before.get(c.pk), current[c.pk]), current[c.pk], now)
                )

    for contribution in contributions.iterator(chunk_size=BATCH):
        chunk.append(contribution)
        if len(chunk) >= BATCH:
            seal(chunk)
            chunk = []
    if chunk:
        seal(chunk)
    SealEntry.objects.bulk_create(entries, batch_size=500)
    writer.save_head(now)
    if entries:
        # One audit entry for the whole catch-up: the entries themselves are the detailed record.
        audit.log("record", "record.seal_consultation", consultation, {"entries": [None, len(entries)]})
    return len(entries)


def seal_entity(entity) -> int:
    """Seal the contributions of an entity whose name changed (called by ``update_entity``)."""
    return sum(seal_contribution(c) is not None for c in Contribution.objects.filter(entity=entity).order_by("pk"))


def head(consultation: Consultation) -> SealEntry | None:
    """The chain's last entry: its position (the count) and hash are what the public pages and open data show."""
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
