"""Campaign detection on real mass-campaign templates: the 2017 FCC docket 17-108 (../shared/data/fcc-net-neutrality).

Each real template text yields members with the edits real campaigns show (greetings and signatures, a personal
sentence, typos, synonyms, a dropped or swapped sentence: ``bench.campaigns.generate.make_member``); the synonym-spun
``bot.recursive`` texts are one campaign as found in the docket. They are mixed with real, distinct citizen
sentences from docket 14-28 (which must stay out of every campaign). Prints B-cubed precision/recall/F1 and how many
distinct comments were wrongly merged. Also checks that the tagger raises net neutrality on sentences about it.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from bench.campaigns.generate import make_member
from concord.analysis.campaigns import CampaignDetector
from concord.analysis.text import sentences

from .metrics import bcubed

MEMBERS_PER_TEMPLATE = 12
DISTINCT_COMMENTS = 3000
NEUTRALITY = re.compile(r"net neutrality|title ii|fast lane|paid prioriti", re.I)


def _opening(text: str) -> str:
    text = re.sub(r"^.{0,80}?\bwrites:\s*", "", text)
    return " ".join(re.findall(r"\w+", text.casefold())[:8])


def load(folder: Path, seed: int = 0) -> tuple[list[str], list]:
    rng = random.Random(seed)
    sources = json.loads((folder / "fccforensics_17-108_campaign_sources.json").read_text(encoding="utf-8"))
    texts, truth = [], []
    for source in sources:
        spun = source["source_id"] == "bot.recursive"
        for k, template in enumerate(source["texts"]):
            # Short signature phrases are not letters: a campaign needs a text to share.
            if len(template.split()) < 25:
                continue
            campaign = source["source_id"] if spun else f"{source['source_id']}#{k}"
            parts = sentences(template)
            for _ in range(MEMBERS_PER_TEMPLATE):
                texts.append(make_member(parts, rng) if len(parts) > 1 else template)
                truth.append(campaign)
    lines = (folder / "sunlight_14-28_expert_vs_joe_sentences.tsv").read_text(encoding="utf-8").splitlines()
    citizens = [line.split("\t", 1)[1] for line in lines if line.startswith("JOE\t") and len(line.split()) >= 12]
    # Docket 14-28 had its own campaigns ("NAME writes: Dear Tom, I recently read..."): a sentence whose opening
    # recurs in the docket is campaign material, not a distinct comment, so it is left out of the "distinct" pool.
    openings = Counter(_opening(text) for text in citizens)
    distinct = [text for text in citizens if openings[_opening(text)] == 1]
    for text in random.Random(seed).sample(distinct, min(DISTINCT_COMMENTS, len(distinct))):
        texts.append(text)
        truth.append(None)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [truth[i] for i in order]


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else "../shared/data") / "fcc-net-neutrality"
    if not folder.is_dir():
        print(f"-- skipped campaign evaluation: {folder} is absent")
        return
    texts, truth = load(folder)
    started = time.perf_counter()
    labels = CampaignDetector(link_translations=False).fit_predict(texts)
    elapsed = time.perf_counter() - started
    predicted = [None if label < 0 else int(label) for label in labels]
    scores = bcubed(truth, predicted)
    false_merges = sum(1 for t, p in zip(truth, predicted, strict=True) if t is None and p is not None)
    campaigns = len({t for t in truth if t is not None})
    print(
        f"== campaigns (FCC 17-108 templates x {MEMBERS_PER_TEMPLATE} edited members, {campaigns} campaigns, "
        f"+ {sum(t is None for t in truth)} distinct 14-28 comments): B-cubed P {scores['precision']:.4f} "
        f"R {scores['recall']:.4f} F1 {scores['f1']:.4f}; distinct comments merged into a campaign: {false_merges}; "
        f"{len(texts):,} texts in {elapsed:.1f} s"
    )

    from concord.analysis.tagging import IssueTagger
    from concord.analysis.taxonomy import read_taxonomy

    lines = (folder / "sunlight_14-28_expert_vs_joe_sentences.tsv").read_text(encoding="utf-8").splitlines()
    about = [line.split("\t", 1)[1] for line in lines if NEUTRALITY.search(line)]
    tagged = IssueTagger(read_taxonomy()).fit().predict(about)
    share = sum("net-neutrality" in issues for issues in tagged) / len(about)
    print(f"== tagging: net neutrality raised on {share:.1%} of {len(about):,} docket 14-28 sentences about it")


if __name__ == "__main__":
    main(sys.argv[1:])
