"""Open data: the stances of a consultation's published contributions, one row per (contribution, position).

Only stances of ``public_contributions`` are exported, like the contributions themselves; rows stream in chunks
with a fixed number of queries per chunk.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from concord.core.spreadsheet import SafeDictWriter

from .access import public_stances

CHUNK = 2000
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
FIELDS = [
    ("id", "string", _("Receipt number of the contribution (the contributions file's id).")),
    ("position", "string", _("Slug of the position in the consultation's codebook.")),
    ("kind", "string", _("proposal, assessment or principle.")),
    ("stance", "string", _("support, oppose or neutral (mentioned without taking a side).")),
    ("score", "number", _("Calibrated probability that the stance is right, as the analysis found it.")),
    ("source", "string", _("automatic, confirmed or corrected (by the secretariat).")),
    (
        "evidence",
        "json",
        _(
            "The sentences that decide the stance, best first: a list of {text, start, end}, offsets into the "
            "contribution's title, text, answers and file text joined by blank lines."
        ),
    ),
]
COLUMNS = [name for name, _type, _description in FIELDS]


def rows(consultation) -> Iterator[dict]:
    """One dict per public stance, in the order of the record (contributions as received, positions as coded)."""
    queryset = (
        public_stances(consultation)
        .order_by("contribution__received_at", "contribution_id", "position__order", "position_id")
        .values_list(
            "contribution__receipt_number", "position__slug", "position__kind", "stance", "score", "source", "evidence"
        )
    )
    # One query, read in chunks (a server-side cursor on PostgreSQL): memory stays flat whatever the record's size.
    for values in queryset.iterator(chunk_size=CHUNK):
        yield dict(zip(COLUMNS, values, strict=True))


def csv_lines(consultation) -> Iterator[str]:
    buffer = io.StringIO()
    # Like every CSV Concord writes: a cell that would begin a formula (a slug may begin with "-") gets a quote.
    writer = SafeDictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows(consultation):
        writer.writerow({**row, "evidence": json.dumps(row["evidence"], ensure_ascii=False)})
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(consultation) -> Iterator[str]:
    for row in rows(consultation):
        yield json.dumps(row, ensure_ascii=False) + "\n"
