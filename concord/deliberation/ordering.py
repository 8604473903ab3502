"""Which statement a voter sees next: Pol.is's order, written from reading its server and its mathematics.

Pol.is (``nextComment.ts``) draws the next comment at random among those the participant has not voted on, each
weighted by its priority from the last computation (``comment-priorities`` in polismath's ``conversation.clj``):

    importance = (1 - p) * (E + 1) * a,   p = (P + 1) / (S + 2),   a = (A + 1) / (S + 2)
    priority = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2,   or 7 ** 2 for a meta statement

where A, P and S are the agrees, passes and votes of the participants in an opinion group, and E the statement's
extremity, the length of its projection on the two principal components. So statements that divide (far from the
centre), that people agree with and do not pass on come up more often, and a new statement (few votes) comes up
early, while it needs votes. Two choices of ours: a statement the last computation did not know (added since) weighs
what the formula gives a statement with no vote, where Pol.is gives it 1; and the draw is seeded by the voter and
the number of votes cast, so that a reload shows the same statement until the voter votes.

Django-free: plain numbers in, plain numbers out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

META_PRIORITY = 7.0


def priority(agree: float, passes: float, seen: float, extremity: float, *, meta: bool = False) -> float:
    """One statement's weight in the draw."""
    if meta:
        return META_PRIORITY**2
    p = (passes + 1) / (seen + 2)
    a = (agree + 1) / (seen + 2)
    importance = (1 - p) * (extremity + 1) * a
    return (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2


NEW_STATEMENT = priority(0, 0, 0, 0)


def priorities(
    statements: Sequence[str],
    group_votes: Mapping[str, Mapping[str, Mapping[str, int]]],
    projection: Mapping[str, Sequence[float]],
    meta: set[str],
) -> dict[str, float]:
    """Each statement's priority: ``group_votes`` is ``{statement: {group: {"agree", "disagree", "pass"}}}`` (the
    grouped participants' votes, as Pol.is counts them), ``projection`` each statement's place on the two components
    (absent for a statement without votes, which then has no extremity)."""
    out = {}
    for statement in statements:
        counts = group_votes.get(statement, {}).values()
        agree = sum(c.get("agree", 0) for c in counts)
        passes = sum(c.get("pass", 0) for c in counts)
        seen = agree + passes + sum(c.get("disagree", 0) for c in counts)
        place = projection.get(statement)
        extremity = math.hypot(*place) if place is not None else 0.0
        if not math.isfinite(extremity):
            extremity = 0.0
        out[statement] = priority(agree, passes, seen, extremity, meta=statement in meta)
    return out


def draw(candidates: Sequence, weights: Sequence[float], rng: random.Random):
    """One of ``candidates``, with probability proportional to its weight (uniform when no weight is positive)."""
    if not candidates:
        return None
    total = sum(w for w in weights if w > 0)
    if total <= 0:
        return candidates[rng.randrange(len(candidates))]
    point = rng.random() * total
    for candidate, weight in zip(candidates, weights, strict=True):
        if weight <= 0:
            continue
        point -= weight
        if point < 0:
            return candidate
    return candidates[-1]
