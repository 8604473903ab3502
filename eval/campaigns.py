"""Campaign detection on real mass-campaign templates: the 2017 FCC docket 17-108 (../shared/data/fcc-net-neutrality).

Each real template text yields members with the edits real campaigns show (greetings and signatures, a personal
sentence, typos, synonyms, a dropped or swapped sentence: ``bench.campaigns.generate.make_member``). They are mixed
with real, distinct citizen sentences from docket 14-28 (which must stay out of every campaign).

The data are split in two, and the split is printed: the *tuning* part (the docket's campaign sources at even
positions in its list, half of the distinct comments, and spun letters from Concord's own generator,
``bench.campaigns.spun``) and the *held-out* part (the sources at odd positions, the other half of the distinct
comments, and letters spun from the docket's ``bot.recursive`` variants, ``SPIN_BANK``). The held-out part was
not looked at while the detector was tuned. Prints B-cubed precision/recall/F1 for each part and for its spun
letters alone, and how many distinct comments were wrongly merged. Also checks that the tagger raises net
neutrality on sentences about it.
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
from bench.campaigns.spun import spun_campaigns
from bench.campaigns.styles import run_styles
from concord.analysis.campaigns import CampaignDetector
from concord.analysis.text import sentences

from .metrics import bcubed

MEMBERS_PER_TEMPLATE = 12
SPUN_LETTERS = 150
DISTINCT_COMMENTS = 3000
NEUTRALITY = re.compile(r"net neutrality|title ii|fast lane|paid prioriti", re.I)


def _opening(text: str) -> str:
    text = re.sub(r"^.{0,80}?\bwrites:\s*", "", text)
    return " ".join(re.findall(r"\w+", text.casefold())[:8])


# The docket's three ``bot.recursive`` letters, aligned: each sentence is a slot with the wordings the three show.
# The bot spun every phrase from such a bank; a letter picks one wording per phrase. ``{target}`` recurs in two
# sentences with the same wording, as it does in the docket.
TARGETS = [
    "Tom Wheeler's order to control the Internet",
    "Obama's power grab to regulate broadband",
    "Obama's plan to control Internet access",
]
SPIN_BANK = [
    "With respect to {net neutrality and Title II|Internet regulation and net neutrality|net neutrality}.",
    "I {encourage|request|want to encourage} {the commission|the FCC} to {overturn|reverse|repeal} {target}.",
    "Internet users, {rather than unelected bureaucrats|not the FCC Enforcement Bureau|not big government}, deserve "
    "to {purchase|use|select} {whichever products we choose|whatever services we choose|whichever applications "
    "they want}.",
    "{target} is a {exploitation|distortion} of net neutrality.",
    "It {undid|stopped|ended} a {pro-consumer framework|light-touch approach|hands-off system} that {performed "
    "fabulously successfully|worked very well|performed supremely well} for {two decades|many years} with {both "
    "parties' support|bipartisan backing|nearly universal consensus}.",
]
TOWNS = ["Dayton", "Fresno", "Tulsa", "Boise", "Reno", "Akron", "Provo", "Macon"]
NAMES = ["Pat Rivera", "Lee Novak", "Chris Adler", "Dana Whitfield", "Jo Kowalski", "Terry Osei"]


def spin(rng: random.Random) -> str:
    """One letter from ``SPIN_BANK``, sometimes with the greeting and the sender's name and town."""
    target = rng.choice(TARGETS)
    body = " ".join(
        re.sub(r"\{([^}]*)\}", lambda m: rng.choice(m.group(1).split("|")), s.replace("{target}", target))
        for s in SPIN_BANK
    )
    if rng.random() < 0.5:
        body = f"Dear Commissioners:  {body}"
    if rng.random() < 0.5:
        body = f"{body}\n{rng.choice(NAMES)}, {rng.choice(TOWNS)}"
    return body


def load(folder: Path, seed: int = 0) -> dict[str, tuple[list[str], list]]:
    """``{part: (texts, truth)}`` for the "tuning" and "held-out" parts (see the module's docstring)."""
    rng = random.Random(seed)
    sources = json.loads((folder / "fccforensics_17-108_campaign_sources.json").read_text(encoding="utf-8"))
    parts: dict[str, tuple[list[str], list]] = {"tuning": ([], []), "held-out": ([], [])}
    for position, source in enumerate(sources):
        texts, truth = parts["tuning" if position % 2 == 0 else "held-out"]
        if source["source_id"] == "bot.recursive":
            continue  # its letters are the held-out spun campaign, below
        for k, template in enumerate(source["texts"]):
            # Short signature phrases are not letters: a campaign needs a text to share.
            if len(template.split()) < 25:
                continue
            pieces = sentences(template)
            for _ in range(MEMBERS_PER_TEMPLATE):
                texts.append(make_member(pieces, rng) if len(pieces) > 1 else template)
                truth.append(f"{source['source_id']}#{k}")
    for _ in range(SPUN_LETTERS):
        parts["held-out"][0].append(spin(rng))
        parts["held-out"][1].append("spun:bot.recursive")
    own, own_truth = spun_campaigns([SPUN_LETTERS // 3, SPUN_LETTERS], seed=seed)
    parts["tuning"][0].extend(own)
    parts["tuning"][1].extend(f"spun:{t}" for t in own_truth)
    lines = (folder / "sunlight_14-28_expert_vs_joe_sentences.tsv").read_text(encoding="utf-8").splitlines()
    citizens = [line.split("\t", 1)[1] for line in lines if line.startswith("JOE\t") and len(line.split()) >= 12]
    # Docket 14-28 had its own campaigns ("NAME writes: Dear Tom, I recently read..."): a sentence whose opening
    # recurs in the docket is campaign material, not a distinct comment, so it is left out of the "distinct" pool.
    openings = Counter(_opening(text) for text in citizens)
    distinct = [text for text in citizens if openings[_opening(text)] == 1]
    chosen = random.Random(seed).sample(distinct, min(DISTINCT_COMMENTS, len(distinct)))
    for k, text in enumerate(chosen):
        texts, truth = parts["tuning" if k % 2 == 0 else "held-out"]
        texts.append(text)
        truth.append(None)
    out = {}
    for name, (texts, truth) in parts.items():
        order = list(range(len(texts)))
        rng.shuffle(order)
        out[name] = ([texts[i] for i in order], [truth[i] for i in order])
    return out


def score(texts: list[str], truth: list) -> str:
    started = time.perf_counter()
    labels = CampaignDetector(link_translations=False).fit_predict(texts)
    elapsed = time.perf_counter() - started
    predicted = [None if label < 0 else int(label) for label in labels]
    scores = bcubed(truth, predicted)
    spun = [i for i, t in enumerate(truth) if t and t.startswith("spun:")]
    spun_scores = bcubed([truth[i] for i in spun], [predicted[i] for i in spun])
    false_merges = sum(1 for t, p in zip(truth, predicted, strict=True) if t is None and p is not None)
    return (
        f"{len({t for t in truth if t is not None})} campaigns ({len(spun)} spun letters), "
        f"{sum(t is None for t in truth)} distinct comments: B-cubed P {scores['precision']:.4f} "
        f"R {scores['recall']:.4f} F1 {scores['f1']:.4f}; spun letters alone P {spun_scores['precision']:.4f} "
        f"R {spun_scores['recall']:.4f} F1 {spun_scores['f1']:.4f}; distinct comments merged into a campaign: "
        f"{false_merges}; {len(texts):,} texts in {elapsed:.1f} s"
    )


def main(argv: list[str]) -> None:
    print(
        "== campaigns per template style (bench/campaigns/styles.py; seed 0 tuning, seed 1 and its translated "
        "templates never tuned on), through the function `concord analyze campaigns` calls, no language hints"
    )
    run_styles()
    folder = Path(argv[0] if argv else "../shared/data") / "fcc-net-neutrality"
    if not folder.is_dir():
        print(f"-- skipped campaign evaluation: {folder} is absent")
        return
    parts = load(folder)
    print(
        "== campaigns, FCC split: tuning = the 17-108 sources at even positions + Concord's own spun letters "
        "+ half the distinct 14-28 comments; held-out (never tuned on) = the sources at odd positions + letters "
        f"spun from bot.recursive's variants + the other half; {MEMBERS_PER_TEMPLATE} edited members per template"
    )
    for name, (texts, truth) in parts.items():
        print(f"== campaigns, {name}: {score(texts, truth)}")

    from concord.analysis.tagging import IssueTagger
    from concord.analysis.taxonomy import read_taxonomy

    lines = (folder / "sunlight_14-28_expert_vs_joe_sentences.tsv").read_text(encoding="utf-8").splitlines()
    about = [line.split("\t", 1)[1] for line in lines if NEUTRALITY.search(line)]
    tagged = IssueTagger(read_taxonomy()).fit().predict(about)
    share = sum("net-neutrality" in issues for issues in tagged) / len(about)
    print(f"== tagging: net neutrality raised on {share:.1%} of {len(about):,} docket 14-28 sentences about it")


if __name__ == "__main__":
    main(sys.argv[1:])
