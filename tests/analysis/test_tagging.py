"""Issue tagging read passage by passage, with calibrated probabilities and the evidence passage of each tag."""

import json
import re
from collections import Counter

import numpy as np
import pytest

import eval.issues as eval_issues
from concord.analysis.tagging import (
    DEFAULT_CALIBRATION,
    DEFAULT_LEARNED,
    DEFAULT_NGRAMS,
    IssueTagger,
    passages,
    read_learned,
    read_ngrams,
    read_prototypes,
    weighted_length,
)
from concord.analysis.tagging_model import (
    BASE_FEATURES,
    FEATURES,
    IssueCalibration,
    IssueClassifier,
    NgramClassifier,
    calibration_report,
    fit_tagging,
    folds_of,
    ngram_counts,
    raised_issues,
    with_learned,
)
from concord.analysis.taxonomy import read_taxonomy
from eval.issues import BLIND, TUNING_ONLY, held_out, load_blind, load_labelled, same_fit, split, tuning_files

# A fictional association's letter, written for this test: three issues in three paragraphs, none of them named.
LETTER = (
    "Contribution de l'Association des télécentres ruraux de Valmont. "
    "Nos fournisseurs d'accès paient le lien international vers l'Europe au prix fort, car aucun point d'échange "
    "n'existe dans la région et tout le trafic local passe par l'étranger. "
    "Par ailleurs, l'opérateur principal ralentit les appels vidéo des applications concurrentes tandis que son "
    "propre service fonctionne à pleine vitesse. "
    "Enfin, nos animateurs n'ont jamais été formés et notre régulateur ne compte que trois agents : nous "
    "demandons une assistance technique et des bourses pour participer aux réunions internationales."
)


@pytest.fixture(scope="module")
def tagger():
    return IssueTagger(read_taxonomy()).fit()


def test_a_long_letter_gets_each_issue_it_discusses_with_the_passage_that_says_it(tagger):
    result = tagger.tag([LETTER])[0]
    assert {"interconnection-costs", "net-neutrality", "capacity-building"} <= set(result["issues"])
    assert set(result["evidence"]) == set(result["issues"])
    assert "ralentit" in result["evidence"]["net-neutrality"]
    assert "lien international" in result["evidence"]["interconnection-costs"]
    for passage in result["evidence"].values():
        assert passage in LETTER


def test_scores_are_probabilities_and_an_issue_is_raised_at_its_own_cutoff(tagger):
    texts = [row["text"] for row in load_labelled()[:40]]
    P = tagger.decision_function(texts)
    assert ((P >= 0) & (P <= 1)).all()
    for row, cap, result in zip(P, tagger.caps(texts), tagger.tag(texts), strict=True):
        raised = [tagger.classes_[k] for k in np.argsort(-row, kind="stable")[:cap] if row[k] >= tagger.cutoffs_[k]]
        if not raised and (row / tagger.cutoffs_).max() >= tagger.floor:
            raised = [tagger.classes_[int(np.argmax(row / tagger.cutoffs_))]]
        assert result["issues"] == raised
        assert list(result["scores"]) == [tagger.classes_[k] for k in np.argsort(-row, kind="stable")]
    # One score repeated across texts (0.7773 for most of the demo, once) says the scores are clipped: a clipped
    # score is the same to every decimal, while the texts the tagger is sure of share only their rounding (0.9999).
    top = P.max(axis=1)
    assert len(set(np.round(top, 8))) > 35
    shown = np.round(top, 4)
    # (These texts were tuned on, and the n-gram classifier knows them: most top scores are above 0.99.)
    assert max(Counter(shown[shown < 0.99]).values(), default=0) <= 2


def test_a_text_is_read_by_sentences_and_a_long_sentence_by_its_clauses():
    text = (
        "Remarks. Many members were targeted by fake supplier e-mails asking them to change bank details, "
        "and several lost large sums to ransomware. Thank you."
    )
    pieces = passages(text)
    assert (
        pieces[0] == "Remarks. Many members were targeted by fake supplier e-mails asking them to change bank details,"
    )
    assert pieces[1].startswith("and several lost large sums to ransomware.")
    # Every character is embedded once: the pieces are the text, in order.
    assert re.sub(r"\s+", "", "".join(pieces)) == re.sub(r"\s+", "", text)
    # "and" inside a name does not cut it.
    named = (
        "We propose that the Commission on Science and Technology for Development establish a working group, "
        "open to all Member States and consulting the other stakeholders."
    )
    assert passages(named)[0].endswith("Science and Technology for Development establish a working group,")
    assert passages("") == ["-"]
    assert len(passages("Une phrase assez longue pour compter seule ici. " * 200)) == 48


def test_the_prototypes_describe_every_issue_in_the_six_languages():
    with open(DEFAULT_CALIBRATION.with_name("tagging_prototypes.json"), encoding="utf-8") as f:
        issues = json.load(f)["issues"]
    slugs = [issue["slug"] for issue in read_taxonomy()]
    assert list(issues) == slugs
    for by_lang in issues.values():
        assert set(by_lang) == {"ar", "zh-hans", "en", "fr", "ru", "es"}
        assert len({len(texts) for texts in by_lang.values()}) == 1 and len(by_lang["en"]) >= 3
    assert len(read_prototypes()["affordability"]) == 36


def test_the_held_out_third_keeps_translations_together_and_the_shipped_calibration_covers_the_taxonomy():
    rows = load_labelled()
    assert len(rows) >= 300 and {r["lang"] for r in rows} == {"ar", "zh-hans", "en", "fr", "ru", "es"}
    held = [r for r in rows if held_out(r["group"])]
    assert 0.25 < len(held) / len(rows) < 0.4
    by_group = {}
    for r in rows:
        by_group.setdefault(r["group"], set()).add(held_out(r["group"]))
    assert all(len(sides) == 1 for sides in by_group.values())
    with open(DEFAULT_CALIBRATION, encoding="utf-8") as f:
        shipped = json.load(f)
    assert shipped["features"] == list(FEATURES) and shipped["base"]["features"] == list(BASE_FEATURES)
    assert list(shipped["issues"]) == [issue["slug"] for issue in read_taxonomy()]
    learned = read_learned(DEFAULT_LEARNED)
    assert learned.slugs_ == list(shipped["issues"]) and learned.learned_.all()
    ngrams = read_ngrams(DEFAULT_NGRAMS)
    assert ngrams.slugs_ == list(shipped["issues"]) and ngrams.learned_.all()
    # No vocabulary ships, only hashed buckets' weights in half precision: the file stays small.
    assert DEFAULT_NGRAMS.stat().st_size < 5_000_000


def test_texts_written_after_the_split_go_to_the_tuning_part_and_leave_the_held_out_part_as_it_was():
    files = tuning_files()
    assert TUNING_ONLY in files and BLIND not in files
    later = [r for path in files for r in load_labelled(path)]
    first = load_labelled()
    assert {r["lang"] for r in load_labelled(TUNING_ONLY)} == {"ar", "zh-hans", "en", "fr", "ru", "es"}
    # New groups only (a translation of a held-out text would leak it), and ids of their own.
    assert not {r["group"] for r in later} & {r["group"] for r in first}
    assert len({r["id"] for r in first + later}) == len(first) + len(later)
    slugs = {issue["slug"] for issue in read_taxonomy()}
    assert all(r["issues"] and set(r["issues"]) <= slugs for r in later)
    tune, held = split()
    assert [r["id"] for r in held] == [r["id"] for r in first if held_out(r["group"])]
    assert len(held) == 104 and len(tune) == len(first) - 104 + len(later)
    assert [r["id"] for r in tune[len(first) - 104 :]] == [r["id"] for r in later]
    assert any(held_out(r["group"]) for r in later)  # by their hash some would be held out: they are not


def test_a_blind_set_is_its_own_part_and_is_refused_when_it_shares_a_text_with_the_others(tmp_path, monkeypatch):
    # The real blind set is not read here: it is measured once, by ``python -m eval.issues``.
    tune, held = split()
    blind = tmp_path / "labelled_issues_blind.jsonl"
    monkeypatch.setattr(eval_issues, "BLIND", blind)
    assert load_blind(tune, held) is None
    own = {"id": "b-en-01", "group": "b-en-01", "lang": "en", "text": "Spam floods our inboxes.", "issues": ["spam"]}
    blind.write_text(json.dumps(own) + "\n", encoding="utf-8")
    assert load_blind(tune, held) == [own]
    # A translation of a held-out text (its group) or a copy of a tuning text (its id) would be measured twice.
    for clash in ({"group": held[0]["group"]}, {"id": tune[-1]["id"]}):
        blind.write_text(json.dumps({**own, **clash}) + "\n", encoding="utf-8")
        with pytest.raises(ValueError, match="shares groups or ids"):
            load_blind(tune, held)


def test_the_calibration_round_trips_and_gives_an_unknown_issue_the_common_cutoff():
    rng = np.random.default_rng(0)
    F = rng.normal(size=(400, 4, len(FEATURES)))
    Y = F[:, :, 0] + 0.3 * rng.normal(size=(400, 4)) > 1.0
    slugs = ["a", "b", "c", "d"]
    cal = IssueCalibration().fit(F, Y, slugs, [f"g{i // 2}" for i in range(400)])
    again = IssueCalibration.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert np.allclose(again.predict_proba(F), cal.predict_proba(F), atol=1e-5)
    # The evidence feature carries the signal: its weight is the largest, and the probabilities are calibrated.
    assert np.argmax(np.abs(cal.coef_)) == 0
    assert calibration_report(cal.predict_proba(F), Y)["ece"] < 0.05
    other = cal.for_issues(["b", "new"])
    assert other.cutoffs_[0] == cal.cutoffs_[1] and other.cutoffs_[1] == cal.common_cutoff_ and other.offsets_[1] == 0
    # Folds keep each group whole.
    folds = folds_of([f"g{i // 2}" for i in range(120)], 5)
    assert all(folds[i] == folds[i + 1] for i in range(0, 120, 2))


def test_a_refit_that_differs_by_floating_point_noise_is_not_reported_as_stale():
    with open(DEFAULT_CALIBRATION, encoding="utf-8") as f:
        shipped = json.load(f)
    # Another numpy / OpenBLAS build moves a refit in the sixth decimal: the same fit.
    noise = json.loads(json.dumps(shipped))
    noise["coef"][0] += 2e-6
    noise["base"]["mean"][1] -= 1e-6
    noise["issues"]["spam"]["offset"] += 3e-6
    assert same_fit(shipped, noise)
    # A real change is not.
    for path, delta in ((("coef", 0), 0.01), (("issues", "spam", "cutoff"), 0.025), (("base", "intercept"), 0.001)):
        moved = json.loads(json.dumps(shipped))
        *parents, last = path
        node = moved
        for key in parents:
            node = node[key]
        node[last] += delta
        assert not same_fit(shipped, moved)
    assert not same_fit(shipped, {**shipped, "features": shipped["features"][:-1]})
    assert not same_fit(shipped, {**shipped, "per_issue": not shipped["per_issue"]})


def test_the_classifier_is_cross_fitted_into_the_calibration_and_an_issue_without_one_gets_the_fallback(tmp_path):
    rng = np.random.default_rng(1)
    n, slugs = 300, ["a", "b", "c"]
    X = rng.normal(size=(n, 8))
    Y = np.stack([X[:, 0] > 0.8, X[:, 1] > 0.8, X[:, 2] > 0.8], axis=1)
    # The prototypes' evidence sees the issues dimly, the embedding clearly.
    F = rng.normal(size=(n, 3, len(BASE_FEATURES))) + 0.5 * Y[:, :, None]
    groups = [f"g{i // 2}" for i in range(n)]
    counts = ngram_counts([f"text {i}" for i in range(n)])  # the n-grams say nothing here
    cal, clf, ngrams = fit_tagging(F, X, Y, slugs, groups, counts=counts)
    assert cal.base_ is not None and clf.learned_.all() and ngrams.learned_.all()
    P = cal.predict_proba(with_learned(F, clf.decision_function(X), ngrams.decision_function(counts)))
    assert _f1_of(cal.cutoffs_ <= P, Y) > _f1_of(cal.base_.predict_proba(F) >= cal.base_.cutoffs_, Y) + 0.1
    # No score for an issue (NaN): that issue is scored as the calibration without the features scores it.
    scores = clf.decision_function(X)
    scores[:, 1] = np.nan
    P = cal.predict_proba(with_learned(F, scores, ngrams.decision_function(counts)))
    assert np.allclose(P[:, 1], cal.base_.predict_proba(F)[:, 1])
    assert list(cal.cutoffs_for([True, False, True])) == [cal.cutoffs_[0], cal.base_.cutoffs_[1], cal.cutoffs_[2]]
    # Both round-trip: the calibration through JSON, the weights through a small npz (float16).
    again = IssueCalibration.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert np.allclose(again.predict_proba(with_learned(F, scores, ngrams.decision_function(counts))), P, atol=1e-5)
    clf.save(tmp_path / "learned.npz")
    loaded = IssueClassifier.load(tmp_path / "learned.npz")
    assert np.allclose(loaded.decision_function(X), clf.decision_function(X), atol=0.02)
    other = loaded.for_issues(["c", "new"])
    assert list(other.learned_) == [True, False] and np.isnan(other.decision_function(X)[:, 1]).all()


def test_the_ngram_classifier_finds_the_words_of_an_issue_the_embedding_does_not_see(tmp_path):
    rng = np.random.default_rng(2)
    n, slugs = 240, ["a", "b", "c"]
    Y = rng.random((n, 3)) < 0.3
    # Fictional words stand for each issue's stems; the filler words are shared by every text.
    stems = ["роуминг", "宽带接入", "indemnisation"]
    filler = ["the", "meeting", "council", "report", "plan", "региона", "会议", "débat"]
    texts = [" ".join([*rng.choice(filler, 8), *(stems[k] for k in range(3) if Y[i, k])]) for i in range(n)]
    counts = ngram_counts(texts)
    assert counts.shape == (n, 2**18)
    ngrams = NgramClassifier().fit(counts[:160], Y[:160], slugs)
    scores = ngrams.decision_function(counts[160:])
    assert ((scores > 0) == Y[160:]).mean() > 0.95
    # The evidence: the embedding sees nothing, the n-grams see the issues; the calibration weighs them.
    X = rng.normal(size=(n, 8))
    F = rng.normal(size=(n, 3, len(BASE_FEATURES)))
    groups = [f"g{i}" for i in range(n)]
    cal, clf, fitted = fit_tagging(F[:160], X[:160], Y[:160], slugs, groups[:160], counts=counts[:160])
    assert cal.coef_[FEATURES.index("ngrams")] > 1.0 > abs(cal.coef_[FEATURES.index("learned")])
    test = slice(160, None)
    P = cal.predict_proba(with_learned(F[test], clf.decision_function(X[test]), fitted.decision_function(counts[test])))
    assert _f1_of(cal.cutoffs_ <= P, Y[test]) > 0.9
    # The weights round-trip; an issue it was not fitted on gets none (NaN), and other buckets refuse.
    fitted.save(tmp_path / "ngrams.npz")
    loaded = NgramClassifier.load(tmp_path / "ngrams.npz")
    # 8-bit weights: a score moves by a few hundredths at most.
    assert np.allclose(loaded.decision_function(counts), fitted.decision_function(counts), atol=0.05)
    other = loaded.for_issues(["b", "new"])
    assert list(other.learned_) == [True, False] and np.isnan(other.decision_function(counts)[:, 1]).all()
    with np.load(tmp_path / "ngrams.npz") as data:
        arrays = {key: data[key] for key in data.files}
    np.savez(tmp_path / "other.npz", **{**arrays, "settings": np.asarray([1.0, 5, 17], dtype=np.float64)})
    with pytest.raises(ValueError, match="other buckets"):
        NgramClassifier.load(tmp_path / "other.npz")


def _f1_of(predicted, truth):
    return 2 * (predicted & truth).sum() / (predicted.sum() + truth.sum())


def test_a_tagger_without_the_classifier_tags_with_the_fallback_calibration():
    texts = ["Spam and phishing e-mails flood our inboxes every day.", LETTER]
    bare = IssueTagger(read_taxonomy(), learned=None).fit()
    assert bare.learned_ is None and list(bare.cutoffs_) == list(bare.calibration_.base_.cutoffs_)
    assert np.isnan(bare.features(texts)[0][:, :, -2:]).all()
    assert bare.predict(texts)[0][0] == "spam"
    # Without the n-gram weights the embedding's classifier alone is not weighed either: the fallback scores.
    no_ngrams = IssueTagger(read_taxonomy(), ngrams=None).fit()
    assert no_ngrams.ngrams_ is None and list(no_ngrams.cutoffs_) == list(no_ngrams.calibration_.base_.cutoffs_)
    assert np.allclose(no_ngrams.decision_function(texts), bare.decision_function(texts))
    full = IssueTagger(read_taxonomy()).fit()
    assert full.learned_ is not None and not np.isnan(full.features(texts)[0]).any()
    assert full.predict(texts)[0][0] == "spam"


def test_without_a_calibration_the_tagger_falls_back_to_the_plain_rule():
    plain = IssueTagger(read_taxonomy(), calibration=None).fit()
    result = plain.tag(["Spam and phishing e-mails flood our inboxes every day."])[0]
    assert result["issues"][0] == "spam"
    assert plain.calibration_ is None and (plain.cutoffs_ == 0.5).all()


def test_an_issue_added_with_its_slug_alone_is_tagged_with_the_shared_weights_and_the_common_cutoff():
    taxonomy = [*read_taxonomy(), {"slug": "internet-governance-forum"}]
    tagger = IssueTagger(taxonomy).fit()
    # It has no classifier of its own: the calibration without that feature scores it, at that one's cut-off.
    assert not tagger.learned_.learned_[-1] and tagger.learned_.learned_[:-1].all()
    assert tagger.cutoffs_[-1] == tagger.calibration_.base_.common_cutoff_
    result = tagger.tag(["The Internet Governance Forum should be given a longer mandate."])[0]
    assert result["issues"][0] == "internet-governance-forum"


def test_a_short_chinese_sentence_is_read_alone_as_its_english_translation_is():
    # Written for this test: three sentences, three issues; the middle one is 17 characters.
    text = (
        "我们的成员电台只能通过卫星接入互联网，每月费用超过广告收入。"
        "每次台风过后，地面站都会中断数周。"
        "我们还希望在网上发布本地方言的节目。"
    )
    short = "每次台风过后，地面站都会中断数周。"
    assert len(short) < 40 <= weighted_length(short)  # 40: the shortest passage read alone
    assert "每次台风过后，地面站都会中断数周。" in passages(text)
    english = "After every storm the ground station is cut off for weeks."
    assert weighted_length(english) == len(english)
    assert english in passages(
        f"Our stations reach the Internet only by satellite. {english} We want our programmes online in dialects."
    )


def test_a_text_of_many_passages_gets_fewer_issues_at_most():
    assert raised_issues(np.array([[0.9, 0.8, 0.7], [0.9, 0.8, 0.7]]), np.full(3, 0.5), [3, 1]) == [[0, 1, 2], [0]]
    # Below every cut-off: the issue nearest its own cut-off, from half of it (the floor), else none.
    below = np.array([[0.2, 0.3, 0.1], [0.1, 0.2, 0.05]])
    assert raised_issues(below, np.array([0.5, 0.8, 0.15]), 5, floor=0.5) == [[2], []]
    assert raised_issues(below, np.array([0.5, 0.8, 0.15]), 5) == [[], []]
    tagger = IssueTagger(read_taxonomy(), calibration=None, long_passages=15, long_max_issues=3)
    assert list(tagger.issue_caps([1, 14, 15, 48])) == [5, 5, 3, 3]
    # Fitted or not, the cap depends on the passages only: a letter of 20 sentences on five issues.
    sentences = [
        "Our members pay far too much for the international transit link to Europe.",
        "The dominant operator slows down video calls of competing applications on purpose.",
        "Phishing e-mails and ransomware have hit many of our small businesses this year.",
        "Our technicians were never trained in network management and need workshops.",
        "Household data bundles are too expensive for poor families in the villages.",
    ] * 4
    letter = " ".join(sentences)
    assert len(passages(letter)) >= 15
    fitted = IssueTagger(read_taxonomy()).fit()
    assert list(fitted.caps([letter, sentences[0]])) == [3, 5]
    assert len(fitted.tag([letter])[0]["issues"]) <= 3
    # The same five sentences once: not capped. Four of its issues lead its scores; the fit on the seven tuning
    # sets with the n-gram classifier puts interconnection costs (0.37 against 0.43) and cybersecurity (0.32
    # against 0.46) under their cut-offs, so only the first two are sure to be raised.
    assert list(fitted.caps([" ".join(sentences[:5])])) == [5]
    short = fitted.tag([" ".join(sentences[:5])])[0]
    assert {"affordability", "net-neutrality"} <= set(short["issues"])
    leading = {"affordability", "net-neutrality", "cybersecurity", "interconnection-costs"}
    assert set(list(short["scores"])[:4]) == leading


def test_the_tuning_run_never_reads_the_blind_set_and_the_full_run_reports_it_with_the_shipped_calibration(
    tmp_path, monkeypatch, capsys
):
    def refuse(*args):
        raise AssertionError("the blind set was read by --tuning")

    # The first labelled set alone as the tuning part: the whole part costs minutes of cross-validation, and what is
    # checked here (which sets are read, with which calibration) does not depend on its size.
    monkeypatch.setattr(eval_issues, "tuning_files", lambda: [])
    monkeypatch.setattr(eval_issues, "load_blind", refuse)
    eval_issues.main(["--tuning"])
    assert "blind" not in capsys.readouterr().out
    monkeypatch.undo()
    monkeypatch.setattr(eval_issues, "tuning_files", lambda: [])
    # Written for this test (not the real blind set): one text the shipped tagger gets right, one it cannot.
    blind = tmp_path / "labelled_issues_blind.jsonl"
    rows = [
        {
            "id": "t-1",
            "group": "t-1",
            "lang": "en",
            "text": "Spam and phishing e-mails flood our inboxes.",
            "issues": ["spam"],
        },
        {
            "id": "t-2",
            "group": "t-2",
            "lang": "en",
            "text": "Spam and phishing e-mails flood our inboxes.",
            "issues": ["privacy"],
        },
    ]
    blind.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(eval_issues, "BLIND", blind)
    second = tmp_path / "second_blind.jsonl"
    second.write_text(json.dumps({**rows[0], "id": "s-1", "group": "s-1"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(eval_issues, "BLIND2", second)
    # The real third and fourth are never read here.
    monkeypatch.setattr(eval_issues, "BLIND3", tmp_path / "absent.jsonl")
    monkeypatch.setattr(eval_issues, "BLIND4", tmp_path / "absent.jsonl")
    result = eval_issues.evaluate()
    m, cal = result["blind"]
    assert result["blind_texts"] == 2 and "brier" in cal
    # The second blind set is its own part.
    assert result["blind2_texts"] == 1 and result["blind2"][0]["per_label"]["spam"] == 1.0
    assert "blind3" not in result and "blind4" not in result
    assert m["per_label"]["spam"] == pytest.approx(2 / 3) and m["per_label"]["privacy"] == 0.0
