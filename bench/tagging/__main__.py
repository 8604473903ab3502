"""Tagging throughput: ``python -m bench.tagging [N] [WORKERS] [BACKEND] [THREADS]`` tags N contribution-like texts
(the labelled set's texts, repeated), prints texts/s.

First the path a user runs: the command ``concord analyze tag --input IN.jsonl --output OUT.jsonl`` in its own
process (with ``--workers WORKERS`` when WORKERS > 0), on a JSON Lines file without language hints. It is timed
twice, on N texts and on one text, so the start (Django, the model, the prototypes) and the texts per second
after it are both printed, with the child's CPU seconds and peak memory (getrusage).

Then the library path in this process (``pipeline.tag``; the Dask path with WORKERS > 0, as ``--workers`` runs
it), warmed up first, as earlier versions of this bench measured it. BACKEND is the embedder's (``onnx``, the
default; ``onnx-float``; ``numpy``), to compare them on one machine; THREADS its threads in each process (1 by
default). The CPU seconds are printed too: on a shared machine they say what the code costs when the wall clock
says how busy the neighbours were.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def _env(folder: Path) -> dict:
    # A database of the bench's own, migrated before timing: the command reads the taxonomy from it.
    return {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "TQDM_DISABLE": "1"}


def run_command(texts: list[str], workers: int, folder: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds and peak MiB of ``concord analyze tag`` on ``texts``, and the records it wrote."""
    source, output = folder / "in.jsonl", folder / "out.jsonl"
    with open(source, "w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
    command = [str(Path(sys.executable).with_name("concord")), "analyze", "-v", "0", "tag", "--input", str(source)]
    command += ["--output", str(output)] + (["--workers", str(workers)] if workers else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=_env(folder))
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(output, encoding="utf-8") as f:
        written = sum(1 for line in f if line.strip())
    # ru_maxrss is in KiB on Linux: the largest child so far.
    return elapsed, cpu, after.ru_maxrss / 1024, written


def command(texts: list[str], workers: int) -> None:
    n = len(texts)
    concord = str(Path(sys.executable).with_name("concord"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([concord, "migrate", "-v", "0"], check=True, env=_env(Path(tmp)))
        start_wall, start_cpu, _, _ = run_command(texts[:1], workers, Path(tmp))
        wall, cpu, peak, written = run_command(texts, workers, Path(tmp))
    assert written == n, f"the command wrote {written} records for {n} texts"
    where = f"--workers {workers}" if workers else "one process"

    def per_second(total: float, start: float) -> str:
        # On a busy machine the start alone can take longer than the whole run: then there is no rate to give.
        return f"{n / (total - start):,.0f}" if total - start > 0.05 * total else "n/a"

    print(
        f"concord analyze tag ({where}): {n:,} texts in {wall:.1f} s wall, {cpu:.1f} CPU s, peak {peak:,.0f} MiB; "
        f"start alone (1 text) {start_wall:.1f} s wall, {start_cpu:.1f} CPU s; after the start "
        f"{per_second(wall, start_wall)} texts/s, {per_second(cpu, start_cpu)} texts per CPU second"
    )


def library(texts: list[str], langs: list[str], workers: int, backend: str, threads: int) -> None:
    n = len(texts)
    tagger = IssueTagger(read_taxonomy(), embedder=Embedder(threads=threads, backend=backend)).fit()
    identifier = LanguageIdentifier()
    with pipeline.dask_client(workers=workers or None) as client:
        size = max(64, n // (4 * max(workers, 1)))
        if client is not None:
            # Load the model in every worker: the warm-up's few partitions may all land on one.
            client.run(_load_model, threads, backend)
        # Warm-up: model loads, first calls.
        warm = 64 * max(workers, 1)
        pipeline.tag(texts[:warm], langs[:warm], tagger, identifier, client=client, partition_size=64)
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
    print(
        f"library pipeline.tag ({setup}): {n:,} texts in {elapsed:.1f} s, {n / elapsed:,.0f} texts/s ({where}){spent}"
    )


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 5000
    workers = int(argv[1]) if len(argv) > 1 else 0
    backend = argv[2] if len(argv) > 2 else "onnx"
    threads = int(argv[3]) if len(argv) > 3 else 1
    rows = load_labelled()
    texts = [rows[i % len(rows)]["text"] for i in range(n)]
    langs = [rows[i % len(rows)]["lang"] for i in range(n)]
    command(texts, workers)
    library(texts, langs, workers, backend, threads)


if __name__ == "__main__":
    main(sys.argv[1:])
