"""Opinion groups at scale: ``python -m bench.opinions [PARTICIPANTS STATEMENTS VOTES] [DATA_DIR]``.

1. ``concord analyze opinions`` on the largest Pol.is open-data conversation under DATA_DIR (default
   ../shared/data), the command a user runs, in a child process: wall time, CPU time and its peak memory.
2. A synthetic conversation, seeded: 10,000 participants in three latent opinion camps (plus a fifth who vote at
   random) vote agree / disagree / pass on a random 100 of 1,000 statements each, 1,000,000 timed votes in all.
   Prints the full computation (``OpinionModel().fit``, reading the log included), the update after one new vote
   (``partial_fit``, median and worst of 20 single votes, some from newcomers, some on a new statement), the peak
   memory of the process (ru_maxrss) and how many groups were found and how well they match the camps.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from concord.analysis.opinions import OpinionModel, Vote


def synthetic(n_participants: int, n_statements: int, n_votes: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    camps = rng.integers(0, 3, n_participants)
    noisy = rng.random(n_participants) < 0.2
    # Each camp's chance of agreeing with each statement; passes are 15 % everywhere.
    agree_p = rng.beta(0.6, 0.6, size=(3, n_statements))
    per = n_votes // n_participants
    rows = np.repeat(np.arange(n_participants), per)
    cols = np.concatenate([rng.choice(n_statements, per, replace=False) for _ in range(n_participants)])
    p = np.where(noisy[rows], 0.5, agree_p[camps[rows], cols])
    u = rng.random(len(rows))
    values = np.where(rng.random(len(rows)) < 0.15, 0, np.where(u < p, 1, -1))
    # Arrival order: participants come and go, so the log interleaves them.
    order = rng.permutation(len(rows))
    triples = zip(rows[order].tolist(), cols[order].tolist(), values[order].tolist(), strict=True)
    votes = [Vote(f"p{r}", f"s{c}", int(v), float(t)) for t, (r, c, v) in enumerate(triples)]
    return votes, camps, noisy


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_synthetic(n_participants: int, n_statements: int, n_votes: int) -> None:
    started = time.perf_counter()
    votes, camps, noisy = synthetic(n_participants, n_statements, n_votes)
    print(
        f"== opinions, synthetic: {n_participants:,} participants x {n_statements:,} statements, {len(votes):,} votes "
        f"(generated in {time.perf_counter() - started:.1f} s; {peak_mib():.0f} MiB peak before fitting)"
    )
    cpu = time.process_time()
    started = time.perf_counter()
    model = OpinionModel().fit(votes)
    full = time.perf_counter() - started
    full_cpu = time.process_time() - cpu
    print(f"== full computation: {full:.2f} s wall, {full_cpu:.2f} s CPU; peak memory {peak_mib():.0f} MiB")
    rng = np.random.default_rng(1)
    times, cpus = [], []
    t = float(len(votes))
    for i in range(20):
        if i % 5 == 4:
            vote = Vote(f"newcomer{i}", f"s{rng.integers(n_statements)}", 1, t)
        elif i == 10:
            vote = Vote("p0", "s-new", -1, t)
        else:
            vote = Vote(
                f"p{rng.integers(n_participants)}", f"s{rng.integers(n_statements)}", int(rng.integers(-1, 2)), t
            )
        t += 1
        started, cpu = time.perf_counter(), time.process_time()
        model.partial_fit([vote])
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    print(
        f"== update after one vote (partial_fit), over {len(times)}: median {np.median(times) * 1000:.0f} ms wall "
        f"({np.median(cpus) * 1000:.0f} ms CPU), worst {max(times) * 1000:.0f} ms wall "
        f"({max(cpus) * 1000:.0f} ms CPU); peak memory {peak_mib():.0f} MiB"
    )
    ids = [f"p{i}" for i in range(n_participants) if not noisy[i]]
    grouped = [p for p in ids if model.participants_.get(p) is not None]
    ari = adjusted_rand_score([camps[int(p[1:])] for p in grouped], [model.participants_[p] for p in grouped])
    print(
        f"== {len(model.groups_)} groups (sizes {[g['size'] for g in model.groups_]}), {len(model.in_conversation_):,} "
        f"participants in the conversation; ARI against the three camps (random voters left out): {ari:.3f}"
    )


def bench_command(data: Path) -> None:
    folder = data / "polis-opendata"
    if not folder.is_dir():
        print(f"-- skipped the command on open data: {folder} is absent")
        return

    def size(d: Path) -> int:
        return max(
            (d / name).stat().st_size for name in ("votes.csv", "participants-votes.csv") if (d / name).is_file()
        )

    candidates = [
        d for d in folder.iterdir() if (d / "votes.csv").is_file() or (d / "participants-votes.csv").is_file()
    ]
    largest = max(candidates, key=size)
    concord = Path(sys.executable).with_name("concord")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(concord), "analyze", "opinions", "--polis", str(largest), "--output", str(out)], check=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(
        f"== concord analyze opinions on {largest.name} (the largest export): {elapsed:.1f} s wall, {cpu:.1f} s CPU, "
        f"child peak memory {after.ru_maxrss / 1024:.0f} MiB"
    )


def main(argv: list[str]) -> None:
    numbers = [int(a) for a in argv if a.isdigit()]
    paths = [a for a in argv if not a.isdigit()]
    n_participants, n_statements, n_votes = (numbers + [10_000, 1_000, 1_000_000][len(numbers) :])[:3]
    load = os.getloadavg()[0]
    # Wall time on a shared machine includes waiting for a core; CPU time does not, so both are printed.
    print(f"== {os.cpu_count()} CPU cores, load average {load:.1f} at start")
    # The command first, while this process is small: a child's peak memory counts what it inherits at fork.
    bench_command(Path(paths[0] if paths else "../shared/data"))
    bench_synthetic(n_participants, n_statements, n_votes)


if __name__ == "__main__":
    main(sys.argv[1:])
