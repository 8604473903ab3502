"""Stance throughput through the command: ``python -m bench.stance [N] [WORKERS]``.

Writes N contribution-like texts (the labelled set's, repeated, with a thank-you sentence added so that each has
several units) and the labelled set's codebook, runs ``concord analyze stance`` on them in this process as a user
would, and prints texts per second, model load and codebook fit included, then without them, and the CPU seconds.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command

from eval.stance import HERE


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    django.setup()
    n = int(argv[0]) if argv else 3000
    workers = int(argv[1]) if len(argv) > 1 else 0
    rows = [json.loads(line) for line in (HERE / "stance_labelled.jsonl").read_text("utf-8").splitlines() if line]
    codebook = json.loads((HERE / "stance_positions.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        source, book, out = Path(tmp, "in.jsonl"), Path(tmp, "codebook.json"), Path(tmp, "out.jsonl")
        with open(source, "w", encoding="utf-8") as f:
            for i in range(n):
                row = rows[i % len(rows)]
                text = f"{row['text']} We thank the secretariat for this consultation ({i})."
                f.write(json.dumps({"id": str(i), "text": text, "lang": row["lang"]}, ensure_ascii=False) + "\n")
        book.write_text(json.dumps(codebook, ensure_ascii=False), "utf-8")
        args = ["analyze", "stance", "--input", str(source), "--codebook", str(book), "--output", str(out)]
        if workers:
            args += ["--workers", str(workers)]
        # The first run pays the model's load (once per process); the second is the steady rate.
        started = time.perf_counter()
        call_command(*args, verbosity=0)
        cold = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        call_command(*args, verbosity=0)
        warm, cpu = time.perf_counter() - started, time.process_time() - cpu
    where = f"{workers} Dask workers" if workers else "one process"
    print(
        f"stance ({len(codebook['positions'])} positions, {where}): {n:,} texts in {warm:.1f} s, {n / warm:,.0f} "
        f"texts/s with the model loaded; first run {cold:.1f} s ({n / cold:,.0f} texts/s)"
    )
    # On a shared machine the wall clock says how busy the neighbours were; CPU seconds say what the code costs
    # (this process, all its threads; with --workers, the workers' time is not counted).
    print(f"  {cpu:.1f} CPU s in this process, {n / cpu:,.0f} texts per CPU second")


if __name__ == "__main__":
    main(sys.argv[1:])
