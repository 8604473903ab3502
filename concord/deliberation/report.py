"""What the synthesis report can say from the statements phase: where the votes converge and where they divide,
with counts, beside what the written positions show (issue 19, item 7).

Read through the statements' gate, like the rest of the report. The report's own app decides where the paragraphs
go; this gives it plain rows.
"""

from __future__ import annotations

from concord.analysis.agreement import BETWEEN, SHARED, WITHIN

from . import selectors
from .models import Phase
from .opinions import current_results


def report_statements(consultation) -> dict | None:
    """``None`` without a statements phase, else ``{"participants", "groups": [opinion group with composition],
    "agreement": [row], "divergence": [row]}`` where a row is ``{"statement", "text", "language", "agree",
    "disagree", "pass", "total", "classification", "direction", "by_group": [{"group", "agree", "disagree",
    "pass", "state"}], "position"}``: agreement lists the statements the stakeholder groups share or every opinion
    group agrees on; divergence those contested between or within groups or dividing the opinion groups."""
    phase = Phase.objects.filter(consultation=consultation).first()
    if phase is None:
        return None
    data = current_results(phase)
    rows = selectors.statement_rows(phase, data)
    lists = selectors.consensus_and_divergence(rows, data)
    converging = {r["statement"].pk for side in lists["consensus"].values() for r in side}

    def plain(row) -> dict:
        result = row["agreement"]
        return {
            "statement": row["statement"].number,
            "text": row["text"],
            "language": row["language"],
            "position": row["statement"].position.slug if row["statement"].position_id else None,
            **{k: row["totals"][k] for k in ("agree", "disagree", "pass", "total")},
            "classification": result.classification,
            "direction": result.direction,
            "by_group": [
                {"group": c.group, "agree": c.support, "disagree": c.oppose, "pass": c.neutral, "state": c.state}
                for c in result.groups
                if c.contributions
            ],
        }

    agreement = [plain(r) for r in rows if r["agreement"].classification == SHARED or r["statement"].pk in converging]
    divergence = [plain(r) for r in lists["divergence"] if r["agreement"].classification in (BETWEEN, WITHIN)]
    divergence += [plain(r) for r in lists["divergence"] if r["agreement"].classification not in (BETWEEN, WITHIN)]
    return {
        "participants": len(data["participants"]),
        "groups": selectors.opinion_groups(phase, data),
        "agreement": agreement,
        "divergence": divergence,
    }
