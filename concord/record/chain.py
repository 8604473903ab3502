"""The sealed record's hashes: what an entry covers, and how anyone recomputes it from the record.

Both hashes are SHA-256 over canonical JSON (keys sorted, UTF-8, compact separators), so a reader of the open data
can recompute them without Concord: ``content_sha256`` from the contribution's published fields and each file's
SHA-256, ``entry_sha256`` from the entry's fields and the previous entry's hash (64 zeros for the first).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from concord.contributions import storage
from concord.contributions.models import Attachment, Contribution, ContributionVersion

from .models import SealEntry, SealKind

GENESIS = "0" * 64


def canonical_sha256(data: dict) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest()


def content(contribution: Contribution, kind: str, number: int) -> dict:
    """What an entry seals. The current version is read from what the public page shows (the contribution's own
    fields); earlier versions from their archived rows."""
    if kind == SealKind.WITHDRAWAL:
        withdrawn = contribution.withdrawn_at.isoformat() if contribution.withdrawn_at else None
        return {"receipt": contribution.receipt_number, "version": number, "withdrawn_at": withdrawn}
    version = ContributionVersion.objects.filter(contribution=contribution, number=number).first()
    if number == contribution.version:
        source = contribution
    elif version is not None:
        source = version
    else:
        source = None
    files = []
    if version is not None:
        files = [
            {"name": a.name, "sha256": a.sha256, "size": a.size}
            for a in Attachment.objects.filter(version=version).order_by("position", "id")
        ]
    return {
        "receipt": contribution.receipt_number,
        "version": number,
        "title": getattr(source, "title", None),
        "text": getattr(source, "text", None),
        "answers": getattr(source, "answers", None),
        "sha256": getattr(source, "sha256", None),
        "files": files,
    }


def entry_fields(entry: SealEntry, slug: str) -> dict:
    return {
        "consultation": slug,
        "position": entry.position,
        "kind": entry.kind,
        "receipt": entry.receipt_number,
        "version": entry.version,
        "content_sha256": entry.content_sha256,
        "previous_sha256": entry.previous_sha256,
        "sealed_at": entry.sealed_at.isoformat(),
    }


@dataclasses.dataclass
class Problem:
    position: int
    receipt: str
    version: int
    reason: str

    def __str__(self) -> str:
        return f"#{self.position} {self.receipt} v{self.version}: {self.reason}"


def verify(consultation, *, check_files: bool = True) -> tuple[int, list[Problem]]:
    """Recompute the chain of ``consultation``; every entry that no longer matches the record is named."""
    problems: list[Problem] = []
    previous = GENESIS
    expected_position = 1
    entries = SealEntry.objects.filter(consultation=consultation).select_related("contribution").order_by("position")
    count = 0
    for entry in entries.iterator(chunk_size=2000):
        count += 1

        def problem(reason: str, entry=entry) -> None:
            problems.append(Problem(entry.position, entry.receipt_number, entry.version, reason))

        if entry.position != expected_position:
            problem(f"position {entry.position} where {expected_position} was expected (an entry is missing)")
        expected_position = entry.position + 1
        if entry.previous_sha256 != previous:
            problem("does not link to the previous entry")
        if canonical_sha256(entry_fields(entry, consultation.slug)) != entry.entry_sha256:
            problem("the entry's own hash does not match its fields")
        if entry.contribution.receipt_number != entry.receipt_number:
            problem("the contribution's receipt number changed")
        sealed = content(entry.contribution, entry.kind, entry.version)
        if canonical_sha256(sealed) != entry.content_sha256:
            problem("the contribution's content no longer matches what was sealed")
        if check_files:
            for file in sealed.get("files", []):
                path = storage.path_for(file["sha256"]) if len(file["sha256"]) == 64 else None
                if path is not None and path.exists() and _file_sha256(path) != file["sha256"]:
                    problem(f"the file “{file['name']}” no longer matches its SHA-256")
        previous = entry.entry_sha256
    return count, problems


def _file_sha256(path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
