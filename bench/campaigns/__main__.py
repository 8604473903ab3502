"""Campaign detection at scale: Concord vs a datasketch MinHash-LSH baseline on the same generated data.

Run: ``python -m bench.campaigns [N]`` (default 1,000,000). Both run on the same N texts, one after the
other in one process. Prints throughput, peak memory (RSS growth, sampled) and B-cubed F1 for both, the
speed-up, and checks that no translation is merged into a campaign.
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


def minhash_lsh(texts, threshold: float = 0.5, num_perm: int = 64, chunk: int = 10_000) -> list[int]:
    """The baseline: word-3-shingle MinHash and LSH, used as datasketch's documentation deduplicates.

    Each text queries an index of campaign representatives and joins every one whose estimated Jaccard
    clears the threshold; a text that matches none becomes a representative itself. Indexing every text
    instead would make a campaign of 100,000 members answer each query with all of them (quadratic time),
    which no one would run at this scale, so the baseline gets the index a practitioner would build.
    """
    import re

    from datasketch import MinHash, MinHashLSH

    token = re.compile(r"[^\W_]+")
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    representatives: dict[int, MinHash] = {}
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # In slices, so that only the representatives' signatures stay in memory.
    for start in range(0, len(texts), chunk):
        shingle_sets = []
        for text in texts[start : start + chunk]:
            words = token.findall(text.casefold())
            shingle_sets.append({" ".join(words[i : i + 3]).encode() for i in range(max(1, len(words) - 2))})
        for i, m in enumerate(MinHash.bulk(shingle_sets, num_perm=num_perm), start):
            matched = False
            for j in lsh.query(m):
                if m.jaccard(representatives[j]) >= threshold:
                    parent[find(j)] = find(i)
                    matched = True
            if not matched:
                lsh.insert(i, m)
                representatives[i] = m
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
        started, cpu = time.perf_counter(), time.process_time()
        detector = CampaignDetector(link_translations=False).fit(texts)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    labels = [int(x) if x >= 0 else None for x in detector.labels_]
    score = bcubed(truth, labels)
    print(
        f"concord   {elapsed:8.1f} s ({cpu:6.1f} s CPU)  {len(texts) / elapsed:8,.0f} texts/s  "
        f"peak +{memory.mib:7,.0f} MiB  "
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
    concord_elapsed, concord_cpu = elapsed, cpu

    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        base = minhash_lsh(texts)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    score = bcubed(truth, _singletons_none(base))
    print(
        f"minhash   {elapsed:8.1f} s ({cpu:6.1f} s CPU)  {len(texts) / elapsed:8,.0f} texts/s  "
        f"peak +{memory.mib:7,.0f} MiB  "
        f"B-cubed P {score['precision']:.4f} R {score['recall']:.4f} F1 {score['f1']:.4f}"
    )
    # Both run on one core; CPU time is the fairer ratio when other work shares the machine.
    print(f"speed-up  {elapsed / concord_elapsed:.1f}x wall time, {cpu / concord_cpu:.1f}x CPU time")


if __name__ == "__main__":
    main(sys.argv[1:])
