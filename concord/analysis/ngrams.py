"""Hashed character n-grams: the words of judgement or of a subject ("burden", "роуминг", "宽带") that a sentence
vector blurs. Shared by the stance reader (``stance_reader``) and the issue tagger's n-gram classifier
(``tagging_model.NgramClassifier``).

2 to 5 characters within words, case-folded, hashed into ``2**BITS`` buckets: no vocabulary ships, and every
process puts an n-gram in the same bucket. 2**18 buckets keep collisions rare over the training texts' n-grams.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

BITS = 18


@cache
def _hasher():
    # Stateless: one per process serves every text.
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=2**BITS, alternate_sign=False, norm=None
    )


def counts(texts: Sequence[str]):
    """Sparse (texts, ``2**BITS``) float32 counts of each text's character n-grams."""
    return _hasher().transform(list(texts)).astype(np.float32).tocsr()


def tfidf(counts, idf: np.ndarray, scale: float = 1.0):
    """Sublinear tf times ``idf`` (from scikit-learn's ``TfidfTransformer`` at fit time), each row scaled to length
    ``scale``."""
    counts = counts.astype(np.float32).tocsr(copy=True)
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    return counts.multiply((scale / np.maximum(norms, 1e-12))[:, None]).tocsr()
