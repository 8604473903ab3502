"""Open data: the published contributions of a consultation as CSV, JSON Lines and (with pyarrow) Parquet.

The same rows feed the download views and ``concord export``. Only ``public_contributions`` are exported; an
anonymous contribution's entity name is left empty. Rows are built in chunks with a fixed number of queries per
chunk (contributions, files, issue tags, campaigns, seal entries), whatever the number of contributions.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation
from concord.contributions.access import public_contributions
from concord.contributions.models import Attachment
from concord.core.spreadsheet import SafeDictWriter
from concord.policy.selectors import public_campaigns

from .models import SealEntry

CHUNK = 2000
# What reverse() leaves unquoted in a path argument (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}

# The data dictionary: every column, its type and what it means (shown on the data page, written in metadata.json).
FIELDS = [
    ("id", "string", _("Receipt number, the contribution's permanent identifier.")),
    ("receipt_number", "string", _("Receipt number given when the contribution was received.")),
    ("url", "string", _("Permanent address of the contribution's page.")),
    ("consultation", "string", _("Slug of the consultation.")),
    ("channel", "string", _("written, presentation or intervention.")),
    ("group", "string", _("Stakeholder group when the contribution was received (slug).")),
    ("category", "string", _("Category of the contributing entity (slug).")),
    ("entity_kind", "string", _("organization or individual.")),
    ("entity_name", "string", _("Name of the contributor; empty when it chose to be published anonymously.")),
    ("anonymous", "boolean", _("Whether the contributor chose to be published anonymously.")),
    ("country", "string", _("ISO 3166 country code of the contributor, when known.")),
    ("language", "string", _("Language of the contribution (ar, zh-hans, en, fr, ru, es).")),
    ("received_at", "datetime", _("When it was received (UTC, ISO 8601).")),
    ("is_late", "boolean", _("Received after the close of the period.")),
    ("version", "integer", _("Current version number (amendments add versions).")),
    ("title", "string", _("Title.")),
    ("text", "string", _("Text as typed or as recorded at the meeting.")),
    ("answers", "json", _("Answers to the guiding questions: a list of {question, answer}.")),
    ("extracted_text", "string", _("Text extracted from the attached files.")),
    ("sha256", "string", _("SHA-256 of the manifest of what was received (title, text, answers, files).")),
    ("files", "json", _("Attached files: a list of {name, sha256, size, mime_type, url}.")),
    ("issues", "string", _("Public-policy issues raised (WSIS slugs), separated by semicolons.")),
    ("campaign", "string", _("Identifier of the campaign the contribution belongs to, if any.")),
    ("campaign_canonical", "string", _("Receipt number of the campaign's canonical contribution.")),
    ("seal_position", "integer", _("Position of the entry sealing the current state in the hash chain.")),
    ("seal_sha256", "string", _("SHA-256 of that entry (see the metadata file for the head of the chain).")),
]
COLUMNS = [name for name, _type, _description in FIELDS]
# How the CSV file differs from the others (concord.core.spreadsheet): shown under the dictionary, in metadata.json.
CSV_NOTE = _(
    "In the CSV file, a text cell that begins with =, +, -, @, a tab or a carriage return starts with an added "
    "single quote ('), so that spreadsheet software shows it as text instead of running it as a formula: remove "
    "that first quote to get the text as received. The JSON Lines and Parquet files hold every text unchanged."
)


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


# Placeholders that reverse() leaves as they are and that no slug contains ("~" is not a slug character).
_RECEIPT, _ATTACHMENT = "~receipt~", 987654321


class _Addresses:
    """The addresses of a consultation's contribution pages and files, each reversed once, not once per row: a page
    of search results would otherwise spend more on ``reverse`` than on its queries."""

    def __init__(self, consultation: Consultation, base_url: str):
        self.base_url = base_url
        self.page = _url("record:contribution", slug=consultation.slug, receipt=_RECEIPT)
        self.download = _url(
            "contributions:download", slug=consultation.slug, receipt=_RECEIPT, attachment_id=_ATTACHMENT
        )

    def of_page(self, receipt: str) -> str:
        return self.base_url + self.page.replace(_RECEIPT, quote(receipt, safe=_SAFE))

    def of_file(self, receipt: str, attachment_id: int) -> str:
        path = self.download.replace(_RECEIPT, quote(receipt, safe=_SAFE))
        return self.base_url + path.replace(str(_ATTACHMENT), str(attachment_id))


def _related(ids: list[int]) -> list[tuple]:
    """What the rows add to their contributions, in one query rather than four (each query costs a search page more in
    Django than in the database): files of every version, issue tags, campaigns, sealed versions. Each row is
    ``(kind, contribution id, four integers, three strings)``; see the SELECTs for which."""
    from concord.contributions.models import ContributionVersion
    from concord.policy.models import CampaignMember, ContributionIssue, PolicyIssue, TagSource

    if not ids:
        return []
    models = (Attachment, ContributionVersion, ContributionIssue, PolicyIssue, CampaignMember, SealEntry)
    t = {model.__name__: connection.ops.quote_name(model._meta.db_table) for model in models}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT 'f', v.contribution_id, v.number, a.position, a.id, a.size, a.name, a.sha256, a.mime_type
        FROM {t["Attachment"]} a JOIN {t["ContributionVersion"]} v ON v.id = a.version_id
        WHERE v.contribution_id IN ({marks})
        UNION ALL
        SELECT 'i', ci.contribution_id, i.position, NULL, NULL, NULL, i.slug, NULL, NULL
        FROM {t["ContributionIssue"]} ci JOIN {t["PolicyIssue"]} i ON i.id = ci.issue_id
        WHERE ci.contribution_id IN ({marks}) AND ci.source <> %s
        UNION ALL
        SELECT 'c', m.contribution_id, m.campaign_id, NULL, NULL, NULL, NULL, NULL, NULL
        FROM {t["CampaignMember"]} m
        WHERE m.contribution_id IN ({marks})
        UNION ALL
        SELECT 's', e.contribution_id, e.version, e.position, NULL, NULL, e.entry_sha256, NULL, NULL
        FROM {t["SealEntry"]} e
        WHERE e.contribution_id IN ({marks})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids, TagSource.REJECTED, *ids, *ids])
        return cursor.fetchall()


@dataclass(frozen=True)
class _File:
    pk: int
    name: str
    sha256: str
    size: int
    mime_type: str


def rows_for(consultation: Consultation, contributions: list, base_url: str) -> Iterator[dict]:
    current = {c.pk: c.version for c in contributions}
    files, issues, campaigns, seals = defaultdict(list), defaultdict(list), {}, {}
    for kind, pk, n1, n2, n3, n4, s1, s2, s3 in _related(list(current)):
        if kind == "f" and current.get(pk) == n1:
            files[pk].append(((n2, n3), _File(n3, s1, s2, n4, s3)))
        elif kind == "i":
            issues[pk].append((n1, s1))
        elif kind == "c":
            campaigns[pk] = n1
        elif kind == "s" and n2 > seals.get(pk, (0, ""))[0]:
            seals[pk] = (n2, s1)  # the latest entry: the contribution's current state
    # A campaign is named by its public representative, never by a stored canonical one that is not public.
    heads = public_campaigns(campaign_ids=set(campaigns.values())) if campaigns else {}
    campaigns = {pk: (str(n), heads[n].receipt_number if n in heads else "") for pk, n in campaigns.items()}
    addresses = _Addresses(consultation, base_url)
    for c in contributions:
        campaign = campaigns.get(c.pk, ("", ""))
        seal = seals.get(c.pk, (None, ""))
        yield {
            "id": c.receipt_number,
            "receipt_number": c.receipt_number,
            "url": addresses.of_page(c.receipt_number),
            "consultation": consultation.slug,
            "channel": c.channel,
            "group": c.group.slug,
            "category": c.entity.category.slug,
            "entity_kind": c.entity.kind,
            "entity_name": c.entity.name if c.shows_name else "",
            "anonymous": not c.shows_name,
            "country": str(c.entity.country or ""),
            "language": c.language,
            "received_at": c.received_at.isoformat(),
            "is_late": c.is_late,
            "version": c.version,
            "title": c.title,
            "text": c.text,
            "answers": [{"question": a.get("question", ""), "answer": a.get("answer", "")} for a in c.answers or []],
            "extracted_text": c.extracted_text,
            "sha256": c.sha256,
            "files": [
                {
                    "name": a.name,
                    "sha256": a.sha256,
                    "size": a.size,
                    "mime_type": a.mime_type,
                    "url": addresses.of_file(c.receipt_number, a.pk),
                }
                for _, a in sorted(files[c.pk], key=lambda f: f[0])
            ],
            "issues": ";".join(slug for _, slug in sorted(issues[c.pk])),
            "campaign": campaign[0],
            "campaign_canonical": campaign[1],
            "seal_position": seal[0],
            "seal_sha256": seal[1],
        }


def rows(consultation: Consultation, base_url: str = "") -> Iterator[dict]:
    """One dict per published contribution, in order of receipt; ``COLUMNS`` are its keys."""
    queryset = public_contributions(consultation).order_by("received_at", "id")
    last = None
    while True:
        chunk_qs = queryset
        if last is not None:
            chunk_qs = chunk_qs.filter(Q(received_at__gt=last[0]) | Q(received_at=last[0], id__gt=last[1]))
        chunk = list(chunk_qs[:CHUNK])
        if not chunk:
            return
        yield from rows_for(consultation, chunk, base_url)
        if len(chunk) < CHUNK:
            return
        last = (chunk[-1].received_at, chunk[-1].pk)


def _flat(row: dict) -> dict:
    flat = dict(row)
    flat["answers"] = json.dumps(row["answers"], ensure_ascii=False)
    flat["files"] = json.dumps(row["files"], ensure_ascii=False)
    return flat


def csv_lines(consultation: Consultation, base_url: str = "") -> Iterator[str]:
    buffer = io.StringIO()
    # Texts are the contributors': a cell that begins a formula is written as text (see concord.core.spreadsheet).
    writer = SafeDictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    buffer.write("\ufeff")  # So that spreadsheet software reads UTF-8 (Arabic, Chinese, Russian) correctly.
    writer.writeheader()
    for row in rows(consultation, base_url):
        writer.writerow(_flat(row))
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(consultation: Consultation, base_url: str = "") -> Iterator[str]:
    for row in rows(consultation, base_url):
        yield json.dumps(row, ensure_ascii=False) + "\n"


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def parquet_bytes(consultation: Consultation, base_url: str = "") -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([_flat(row) for row in rows(consultation, base_url)])
    if table.num_columns == 0:
        table = pa.table({name: pa.array([], pa.string()) for name in COLUMNS})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def licence() -> dict:
    """The licence of the open data (settings CONCORD_DATA_LICENCE and CONCORD_DATA_LICENCE_URL)."""
    return {"id": settings.CONCORD_DATA_LICENCE, "url": settings.CONCORD_DATA_LICENCE_URL}


def metadata(consultation: Consultation, base_url: str = "") -> dict:
    """The consultation, the data dictionary and the head of the sealed chain, as ``metadata.json``."""
    from . import services

    head = services.head(consultation)
    with translation.override("en"):
        dictionary = [{"name": n, "type": t, "description": str(d)} for n, t, d in FIELDS]
        csv_note = str(CSV_NOTE)
    return {
        "consultation": {
            "slug": consultation.slug,
            "title": consultation.title,
            "mandate_reference": consultation.mandate_reference,
            "opens_at": consultation.opens_at.isoformat(),
            "closes_at": consultation.closes_at.isoformat(),
            "report_symbol": consultation.report_symbol,
            "url": base_url + _url("record:consultation", slug=consultation.slug),
        },
        "generated_at": timezone.now().isoformat(),
        "contributions": public_contributions(consultation).count(),
        "fields": dictionary,
        "csv_note": csv_note,
        "seal": {
            "entries": head.position if head else 0,
            "head_sha256": head.entry_sha256 if head else None,
            "head_sealed_at": head.sealed_at.isoformat() if head else None,
            "algorithm": "SHA-256 over canonical JSON; see docs/record.md",
        },
        "licence": licence(),
    }
