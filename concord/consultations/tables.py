"""The distribution table: contributions by stakeholder group and channel, computed from the records.

Laid out as in report A/66/77-E/2011/103 (paragraph 10): groups as rows in the consultation's order, channels as
columns, a total column and a total row. Nothing here is stored; every call counts the records again.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from concord.contributions.models import Channel, Contribution
from concord.core.spreadsheet import SafeWriter

from .models import Consultation

CHANNELS = [Channel.WRITTEN.value, Channel.PRESENTATION.value, Channel.INTERVENTION.value]
FORMATS = ["text", "csv", "md", "json"]


@dataclass(frozen=True)
class Row:
    group: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[ch] for ch in CHANNELS]


@dataclass(frozen=True)
class DistributionTable:
    consultation: str
    rows: list[Row]
    # Distinct entities that took the floor in the open debate (the report's "13 participants").
    debate_participants: int

    channels = CHANNELS

    @property
    def totals(self) -> dict[str, int]:
        return {ch: sum(r.counts[ch] for r in self.rows) for ch in self.channels}

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def written_or_oral(self) -> int:
        """Written contributions and presentations: the report's "85 written or oral contributions"."""
        totals = self.totals
        return totals[Channel.WRITTEN] + totals[Channel.PRESENTATION]

    def as_dict(self) -> dict:
        return {
            "consultation": self.consultation,
            "channels": list(self.channels),
            "rows": [{"group": r.group, "label": r.label, **r.counts, "total": r.total} for r in self.rows],
            "total": {**self.totals, "total": self.total},
        }

    @property
    def total_cells(self) -> list[int]:
        totals = self.totals
        return [totals[ch] for ch in self.channels]

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(ch).label) for ch in self.channels]

    def header(self) -> list[str]:
        return [_("Stakeholder group"), *self.channel_labels, _("Total")]

    def body(self) -> list[list]:
        lines = [[r.label, *r.cells, r.total] for r in self.rows]
        lines.append([_("Total"), *self.total_cells, self.total])
        return lines


def distribution_table(consultation: Consultation) -> DistributionTable:
    """Count the consultation's contributions by group and channel (three queries)."""
    groups = consultation.ordered_groups()
    counted = Contribution.objects.filter(consultation=consultation).counted()
    cells = {
        (row["group_id"], row["channel"]): row["n"]
        for row in counted.values("group_id", "channel").annotate(n=Count("id")).order_by()
    }
    participants = counted.filter(channel=Channel.INTERVENTION).values("entity_id").distinct().order_by().count()
    rows = [
        Row(group=g.slug, label=str(g.label), counts={ch: cells.get((g.id, ch), 0) for ch in CHANNELS}) for g in groups
    ]
    return DistributionTable(consultation=consultation.slug, rows=rows, debate_participants=participants)


def render(table: DistributionTable, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(table.as_dict(), ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        # Group labels are typed by the secretariat: none may become a formula in a spreadsheet.
        writer = SafeWriter(out, lineterminator="\n")
        # Machine-readable: slugs as column names, then the same cells as the other formats.
        writer.writerow(["group", "label", *table.channels, "total"])
        for row in table.rows:
            writer.writerow([row.group, row.label, *row.cells, row.total])
        writer.writerow(["total", _("Total"), *table.total_cells, table.total])
        return out.getvalue()
    if fmt == "md":
        header = table.header()
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
        ]
        lines += ["| " + " | ".join(str(c) for c in line) + " |" for line in table.body()]
        return "\n".join(lines) + "\n"
    if fmt == "text":
        header = table.header()
        body = [[str(c) for c in line] for line in table.body()]
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

        def fmt_line(cells: list[str]) -> str:
            return "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )

        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        return "\n".join([fmt_line(header), rule, *map(fmt_line, body[:-1]), rule, fmt_line(body[-1])]) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
