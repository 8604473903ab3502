"""What one API submission costs inside the server process: CPU time, SQL statements, and where the time goes.

Runs the same JSON POST as bench/ingest/run.py through Django's whole request path (WSGI handler, middleware,
django-ninja, the submission service) in this process, on a fresh PostgreSQL database, with no network and no
concurrency, so that the figures are the server's own and not the load generator's.

    .venv/bin/python bench/ingest/inprocess.py [--requests 300] [--top 30] [--no-profile]

Prints CPU milliseconds per request (thread time, without the profiler), the SQL statements of one request, then
a cProfile listing sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.ingest.run import SETUP, TEXTS, body_for, database_urls  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    base, _bench = database_urls()
    target = base.rsplit("/", 1)[0] + "/concord_profile_ingest"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS concord_profile_ingest WITH (FORCE)")
        conn.execute("CREATE DATABASE concord_profile_ingest")
    os.environ.update(
        DATABASE_URL=target,
        CONCORD_VAR_DIR=tempfile.mkdtemp(prefix="concord-profile-"),
        CONCORD_API_SUBMIT_RATE="1000000/m",
        CONCORD_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="concord.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    import concord.wsgi  # noqa: F401  (preloads the language models, as the server does)

    call_command("migrate", verbosity=0)
    namespace: dict = {}
    out = io.StringIO()
    sys.stdout, saved = out, sys.stdout
    try:
        exec(SETUP, namespace)
    finally:
        sys.stdout = saved
    token = out.getvalue().strip().splitlines()[-1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    url = "/api/v1/consultations/bench/contributions"

    def submit(n: int) -> None:
        response = client.post(
            url, body_for(n), content_type="application/json", headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        assert response.status_code == 201, response.content

    for n in range(500):  # Every organisation once (their entities), caches, connections, lazy imports.
        submit(n)
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        submit(500)
    started = time.thread_time()
    wall = time.perf_counter()
    for n in range(args.requests):
        submit(1000 + n)
    cpu = (time.thread_time() - started) / args.requests
    wall = (time.perf_counter() - wall) / args.requests
    print(f"{args.requests} submissions of {len(TEXTS)} kinds: {cpu * 1000:.2f} ms CPU, {wall * 1000:.2f} ms wall each")
    print(f"{len(statements)} SQL statements in one submission:")
    for sql in statements:
        print(f"  {sql[:200]}")
    if not args.no_profile:
        profile = cProfile.Profile()
        profile.enable()
        for n in range(args.requests):
            submit(10_000 + n)
        profile.disable()
        stats = io.StringIO()
        pstats.Stats(profile, stream=stats).sort_stats("cumulative").print_stats(args.top)
        print(stats.getvalue())
    connection.close()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS concord_profile_ingest WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
