"""Tagging throughput: ``python -m bench.tagging [N]`` tags N contribution-like texts and prints texts/s."""

from __future__ import annotations

import sys
import time

from concord.analysis.tagging import IssueTagger
from concord.analysis.taxonomy import read_taxonomy
from eval.issues import load_labelled


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 5000
    rows = load_labelled()
    texts = [rows[i % len(rows)]["text"] for i in range(n)]
    tagger = IssueTagger(read_taxonomy()).fit()
    tagger.tag(texts[:64])  # warm-up: model load
    started = time.perf_counter()
    tagger.tag(texts)
    elapsed = time.perf_counter() - started
    print(f"tagging: {n:,} texts in {elapsed:.1f} s, {n / elapsed:,.0f} texts/s")


if __name__ == "__main__":
    main(sys.argv[1:])
