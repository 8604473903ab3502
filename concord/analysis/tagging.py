"""Multi-label tagging of contributions with the WSIS public-policy issues, in six languages, without translation.

Each text is cut into chunks and embedded with a cross-lingual sentence encoder; an issue's evidence is the best
similarity of any chunk to the issue's prototypes (its definitions in six languages and its seed terms), plus a
bonus when one of its seed terms occurs in the text. Per-issue thresholds turn evidence into a calibrated score in
[0, 1] (0.5 at the threshold). Confirmed examples, when the secretariat has some, train a light classifier (one
logistic regression per issue on the embeddings and the evidence) blended with the zero-shot score, and re-tune
the thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator

from .embed import Embedder, shared_embedder
from .text import chunks, fold, term_pattern


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


class IssueTagger(BaseEstimator):
    """Tag texts with issues of ``taxonomy``.

    Parameters
    ----------
    taxonomy : list of dict
        Issues as ``{"slug", "definitions": {lang: text}, "seed_terms": {lang: [term, ...]}}``.
    threshold : float
        Zero-shot evidence threshold, used for every issue until examples calibrate it.
    margin : float
        An issue is raised only if its evidence is within ``margin`` of the text's strongest issue: similarities
        of one text to all issues share the text's own offset, so a relative rule travels across languages.
    lexical_weight : float
        Evidence added when a seed term of the issue occurs in the text (halved for a single occurrence).
    temperature : float
        Width of the logistic turning evidence minus threshold into a score.
    max_issues : int
        At most this many issues per text.
    classifier_weight : float
        Weight of the light classifier against the zero-shot score once examples are given to ``fit``.
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
        threshold: float = 0.30,
        margin: float = 0.05,
        lexical_weight: float = 0.3,
        temperature: float = 0.04,
        max_issues: int = 5,
        classifier_weight: float = 0.6,
        C: float = 4.0,
        min_positives: int = 2,
        embedder: Embedder | None = None,
        random_state: int = 0,
    ):
        self.taxonomy = taxonomy
        self.threshold = threshold
        self.margin = margin
        self.lexical_weight = lexical_weight
        self.temperature = temperature
        self.max_issues = max_issues
        self.classifier_weight = classifier_weight
        self.C = C
        self.min_positives = min_positives
        self.embedder = embedder
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------------------------------
    def _embedder(self) -> Embedder:
        return self.embedder if self.embedder is not None else shared_embedder()

    def fit(self, X: Sequence[str] | None = None, y: Sequence[Sequence[str]] | None = None) -> IssueTagger:
        """Build the prototypes; with confirmed examples ``X`` (texts) and ``y`` (issue slugs per text), also train
        the light classifier and re-tune the per-issue thresholds."""
        self.classes_ = [issue["slug"] for issue in self.taxonomy]
        texts, owners = [], []
        for k, issue in enumerate(self.taxonomy):
            for definition in issue.get("definitions", {}).values():
                texts.append(definition)
                owners.append(k)
            for terms in issue.get("seed_terms", {}).values():
                for term in terms:
                    texts.append(term)
                    owners.append(k)
        self.prototypes_ = self._embedder().encode(texts)
        self.prototype_owner_ = np.asarray(owners, dtype=np.int32)
        # One pattern for every seed term of every issue: a text is scanned once, not once per issue.
        self.term_issues_: dict[str, list[int]] = {}
        for k, issue in enumerate(self.taxonomy):
            for terms in issue.get("seed_terms", {}).values():
                for term in terms:
                    owners = self.term_issues_.setdefault(fold(term), [])
                    if k not in owners:
                        owners.append(k)
        self.pattern_ = term_pattern(self.term_issues_)
        self.thresholds_ = np.full(len(self.classes_), self.threshold, dtype=np.float64)
        self.cutoffs_ = np.full(len(self.classes_), 0.5, dtype=np.float64)
        self.classifiers_: dict[int, object] = {}
        if X is not None and y is not None and len(X):
            self._fit_examples(list(X), [list(labels) for labels in y])
        return self

    def _fit_examples(self, texts: list[str], labels: list[list[str]]) -> None:
        from sklearn.linear_model import LogisticRegression

        evidence, pooled = self._evidence(texts)
        index = {slug: k for k, slug in enumerate(self.classes_)}
        Y = np.zeros((len(texts), len(self.classes_)), dtype=bool)
        for row, slugs in enumerate(labels):
            for slug in slugs:
                if slug in index:
                    Y[row, index[slug]] = True
        features = np.hstack([pooled, evidence])
        for k in range(len(self.classes_)):
            positives = int(Y[:, k].sum())
            if positives < self.min_positives or positives == len(texts):
                continue
            clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state)
            clf.fit(features, Y[:, k])
            self.classifiers_[k] = clf
        # Re-tune each issue's cut-off on the examples, shrunk halfway towards 0.5 (few examples are noisy).
        scores = self._combine(evidence, features)
        for k in range(len(self.classes_)):
            if Y[:, k].sum() < self.min_positives:
                continue
            best_t, best_f1 = 0.5, -1.0
            for t in np.linspace(0.2, 0.8, 25):
                predicted = scores[:, k] >= t
                tp = float((predicted & Y[:, k]).sum())
                f1 = 2 * tp / max(predicted.sum() + Y[:, k].sum(), 1)
                if f1 > best_f1 + 1e-9:
                    best_t, best_f1 = t, f1
            self.cutoffs_[k] = 0.5 + 0.5 * (best_t - 0.5)

    # -- scoring ---------------------------------------------------------------------------------------------------
    def _evidence(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(n, issues) evidence and (n, 512) pooled text embeddings."""
        pieces, owner = [], []
        for i, text in enumerate(texts):
            for chunk in chunks(text):
                pieces.append(chunk)
                owner.append(i)
        vectors = self._embedder().encode(pieces)
        owner_arr = np.asarray(owner)
        sims = vectors @ self.prototypes_.T  # (chunks, prototypes)
        n_issues = len(self.classes_)
        owners = self.prototype_owner_
        firsts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        if np.array_equal(owners[firsts], np.arange(n_issues)):
            # fit() lists each issue's prototypes together, in issue order: one reduction over column runs.
            per_issue = np.maximum.reduceat(sims, firsts, axis=1)
        else:
            per_issue = np.full((len(pieces), n_issues), -1.0, dtype=np.float32)
            for k in range(n_issues):
                per_issue[:, k] = sims[:, owners == k].max(axis=1)
        # Every text has at least one chunk and its chunks are consecutive: reduce each run of rows (the same
        # sums, in the same order, as np.add.at, at a fraction of its cost).
        starts = np.flatnonzero(np.r_[True, owner_arr[1:] != owner_arr[:-1]])
        evidence = np.maximum(np.maximum.reduceat(per_issue, starts, axis=0).astype(np.float64), -1.0)
        pooled = np.add.reduceat(vectors.astype(np.float64), starts, axis=0)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        if self.pattern_ is not None:
            for i, text in enumerate(texts):
                hits = np.zeros(n_issues, dtype=np.int32)
                for term in set(self.pattern_.findall(fold(text))):
                    for k in self.term_issues_[term]:
                        hits[k] += 1
                found = hits > 0
                evidence[i, found] += self.lexical_weight * (1 - 0.5 ** hits[found])
        return evidence, pooled

    def _combine(self, evidence, features) -> np.ndarray:
        lead = evidence.max(axis=1, keepdims=True) - self.margin
        scores = _sigmoid(np.minimum(evidence - self.thresholds_, evidence - lead) / self.temperature)
        for k, clf in self.classifiers_.items():
            p = clf.predict_proba(features)[:, 1]
            scores[:, k] = self.classifier_weight * p + (1 - self.classifier_weight) * scores[:, k]
        return scores

    def _check_fitted(self):
        if not hasattr(self, "prototypes_"):
            raise RuntimeError("IssueTagger is not fitted: call fit() first")

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """(n, issues) calibrated scores in [0, 1]; an issue is raised at 0.5 or more."""
        self._check_fitted()
        if not len(texts):
            return np.zeros((0, len(self.classes_)))
        evidence, pooled = self._evidence(texts)
        scores = self._combine(evidence, np.hstack([pooled, evidence]))
        # Map each issue's cut-off to 0.5, so "raised" reads the same for every issue.
        c = self.cutoffs_
        return np.where(scores < c, 0.5 * scores / c, 0.5 + 0.5 * (scores - c) / (1 - c))

    def tag(self, texts: Sequence[str]) -> list[dict]:
        """Per text: ``{"issues": [slugs, most confident first], "scores": {slug: score}}`` (scores rounded)."""
        results = []
        for row in self.decision_function(texts):
            order = np.argsort(-row, kind="stable")
            issues = [self.classes_[k] for k in order[: self.max_issues] if row[k] >= 0.5]
            results.append({"issues": issues, "scores": {self.classes_[k]: round(float(row[k]), 4) for k in order}})
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
