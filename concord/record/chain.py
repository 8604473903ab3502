"""The sealed record's hashes: what an entry covers, and how it is recomputed from the record.

Both hashes are SHA-256 over canonical JSON (keys sorted, UTF-8, compact separators). An entry seals a
contribution's whole state as it then stood (``state``): its receipt, received time, entity (id and name),
stakeholder group, channel, language, consent, moderation, withdrawal, version, the SHA-256 of its title, text,
answers and extracted text, its files and the hash of the archived version. ``content_sha256`` is the hash of that
state, kept in the entry so that an earlier state can still be checked once the contribution has moved on;
``entry_sha256`` covers the entry's fields and the previous entry's hash (64 zeros for the first).

Entries written before migration ``record/0009`` (kinds ``version`` and ``withdrawal``, no state) sealed a
published version's content only; they are still recomputed as they were (``legacy_content``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from concord.contributions.models import Attachment, Contribution, ContributionVersion, Moderation

from .models import LEGACY_KINDS, SealEntry, SealKind

GENESIS = "0" * 64

# What each sealed field means, for the messages of ``concord verify``.
FIELD_LABELS = {
    "receipt": _("receipt number"),
    "received_at": _("received time"),
    "entity": _("entity"),
    "entity_name": _("entity's name"),
    "group": _("stakeholder group"),
    "channel": _("channel"),
    "source": _("received through"),
    "language": _("language"),
    "consent": _("consent"),
    "moderation": _("moderation state"),
    "withdrawn_at": _("withdrawal"),
    "is_late": _("late"),
    "version": _("version"),
    "title_sha256": _("title"),
    "text_sha256": _("text"),
    "answers_sha256": _("answers"),
    "sha256": _("SHA-256 of what was received"),
    "extracted_text_sha256": _("extracted text"),
    "files": _("files"),
    "archive_sha256": _("archived version"),
}

_MODERATION_KINDS = {
    Moderation.PUBLISHED: SealKind.PUBLISHED,
    Moderation.HELD: SealKind.HELD,
    Moderation.REJECTED: SealKind.REJECTED,
    Moderation.PENDING: SealKind.PENDING,
}


def canonical_sha256(data) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest()


def text_sha256(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _time(value: dt.datetime | None) -> str | None:
    # In UTC whatever the connection's zone, so that the same instant always seals the same string.
    return value.astimezone(dt.UTC).isoformat() if value else None


def _files(attachments: Iterable[Attachment]) -> list[dict]:
    ordered = sorted(attachments, key=lambda a: (a.position, a.pk))
    return [{"name": a.name, "sha256": a.sha256, "size": a.size} for a in ordered]


class Archives:
    """Every archived version of some contributions with its files, read in two queries."""

    def __init__(self, contribution_ids: Iterable[int]):
        ids = list(contribution_ids)
        versions = list(ContributionVersion.objects.filter(contribution_id__in=ids))
        attachments = defaultdict(list)
        if versions:  # the meeting's records have none: no query for their files
            for attachment in Attachment.objects.filter(version_id__in=[v.pk for v in versions]):
                attachments[attachment.version_id].append(attachment)
        self.versions: dict[tuple[int, int], tuple[str, list[dict]]] = {}
        self.numbers: dict[int, list[int]] = defaultdict(list)
        for version in versions:
            self.numbers[version.contribution_id].append(version.number)
            files = _files(attachments[version.pk])
            archived = {
                "title": version.title,
                "text": version.text,
                "answers": version.answers,
                "sha256": version.sha256,
                "files": files,
            }
            self.versions[version.contribution_id, version.number] = (canonical_sha256(archived), files)

    def sha256(self, contribution_id: int, number: int) -> str | None:
        """The archived version's hash; None when it has no archive (the meeting's records have none)."""
        found = self.versions.get((contribution_id, number))
        return found[0] if found else None

    def files(self, contribution_id: int, number: int) -> list[dict]:
        found = self.versions.get((contribution_id, number))
        return found[1] if found else []


def state(contribution: Contribution, archives: Archives) -> dict:
    """What an entry seals of ``contribution`` as it stands (``entity`` and ``group`` read with it)."""
    c = contribution
    return {
        "receipt": c.receipt_number,
        "received_at": _time(c.received_at),
        "entity": c.entity_id,
        "entity_name": c.entity.name,
        "group": c.group.slug,
        "channel": c.channel,
        "source": c.source,
        "language": c.language,
        "consent": c.consent,
        "moderation": c.moderation,
        "withdrawn_at": _time(c.withdrawn_at),
        "is_late": c.is_late,
        "version": c.version,
        "title_sha256": text_sha256(c.title),
        "text_sha256": text_sha256(c.text),
        "answers_sha256": canonical_sha256(c.answers or []),
        "sha256": c.sha256,
        "extracted_text_sha256": text_sha256(c.extracted_text),
        "files": archives.files(c.pk, c.version),
        "archive_sha256": archives.sha256(c.pk, c.version),
    }


def states(contributions: list[Contribution]) -> dict[int, dict]:
    archives = Archives(c.pk for c in contributions)
    return {c.pk: state(c, archives) for c in contributions}


def changed_fields(sealed: dict, current: dict) -> list[str]:
    return sorted(key for key in sealed.keys() | current.keys() if sealed.get(key) != current.get(key))


def kind_of_change(before: dict | None, after: dict) -> str:
    """What an entry records: the first state received, else the weightiest change since the last entry."""
    if before is None:
        return SealKind.RECEIVED
    if before.get("version") != after["version"]:
        return SealKind.AMENDED
    if before.get("withdrawn_at") != after["withdrawn_at"]:
        return SealKind.WITHDRAWN
    if before.get("moderation") != after["moderation"]:
        return _MODERATION_KINDS.get(after["moderation"], SealKind.CHANGED)
    if before.get("consent") != after["consent"]:
        return SealKind.CONSENT
    if before.get("extracted_text_sha256") != after["extracted_text_sha256"]:
        return SealKind.EXTRACTED
    return SealKind.CHANGED


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


def legacy_content(contribution: Contribution, kind: str, number: int) -> dict:
    """What an entry of the former scheme sealed: a published version's content, or its withdrawal."""
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
    files = _files(Attachment.objects.filter(version=version)) if version is not None else []
    return {
        "receipt": contribution.receipt_number,
        "version": number,
        "title": getattr(source, "title", None),
        "text": getattr(source, "text", None),
        "answers": getattr(source, "answers", None),
        "sha256": getattr(source, "sha256", None),
        "files": files,
    }


def is_legacy(entry: SealEntry) -> bool:
    return entry.kind in LEGACY_KINDS


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(consultation, **options):
    """Recompute the chain of ``consultation`` against its record (see ``concord.record.verification``)."""
    from .verification import verify as run

    return run(consultation, **options)
