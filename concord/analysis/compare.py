"""Stakeholder comparison: which issues each group raises, and how much more than the other groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def issue_group_shares(records: Iterable[tuple[str, Sequence[str]]], groups: Sequence[str], issues: Sequence[str]):
    """Per issue, each group's share of contributions raising it, and its lift against the other groups.

    ``records`` are ``(group, issues)`` pairs, one per contribution (a campaign may be passed once). The lift of a
    group is its share divided by the share among all other groups' contributions (``None`` where that share is
    zero). Returns ``[{"issue", "total", "groups": {group: {"count", "share", "lift"}}}]`` in ``issues`` order.
    """
    totals: Counter = Counter()
    counts: Counter = Counter()
    for group, raised in records:
        totals[group] += 1
        for issue in set(raised):
            counts[(issue, group)] += 1
    everyone = sum(totals[g] for g in groups)
    rows = []
    for issue in issues:
        all_count = sum(counts[(issue, g)] for g in groups)
        row = {"issue": issue, "total": all_count, "groups": {}}
        for g in groups:
            count, n = counts[(issue, g)], totals[g]
            share = count / n if n else 0.0
            rest_n = everyone - n
            rest_share = (all_count - count) / rest_n if rest_n else 0.0
            lift = share / rest_share if rest_share else None
            row["groups"][g] = {"count": count, "contributions": n, "share": share, "lift": lift}
        rows.append(row)
    return rows
