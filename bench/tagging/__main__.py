"""Tagging throughput: ``python -m bench.tagging [N] [WORKERS]`` tags N contribution-like texts, prints texts/s.

With WORKERS > 0 the texts go through the Dask path (a LocalCluster of WORKERS processes), as
``concord analyze tag --workers N`` does; the cluster's start and the model load are warmed up before timing.
"""

from __future__ import annotations

import sys
import time

from concord.analysis import pipeline
from concord.analysis.language import LanguageIdentifier
from concord.analysis.tagging import IssueTagger
from concord.analysis.taxonomy import read_taxonomy
from eval.issues import load_labelled


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 5000
    workers = int(argv[1]) if len(argv) > 1 else 0
    rows = load_labelled()
    texts = [rows[i % len(rows)]["text"] for i in range(n)]
    langs = [rows[i % len(rows)]["lang"] for i in range(n)]
    tagger = IssueTagger(read_taxonomy()).fit()
    identifier = LanguageIdentifier()
    with pipeline.dask_client(workers=workers or None) as client:
        size = max(64, n // (4 * max(workers, 1)))
        # Warm-up: model loads (in every worker on the cluster path).
        pipeline.tag(
            texts[: 64 * max(workers, 1)],
            langs[: 64 * max(workers, 1)],
            tagger,
            identifier,
            client=client,
            partition_size=64,
        )
        started = time.perf_counter()
        pipeline.tag(texts, langs, tagger, identifier, client=client, partition_size=size)
        elapsed = time.perf_counter() - started
    where = f"{workers} Dask worker processes" if workers else "one process"
    print(f"tagging: {n:,} texts in {elapsed:.1f} s, {n / elapsed:,.0f} texts/s ({where})")


if __name__ == "__main__":
    main(sys.argv[1:])
