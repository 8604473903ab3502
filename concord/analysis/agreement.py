"""Agreement and divergence between stakeholder groups on a position, with intervals that reflect the counts.

Plain counts in, plain results out (no Django). The rule is documented in docs/positions.md:

- each group's *lean* is the share of its side-taking contributions that support the position, with a Wilson
  score interval; a group leans one way only when the whole interval is on that side of one half, so a group
  needs at least four contributions all on one side at 95 % (three at 90 %) before it counts as leaning;
- a group is *divided* when at least ``min_side`` of its contributions take each side and its interval straddles
  one half;
- the position is then **contested within groups** if a group is divided; else **contested between groups** if
  one group leans each way; else **shared across groups** if two groups or more lean the same way; else **raised
  by one group only** if every side-taking contribution comes from one group and that group leans; else **too
  few to tell**. Two contributions can therefore never make a consensus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

SUPPORT, OPPOSE, NEUTRAL = "support", "oppose", "neutral"
SHARED, BETWEEN, WITHIN, ONE_GROUP, TOO_FEW = (
    "shared",
    "contested-between-groups",
    "contested-within-groups",
    "one-group",
    "too-few",
)
CLASSES = (SHARED, BETWEEN, WITHIN, ONE_GROUP, TOO_FEW)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion; ``(0.0, 1.0)`` when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # Rounding can put an end a hair past the observed share at 0 or 1; clamp so 0/n starts at 0 and n/n ends at 1.
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


@dataclass
class GroupFigures:
    group: str
    contributions: int  # the group's contributions counted for the position (the denominator of the shares)
    support: int = 0
    oppose: int = 0
    neutral: int = 0
    support_share: float = 0.0
    support_interval: tuple[float, float] = (0.0, 1.0)
    oppose_share: float = 0.0
    oppose_interval: tuple[float, float] = (0.0, 1.0)
    lean: float | None = None  # support / (support + oppose)
    lean_interval: tuple[float, float] = (0.0, 1.0)
    state: str = "silent"  # "support" | "oppose" | "divided" | "unclear" | "silent"

    @property
    def sides(self) -> int:
        return self.support + self.oppose


@dataclass
class Agreement:
    key: str
    groups: list[GroupFigures] = field(default_factory=list)
    classification: str = TOO_FEW
    direction: str | None = None  # for "shared" and "one-group": "support" or "oppose"

    @property
    def support(self) -> int:
        return sum(g.support for g in self.groups)

    @property
    def oppose(self) -> int:
        return sum(g.oppose for g in self.groups)

    @property
    def neutral(self) -> int:
        return sum(g.neutral for g in self.groups)


def group_figures(
    group: str,
    counts: Mapping[str, int],
    contributions: int,
    *,
    confidence: float = 0.95,
    min_side: int = 2,
) -> GroupFigures:
    """One group's figures on one position, from its stance counts and its number of contributions."""
    support, oppose, neutral = counts.get(SUPPORT, 0), counts.get(OPPOSE, 0), counts.get(NEUTRAL, 0)
    n = max(contributions, support + oppose + neutral)
    figures = GroupFigures(group=group, contributions=n, support=support, oppose=oppose, neutral=neutral)
    if n:
        figures.support_share, figures.oppose_share = support / n, oppose / n
    figures.support_interval = wilson_interval(support, n, confidence)
    figures.oppose_interval = wilson_interval(oppose, n, confidence)
    sides = support + oppose
    if not sides:
        return figures
    figures.lean = support / sides
    low, high = figures.lean_interval = wilson_interval(support, sides, confidence)
    if low > 0.5:
        figures.state = SUPPORT
    elif high < 0.5:
        figures.state = OPPOSE
    elif support >= min_side and oppose >= min_side:
        figures.state = "divided"
    else:
        figures.state = "unclear"
    return figures


def classify(groups: Sequence[GroupFigures]) -> tuple[str, str | None]:
    """The position's class and, where it has one, its direction (see the module's docstring)."""
    states = [g.state for g in groups]
    leaning = {s for s in states if s in (SUPPORT, OPPOSE)}
    if "divided" in states:
        return WITHIN, None
    if leaning == {SUPPORT, OPPOSE}:
        return BETWEEN, None
    if leaning and sum(s in leaning for s in states) >= 2:
        return SHARED, next(iter(leaning))
    speaking = [g for g in groups if g.sides]
    if len(speaking) == 1 and speaking[0].state in (SUPPORT, OPPOSE):
        return ONE_GROUP, speaking[0].state
    return TOO_FEW, None


def agreement(
    key: str,
    stances: Iterable[tuple[str, str]],
    contributions_by_group: Mapping[str, int],
    *,
    confidence: float = 0.95,
    min_side: int = 2,
) -> Agreement:
    """Figures and class for one position.

    ``stances`` are ``(group, stance)`` pairs, one per contribution that addresses the position;
    ``contributions_by_group`` gives each group's number of contributions (the groups, in display order).
    """
    counts: dict[str, dict[str, int]] = {g: {} for g in contributions_by_group}
    for group, stance in stances:
        bucket = counts.setdefault(group, {})
        bucket[stance] = bucket.get(stance, 0) + 1
    groups = [
        group_figures(g, counts[g], contributions_by_group.get(g, 0), confidence=confidence, min_side=min_side)
        for g in counts
    ]
    classification, direction = classify(groups)
    return Agreement(key=key, groups=groups, classification=classification, direction=direction)
