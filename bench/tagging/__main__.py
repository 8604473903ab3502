"""Tagging throughput: ``python -m bench.tagging [N] [WORKERS] [BACKEND] [THREADS]`` tags N contribution-like texts,
prints texts/s.

With WORKERS > 0 the texts go through the Dask path (a LocalCluster of WORKERS processes), as
``concord analyze tag --workers N`` does; the cluster's start and the model load are warmed up before timing.
BACKEND is the embedder's (``onnx``, the default; ``onnx-float``; ``numpy``), to compare them on one machine;
THREADS its threads in each process (1 by default).
The CPU seconds of the one-process path are printed too: on a shared machine they say what the code costs when
the wall clock says how busy the neighbours were.
"""

from __future__ import annotations

import sys
import time

from concord.analysis import pipeline
from concord.analysis.embed import Embedder
from concord.analysis.language import LanguageIdentifier
from concord.analysis.tagging import IssueTagger
from concord.analysis.taxonomy import read_taxonomy
from eval.issues import load_labelled


def _cpu(client) -> tuple[float, float]:
    """CPU seconds of this process (with the scheduler, on a local cluster) and of the cluster's workers."""
    return time.process_time(), sum(client.run(time.process_time).values()) if client is not None else 0.0


def _load_model(threads: int, backend: str) -> None:
    Embedder(threads=threads, backend=backend).model  # noqa: B018 (loads and caches the process's model)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 5000
    workers = int(argv[1]) if len(argv) > 1 else 0
    backend = argv[2] if len(argv) > 2 else "onnx"
    threads = int(argv[3]) if len(argv) > 3 else 1
    rows = load_labelled()
    texts = [rows[i % len(rows)]["text"] for i in range(n)]
    langs = [rows[i % len(rows)]["lang"] for i in range(n)]
    tagger = IssueTagger(read_taxonomy(), embedder=Embedder(threads=threads, backend=backend)).fit()
    identifier = LanguageIdentifier()
    with pipeline.dask_client(workers=workers or None) as client:
        size = max(64, n // (4 * max(workers, 1)))
        if client is not None:
            # Load the model in every worker: the warm-up's few partitions may all land on one.
            client.run(_load_model, threads, backend)
        # Warm-up: model loads, first calls.
        pipeline.tag(
            texts[: 64 * max(workers, 1)],
            langs[: 64 * max(workers, 1)],
            tagger,
            identifier,
            client=client,
            partition_size=64,
        )
        before = _cpu(client)
        started = time.perf_counter()
        pipeline.tag(texts, langs, tagger, identifier, client=client, partition_size=size)
        elapsed = time.perf_counter() - started
        main_cpu, workers_cpu = (after - start for after, start in zip(_cpu(client), before, strict=True))
    where = f"{workers} Dask worker processes" if workers else "one process"
    cpu = main_cpu + workers_cpu
    spent = f"; {cpu:.1f} CPU s, {n / cpu:,.0f} texts per CPU second"
    if workers:
        spent += f" ({main_cpu:.1f} s in this process, {workers_cpu:.1f} s in the workers)"
    setup = f"{backend}, {threads} thread{'s' * (threads > 1)}"
    print(f"tagging ({setup}): {n:,} texts in {elapsed:.1f} s, {n / elapsed:,.0f} texts/s ({where}){spent}")


if __name__ == "__main__":
    main(sys.argv[1:])
