"""The calibrated part of issue tagging: evidence features to a probability per (text, issue), and the cut-offs.

``IssueCalibration`` is one logistic regression shared by every issue over a few evidence features (how close the
text's best passage is to the issue's prototypes, how far behind the text's strongest issue, whether a seed term
occurs ...), with a small per-issue offset. Few weights shared across issues travel to texts and issues that the
tuning set covers thinly, and a logistic regression fitted by maximum likelihood is Platt-calibrated on the data
it was fitted on. Cut-offs are chosen on out-of-fold probabilities (cross-validation inside the tuning data), per
issue, shrunk halfway towards the one cut-off that suits all issues: an issue's dozen positives are a noisy basis
for its own cut-off.

Fitted on the tuning part of Concord's labelled set by ``python -m eval.issues --write-calibration`` and shipped
as ``tagging_calibration.json``; the held-out part is never seen here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# The evidence features per (text, issue), in the order of the last axis of ``IssueTagger.features``.
FEATURES = ("best", "top3", "centroid", "gap", "passage_gap", "z", "second", "lexical", "whole", "whole_gap")


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
        How far each issue's own cut-off moves towards the common one (0: its own, 1: the common one).
    folds : int
        Folds of the cross-validation that gives the out-of-fold probabilities the cut-offs are chosen on.
    """

    def __init__(self, C: float = 1.0, per_issue: bool = True, shrink: float = 0.5, folds: int = 5):
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
        self.mean_ = flat.mean(axis=0)
        self.scale_ = np.maximum(flat.std(axis=0), 1e-6)
        clf = LogisticRegression(C=self.C, max_iter=5000)
        clf.fit(self._design(F), Y.reshape(-1))
        self.coef_ = clf.coef_[0, :d].copy()
        self.offsets_ = clf.coef_[0, d:].copy() if self.per_issue else np.zeros(k)
        self.intercept_ = float(clf.intercept_[0])

    def fit(self, F: np.ndarray, Y: np.ndarray, slugs: Sequence[str], groups: Sequence[str] | None = None):
        """``F``: (texts, issues, features) evidence; ``Y``: (texts, issues) booleans; ``groups``: a name per text
        (texts of one group share a fold)."""
        self.slugs_ = list(slugs)
        Y = np.asarray(Y, dtype=bool)
        groups = list(groups) if groups is not None else [str(i) for i in range(len(F))]
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
            oof[test] = inner.predict_proba(F[test])
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
    def predict_proba(self, F: np.ndarray) -> np.ndarray:
        n, k, d = F.shape
        z = ((F - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        if self.per_issue:
            z = z + self.offsets_[None, :]
        return _sigmoid(z)

    def for_issues(self, slugs: Sequence[str]) -> IssueCalibration:
        """The same calibration for another list of issues (the taxonomy is edited in the admin): an issue it was
        not fitted on gets no offset of its own and the common cut-off."""
        out = IssueCalibration(self.C, self.per_issue, self.shrink, self.folds)
        out.mean_, out.scale_, out.coef_, out.intercept_ = self.mean_, self.scale_, self.coef_, self.intercept_
        out.common_cutoff_ = self.common_cutoff_
        index = {slug: i for i, slug in enumerate(self.slugs_)}
        out.slugs_ = list(slugs)
        out.offsets_ = np.asarray([self.offsets_[index[s]] if s in index else 0.0 for s in slugs])
        out.cutoffs_ = np.asarray([self.cutoffs_[index[s]] if s in index else self.common_cutoff_ for s in slugs])
        return out

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
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
        }

    @classmethod
    def from_dict(cls, data: dict) -> IssueCalibration:
        if list(data["features"]) != list(FEATURES):
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
        return out


def raised_issues(P: np.ndarray, cutoffs: np.ndarray, max_issues: int | Sequence[int]) -> list[list[int]]:
    """Per text, the issues raised: among its ``max_issues`` most probable (one number, or one per text), those at
    or above their cut-off."""
    caps = np.broadcast_to(np.asarray(max_issues, dtype=int), (len(P),))
    out = []
    for row, cap in zip(P, caps, strict=True):
        order = np.argsort(-row, kind="stable")[:cap]
        out.append([int(k) for k in order if row[k] >= cutoffs[k]])
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
