"""Reads for the results page, the exports and the report: computed from the stored votes at read time."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.analysis.agreement import BETWEEN, ONE_GROUP, SHARED, TOO_FEW, WITHIN, agreement

from . import ordering
from .access import ballot_statements, public_statements, statement_priorities
from .models import Phase, Vote, Voter

PUBLIC = "public"  # the column of the public's votes, beside the stakeholder groups
STANCE = {1: "support", -1: "oppose", 0: "neutral"}  # a vote read as a stance, for the positions' interval rule
CLASS_LABELS = {
    SHARED: _("shared across groups"),
    BETWEEN: _("contested between groups"),
    WITHIN: _("contested within groups"),
    ONE_GROUP: _("held by one group only"),
    TOO_FEW: _("too few votes to tell"),
}
DIVERGENCE_SPREAD = 0.5  # opinion groups whose agreement shares differ by half or more disagree on a statement


def voter_groups(phase: Phase) -> dict[int, str]:
    """Each voter's number with the column it counts in: its stakeholder group's slug, or ``public``."""
    return {
        number: slug or PUBLIC
        for number, slug in Voter.objects.filter(phase=phase).values_list("number", "group__slug")
    }


def stakeholder_agreement(phase: Phase, statements) -> dict[int, object]:
    """Per statement (by pk), agreement within each stakeholder group and across them, by the positions' interval
    rule (``concord.analysis.agreement``): agree counts as support, disagree as oppose, pass as neutral; each group's
    denominator is its voters on the statement."""
    columns = [g.slug for g in phase.consultation.ordered_groups()]
    by_statement: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Vote.objects.filter(statement__in=[s.pk for s in statements]).values_list(
        "statement_id", "group__slug", "value"
    )
    for statement_id, group, value in rows:
        by_statement[statement_id].append((group or PUBLIC, STANCE[value]))
    out = {}
    for statement in statements:
        found = by_statement.get(statement.pk, [])
        counts = Counter(group for group, _stance in found)
        every = {g: counts.get(g, 0) for g in columns}
        if counts.get(PUBLIC):
            every[PUBLIC] = counts[PUBLIC]
        out[statement.pk] = agreement(str(statement.number), found, every)
    return out


def _shares(counts: dict) -> dict:
    total = sum(counts.get(k, 0) for k in ("agree", "disagree", "pass"))
    return {
        "total": total,
        **{k: counts.get(k, 0) for k in ("agree", "disagree", "pass")},
        **{f"{k}_share": (counts.get(k, 0) / total if total else 0.0) for k in ("agree", "disagree", "pass")},
        # Widths in the bar's drawing (0-100), and where each part starts: the template draws, never computes.
        **{
            f"{k}_pct": round(100 * counts.get(k, 0) / total, 1) if total else 0.0
            for k in ("agree", "disagree", "pass")
        },
        "disagree_at": round(100 * counts.get("agree", 0) / total, 1) if total else 0.0,
        "pass_at": round(100 * (counts.get("agree", 0) + counts.get("disagree", 0)) / total, 1) if total else 0.0,
    }


def group_labels(groups: list[dict]) -> dict[str, str]:
    """Opinion groups are named A, B, C... as on Pol.is's report."""
    return {str(g["id"]): chr(ord("A") + i) for i, g in enumerate(groups)}


def opinion_groups(phase: Phase, data: dict) -> list[dict]:
    """The opinion groups, each with its size and its members' stakeholder-group composition."""
    columns = voter_groups(phase)
    labels = {g.slug: g.label for g in phase.consultation.ordered_groups()} | {PUBLIC: _("Public")}
    names = group_labels(data["groups"])
    out = []
    for group in data["groups"]:
        composition = Counter(columns.get(int(m), PUBLIC) for m in group["members"])
        out.append(
            {
                "id": group["id"],
                "label": names[str(group["id"])],
                "size": group["size"],
                "composition": [
                    {"slug": slug, "label": labels.get(slug, slug), "count": n, "share": n / group["size"]}
                    for slug, n in sorted(composition.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
            }
        )
    return out


def statement_rows(phase: Phase, data: dict) -> list[dict]:
    """Every public statement with its totals, its bars per opinion group, its agreement by stakeholder group and
    its group-aware consensus, in statement order."""
    language = get_language() or "en"
    statements = list(public_statements(phase).select_related("position").order_by("number"))
    by_stakeholders = stakeholder_agreement(phase, statements)
    names = group_labels(data.get("groups", []))
    totals: dict[int, Counter] = defaultdict(Counter)
    for statement_id, value in Vote.objects.filter(statement__in=[s.pk for s in statements]).values_list(
        "statement_id", "value"
    ):
        totals[statement_id][{1: "agree", -1: "disagree", 0: "pass"}[value]] += 1
    rows = []
    for statement in statements:
        text, text_language = statement.text_in(language)
        per_group = data.get("statement_votes", {}).get(str(statement.number), {})
        result = by_stakeholders[statement.pk]
        bars = [
            {"id": gid, "label": names.get(str(gid), str(gid)), **_shares(per_group.get(str(gid), {}))}
            for gid in (g["id"] for g in data.get("groups", []))
        ]
        spread = [b["agree_share"] for b in bars if b["total"]]
        rows.append(
            {
                "statement": statement,
                "text": text,
                "language": text_language,
                "totals": _shares(totals[statement.pk]),
                "bars": bars,
                "agreement": result,
                "label": CLASS_LABELS[result.classification],
                "gac": data.get("group_aware_consensus", {}).get(str(statement.number)),
                "spread": (max(spread) - min(spread)) if len(spread) >= 2 else 0.0,
            }
        )
    return rows


def consensus_and_divergence(rows: list[dict], data: dict) -> dict:
    """The statements every opinion group agrees (or disagrees) on, as the mathematics finds them, and those that
    divide: opinion groups apart by at least ``DIVERGENCE_SPREAD`` or stakeholder groups contested."""
    by_number = {str(r["statement"].number): r for r in rows}
    consensus = {
        side: [by_number[s] for s in data.get("consensus", {}).get(side, []) if s in by_number]
        for side in ("agree", "disagree")
    }
    converging = {r["statement"].pk for side in consensus.values() for r in side}
    # A statement the mathematics lists as common ground is not listed as dividing too, whatever the stakeholder
    # groups' intervals say: the consensus list says where to build, the divergence list where to debate.
    divergence = [
        r
        for r in rows
        if r["statement"].pk not in converging
        and (r["spread"] >= DIVERGENCE_SPREAD or r["agreement"].classification in (BETWEEN, WITHIN))
    ]
    divergence.sort(key=lambda r: (-r["spread"], r["statement"].number))
    return {"consensus": consensus, "divergence": divergence}


def next_statement(voter: Voter):
    """The voter's next public statement and how many are left, itself included: drawn among those not voted on as
    Pol.is draws its next comment (``ordering``), the same one until the voter votes. One query, for the statements
    the voter has voted on (the phase's statements and their priorities come from the process's caches)."""
    voted = set(Vote.objects.filter(voter=voter).order_by().values_list("statement_id", flat=True))
    left = [s for s in ballot_statements(voter.phase) if s.id not in voted]
    rng = random.Random(f"{voter.phase_id}:{voter.number}:{len(voted)}")
    return _draw(voter.phase, left, rng), len(left)


def next_statement_for_newcomer(phase: Phase):
    """What a member of the public sees before the first vote: a statement drawn as for a voter, and how many
    there are."""
    statements = ballot_statements(phase)
    return _draw(phase, statements, random.Random()), len(statements)


def _draw(phase: Phase, statements, rng: random.Random):
    weights = statement_priorities(phase)
    return ordering.draw(statements, [weights.get(str(s.number), ordering.NEW_STATEMENT) for s in statements], rng)
