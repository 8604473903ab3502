"""What one API submission costs inside the server process: CPU time, SQL statements, and where the time goes.

Runs the same JSON POST as bench/ingest/run.py through the application the server runs (concord.wsgi: its
handler, middleware, django-ninja, the submission service) in this process, on a fresh PostgreSQL database, with
no network and no concurrency, so that the figures are the server's own and not the load generator's.

    .venv/bin/python bench/ingest/inprocess.py [--requests 300] [--top 30] [--no-profile]

Prints CPU milliseconds per request (thread time, without the profiler), the SQL statements of one request, then
a cProfile listing sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
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
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the submission's statement")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after loading, as a forking server may")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ...")
    args = parser.parse_args()

    base, _bench = database_urls()
    target = base.rsplit("/", 1)[0] + "/concord_profile_ingest"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS concord_profile_ingest WITH (FORCE)")
        conn.execute("CREATE DATABASE concord_profile_ingest")
    os.environ.update(
        DATABASE_URL=target,
        CONCORD_VAR_DIR=tempfile.mkdtemp(prefix="concord-profile-"),
        CONCORD_API_SUBMIT_RATE="100000/s",  # As bench/ingest/run.py sets it.
        CONCORD_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="concord.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory

    from concord.wsgi import application  # What the server runs (and it preloads the language models).

    call_command("migrate", verbosity=0)
    if args.freeze:
        import gc

        gc.freeze()
    namespace: dict = {}
    out = io.StringIO()
    sys.stdout, saved = out, sys.stdout
    try:
        exec(SETUP, namespace)
    finally:
        sys.stdout = saved
    token = out.getvalue().strip().splitlines()[-1]
    factory = RequestFactory()
    path = "/api/v1/consultations/bench/contributions"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "127.0.0.1"}

    def submit(n: int) -> None:
        body = json.dumps(body_for(n), ensure_ascii=False).encode()
        environ = factory.generic(
            "POST", path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **headers
        ).environ
        status = []
        b"".join(application(environ, lambda s, h, e=None: status.append(s)))
        assert status == ["201 Created"], status

    for n in range(500):  # Caches, connections, lazy imports.
        submit(n)
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        submit(500)
    in_database = {"cpu": 0.0, "wall": 0.0}

    def timed(execute, sql, params, many, context):
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database["cpu"] += time.thread_time() - cpu
            in_database["wall"] += time.perf_counter() - wall

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def backend_cpu() -> float:
        fields = backend.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    database = backend_cpu()
    started = time.thread_time()
    wall = time.perf_counter()
    from concord.contributions import services

    in_service = {"cpu": 0.0}
    service = services.submit_written_contribution

    def timed_service(*a, **kw):
        cpu = time.thread_time()
        try:
            return service(*a, **kw)
        finally:
            in_service["cpu"] += time.thread_time() - cpu

    api_module = sys.modules["concord.api.api"]
    api_module.submit_written_contribution = timed_service
    with connection.execute_wrapper(timed):
        for n in range(args.requests):
            submit(1000 + n)
    api_module.submit_written_contribution = service
    cpu = (time.thread_time() - started) / args.requests
    database = (backend_cpu() - database) / args.requests
    wall = (time.perf_counter() - wall) / args.requests
    print(
        f"{args.requests} submissions of {len(TEXTS)} kinds: {cpu * 1000:.2f} ms CPU, {wall * 1000:.2f} ms wall each;"
        f" of which in cursor.execute: {in_database['cpu'] * 1000 / args.requests:.2f} ms CPU,"
        f" {in_database['wall'] * 1000 / args.requests:.2f} ms wall; in the service:"
        f" {in_service['cpu'] * 1000 / args.requests:.2f} ms CPU; PostgreSQL's backend: {database * 1000:.2f} ms CPU"
    )
    print(f"{len(statements)} SQL statements in one submission:")
    for sql, _params in statements:
        print(f"  ({len(sql)} characters) {sql[:200]}")
    if args.explain:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements")
            print("prepared statements of this connection (count, generic plans, custom plans):", cursor.fetchone())
        # The last statement again, as PostgreSQL plans and runs it, in a transaction rolled back.
        sql, params = statements[-1]
        # Fresh idempotency key and task id: the originals are taken.
        fresh = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}(?![0-9a-f])")
        params = [fresh.sub(lambda m: str(uuid.uuid4()), p) if isinstance(p, str) else p for p in params]
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, SUMMARY) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))
            cursor.execute("ROLLBACK")
    if not args.no_profile:
        profile = cProfile.Profile()
        profile.enable()
        for n in range(args.requests):
            submit(10_000 + n)
        profile.disable()
        stats = io.StringIO()
        pstats.Stats(profile, stream=stats).sort_stats(args.sort).print_stats(args.top)
        print(stats.getvalue())
    connection.close()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS concord_profile_ingest WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
