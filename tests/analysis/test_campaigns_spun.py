"""Spun, mail-merged letters: every sentence one of a few wordings, with the sender's name, town and age in them."""

import random

from bench.campaigns.generate import generate
from bench.campaigns.spun import make_bank, make_letter, spun_campaigns
from concord.analysis.campaigns import CampaignDetector, fingerprints
from eval.metrics import bcubed


def test_names_towns_and_numbers_are_wildcards_but_capitals_and_the_first_word_are_not():
    a = "Dear FCC. As a nurse in Springfield for 12 years I ask you to keep the rules."
    b = "Dear FCC. As a nurse in Riverton for 30 years I ask you to keep the rules."
    assert fingerprints(a) == fingerprints(b)
    # An acronym is no merge field: the body a letter addresses matters.
    assert fingerprints("I ask the FCC to keep the rules.") != fingerprints("I ask the ITU to keep the rules.")


def test_spun_campaigns_with_personal_fields_are_found_and_distinct_texts_stay_apart():
    # Seed 4 starts one campaign as two groups of ten; seed 2 splits its large campaign 132 + 18 without the
    # splinter join, and both leave most letters of each campaign apart without the personal-field wildcards.
    for seed in (2, 4):
        texts, truth = spun_campaigns([50, 150, 20], seed=seed)
        others = generate(2000, seed=seed + 20)
        texts += [r["text"] for r in others]
        truth += [None if r["campaign"] is None else f"g{r['campaign']}" for r in others]
        order = list(range(len(texts)))
        random.Random(seed).shuffle(order)
        texts, truth = [texts[i] for i in order], [truth[i] for i in order]
        labels = [None if x < 0 else int(x) for x in CampaignDetector(link_translations=False).fit_predict(texts)]
        spun = [i for i, t in enumerate(truth) if t and t.startswith("spun")]
        score = bcubed([truth[i] for i in spun], [labels[i] for i in spun])
        assert score["recall"] >= 0.99, (seed, score)
        assert bcubed(truth, labels)["precision"] == 1.0
        assert not any(t is None and p is not None for t, p in zip(truth, labels, strict=True))


def test_two_spun_letters_of_different_campaigns_on_the_same_topic_stay_apart():
    rng = random.Random(9)
    first, second = make_bank(rng), make_bank(rng)
    texts = [make_letter(first, rng) for _ in range(30)] + [make_letter(second, rng) for _ in range(30)]
    labels = CampaignDetector(link_translations=False).fit_predict(texts)
    assert len(set(labels[:30])) == 1 and len(set(labels[30:])) == 1
    assert labels[0] != labels[30]


def test_a_web_forms_footer_of_numbers_and_names_joins_no_letters():
    footer = "Server protocol: HTTP/1.1 Remote host: 192.168.199.16 Remote IP address: 192.168.199.{n}"
    letters = [
        "Keep the open internet rules because my small shop sells online.",
        "Cable companies in Oakdale already throttle video streams every evening.",
        "Rural schools need affordable broadband more than faster lanes for giants.",
    ]
    texts = [f"{letter} Sincerely, Jo {footer.format(n=n)}" for n, letter in enumerate(letters)]
    assert set(CampaignDetector(link_translations=False).fit_predict(texts)) == {-1}
