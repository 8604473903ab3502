"""The reader: which side a text takes on what it is about when no cue word says so.

The cue lexicons of ``stance_cues`` see "we oppose", "should", "it is not true that". A text that takes its side
through consequences or values has none of them: "with a subsidised satellite link, a nurse in a mountain village
could finally consult a specialist"; "such a treaty would only tie the hands of the states that keep it"; "who could
object to ...?". Read by the rules alone, it mentions the position and takes no side. On texts nobody had tuned the
rules on, about half of the texts that took a side were read that way.

The reader is a multinomial logistic regression on the sentence encoder's vectors of two things: the unit that is
closest to the position (the rules' evidence) and the whole text (the mean of its units' vectors). It predicts the
text's *evaluative* side on what it discusses: for it, against it, or neither (questions, noting, reports of what
others said). For an assessment that something falls short ("X is not adequately addressed"), being for it means
judging what exists badly, so the side is turned over there (``StanceDetector`` knows which assessments those are).

It is trained by ``python -m eval.stance_reader --write`` on hand-written labelled texts in the six languages on
topics that none of the sets it is measured on uses (environment, health, labour, digital policy: see
``eval/stance_train*.md``), plus the tuning parts of Concord's other sets; the weights ship with the library in
``stance_reader.npz`` (about 12 KB), so nothing is trained or downloaded at run time. ``StanceDetector`` consults it
only where the rules found the position but no cue at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).with_name("stance_reader.npz")
_LOADED: dict[Path, Reader | None] = {}


@dataclass(frozen=True)
class Reader:
    """Weights of the logistic regression: ``classes`` in the order of ``coef``'s rows."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray

    def proba(self, features: np.ndarray) -> np.ndarray:
        """Probabilities of each class, one row per row of ``features``."""
        z = np.atleast_2d(features) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path = WEIGHTS) -> None:
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
        )


def features(unit_vector: np.ndarray, text_vector: np.ndarray) -> np.ndarray:
    """What the reader reads: the evidence unit's vector, then the text's."""
    return np.concatenate([unit_vector, text_vector]).astype(np.float32)


def text_vector(unit_vectors: np.ndarray) -> np.ndarray:
    """A text's vector: the normalised mean of its units' vectors (already computed; no second encoding)."""
    mean = np.asarray(unit_vectors, dtype=np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def fit(features: np.ndarray, labels: list[str], C: float = 1.0) -> Reader:
    """Train on rows of ``features`` with evaluative labels (support, oppose, neutral)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=3000).fit(features, labels)
    return Reader(tuple(str(c) for c in model.classes_), model.coef_.astype(np.float32), model.intercept_)


def load(path: Path = WEIGHTS) -> Reader | None:
    """The shipped reader (read once per process), or ``None`` where the file is absent."""
    if path not in _LOADED:
        if not path.is_file():
            _LOADED[path] = None
        else:
            with np.load(path) as data:
                _LOADED[path] = Reader(
                    tuple(str(c) for c in data["classes"]), data["coef"].copy(), data["intercept"].copy()
                )
    return _LOADED[path]
