"""Campaign detection at scale: Concord vs a datasketch MinHash-LSH baseline on the same generated data.

Run: ``python -m bench.campaigns [N]`` (default 1,000,000). Concord is timed as a user runs it: the command
``concord analyze campaigns --input IN.jsonl --output OUT.jsonl`` in its own process, on a JSON Lines file without
language hints (so languages are identified and translations linked, as they would be), its output read back and
scored. The baseline then runs in this process on the same texts. Prints throughput, CPU seconds, peak memory and
B-cubed F1 for both, the speed-up, and checks that no translation is merged into a campaign.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from eval.metrics import bcubed

from .generate import generate
from .styles import run_styles


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


def run_command(source: Path, output: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, with any workers it starts) and peak resident MiB of the command
    ``concord analyze campaigns`` on ``source``, run in a child process exactly as a user types it."""
    concord = Path(sys.executable).with_name("concord")
    command = [str(concord), "analyze", "--verbosity", "0", "campaigns", "--input", str(source), "--output"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, str(output)], check=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss is in KiB on Linux: the largest child so far, which is this one (the bench starts no other).
    return elapsed, cpu, after.ru_maxrss / 1024


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

    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        with open(source, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
        elapsed, cpu, peak = run_command(source, output)
        with open(output, encoding="utf-8") as f:
            rows = {row["id"]: row for row in map(json.loads, f)}
    labels = [rows[r["id"]]["campaign"] for r in records]
    score = bcubed(truth, labels)
    print(
        f"concord   {elapsed:8.1f} s ({cpu:6.1f} s CPU)  {len(texts) / elapsed:8,.0f} texts/s  "
        f"({len(texts) / cpu:8,.0f} per CPU s)  peak {peak:7,.0f} MiB  "
        f"B-cubed P {score['precision']:.4f} R {score['recall']:.4f} F1 {score['f1']:.4f}  "
        f"campaigns {len(set(labels) - {None}):,}  [concord analyze campaigns, no language hints]"
    )
    # Translations: each language version of a translated template must stay its own campaign.
    merged = {}
    for r, label in zip(records, labels, strict=True):
        if "translation_group" in r and label is not None:
            merged.setdefault(label, set()).add(r["lang"])
    false_merges = sum(1 for langs in merged.values() if len(langs) > 1)
    group_of = {r["id"]: r.get("translation_group") for r in records}
    translated = [r for r in records if "translation_group" in r]
    linked = sum(1 for r in translated if group_of.get(rows[r["id"]]["translation_of"]) == r["translation_group"])
    wrong = sum(
        1 for r in records if rows[r["id"]]["translation_of"] and group_of[rows[r["id"]]["translation_of"]] is None
    )
    print(
        f"concord   translations merged into one campaign: {false_merges}; translated copies linked to another "
        f"version: {linked} of {len(translated)} (the first version of each has none); texts linked to a wrong "
        f"original: {wrong}"
    )
    concord_elapsed, concord_cpu = elapsed, cpu

    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        base = minhash_lsh(texts)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    score = bcubed(truth, _singletons_none(base))
    print(
        f"minhash   {elapsed:8.1f} s ({cpu:6.1f} s CPU)  {len(texts) / elapsed:8,.0f} texts/s  "
        f"({len(texts) / cpu:8,.0f} per CPU s)  peak +{memory.mib:7,.0f} MiB  "
        f"B-cubed P {score['precision']:.4f} R {score['recall']:.4f} F1 {score['f1']:.4f}  [datasketch, in process]"
    )
    # CPU time (the command's, all its threads) is the fairer ratio when other work shares the machine.
    print(f"speed-up  {elapsed / concord_elapsed:.1f}x wall time, {cpu / concord_cpu:.1f}x CPU time")
    # Quality per template style, each alone (the mixed set above blends them).
    run_styles()


if __name__ == "__main__":
    main(sys.argv[1:])
