"""``concord verify``: the sealed chain against the record, both ways.

1. The chain itself: positions 1..n without a gap, each entry linked to the previous one, each entry's hash and
   sealed state's hash recomputed; its end checked against the head stored with every append (``SealHead``) and,
   when given, against a head kept outside (from the consultation page, ``metadata.json`` or the API).
2. The record against the chain, a chunk of contributions at a time: every contribution has an entry holding its
   current state (else it is "not sealed yet", never OK); every field that differs is named; every archived
   version still hashes as sealed; every stored file is present with its SHA-256; every entry's contribution is
   still there.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from django.utils.translation import gettext as _

from concord.contributions import storage
from concord.contributions.models import Contribution

from . import chain
from .models import LEGACY_KINDS, SealEntry, SealHead

CHUNK = 2000


@dataclasses.dataclass
class Problem:
    receipt: str
    reason: str
    position: int | None = None

    def __str__(self) -> str:
        where = f"#{self.position} " if self.position is not None else ""
        return f"{where}{self.receipt or _('chain')}: {self.reason}"


@dataclasses.dataclass
class Report:
    entries: int = 0
    contributions: int = 0
    head_position: int = 0
    head_sha256: str = chain.GENESIS
    problems: list[Problem] = dataclasses.field(default_factory=list)
    # Receipts of contributions the chain holds no state of: new ones the worker has not sealed yet, or ones whose
    # entries were deleted; either way not verified.
    unsealed: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unsealed


@dataclasses.dataclass(frozen=True)
class KeptHead:
    """A head an outside reader kept earlier: the chain must still hold that entry, with that hash."""

    position: int
    sha256: str


def verify(consultation, *, check_files: bool = True, kept: KeptHead | None = None) -> Report:
    report = Report()
    first_position = _check_links(consultation, report)
    _check_stored_head(consultation, report)
    if kept is not None:
        _check_kept_head(consultation, kept, report)
    seen = _check_contributions(consultation, report, check_files)
    for contribution_id, (position, receipt) in first_position.items():
        if contribution_id not in seen:
            report.problems.append(
                Problem(receipt, _("the sealed contribution is no longer in this consultation's record"), position)
            )
    return report


def _check_links(consultation, report: Report) -> dict[int, tuple[int, str]]:
    """Walk the chain in order; returns where each contribution first appears."""
    previous, expected = chain.GENESIS, 1
    first_position: dict[int, tuple[int, str]] = {}
    for entry in SealEntry.objects.filter(consultation=consultation).order_by("position").iterator(CHUNK):
        report.entries += 1

        def problem(reason, entry=entry):
            report.problems.append(Problem(entry.receipt_number, reason, entry.position))

        if entry.position != expected:
            problem(
                _("position %(found)d where %(expected)d was expected (entries are missing)")
                % {"found": entry.position, "expected": expected}
            )
        expected = entry.position + 1
        if entry.previous_sha256 != previous:
            problem(_("does not link to the previous entry"))
        if chain.canonical_sha256(chain.entry_fields(entry, consultation.slug)) != entry.entry_sha256:
            problem(_("the entry's own hash does not match its fields"))
        if entry.kind not in LEGACY_KINDS and chain.canonical_sha256(entry.state) != entry.content_sha256:
            problem(_("the sealed state does not match its hash"))
        first_position.setdefault(entry.contribution_id, (entry.position, entry.receipt_number))
        previous = entry.entry_sha256
        report.head_position, report.head_sha256 = entry.position, entry.entry_sha256
    return first_position


def _check_stored_head(consultation, report: Report) -> None:
    stored = SealHead.objects.filter(consultation=consultation).first()
    if stored is None:
        if report.entries:
            report.problems.append(Problem("", _("the chain's stored head is missing")))
        return
    if (stored.position, stored.entry_sha256) != (report.head_position, report.head_sha256):
        report.problems.append(
            Problem(
                "",
                _(
                    "the chain ends at entry %(position)d (%(sha)s) but its last head was entry %(head)d "
                    "(%(head_sha)s): entries were deleted or rewritten"
                )
                % {
                    "position": report.head_position,
                    "sha": report.head_sha256,
                    "head": stored.position,
                    "head_sha": stored.entry_sha256,
                },
            )
        )


def _check_kept_head(consultation, kept: KeptHead, report: Report) -> None:
    entry = SealEntry.objects.filter(consultation=consultation, position=kept.position).first()
    if entry is None or entry.entry_sha256 != kept.sha256:
        found = entry.entry_sha256 if entry else _("no such entry")
        report.problems.append(
            Problem(
                entry.receipt_number if entry else "",
                _("the head kept earlier, entry %(position)d (%(sha)s), is no longer in the chain (found: %(found)s)")
                % {"position": kept.position, "sha": kept.sha256, "found": found},
                kept.position,
            )
        )


def _check_contributions(consultation, report: Report, check_files: bool) -> set[int]:
    seen: set[int] = set()
    file_hashes: dict[str, str | None] = {}
    chunk: list[Contribution] = []
    contributions = (
        Contribution.objects.filter(consultation=consultation).select_related("entity", "group").order_by("pk")
    )
    for contribution in contributions.iterator(CHUNK):
        seen.add(contribution.pk)
        chunk.append(contribution)
        if len(chunk) >= CHUNK:
            _check_chunk(chunk, report, check_files, file_hashes)
            chunk = []
    if chunk:
        _check_chunk(chunk, report, check_files, file_hashes)
    return seen


def _check_chunk(chunk: list[Contribution], report: Report, check_files: bool, file_hashes: dict) -> None:
    archives = chain.Archives(c.pk for c in chunk)
    entries = defaultdict(list)
    for entry in SealEntry.objects.filter(contribution_id__in=[c.pk for c in chunk]).order_by("position"):
        entries[entry.contribution_id].append(entry)
    for contribution in chunk:
        report.contributions += 1
        receipt = contribution.receipt_number
        current = chain.state(contribution, archives)
        own = [e for e in entries[contribution.pk] if e.consultation_id == contribution.consultation_id]
        for entry in entries[contribution.pk]:
            if entry.consultation_id != contribution.consultation_id:
                report.problems.append(Problem(receipt, _("sealed in another consultation's chain"), entry.position))
            elif entry.receipt_number != receipt:
                report.problems.append(Problem(receipt, _("the receipt number changed"), entry.position))
        sealed = [e for e in own if e.kind not in LEGACY_KINDS]
        for entry in own:
            if entry.kind in LEGACY_KINDS:
                legacy = chain.legacy_content(contribution, entry.kind, entry.version)
                if chain.canonical_sha256(legacy) != entry.content_sha256:
                    report.problems.append(
                        Problem(receipt, _("the content no longer matches what was sealed"), entry.position)
                    )
        if not sealed:
            report.unsealed.append(receipt)
        else:
            latest = sealed[-1]
            changed = chain.changed_fields(latest.state, current)
            if changed:
                names = ", ".join(str(chain.FIELD_LABELS.get(name, name)) for name in changed)
                report.problems.append(
                    Problem(receipt, _("changed since it was sealed: %(fields)s") % {"fields": names}, latest.position)
                )
            _check_archives(contribution, sealed, archives, report)
        if check_files:
            _check_files(contribution, archives, report, file_hashes)


def _check_archives(contribution, sealed: list[SealEntry], archives: chain.Archives, report: Report) -> None:
    """Every earlier version as archived must still hash as when it was sealed (the current one is compared with
    the rest of the state)."""
    checked = {contribution.version}
    for entry in reversed(sealed):
        number = entry.state.get("version")
        if number in checked:
            continue
        checked.add(number)
        if archives.sha256(contribution.pk, number) != entry.state.get("archive_sha256"):
            report.problems.append(
                Problem(
                    contribution.receipt_number,
                    _("archived version %(number)s no longer matches what was sealed") % {"number": number},
                    entry.position,
                )
            )


def _check_files(contribution, archives: chain.Archives, report: Report, file_hashes: dict) -> None:
    named = {}
    for number in archives.numbers.get(contribution.pk, []):
        for file in archives.files(contribution.pk, number):
            named.setdefault(file["sha256"], file["name"])  # a file kept by an amendment is checked once
    for digest, name in named.items():
        if digest not in file_hashes:
            try:
                path = storage.path_for(digest)
            except ValueError:  # not even a digest: no file can be stored under it
                path = None
            file_hashes[digest] = chain.file_sha256(path) if path is not None and path.is_file() else None
        found = file_hashes[digest]
        if found is None:
            reason = _("the stored file “%(name)s” (%(sha)s) is missing") % {"name": name, "sha": digest}
        elif found != digest:
            reason = _("the stored file “%(name)s” no longer matches its SHA-256") % {"name": name}
        else:
            continue
        report.problems.append(Problem(contribution.receipt_number, reason))
