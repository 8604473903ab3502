"""The agreement rule (docs/positions.md): intervals that reflect the counts, so few voices never make a consensus."""

import pytest

from concord.analysis.agreement import (
    BETWEEN,
    ONE_GROUP,
    SHARED,
    TOO_FEW,
    WITHIN,
    agreement,
    group_figures,
    wilson_interval,
)

GROUPS = {"government": 30, "civil-society": 20, "private-sector": 10}


def stances(**by_group):
    """``government=(4, 1)`` means four supporting and one opposing contribution from governments."""
    pairs = []
    for group, (support, oppose, *neutral) in by_group.items():
        group = group.replace("_", "-")
        pairs += [(group, "support")] * support + [(group, "oppose")] * oppose
        pairs += [(group, "neutral")] * (neutral[0] if neutral else 0)
    return pairs


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 1.0


def test_two_contributions_never_make_a_consensus():
    result = agreement("p", stances(government=(1, 0), civil_society=(1, 0)), GROUPS)
    assert result.classification == TOO_FEW
    assert [g.state for g in result.groups] == ["unclear", "unclear", "silent"]


def test_three_unanimous_contributions_are_not_enough_at_95_but_are_at_90_percent():
    assert group_figures("g", {"support": 3}, 10).state == "unclear"
    assert group_figures("g", {"support": 4}, 10).state == "support"
    assert group_figures("g", {"support": 3}, 10, confidence=0.90).state == "support"


def test_groups_leaning_the_same_way_share_the_position():
    result = agreement("p", stances(government=(6, 0), civil_society=(7, 1), private_sector=(0, 0, 2)), GROUPS)
    assert (result.classification, result.direction) == (SHARED, "support")
    assert (result.support, result.oppose, result.neutral) == (13, 1, 2)


def test_shared_opposition_has_its_direction():
    result = agreement("p", stances(government=(0, 5), private_sector=(0, 4)), GROUPS)
    assert (result.classification, result.direction) == (SHARED, "oppose")


def test_groups_leaning_opposite_ways_contest_it():
    result = agreement("p", stances(government=(7, 0), private_sector=(0, 5)), GROUPS)
    assert result.classification == BETWEEN


def test_a_divided_group_contests_it_within_even_if_others_agree():
    result = agreement("p", stances(government=(5, 4), civil_society=(6, 0), private_sector=(5, 0)), GROUPS)
    assert result.classification == WITHIN
    assert result.groups[0].state == "divided"


def test_one_dissenter_does_not_divide_a_group():
    figures = group_figures("g", {"support": 2, "oppose": 1}, 10)
    assert figures.state == "unclear"


def test_a_position_only_one_group_takes_up():
    result = agreement("p", stances(civil_society=(0, 6)), GROUPS)
    assert (result.classification, result.direction) == (ONE_GROUP, "oppose")


def test_shares_are_of_the_groups_contributions_with_their_interval():
    figures = group_figures("g", {"support": 5, "oppose": 2, "neutral": 1}, 20)
    assert figures.support_share == 0.25
    assert figures.oppose_share == 0.1
    low, high = figures.support_interval
    assert low < 0.25 < high
    assert figures.lean == pytest.approx(5 / 7)


def test_more_evidence_narrows_the_interval():
    small = group_figures("g", {"support": 2}, 4).support_interval
    large = group_figures("g", {"support": 50}, 100).support_interval
    assert (large[1] - large[0]) < (small[1] - small[0])
