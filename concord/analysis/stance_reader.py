"""The reader: which side a text takes on what it is about when no cue word says so.

The cue lexicons of ``stance_cues`` see "we oppose", "should", "it is not true that". A text that takes its side
through consequences or values has none of them: "with a subsidised satellite link, a nurse in a mountain village
could finally consult a specialist"; "such a treaty would only tie the hands of the states that keep it"; "who could
object to ...?". Read by the rules alone, it mentions the position and takes no side. On texts nobody had tuned the
rules on, about half of the texts that took a side were read that way.

The reader is a multinomial logistic regression on the sentence encoder's vectors of two things, the unit that is
closest to the position (the rules' evidence) and the whole text (the mean of its units' vectors), and on the
text's character n-grams (2 to 5 characters within words, hashed, tf-idf weighted). The n-grams catch the words of
judgement ("burden", "finally", "катастрофа", "得不偿失") that the sentence vectors blur: read by a reader trained
on the other sets, each training set gained 0.01-0.08 macro F1 with them (see ``docs/positions.md``). It predicts the
text's *evaluative* side on what it discusses: for it, against it, or neither (questions, noting, reports of what
others said). For an assessment that something falls short ("X is not adequately addressed"), being for it means
judging what exists badly, so the side is turned over there (``StanceDetector`` knows which assessments those are).

It is trained by ``python -m eval.stance_reader --write`` on hand-written labelled texts in the six languages on
topics that none of the sets it is measured on uses (environment, health, labour, digital policy: see
``eval/stance_train*.md``), plus the tuning parts of Concord's other sets; the weights ship with the library in
``stance_reader.npz``, so nothing is trained or downloaded at run time. ``StanceDetector`` consults it where the
rules found the position and took no side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import ngrams

WEIGHTS = Path(__file__).with_name("stance_reader.npz")
_LOADED: dict[Path, Reader | None] = {}
NGRAM_BITS = ngrams.BITS
NGRAM_WEIGHT = 2.0  # the n-gram block's scale against the two unit-length sentence vectors


def ngram_counts(texts: list[str]):
    """Sparse (texts, 2**NGRAM_BITS) counts of each text's character n-grams."""
    return ngrams.counts(texts)


def _tfidf(counts, idf: np.ndarray):
    """Sublinear tf times idf, each row scaled to unit length, then by ``NGRAM_WEIGHT``."""
    return ngrams.tfidf(counts, idf, NGRAM_WEIGHT)


@dataclass(frozen=True)
class Reader:
    """Weights of the logistic regression: ``classes`` in the order of ``coef``'s rows."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    idf: np.ndarray | None = None  # (2**NGRAM_BITS,) inverse document frequency of each n-gram bucket
    ngram_coef: np.ndarray | None = None  # (classes, 2**NGRAM_BITS)

    def ngram_scores(self, texts: list[str]) -> np.ndarray:
        """What each text's n-grams add to each class's score: computed once per text, whatever the number of
        positions it is read on."""
        return np.asarray(_tfidf(ngram_counts(texts), self.idf) @ self.ngram_coef.T)

    def proba(
        self, features: np.ndarray, texts: list[str] | None = None, ngram_scores: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities of each class, one row per row of ``features`` (and per text of ``texts``, the n-grams'
        source, or per row of their ``ngram_scores``, where the reader has n-gram weights)."""
        z = np.atleast_2d(features) @ self.coef.T + self.intercept
        if self.ngram_coef is not None:
            if ngram_scores is None and texts is not None and len(texts) == len(z):
                ngram_scores = self.ngram_scores(texts)
            if ngram_scores is None or len(ngram_scores) != len(z):
                raise ValueError("this reader reads n-grams: give the texts, one per row of features")
            z = z + ngram_scores
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path = WEIGHTS) -> None:
        arrays = {"classes": np.array(self.classes), "coef": self.coef.astype(np.float32)}
        arrays["intercept"] = self.intercept.astype(np.float32)
        if self.ngram_coef is not None:
            # Most buckets never occur in training: their weights are zero and compress to nothing. Half precision
            # for the rest (weights of order 0.1-1; the probabilities move by less than 1e-3) halves the file.
            arrays["idf"] = self.idf.astype(np.float32)
            arrays["ngram_coef"] = self.ngram_coef.astype(np.float16)
        np.savez_compressed(path, **arrays)


def features(unit_vector: np.ndarray, text_vector: np.ndarray) -> np.ndarray:
    """What the reader reads: the evidence unit's vector, then the text's."""
    return np.concatenate([unit_vector, text_vector]).astype(np.float32)


def text_vector(unit_vectors: np.ndarray) -> np.ndarray:
    """A text's vector: the normalised mean of its units' vectors (already computed; no second encoding)."""
    mean = np.asarray(unit_vectors, dtype=np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def fit(features: np.ndarray, labels: list[str], texts: list[str] | None = None, C: float = 1.0) -> Reader:
    """Train on rows of ``features`` with evaluative labels (support, oppose, neutral); with ``texts`` (one per
    row), on their character n-grams too."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    if texts is None:
        model = LogisticRegression(C=C, max_iter=3000).fit(features, labels)
        return Reader(tuple(str(c) for c in model.classes_), model.coef_.astype(np.float32), model.intercept_)
    counts = ngram_counts(texts)
    # The idf only: ``_tfidf`` applies it at run time without scikit-learn's fitted object.
    idf = TfidfTransformer().fit(counts).idf_.astype(np.float32)
    X = sp.hstack([sp.csr_matrix(features), _tfidf(counts, idf)]).tocsr()
    model = LogisticRegression(C=C, max_iter=5000).fit(X, labels)
    dense = features.shape[1]
    return Reader(
        tuple(str(c) for c in model.classes_),
        model.coef_[:, :dense].astype(np.float32),
        model.intercept_,
        idf,
        model.coef_[:, dense:].astype(np.float32),
    )


def load(path: Path = WEIGHTS) -> Reader | None:
    """The shipped reader (read once per process), or ``None`` where the file is absent."""
    if path not in _LOADED:
        if not path.is_file():
            _LOADED[path] = None
        else:
            with np.load(path) as data:
                _LOADED[path] = Reader(
                    tuple(str(c) for c in data["classes"]),
                    data["coef"].copy(),
                    data["intercept"].copy(),
                    data["idf"].copy() if "idf" in data else None,
                    data["ngram_coef"].astype(np.float32) if "ngram_coef" in data else None,
                )
    return _LOADED[path]
