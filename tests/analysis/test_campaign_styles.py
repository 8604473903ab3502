"""Each template style of bench/campaigns/styles.py, alone, on its held-out seed: found whole, none merged."""

import pytest

from bench.campaigns.styles import HELD_OUT_SEED, score_style, style_set
from concord.analysis.campaigns import CampaignDetector


@pytest.mark.parametrize("style", ["edited", "mail-merge", "spun", "reordered", "embedded"])
def test_each_template_style_is_found_and_distinct_letters_stay_apart(style):
    records = style_set(style, seed=HELD_OUT_SEED, campaigns=3, members=(6, 20), distinct=150)
    found = CampaignDetector(link_translations=False).fit_predict([r["text"] for r in records])
    score = score_style(records, [None if x < 0 else int(x) for x in found])
    assert score["distinct_merged"] == 0
    assert score["precision"] == 1.0
    assert score["f1"] >= 0.95, score


def test_translated_versions_are_separate_campaigns_of_one_template():
    records = style_set("translated", seed=HELD_OUT_SEED, members=(4, 6), distinct=20)
    found = CampaignDetector(link_translations=False).fit_predict([r["text"] for r in records])
    score = score_style(records, [None if x < 0 else int(x) for x in found])
    assert score["versions_merged"] == 0 and score["f1"] == 1.0


def test_an_unknown_style_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="mail-merge"):
        style_set("photocopied")
