"""bench/report: generate the full report (all formats, one language) for consultations of 1,000, 10,000 and
100,000 contributions; print the time (wall and CPU), peak memory and query count of each.

    .venv/bin/python -m bench.report [SIZE ...] [--lang en] [--output-dir DIR]
    .venv/bin/python bench/report/run.py [--sizes 1000 10000 100000] [--lang en] [--output-dir DIR]

As the ``report`` command and the site do for one format, the draft is generated once and its context (the records
every format shows) computed once, then each format is rendered from it; the times of these two steps are printed
apart. ``--output-dir`` keeps the outputs, to look at them.

Contributions are bulk-inserted (fictional entities and texts), tagged with issues so that section III is full,
into a throw-away SQLite database under a temporary CONCORD_VAR_DIR (or the PostgreSQL of DATABASE_URL).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# The throw-away database's folder, made here (only when none is given) and removed at the end: 140 MB at 100,000.
THROWAWAY = None
if "CONCORD_VAR_DIR" not in os.environ:
    THROWAWAY = os.environ["CONCORD_VAR_DIR"] = tempfile.mkdtemp(prefix="concord-bench-report-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TEXTS = [
    "International interconnection costs remain too high for developing countries; we propose a working group.",
    "La protection des données personnelles exige une coopération internationale renforcée.",
    "La ciberseguridad requiere cooperación entre los equipos nacionales de respuesta.",
    "Сетевой нейтралитет должен быть защищен международными нормами.",
    "يجب تعزيز تعددية اللغات على الإنترنت.",
    "应加强能力建设，缩小数字鸿沟。",
]


def slug_of(size: int) -> str:
    return f"bench-{size}"


def populate(size: int, seed: int = 0):
    import datetime as dt

    from django.utils import timezone

    from concord.consultations.services import create_consultation, publish_consultation
    from concord.contributions.models import Contribution, Source
    from concord.meetings.services import create_meeting
    from concord.policy.models import ContributionIssue, PolicyIssue
    from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup

    rng = random.Random(seed)
    now = timezone.now()
    slug = slug_of(size)
    consultation = create_consultation(
        "bench",
        slug=slug,
        title=f"Benchmark consultation of {size:,} contributions (fictional)",
        mandate_reference="Fictional resolution 1/1",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=1),
        receipt_prefix=f"B{size}",
        group_slugs=["government", "international-organization", "civil-society", "private-sector"],
        mandate="A fictional mandate for a benchmark.",
    )
    publish_consultation("bench", consultation, when=now - dt.timedelta(days=100))
    meeting = create_meeting("bench", consultation, title="Fictional meeting", date=now.date(), place="Online")
    groups = list(
        StakeholderGroup.objects.filter(
            slug__in=["government", "international-organization", "civil-society", "private-sector"]
        )
    )
    category = EntityCategory.objects.get(slug="ecosoc-ngo")
    entities = Entity.objects.bulk_create(
        Entity(
            name=f"Fictional entity {i}",
            normalized_name=f"fictional entity {i}",
            category=category,
            group=groups[i % len(groups)],
            is_fictional=True,
        )
        for i in range(max(10, size // 20))
    )
    channels = ["written"] * 8 + ["presentation", "intervention"]
    letters = {"written": "W", "presentation": "P", "intervention": "I"}
    counters = dict.fromkeys(letters, 0)
    rows = []
    for i in range(size):
        channel = rng.choice(channels)
        counters[channel] += 1
        entity = rng.choice(entities)
        rows.append(
            Contribution(
                consultation=consultation,
                receipt_number=f"B{size}-{letters[channel]}-{counters[channel]:06d}",
                entity=entity,
                group_id=entity.group_id,
                channel=channel,
                language="en",
                title=f"Contribution {i}",
                text=rng.choice(TEXTS),
                received_at=now - dt.timedelta(days=2, seconds=i),
                source=Source.STAFF,
                meeting=meeting if channel != "written" else None,
            )
        )
    Contribution.objects.bulk_create(rows, batch_size=2000)
    issues = list(PolicyIssue.objects.all())
    pks = list(Contribution.objects.filter(consultation=consultation).values_list("pk", flat=True))
    tags = [
        ContributionIssue(contribution_id=pk, issue=issue, score=0.8) for pk in pks for issue in rng.sample(issues, 2)
    ]
    ContributionIssue.objects.bulk_create(tags, batch_size=5000)
    _stances(consultation, pks, rng)
    return consultation


def _stances(consultation, pks, rng):
    """The demo's codebook, and stances shaped like the analysed demo's (98 contributions, 122 taking a side, 443
    neutral): per contribution one side taken (support 7 times in 10) and one neutral mention, each with its
    evidence sentence, so that sections III to V are drafted from positions as on a real consultation."""
    from concord.contributions.models import Contribution
    from concord.positions.codebook import DEMO_CODEBOOK, load_codebook, read_codebook
    from concord.positions.models import Stance

    positions = load_codebook("bench", consultation, read_codebook(DEMO_CODEBOOK))
    texts = dict(Contribution.objects.filter(pk__in=pks).values_list("pk", "text"))
    rows = []
    for pk in pks:
        taken, mentioned = rng.sample(positions, 2)
        evidence = [{"text": texts[pk], "start": 0, "end": len(texts[pk])}]
        side = "support" if rng.random() < 0.7 else "oppose"
        rows.append(Stance(contribution_id=pk, position=taken, stance=side, score=rng.random(), evidence=evidence))
        rows.append(Stance(contribution_id=pk, position=mentioned, stance="neutral", score=0.5, evidence=evidence))
    Stance.objects.bulk_create(rows, batch_size=5000)


def _cpu() -> float:
    """CPU seconds of this process and its finished children: on a shared machine, what the wall time hides."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> int:
    try:
        return run()
    finally:
        if THROWAWAY:
            connection.close()
            shutil.rmtree(THROWAWAY, ignore_errors=True)


def run() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int, nargs="*", help="Sizes to run (as --sizes).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--formats", nargs="+", default=["html", "md", "pdf", "docx"])
    parser.add_argument("--output-dir", type=Path, help="Write each output there, to look at it.")
    args = parser.parse_args()
    sizes = args.size or args.sizes
    call_command("migrate", verbosity=0)
    from concord.reports import render
    from concord.reports.services import generate_report

    # The load average says whether the machine was quiet: on a shared machine, other work inflates the wall time.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bench/report: {connection.vendor}, {os.cpu_count()} cores, language {args.lang}, load average {load}")
    for size in sizes:
        consultation = populate(size)
        started, cpu_started = time.perf_counter(), _cpu()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            draft = generate_report("bench", consultation, args.lang)
            generated = time.perf_counter()
            ctx = render.context(draft)
            steps = {"generate": generated - started, "context": time.perf_counter() - generated}
            timings, pages = {}, None
            for fmt in args.formats:
                t = time.perf_counter()
                output = render.RENDERERS[fmt](draft, ctx=ctx)
                timings[fmt] = (time.perf_counter() - t, len(output))
                if fmt == "pdf":
                    pdf = output
                if args.output_dir:
                    args.output_dir.mkdir(parents=True, exist_ok=True)
                    data = output.encode() if isinstance(output, str) else output
                    (args.output_dir / f"{slug_of(size)}-{args.lang}.{fmt}").write_bytes(data)
            del ctx, output
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu_started
        if "pdf" in args.formats:  # counted after the clock stopped: reading the PDF back is no part of writing it
            from pypdf import PdfReader

            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            del pdf
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # A long PDF's second half is laid out in a child process (concord.reports.render.to_pdf): its peak counts too.
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        detail = ", ".join(f"{step} {t:.1f} s" for step, t in steps.items()) + ", "
        detail += ", ".join(f"{fmt} {t:.1f} s ({size_ / 1e6:.1f} MB)" for fmt, (t, size_) in timings.items())
        if pages:
            detail += f"; the PDF has {pages:,} pages"
        print(
            f"  {size:>7,} contributions: {elapsed:6.1f} s in all ({cpu:.1f} s of CPU); {detail}; "
            f"{len(queries)} queries; "
            f"peak RSS {peak:,.0f} MiB (process so far), {child_peak:,.0f} MiB (largest child so far); "
            f"load average now {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
