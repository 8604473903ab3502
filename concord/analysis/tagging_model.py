"""The calibrated part of issue tagging: evidence features to a probability per (text, issue), and the cut-offs.

``IssueCalibration`` is one logistic regression shared by every issue over a few evidence features (how close the
text's best passage is to the issue's prototypes, how far behind the text's strongest issue, whether a seed term
occurs ...), with a small per-issue offset. Few weights shared across issues travel to texts and issues that the
tuning set covers thinly, and a logistic regression fitted by maximum likelihood is Platt-calibrated on the data
it was fitted on. Cut-offs are chosen on out-of-fold probabilities (cross-validation inside the tuning data), per
issue, shrunk three quarters of the way towards the one cut-off that suits all issues: an issue's few dozen
positives are a noisy basis for its own cut-off.

``IssueClassifier`` is the supervised part: one logistic regression per issue (class-weighted, strong L2) on the
text's pooled passage embedding, whose score is one more evidence feature (``learned``). Its scores on the texts
the calibration is fitted on come from classifiers fitted without their fold (``fit_tagging``), so the
calibration weighs them as it will find them on new texts. An issue without such a classifier (added in the admin,
or a tagger built without the weights) is scored by ``IssueCalibration.base_``, the same calibration fitted on
the other features alone, with its own cut-offs.

``NgramClassifier`` reads what the sentence vectors blur: one logistic regression per issue (class-weighted) on the
text's character n-grams (2 to 5 characters within words, hashed into ``2**NGRAM_BITS`` buckets, sublinear tf-idf),
so no vocabulary ships; its score is one more evidence feature (``ngrams``), cross-fitted like ``learned``.

Fitted on the tuning part of Concord's labelled set by ``python -m eval.issues --tuning --write-calibration`` and
shipped as ``tagging_calibration.json``, ``tagging_learned.npz`` and ``tagging_ngrams.npz``; the held-out part is
never seen here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import ngrams

# The evidence features per (text, issue), in the order of the last axis of ``IssueTagger.features``: those from
# the prototypes and seed terms, then the supervised classifiers' scores (NaN where an issue has no classifier):
# the one on the pooled embedding, the one on character n-grams.
BASE_FEATURES = ("best", "top3", "centroid", "gap", "passage_gap", "z", "second", "lexical", "whole", "whole_gap")
SUPERVISED = ("learned", "ngrams")
FEATURES = (*BASE_FEATURES, *SUPERVISED)
NGRAM_BITS = ngrams.BITS  # the n-grams' buckets (``concord.analysis.ngrams``)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = float((predicted & truth).sum())
    denominator = float(predicted.sum() + truth.sum())
    return 2 * tp / denominator if denominator else 1.0


def folds_of(groups: Sequence[str], k: int, salt: str = "") -> np.ndarray:
    """A fold per row, the same for every row of a group (translations of one text stay together): groups are
    dealt to folds in order of a stable hash, so the folds do not depend on the order of the rows. Another
    ``salt`` deals them otherwise (to check that a small gain holds on other fold assignments)."""
    import hashlib

    names = sorted(set(groups), key=lambda g: hashlib.sha256((salt + g).encode()).hexdigest())
    fold = {g: i % k for i, g in enumerate(names)}
    return np.asarray([fold[g] for g in groups])


class IssueCalibration:
    """Probability that a text raises an issue, from its evidence features; and per-issue cut-offs.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation of the logistic regression (features are standardised first). 1.0 since the tuning
        part grew to 527 texts from three authors: against 0.3, its cross-validation rose on each of three fold
        assignments (macro F1 0.845 to 0.849 on average); 3 and 10 gave no more.
    per_issue : bool
        Whether each issue gets its own offset (shrunk by the same regularisation) besides the shared weights.
    shrink : float
        How far each issue's own cut-off moves towards the common one (0: its own, 1: the common one). 0.75 since
        the classifier's feature joined (827 tuning texts): against 0.5, the cross-validation rose on each of three
        fold assignments (macro F1 0.869 to 0.871 on average) and each set fitted on the others rose too.
    folds : int
        Folds of the cross-validation that gives the out-of-fold probabilities the cut-offs are chosen on.
    """

    def __init__(self, C: float = 1.0, per_issue: bool = True, shrink: float = 0.75, folds: int = 5):
        self.C = C
        self.per_issue = per_issue
        self.shrink = shrink
        self.folds = folds

    # -- fitting ---------------------------------------------------------------------------------------------------
    def _design(self, F: np.ndarray) -> np.ndarray:
        n, k, d = F.shape
        X = ((F - self.mean_) / self.scale_).reshape(n * k, d)
        if self.per_issue:
            X = np.hstack([X, np.tile(np.eye(k), (n, 1))])
        return X

    def _fit_weights(self, F: np.ndarray, Y: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression

        n, k, d = F.shape
        flat = F.reshape(n * k, d)
        # Cells without the learned feature (an issue with no classifier) are left out of this fit: ``base_``
        # scores them.
        ok = ~np.isnan(flat).any(axis=1)
        self.mean_ = flat[ok].mean(axis=0)
        self.scale_ = np.maximum(flat[ok].std(axis=0), 1e-6)
        clf = LogisticRegression(C=self.C, max_iter=5000)
        clf.fit(self._design(np.nan_to_num(F))[ok], Y.reshape(-1)[ok])
        self.coef_ = clf.coef_[0, :d].copy()
        self.offsets_ = clf.coef_[0, d:].copy() if self.per_issue else np.zeros(k)
        self.intercept_ = float(clf.intercept_[0])

    def fit(self, F: np.ndarray, Y: np.ndarray, slugs: Sequence[str], groups: Sequence[str] | None = None):
        """``F``: (texts, issues, features) evidence; ``Y``: (texts, issues) booleans; ``groups``: a name per text
        (texts of one group share a fold)."""
        self.slugs_ = list(slugs)
        Y = np.asarray(Y, dtype=bool)
        groups = list(groups) if groups is not None else [str(i) for i in range(len(F))]
        self.base_ = None
        if F.shape[2] == len(FEATURES):
            # The fallback for issues without a classifier: the same fit on the other features.
            self.base_ = IssueCalibration(self.C, self.per_issue, self.shrink, self.folds)
            self.base_.fit(F[:, :, : len(BASE_FEATURES)], Y, slugs, groups)
        oof = self.out_of_fold(F, Y, groups)
        self._fit_weights(F, Y)
        self._choose_cutoffs(oof, Y)
        return self

    def out_of_fold(self, F: np.ndarray, Y: np.ndarray, groups: Sequence[str]) -> np.ndarray:
        """Probabilities of each text from a model fitted without its fold."""
        fold = folds_of(groups, self.folds)
        oof = np.zeros(Y.shape)
        for f in range(self.folds):
            test = fold == f
            if not test.any() or test.all():
                continue
            inner = IssueCalibration(self.C, self.per_issue, self.shrink, self.folds)
            inner._fit_weights(F[~test], Y[~test])
            oof[test] = inner._proba(F[test])
        return oof

    def _choose_cutoffs(self, P: np.ndarray, Y: np.ndarray) -> None:
        grid = np.round(np.arange(0.10, 0.81, 0.025), 3)
        micro = [_f1(t <= P, Y) for t in grid]
        self.common_cutoff_ = float(grid[int(np.argmax(micro))])
        cutoffs = []
        for k in range(Y.shape[1]):
            scores = [_f1(P[:, k] >= t, Y[:, k]) for t in grid]
            own = float(grid[int(np.argmax(scores))]) if Y[:, k].any() else self.common_cutoff_
            cutoffs.append(own + self.shrink * (self.common_cutoff_ - own))
        self.cutoffs_ = np.asarray(cutoffs)

    # -- use -------------------------------------------------------------------------------------------------------
    def _proba(self, F: np.ndarray) -> np.ndarray:
        z = ((F - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        if self.per_issue:
            z = z + self.offsets_[None, :]
        return _sigmoid(z)

    def predict_proba(self, F: np.ndarray) -> np.ndarray:
        """Probabilities (texts, issues); an issue with a supervised feature NaN (no classifier) from ``base_``, on
        the other features."""
        if len(self.coef_) == len(BASE_FEATURES):
            return self._proba(F[:, :, : len(BASE_FEATURES)])
        missing = np.isnan(F[:, :, len(BASE_FEATURES) :]).any(axis=2)
        P = self._proba(np.where(missing[:, :, None], 0.0, F))
        if missing.any():
            P = np.where(missing, self.base_.predict_proba(F[:, :, : len(BASE_FEATURES)]), P)
        return P

    def cutoffs_for(self, learned: np.ndarray | Sequence[bool]) -> np.ndarray:
        """The cut-off of each issue: its own where it has a classifier (``learned``), else ``base_``'s."""
        if self.base_ is None:
            return self.cutoffs_.copy()
        return np.where(np.asarray(learned, dtype=bool), self.cutoffs_, self.base_.cutoffs_)

    def for_issues(self, slugs: Sequence[str]) -> IssueCalibration:
        """The same calibration for another list of issues (the taxonomy is edited in the admin): an issue it was
        not fitted on gets no offset of its own and the common cut-off."""
        out = IssueCalibration(self.C, self.per_issue, self.shrink, self.folds)
        out.mean_, out.scale_, out.coef_, out.intercept_ = self.mean_, self.scale_, self.coef_, self.intercept_
        out.common_cutoff_ = self.common_cutoff_
        out.base_ = self.base_.for_issues(slugs) if self.base_ is not None else None
        index = {slug: i for i, slug in enumerate(self.slugs_)}
        out.slugs_ = list(slugs)
        out.offsets_ = np.asarray([self.offsets_[index[s]] if s in index else 0.0 for s in slugs])
        out.cutoffs_ = np.asarray([self.cutoffs_[index[s]] if s in index else self.common_cutoff_ for s in slugs])
        return out

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES[: len(self.coef_)]),
            "C": self.C,
            "per_issue": self.per_issue,
            "shrink": self.shrink,
            "folds": self.folds,
            "mean": [round(float(v), 6) for v in self.mean_],
            "scale": [round(float(v), 6) for v in self.scale_],
            "coef": [round(float(v), 6) for v in self.coef_],
            "intercept": round(self.intercept_, 6),
            "common_cutoff": self.common_cutoff_,
            "issues": {
                slug: {"offset": round(float(o), 6), "cutoff": round(float(c), 4)}
                for slug, o, c in zip(self.slugs_, self.offsets_, self.cutoffs_, strict=True)
            },
            **({"base": self.base_.to_dict()} if self.base_ is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> IssueCalibration:
        if list(data["features"]) not in (list(FEATURES), list(BASE_FEATURES)):
            raise ValueError(
                "the calibration was fitted on other features: run python -m eval.issues --write-calibration"
            )
        out = cls(data["C"], data["per_issue"], data["shrink"], data["folds"])
        out.mean_ = np.asarray(data["mean"])
        out.scale_ = np.asarray(data["scale"])
        out.coef_ = np.asarray(data["coef"])
        out.intercept_ = float(data["intercept"])
        out.common_cutoff_ = float(data["common_cutoff"])
        out.slugs_ = list(data["issues"])
        out.offsets_ = np.asarray([v["offset"] for v in data["issues"].values()])
        out.cutoffs_ = np.asarray([v["cutoff"] for v in data["issues"].values()])
        out.base_ = cls.from_dict(data["base"]) if "base" in data else None
        if len(out.coef_) == len(FEATURES) and out.base_ is None:
            raise ValueError("a calibration with the learned feature needs its base: run --write-calibration")
        return out


def _fit_per_issue(X, Y: np.ndarray, min_positives: int, make, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """One classifier per issue (column of ``Y``), made by ``make()``: its weights and intercepts, NaN intercepts
    where an issue has fewer than ``min_positives`` positives or no negatives (no classifier for it)."""
    coef = np.zeros((Y.shape[1], X.shape[1]), dtype=dtype)
    intercept = np.full(Y.shape[1], np.nan)
    for k in range(Y.shape[1]):
        positives = int(Y[:, k].sum())
        if positives < min_positives or positives == len(Y):
            continue
        clf = make().fit(X, Y[:, k])
        coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


class IssueClassifier:
    """One logistic regression per issue on a text's pooled passage embedding (L2-normalised mean of its
    passages' vectors): the supervised evidence. Class-weighted (an issue has a few dozen positives among hundreds of
    texts) with strong L2 (``C``), so that it learns what an issue's texts share rather than one author's words.

    ``decision_function`` gives its log-odds per (text, issue), NaN for an issue it has no weights for.
    """

    def __init__(self, C: float = 1.0, min_positives: int = 5):
        self.C = C
        self.min_positives = min_positives

    def fit(self, X: np.ndarray, Y: np.ndarray, slugs: Sequence[str]) -> IssueClassifier:
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y, dtype=bool)
        self.slugs_ = list(slugs)
        self.coef_, self.intercept_ = _fit_per_issue(
            X, Y, self.min_positives, lambda: LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000)
        )
        return self

    @property
    def learned_(self) -> np.ndarray:
        """Whether each issue has a classifier."""
        return ~np.isnan(self.intercept_)

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_[None, :]

    def for_issues(self, slugs: Sequence[str]) -> IssueClassifier:
        """The same classifiers for another list of issues: an issue it was not fitted on gets none."""
        out = IssueClassifier(self.C, self.min_positives)
        index = {slug: i for i, slug in enumerate(self.slugs_)}
        out.slugs_ = list(slugs)
        out.coef_ = np.zeros((len(slugs), self.coef_.shape[1]))
        out.intercept_ = np.full(len(slugs), np.nan)
        for k, slug in enumerate(slugs):
            if slug in index:
                out.coef_[k], out.intercept_[k] = self.coef_[index[slug]], self.intercept_[index[slug]]
        return out

    def save(self, path) -> None:
        """Weights in float16 (about 17 KiB for 17 issues), intercepts and settings beside them."""
        np.savez_compressed(
            path,
            coef=self.coef_.astype(np.float16),
            intercept=self.intercept_.astype(np.float32),
            slugs=np.asarray(self.slugs_),
            settings=np.asarray([self.C, self.min_positives], dtype=np.float64),
        )

    @classmethod
    def load(cls, path) -> IssueClassifier:
        with np.load(path, allow_pickle=False) as data:
            C, min_positives = data["settings"]
            out = cls(float(C), int(min_positives))
            out.coef_ = data["coef"].astype(np.float64)
            out.intercept_ = data["intercept"].astype(np.float64)
            out.slugs_ = [str(s) for s in data["slugs"]]
        return out


def with_learned(F: np.ndarray, learned: np.ndarray | None, ngrams: np.ndarray | None = None) -> np.ndarray:
    """The evidence ``F`` (texts, issues, base features) with the classifiers' scores as its last features (NaN
    where there are none: an issue without one is scored by the calibration's ``base_``); ``F`` that already has
    those features gets them replaced."""
    F = F[:, :, : len(BASE_FEATURES)]
    columns = [
        np.full(F.shape[:2], np.nan) if scores is None else np.asarray(scores, dtype=np.float64)
        for scores in (learned, ngrams)
    ]
    return np.concatenate([F, *(c[:, :, None] for c in columns)], axis=2)


def ngram_counts(texts: Sequence[str]):
    """Sparse (texts, ``2**NGRAM_BITS``) counts of each text's character n-grams (``ngrams.counts``)."""
    return ngrams.counts(texts)


class NgramClassifier:
    """One logistic regression per issue on a text's character n-grams (``ngram_counts``, sublinear tf-idf with the
    idf of the texts it was fitted on), class-weighted: the words and stems of an issue ("роуминг", "спам",
    "宽带", "indemnis") that the pooled sentence vector blurs among the text's other subjects.

    ``decision_function`` gives its log-odds per (text, issue), NaN for an issue it has no weights for.
    """

    def __init__(self, C: float = 1.0, min_positives: int = 5):
        self.C = C
        self.min_positives = min_positives

    def fit(self, counts, Y: np.ndarray, slugs: Sequence[str]) -> NgramClassifier:
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y, dtype=bool)
        self.slugs_ = list(slugs)
        self.idf_ = TfidfTransformer().fit(counts).idf_.astype(np.float32)
        T = ngrams.tfidf(counts, self.idf_)
        # liblinear's dual solver: as many weights as buckets, a few thousand texts.
        self.coef_, self.intercept_ = _fit_per_issue(
            T,
            Y,
            self.min_positives,
            lambda: LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", dual=True, max_iter=5000),
            dtype=np.float32,
        )
        return self

    @property
    def learned_(self) -> np.ndarray:
        return ~np.isnan(self.intercept_)

    def decision_function(self, counts) -> np.ndarray:
        """Log-odds per (text, issue) from ``ngram_counts`` of the texts."""
        scores = np.asarray(ngrams.tfidf(counts, self.idf_) @ self.coef_.T, dtype=np.float64)
        return scores + self.intercept_[None, :]

    def for_issues(self, slugs: Sequence[str]) -> NgramClassifier:
        """The same classifiers for another list of issues: an issue it was not fitted on gets none."""
        out = NgramClassifier(self.C, self.min_positives)
        index = {slug: i for i, slug in enumerate(self.slugs_)}
        out.slugs_, out.idf_ = list(slugs), self.idf_
        rows = [index.get(slug) for slug in slugs]
        out.coef_ = (
            np.stack([self.coef_[i] if i is not None else np.zeros(self.coef_.shape[1], np.float32) for i in rows])
            if rows
            else np.zeros((0, self.coef_.shape[1]), np.float32)
        )
        out.intercept_ = np.asarray([self.intercept_[i] if i is not None else np.nan for i in rows], dtype=np.float64)
        return out

    def save(self, path) -> None:
        """Weights as 8-bit integers with one scale per issue (its largest weight over 127): about 2 MB for 17
        issues, where half precision took 6. Buckets no training text has stay zero and compress to nothing; a
        text's score moves by a few thousandths of a unit of log-odds."""
        scale = np.maximum(np.abs(self.coef_).max(axis=1), 1e-12) / 127
        np.savez_compressed(
            path,
            coef=np.round(self.coef_ / scale[:, None]).astype(np.int8),
            scale=scale.astype(np.float32),
            idf=self.idf_.astype(np.float16),
            intercept=self.intercept_.astype(np.float32),
            slugs=np.asarray(self.slugs_),
            settings=np.asarray([self.C, self.min_positives, NGRAM_BITS], dtype=np.float64),
        )

    @classmethod
    def load(cls, path) -> NgramClassifier:
        with np.load(path, allow_pickle=False) as data:
            C, min_positives, bits = data["settings"]
            if int(bits) != NGRAM_BITS:
                raise ValueError("the n-gram weights were fitted on other buckets: run --write-calibration")
            out = cls(float(C), int(min_positives))
            out.coef_ = data["coef"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
            out.idf_ = data["idf"].astype(np.float32)
            out.intercept_ = data["intercept"].astype(np.float64)
            out.slugs_ = [str(s) for s in data["slugs"]]
        return out


def fit_tagging(
    F: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    slugs: Sequence[str],
    groups: Sequence[str] | None = None,
    C: float = 1.0,
    folds: int = 5,
    *,
    counts,
) -> tuple[IssueCalibration, IssueClassifier, NgramClassifier]:
    """The classifier on the pooled embeddings ``X``, the one on the texts' n-gram ``counts`` (``ngram_counts``)
    and the calibration over the evidence ``F`` with their scores.

    The scores the calibration is fitted on are cross-fitted: each text's from classifiers fitted without its fold
    (the folds the calibration itself uses for its cut-offs), as a new text's will be.
    """
    Y = np.asarray(Y, dtype=bool)
    groups = list(groups) if groups is not None else [str(i) for i in range(len(F))]
    fold = folds_of(groups, folds)
    scores = np.full(Y.shape, np.nan)
    ngram_scores = np.full(Y.shape, np.nan)
    for f in range(folds):
        test = fold == f
        if not test.any() or test.all():
            continue
        scores[test] = IssueClassifier(C).fit(X[~test], Y[~test], slugs).decision_function(X[test])
        inner = NgramClassifier().fit(counts[~test], Y[~test], slugs)
        ngram_scores[test] = inner.decision_function(counts[test])
    classifier = IssueClassifier(C).fit(X, Y, slugs)
    ngrams = NgramClassifier().fit(counts, Y, slugs)
    # An issue a final classifier has no weights for is scored without the features, in the fit as in use. So is
    # one that some fold's classifier had too few positives for: its cross-fitted scores would have holes.
    missing = (
        ~classifier.learned_ | ~ngrams.learned_ | np.isnan(scores).any(axis=0) | np.isnan(ngram_scores).any(axis=0)
    )
    classifier.intercept_[missing] = np.nan
    ngrams.intercept_[missing] = np.nan
    scores[:, missing] = np.nan
    ngram_scores[:, missing] = np.nan
    calibration = IssueCalibration(folds=folds).fit(with_learned(F, scores, ngram_scores), Y, slugs, groups)
    return calibration, classifier, ngrams


def raised_issues(
    P: np.ndarray, cutoffs: np.ndarray, max_issues: int | Sequence[int], floor: float | None = None
) -> list[list[int]]:
    """Per text, the issues raised: among its ``max_issues`` most probable (one number, or one per text), those at
    or above their cut-off. With ``floor``, a text that raises none still gets the issue closest to its cut-off
    (the highest probability over cut-off) where that ratio reaches ``floor``: a contribution is written about
    something, and a text whose every issue falls just short was mostly missed, not off-topic."""
    caps = np.broadcast_to(np.asarray(max_issues, dtype=int), (len(P),))
    cutoffs = np.asarray(cutoffs, dtype=float)
    out = []
    for row, cap in zip(P, caps, strict=True):
        order = np.argsort(-row, kind="stable")[:cap]
        raised = [int(k) for k in order if row[k] >= cutoffs[k]]
        if not raised and floor is not None and cap > 0:
            ratio = row / np.maximum(cutoffs, 1e-9)
            top = int(np.argmax(ratio))
            if ratio[top] >= floor:
                raised = [top]
        out.append(raised)
    return out


def calibration_report(P: np.ndarray, Y: np.ndarray, bins: int = 10) -> dict:
    """Brier score and expected calibration error (equal-width bins) of probabilities ``P`` against ``Y``."""
    p, y = np.asarray(P, dtype=float).reshape(-1), np.asarray(Y, dtype=float).reshape(-1)
    brier = float(np.mean((p - y) ** 2))
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            ece += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    return {"brier": brier, "ece": float(ece)}
