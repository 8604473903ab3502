"""Multi-label tagging of contributions with the WSIS public-policy issues, in six languages, without translation.

A text is read passage by passage (its sentences, a short one joined to the next), so a long letter gets every issue
it discusses and not only the one its whole reads most like. Each passage is embedded with a cross-lingual sentence
encoder and compared with each issue's prototypes: its names and definitions in six languages from the taxonomy,
and several descriptions of its sub-topics in the six languages (``tagging_prototypes.json``). The evidence for an
issue (its best passage's closeness, the agreement of several prototypes, how far behind the text's strongest
issue, seed terms found in the text, ...) and the score of a classifier per issue on the text's pooled embedding
(``tagging_model.IssueClassifier``, ``tagging_learned.npz``) and of one on its character n-grams
(``tagging_model.NgramClassifier``, ``tagging_ngrams.npz``) become a calibrated probability through one logistic
regression shared by the issues (``tagging_model.IssueCalibration``), both fitted on the tuning part of the
labelled set only, with per-issue cut-offs chosen by cross-validation there. The passage that gave the evidence
comes back with each tag.

Confirmed examples, when the secretariat has some, train a light classifier (one logistic regression per issue
on the pooled embedding and the evidence) blended with the calibrated probability, and re-tune the cut-offs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from .embed import Embedder, shared_embedder
from .tagging_model import (
    BASE_FEATURES,
    FEATURES,
    IssueCalibration,
    IssueClassifier,
    NgramClassifier,
    ngram_counts,
    raised_issues,
)
from .text import fold, sentences, term_pattern

HERE = Path(__file__).resolve().parent
DEFAULT_PROTOTYPES = HERE / "tagging_prototypes.json"
DEFAULT_CALIBRATION = HERE / "tagging_calibration.json"
DEFAULT_LEARNED = HERE / "tagging_learned.npz"
DEFAULT_NGRAMS = HERE / "tagging_ngrams.npz"


def read_prototypes(path: str | Path | None = DEFAULT_PROTOTYPES) -> dict[str, list[str]]:
    """Sub-topic descriptions per issue slug, every language together."""
    if path is None or not Path(path).is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        issues = json.load(f)["issues"]
    return {slug: [text for texts in by_lang.values() for text in texts] for slug, by_lang in issues.items()}


def read_calibration(path: str | Path | None = DEFAULT_CALIBRATION) -> IssueCalibration | None:
    if path is None or not Path(path).is_file():
        return None
    with open(path, encoding="utf-8") as f:
        return IssueCalibration.from_dict(json.load(f))


def read_learned(path: str | Path | None = DEFAULT_LEARNED) -> IssueClassifier | None:
    if path is None or not Path(path).is_file():
        return None
    return IssueClassifier.load(path)


def read_ngrams(path: str | Path | None = DEFAULT_NGRAMS) -> NgramClassifier | None:
    if path is None or not Path(path).is_file():
        return None
    return NgramClassifier.load(path)


# Where a long sentence may change subject: after a comma or semicolon (Latin, CJK, Arabic), before "and" (not
# inside a name: "the Commission on Science and Technology").
_CLAUSE = re.compile(r"(?<=[,;，；、،؛])\s*|\s+(?=(?:and|et|y|и|و)\s+(?![A-ZÀ-ÖØ-ÞА-ЯЁ]))")


# Han, kana and Hangul characters: one of them says about as much as a short Latin word with its space.
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
WIDE_WEIGHT = 3


def weighted_length(text: str) -> int:
    """Length in Latin-equivalent characters: a CJK character counts ``WIDE_WEIGHT`` times, so that a short Chinese
    sentence ("每次台风过后，地面站都会中断数周。", a whole issue in 17 characters) is read alone like its English
    translation is, and not folded into the next sentence's subject."""
    return len(text) + (WIDE_WEIGHT - 1) * len(_WIDE.findall(text))


def passages(
    text: str, min_chars: int = 40, max_chars: int = 400, max_passages: int = 48, clause_from: int = 140
) -> list[str]:
    """The passages a text is read by: its sentences, a short one (a heading, "First,") joined to the next, a long
    run of short ones cut at about ``max_chars``; a passage of ``clause_from`` characters or more is read by its
    clauses instead (one sentence often raises two issues: "fake supplier e-mails ..., and several lost their files
    to ransomware"). Every character is embedded once, so the cost stays that of the text. Very long texts are
    sampled evenly to ``max_passages`` passages first."""
    out: list[str] = []
    current = ""
    for sentence in sentences(text):
        current = f"{current} {sentence}" if current else sentence
        if weighted_length(current) >= min_chars:
            out.append(current)
            current = ""
    if current:
        if out and weighted_length(out[-1]) + weighted_length(current) < max_chars:
            out[-1] = f"{out[-1]} {current}"
        else:
            out.append(current)
    if not out:
        return [text.strip() or "-"]
    if len(out) > max_passages:
        step = len(out) / max_passages
        out = [out[int(i * step)] for i in range(max_passages)]
    pieces: list[str] = []
    for passage in out:
        if weighted_length(passage) < clause_from:
            pieces.append(passage)
            continue
        found: list[str] = []
        current = ""
        for part in _CLAUSE.split(passage):
            if not part or not part.strip():
                continue
            current = f"{current} {part.strip()}" if current else part.strip()
            if weighted_length(current) >= 35:
                found.append(current)
                current = ""
        if current and found:
            found[-1] = f"{found[-1]} {current}"
        pieces.extend(found if len(found) > 1 else [passage])
    return pieces


class IssueTagger(BaseEstimator):
    """Tag texts with issues of ``taxonomy``.

    Parameters
    ----------
    taxonomy : list of dict
        Issues as ``{"slug", "names"?: {lang: text}, "definitions": {lang: text}, "seed_terms": {lang: [term]}}``.
    prototypes : path or None
        Sub-topic descriptions per issue (``tagging_prototypes.json``); ``None``: names and definitions only.
    calibration : path, IssueCalibration or None
        Weights and cut-offs fitted on the tuning part of the labelled set (``tagging_calibration.json``);
        ``None``: an uncalibrated rule on the evidence (closeness from ``threshold``, within ``margin`` of the
        text's strongest issue), for tests and for fitting the calibration itself.
    learned : path, IssueClassifier or None
        The classifier per issue on the pooled embedding (``tagging_learned.npz``), fitted with the calibration;
        ``None``: none, every issue scored by the calibration's fallback on the other features (``base_``).
    ngrams : path, NgramClassifier or None
        The classifier per issue on character n-grams (``tagging_ngrams.npz``), fitted with the calibration;
        ``None``: none, every issue scored by the calibration's fallback, as without ``learned``.
    threshold, margin, temperature : float
        The uncalibrated rule only.
    max_issues : int
        At most this many issues per text.
    long_passages, long_max_issues : int
        A text read as ``long_passages`` passages or more gets at most ``long_max_issues`` issues: the maxima over
        many passages rise with their number, so a long real text reached five issues on evidence that a letter
        of the tuning set's length would not give. The tuning set's texts of ten passages or more carry three
        issues at most; its cross-validation (three fold assignments) chose these two numbers among 8-20 passages
        and 3-4 issues, though every choice was within 0.002 macro F1 of no cap.
    floor : float or None
        A text that clears no cut-off still gets its issue closest to its cut-off where its probability reaches
        this share of that cut-off (``tagging_model.raised_issues``); ``None``: never. Every text of the tuning
        part raises some issue, and its cross-validation gained 0.004 macro F1 on each of three fold assignments
        with any floor from 0 to 0.5 (0.7 less): 0.5 keeps a text far from every issue untagged.
    classifier_weight : float
        Weight of the light classifier against the calibrated probability once examples are given to ``fit``.
    C : float
        Inverse regularisation of the light classifier.
    min_positives : int
        An issue needs this many confirmed positive examples before its classifier is trained.
    embedder : Embedder or None
        The sentence encoder; ``None`` uses the process-wide one.
    random_state : int
        Seed of the classifier's solver.
    """

    def __init__(
        self,
        taxonomy: Sequence[dict],
        *,
        prototypes: str | Path | None = DEFAULT_PROTOTYPES,
        calibration: str | Path | IssueCalibration | None = DEFAULT_CALIBRATION,
        learned: str | Path | IssueClassifier | None = DEFAULT_LEARNED,
        ngrams: str | Path | NgramClassifier | None = DEFAULT_NGRAMS,
        threshold: float = 0.30,
        margin: float = 0.05,
        temperature: float = 0.04,
        max_issues: int = 5,
        long_passages: int = 15,
        long_max_issues: int = 3,
        floor: float | None = 0.5,
        classifier_weight: float = 0.6,
        C: float = 4.0,
        min_positives: int = 2,
        embedder: Embedder | None = None,
        random_state: int = 0,
    ):
        self.taxonomy = taxonomy
        self.prototypes = prototypes
        self.calibration = calibration
        self.learned = learned
        self.ngrams = ngrams
        self.threshold = threshold
        self.margin = margin
        self.temperature = temperature
        self.max_issues = max_issues
        self.long_passages = long_passages
        self.long_max_issues = long_max_issues
        self.floor = floor
        self.classifier_weight = classifier_weight
        self.C = C
        self.min_positives = min_positives
        self.embedder = embedder
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------------------------------
    def _embedder(self) -> Embedder:
        return self.embedder if self.embedder is not None else shared_embedder()

    def fit(self, X: Sequence[str] | None = None, y: Sequence[Sequence[str]] | None = None) -> IssueTagger:
        """Build the prototypes and load the calibration; with confirmed examples ``X`` (texts) and ``y`` (issue
        slugs per text), also train the light classifier and re-tune the per-issue cut-offs."""
        self.classes_ = [issue["slug"] for issue in self.taxonomy]
        extra = read_prototypes(self.prototypes)
        texts, owners = [], []
        for k, issue in enumerate(self.taxonomy):
            own = [
                *issue.get("names", {}).values(),
                *issue.get("definitions", {}).values(),
                *extra.get(issue["slug"], []),
            ]
            # An issue added in the admin with nothing but its slug still needs one prototype.
            own = [t for t in own if t and t.strip()] or [issue["slug"].replace("-", " ")]
            for text in dict.fromkeys(own):
                texts.append(text)
                owners.append(k)
        vectors = self._embedder().encode(texts)
        self.prototype_owner_ = np.asarray(owners, dtype=np.int32)
        # fit() lists each issue's prototypes together, in issue order: reductions run over column blocks.
        self.prototype_starts_ = np.flatnonzero(np.r_[True, self.prototype_owner_[1:] != self.prototype_owner_[:-1]])
        self.prototypes_ = vectors
        centroids = np.add.reduceat(vectors.astype(np.float64), self.prototype_starts_, axis=0)
        self.centroids_ = (centroids / np.linalg.norm(centroids, axis=1, keepdims=True)).astype(np.float32)
        # One pattern for every seed term of every issue: a text is scanned once, not once per issue.
        self.term_issues_: dict[str, list[int]] = {}
        for k, issue in enumerate(self.taxonomy):
            for terms in issue.get("seed_terms", {}).values():
                for term in terms:
                    owners_of = self.term_issues_.setdefault(fold(term), [])
                    if k not in owners_of:
                        owners_of.append(k)
        self.pattern_ = term_pattern(self.term_issues_)
        calibration = self.calibration
        if calibration is not None and not isinstance(calibration, IssueCalibration):
            calibration = read_calibration(calibration)
        self.calibration_ = calibration.for_issues(self.classes_) if calibration is not None else None
        learned = self.learned
        if learned is not None and not isinstance(learned, IssueClassifier):
            learned = read_learned(learned)
        self.learned_ = learned.for_issues(self.classes_) if learned is not None else None
        ngrams = self.ngrams
        if ngrams is not None and not isinstance(ngrams, NgramClassifier):
            ngrams = read_ngrams(ngrams)
        self.ngrams_ = ngrams.for_issues(self.classes_) if ngrams is not None else None
        if self.calibration_ is not None and self.calibration_.base_ is None:
            # A calibration fitted without the classifiers' features cannot weigh them.
            self.learned_ = self.ngrams_ = None
        # An issue is scored with the supervised features where it has both classifiers, else by ``base_``.
        has_learned = np.zeros(len(self.classes_), bool)
        if self.learned_ is not None and self.ngrams_ is not None:
            has_learned = self.learned_.learned_ & self.ngrams_.learned_
        self.cutoffs_ = (
            self.calibration_.cutoffs_for(has_learned)
            if self.calibration_ is not None
            else np.full(len(self.classes_), 0.5)
        )
        self.classifiers_: dict[int, object] = {}
        if X is not None and y is not None and len(X):
            self._fit_examples(list(X), [list(labels) for labels in y])
        return self

    def _fit_examples(self, texts: list[str], labels: list[list[str]]) -> None:
        from sklearn.linear_model import LogisticRegression

        F, pooled, _, _ = self.features(texts)
        index = {slug: k for k, slug in enumerate(self.classes_)}
        Y = np.zeros((len(texts), len(self.classes_)), dtype=bool)
        for row, slugs in enumerate(labels):
            for slug in slugs:
                if slug in index:
                    Y[row, index[slug]] = True
        features = self._classifier_features(F, pooled)
        for k in range(len(self.classes_)):
            positives = int(Y[:, k].sum())
            if positives < self.min_positives or positives == len(texts):
                continue
            clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state)
            clf.fit(features, Y[:, k])
            self.classifiers_[k] = clf
        # Re-tune each issue's cut-off on the examples, shrunk halfway towards the calibrated one (few examples
        # are noisy).
        scores = self._probabilities(F, pooled)
        for k in range(len(self.classes_)):
            if Y[:, k].sum() < self.min_positives:
                continue
            best_t, best_f1 = self.cutoffs_[k], -1.0
            for t in np.linspace(0.1, 0.8, 29):
                predicted = scores[:, k] >= t
                tp = float((predicted & Y[:, k]).sum())
                f1 = 2 * tp / max(predicted.sum() + Y[:, k].sum(), 1)
                if f1 > best_f1 + 1e-9:
                    best_t, best_f1 = t, f1
            self.cutoffs_[k] = 0.5 * (self.cutoffs_[k] + best_t)

    # -- evidence --------------------------------------------------------------------------------------------------
    def features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        """Evidence of each text for each issue.

        Returns ``(F, pooled, best, pieces)``: ``F`` (texts, issues, len(FEATURES)) features, ``pooled`` (texts,
        512) mean passage embeddings, ``best`` (texts, issues) index into ``pieces`` of the passage closest to each
        issue, and ``pieces`` every text's passages, in order.
        """
        F, pooled, best_index, pieces, _ = self._features(texts)
        return F, pooled, best_index, pieces

    def issue_caps(self, counts: Sequence[int] | np.ndarray) -> np.ndarray:
        """The most issues each text may get, from its number of passages."""
        counts = np.asarray(counts)
        return np.where(counts >= self.long_passages, min(self.long_max_issues, self.max_issues), self.max_issues)

    def caps(self, texts: Sequence[str]) -> np.ndarray:
        """The most issues each of ``texts`` may get (``issue_caps`` of its passages)."""
        return self.issue_caps([len(passages(text)) for text in texts])

    def _features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
        """``features`` and the number of passages of each text."""
        self._check_fitted()
        pieces, owner = [], []
        for i, text in enumerate(texts):
            for piece in passages(text):
                pieces.append(piece)
                owner.append(i)
        vectors = self._embedder().encode(pieces)
        owner_arr = np.asarray(owner)
        n, n_issues = len(texts), len(self.classes_)
        sims = vectors @ self.prototypes_.T  # (passages, prototypes)
        cols = self.prototype_starts_
        per_issue = np.maximum.reduceat(sims, cols, axis=1)  # (passages, issues): closest prototype
        # Several prototypes of one issue close to a passage: the mean of its three closest.
        bounds = np.r_[cols, sims.shape[1]]
        top3 = np.empty_like(per_issue)
        for k in range(n_issues):
            block = sims[:, bounds[k] : bounds[k + 1]]
            m = min(3, block.shape[1])
            top3[:, k] = np.partition(block, block.shape[1] - m, axis=1)[:, -m:].mean(axis=1)
        to_centroid = vectors @ self.centroids_.T
        # Every text has at least one passage and its passages are consecutive: reduce each run of rows.
        starts = np.flatnonzero(np.r_[True, owner_arr[1:] != owner_arr[:-1]])
        best = np.maximum.reduceat(per_issue, starts, axis=0).astype(np.float64)
        best_top3 = np.maximum.reduceat(top3, starts, axis=0).astype(np.float64)
        centroid = np.maximum.reduceat(to_centroid, starts, axis=0).astype(np.float64)
        # How far behind each passage's own strongest issue: 0 where the issue leads some passage, so each issue
        # of a long letter is measured against its own paragraph, not against the letter's main issue.
        behind = per_issue - per_issue.max(axis=1, keepdims=True)
        passage_gap = np.maximum.reduceat(behind, starts, axis=0).astype(np.float64)
        # The passage closest to each issue (the first, on ties), and the second passage's closeness: an issue
        # argued in two places is more than a passing mention (a one-passage text counts its passage twice).
        rows = np.arange(len(pieces))[:, None]
        at_best = per_issue == best.astype(per_issue.dtype)[owner_arr]
        best_index = np.minimum.reduceat(np.where(at_best, rows, len(pieces)), starts, axis=0)
        rest = per_issue.copy()
        rest[best_index, np.arange(n_issues)[None, :]] = -np.inf
        second = np.maximum.reduceat(rest, starts, axis=0).astype(np.float64)
        second = np.where(np.isfinite(second), second, best)
        pooled = np.add.reduceat(vectors.astype(np.float64), starts, axis=0)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        whole = pooled @ self.centroids_.T.astype(np.float64)
        lexical = np.zeros((n, n_issues))
        if self.pattern_ is not None:
            for i, text in enumerate(texts):
                hits = np.zeros(n_issues, dtype=np.int32)
                for term in set(self.pattern_.findall(fold(text))):
                    for k in self.term_issues_[term]:
                        hits[k] += 1
                lexical[i] = 1 - 0.5**hits
        # Similarities of one text to all issues share the text's own offset (its language, its length): relative
        # features travel across languages where absolute ones do not.
        gap = best - best.max(axis=1, keepdims=True)
        z = (best - best.mean(axis=1, keepdims=True)) / (best.std(axis=1, keepdims=True) + 1e-6)
        whole_gap = whole - whole.max(axis=1, keepdims=True)
        learned = ngram_scores = np.full((n, n_issues), np.nan)
        if self.learned_ is not None and self.ngrams_ is not None:
            learned = self.learned_.decision_function(pooled)
            ngram_scores = self.ngrams_.decision_function(ngram_counts(texts))
        columns = {
            "best": best,
            "top3": best_top3,
            "centroid": centroid,
            "gap": gap,
            "passage_gap": passage_gap,
            "z": z,
            "second": second,
            "lexical": lexical,
            "whole": whole,
            "whole_gap": whole_gap,
            "learned": learned,
            "ngrams": ngram_scores,
        }
        F = np.stack([columns[name] for name in FEATURES], axis=2)
        return F, pooled, best_index, pieces, np.diff(np.r_[starts, len(pieces)])

    def _classifier_features(self, F: np.ndarray, pooled: np.ndarray) -> np.ndarray:
        return np.hstack([pooled, F[:, :, : len(BASE_FEATURES)].reshape(len(F), -1)])

    def _probabilities(self, F: np.ndarray, pooled: np.ndarray) -> np.ndarray:
        if self.calibration_ is not None:
            scores = self.calibration_.predict_proba(F)
        else:
            # Closeness from ``threshold`` and within ``margin`` of the text's strongest issue, seed terms adding.
            evidence = F[:, :, FEATURES.index("best")] + 0.3 * F[:, :, FEATURES.index("lexical")]
            lead = evidence.max(axis=1, keepdims=True) - self.margin
            scores = 1 / (1 + np.exp(-np.minimum(evidence - self.threshold, evidence - lead) / self.temperature))
        if self.classifiers_:
            features = self._classifier_features(F, pooled)
            for k, clf in self.classifiers_.items():
                p = clf.predict_proba(features)[:, 1]
                scores[:, k] = self.classifier_weight * p + (1 - self.classifier_weight) * scores[:, k]
        return scores

    def _check_fitted(self):
        if not hasattr(self, "prototypes_"):
            raise RuntimeError("IssueTagger is not fitted: call fit() first")

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """(n, issues) probabilities in [0, 1]; an issue is raised where it clears its cut-off (``cutoffs_``)."""
        self._check_fitted()
        if not len(texts):
            return np.zeros((0, len(self.classes_)))
        F, pooled, _, _ = self.features(texts)
        return self._probabilities(F, pooled)

    def tag(self, texts: Sequence[str]) -> list[dict]:
        """Per text: ``{"issues": [slugs, most probable first], "scores": {slug: probability}, "evidence":
        {slug: passage}}`` (scores rounded; evidence for the raised issues)."""
        self._check_fitted()
        if not len(texts):
            return []
        F, pooled, best, pieces, counts = self._features(texts)
        return self._results(self._probabilities(F, pooled), best, pieces, self.issue_caps(counts))

    def _results(self, P: np.ndarray, best: np.ndarray, pieces: list[str], caps: np.ndarray) -> list[dict]:
        results = []
        for i, (row, raised) in enumerate(zip(P, raised_issues(P, self.cutoffs_, caps, self.floor), strict=True)):
            order = np.argsort(-row, kind="stable")
            results.append(
                {
                    "issues": [self.classes_[k] for k in raised],
                    "scores": {self.classes_[k]: round(float(row[k]), 4) for k in order},
                    "evidence": {self.classes_[k]: pieces[best[i, k]] for k in raised},
                }
            )
        return results

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [r["issues"] for r in self.tag(texts)]


def confirmed_improvement(tagger: IssueTagger, texts: Sequence[str], labels: Sequence[Sequence[str]], folds: int = 5):
    """How much confirmed examples improve tagging: micro F1 zero-shot vs trained, by k-fold cross-validation.

    Returns ``{"examples", "zero_shot_f1", "trained_f1"}`` (F1 on the held-out folds), or ``None`` with too few.
    """
    from sklearn.base import clone

    n = len(texts)
    if n < 4:
        return None
    folds = min(folds, n)
    zero = clone(tagger).fit().predict(texts)
    trained: list[list[str]] = [[] for _ in range(n)]
    for k in range(folds):
        test = [i for i in range(n) if i % folds == k]
        train = [i for i in range(n) if i % folds != k]
        model = clone(tagger).fit([texts[i] for i in train], [labels[i] for i in train])
        for i, predicted in zip(test, model.predict([texts[i] for i in test]), strict=True):
            trained[i] = predicted

    def micro(predicted):
        tp = sum(len(set(p) & set(t)) for p, t in zip(predicted, labels, strict=True))
        total = sum(len(set(p)) + len(set(t)) for p, t in zip(predicted, labels, strict=True))
        return 2 * tp / total if total else 1.0

    return {"examples": n, "zero_shot_f1": round(micro(zero), 4), "trained_f1": round(micro(trained), 4)}
