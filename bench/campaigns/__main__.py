"""Campaign detection at scale: Concord vs a datasketch MinHash-LSH baseline on the same generated data.

Run: ``python -m bench.campaigns [N [SAMPLE]]`` (default 1,000,000; the baseline gets the first
SAMPLE, default 50,000). Prints throughput, peak memory (RSS growth, sampled)
and B-cubed F1 for both, and checks that no translation is merged into a campaign.
"""

from __future__ import annotations

import sys
import threading
import time

import psutil

from concord.analysis.campaigns import CampaignDetector
from eval.metrics import bcubed

from .generate import generate


class PeakMemory:
    """Peak resident memory of this process during a block, above its level at the start (sampled every 50 ms)."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def mib(self) -> float:
        return (self.peak - self.start) / 2**20


def minhash_lsh(texts, threshold: float = 0.5, num_perm: int = 64) -> list[int]:
    """The baseline: word-3-shingle MinHash, LSH candidates, union-find over candidates verified by Jaccard."""
    import re

    from datasketch import MinHash, MinHashLSH

    token = re.compile(r"[^\W_]+")
    shingle_sets = []
    for text in texts:
        words = token.findall(text.casefold())
        shingle_sets.append({" ".join(words[i : i + 3]).encode() for i in range(max(1, len(words) - 2))})
    hashes = MinHash.bulk(shingle_sets, num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if m.jaccard(hashes[j]) >= threshold:
                parent[find(i)] = find(j)
        lsh.insert(i, m)
    return [find(i) for i in range(len(texts))]


def _singletons_none(labels) -> list:
    sizes: dict = {}
    for x in labels:
        sizes[x] = sizes.get(x, 0) + 1
    return [x if sizes[x] > 1 else None for x in labels]


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1_000_000
    started = time.perf_counter()
    records = generate(n)
    texts = [r["text"] for r in records]
    truth = [r["campaign"] for r in records]
    print(
        f"== {len(texts):,} generated contributions in {time.perf_counter() - started:.1f} s "
        f"({sum(1 for t in truth if t is None):,} outside any campaign)"
    )

    with PeakMemory() as memory:
        started = time.perf_counter()
        detector = CampaignDetector(link_translations=False).fit(texts)
        elapsed = time.perf_counter() - started
    labels = [int(x) if x >= 0 else None for x in detector.labels_]
    score = bcubed(truth, labels)
    print(
        f"concord   {elapsed:8.1f} s  {len(texts) / elapsed:10,.0f} texts/s  peak +{memory.mib:7,.0f} MiB  "
        f"B-cubed P {score['precision']:.4f} R {score['recall']:.4f} F1 {score['f1']:.4f}  "
        f"campaigns {len(detector.sizes_):,}"
    )
    # Translations: each language version of a translated template must stay its own campaign.
    merged = {}
    for r, label in zip(records, labels, strict=True):
        if "translation_group" in r and label is not None:
            merged.setdefault(label, set()).add(r["lang"])
    false_merges = sum(1 for langs in merged.values() if len(langs) > 1)
    print(f"concord   translations merged into one campaign: {false_merges}")
    concord_elapsed = elapsed

    with PeakMemory() as memory:
        started = time.perf_counter()
        base = minhash_lsh(texts)
        elapsed = time.perf_counter() - started
    score = bcubed(truth, _singletons_none(base))
    print(
        f"minhash   {elapsed:8.1f} s  {len(texts) / elapsed:10,.0f} texts/s  peak +{memory.mib:7,.0f} MiB  "
        f"B-cubed P {score['precision']:.4f} R {score['recall']:.4f} F1 {score['f1']:.4f}"
    )
    print(f"speed-up  {elapsed / concord_elapsed:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
