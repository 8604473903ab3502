"""The campaign path a user runs: ``concord analyze campaigns`` on JSON Lines without language hints."""

import json

from django.core.management import call_command

from bench.campaigns.generate import generate
from concord.analysis import pipeline
from concord.analysis.campaigns import CampaignDetector
from concord.analysis.language import LanguageIdentifier


class CountingIdentifier(LanguageIdentifier):
    """Counts the texts it is asked to identify (picklable, like the real one)."""

    asked = 0

    def detect(self, text):
        type(self).asked += 1
        return super().detect(text)


def _translated_campaigns_and_members():
    records = generate(600, seed=5)
    translated = [r for r in records if "translation_group" in r]
    return translated + [r for r in records if r["campaign"] and "translation_group" not in r][:100]


def test_languages_are_identified_only_for_the_texts_that_translation_links_compare():
    records = _translated_campaigns_and_members()
    texts = [r["text"] for r in records]
    CountingIdentifier.asked = 0
    detector = pipeline.campaigns(texts, None, CampaignDetector(), CountingIdentifier(preload=False))
    representatives = int((detector.labels_ < 0).sum()) + len(detector.canonical_)
    # Every campaign member used to be identified: 118 here, where the representatives are far fewer.
    assert representatives < len(texts) / 2
    assert CountingIdentifier.asked == representatives


def test_given_languages_are_not_identified_again():
    records = _translated_campaigns_and_members()
    CountingIdentifier.asked = 0
    pipeline.campaigns(
        [r["text"] for r in records], [r["lang"] for r in records], CampaignDetector(), CountingIdentifier()
    )
    assert CountingIdentifier.asked == 0


def test_the_command_links_translated_campaigns_without_language_hints(tmp_path):
    records = _translated_campaigns_and_members()
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) for r in records), encoding="utf-8"
    )
    call_command("analyze", "campaigns", "--input", str(source), "--output", str(out), verbosity=0)
    rows = {row["id"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    truth = {r["id"]: r for r in records}
    # Each language version of a translated template is its own campaign, linked to another language's version.
    linked = [row for row in rows.values() if row["translation_of"]]
    assert linked
    for row in linked:
        own, original = truth[row["id"]], truth[row["translation_of"]]
        assert original["translation_group"] == own["translation_group"]
        assert original["lang"] != own["lang"]
    for row in rows.values():
        if row["campaign"]:
            assert truth[row["campaign"]]["lang"] == truth[row["id"]]["lang"]
    # Members of the English template campaigns are grouped too, and never linked as translations.
    members = [r for r in records if r["campaign"] and "translation_group" not in r]
    assert members and all(rows[r["id"]]["campaign"] for r in members)
    assert not any(rows[r["id"]]["translation_of"] for r in members)
