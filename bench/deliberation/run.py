"""bench/deliberation: simultaneous voters on the voting page, over HTTP, to Concord served by gunicorn.

Each voter is a representative with a personal link. A voter opens the page (GET: the statement, the form and its
CSRF token, the cookie), reads for a while and votes, as a phone does: with ``--client script`` (the default) as the
page's script votes, one POST whose JSON answer carries the next statement; with ``--client form`` as a browser
without script, a plain form POST answered by a redirect, then the GET of the next statement. Prints p50/p95/p99 of
the vote (the POST) and of the page that follows it (the GET, form client), the votes per second, and checks the
record: as many vote events as votes acknowledged, one current vote per voter and statement, each the last one cast.
Prints the CPU the server's processes spent per vote, which a shared machine's load changes less than wall times.

    .venv/bin/python bench/deliberation/run.py [--voters 300] [--think 3.0] [--duration 60] [--statements 40]
        [--workers 2] [--threads 8] [--database sqlite|postgresql] [--client script|form]

``--think`` is each voter's mean time between two votes (exponential, so arrivals are a Poisson process): 300
voters thinking 3 s offer about 100 votes per second. A vote's latency counts from the moment it was due, so a
server that falls behind shows it (no coordinated omission).

``--database sqlite`` (the default, as Concord's) serves from a fresh SQLite file in a temporary directory.
``--database postgresql`` needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a
fresh database concord_bench_deliberation is created beside it and dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NAME = "concord_bench_deliberation"

SETUP = """
import datetime as dt, json
from django.utils import timezone
from concord.consultations.services import create_consultation, publish_consultation
from concord.deliberation import services
from concord.stakeholders.models import EntityCategory, StakeholderGroup
from concord.stakeholders.services import create_entity
now = timezone.now()
c = create_consultation("bench", slug="bench", title="Benchmark consultation (fictional)",
    mandate_reference="None", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1),
    receipt_prefix="BENCH", group_slugs=["government", "international-organization", "civil-society", "private-sector"])
publish_consultation("bench", c)
phase = services.open_phase("bench", c)
for n in range(STATEMENTS):
    services.add_statement("bench", phase, text=f"Fictional statement number {n} for the benchmark.")
groups = list(StakeholderGroup.objects.filter(slug__in=["government", "international-organization",
    "civil-society", "private-sector"]))
category = EntityCategory.objects.get(slug="ecosoc-ngo")
def entity(i):
    return create_entity("bench", name=f"Fictional bench entity {i}", category=category, group=groups[i % 4],
        kind="organization", country="KE", is_fictional=True)
keys = [services.register_voter("bench", phase, entity=entity(i))[1] for i in range(VOTERS)]
print(json.dumps(keys))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return base, urlunparse(urlparse(base)._replace(path=f"/{NAME}"))


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "concord.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not start")


FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)".*?name="statement" value="(\d+)"', re.S)
COOKIE = re.compile(rb"^set-cookie:\s*([^=;]+)=([^;]*)", re.I | re.M)


class Connection:
    """One voter's keep-alive HTTP/1.1 connection over asyncio streams, with its cookies.

    The load generator shares the server's cores: a general-purpose client (httpx) costs about as much CPU per
    request as the page itself, so this writes each request by hand and reads one response (Content-Length or
    chunked), as bench/ingest does."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", accept: str = "") -> tuple[int, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if accept:
            head += f"Accept: {accept}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        if method == "POST":
            head += (
                f"Referer: http://127.0.0.1:{self.port}{path}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        data = head.encode() + b"\r\n" + body
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                self.writer.write(data)
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                # A kept-alive connection the server closed meanwhile: open a new one and send again.
                self.close()
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    async def _response(self) -> tuple[int, str]:
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header.split(b" ", 2)[1])
        for name, value in COOKIE.findall(header):
            self.cookies[name.decode()] = value.decode()
        lower = header.lower()
        if b"transfer-encoding: chunked" in lower:
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            found = re.search(rb"content-length:\s*(\d+)", lower)
            body = await self.reader.readexactly(int(found.group(1))) if found else b""
        if b"connection: close" in lower:
            self.close()
        return status, body.decode("utf-8", "replace")


async def voter(
    port: int, key: str, think: float, until: float, votes: list, pages: list, errors: list, rng, moments, script: bool
) -> None:
    """One voter's session. ``script``: as the page's script votes (a fetch whose JSON answer carries the next
    statement); else as a plain form (POST, 302, then GET of the next statement)."""
    path = f"/en/consultations/bench/vote/{key}/"
    connection = Connection(port)
    try:
        status, page = await connection.request("GET", path)
        if status != 200:
            errors.append((status, page[:300]))
            return
        found = FORM.search(page)
        if found is None:
            return
        token, statement = found.groups()
        due = time.perf_counter() + rng.expovariate(1 / think)
        while statement is not None:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() >= until:
                return
            value = rng.choice(["1", "-1", "0"])
            body = urlencode({"csrfmiddlewaretoken": token, "statement": statement, "value": value}).encode()
            status, answer = await connection.request("POST", path, body, accept="application/json" if script else "")
            votes.append(time.perf_counter() - due)
            moments.append(time.perf_counter())
            if status != (200 if script else 302):
                errors.append(status)
                return
            if script:
                following = json.loads(answer)["statement"]
                statement = None if following is None else str(following["id"])
            else:
                started = time.perf_counter()
                status, page = await connection.request("GET", path)
                pages.append(time.perf_counter() - started)
                found = FORM.search(page)
                statement = found.group(2) if found else None  # None: every statement voted on
            due += rng.expovariate(1 / think)
    finally:
        connection.close()


async def drive(
    port: int, keys: list[str], think: float, duration: float, script: bool
) -> tuple[list, list, list, float]:
    votes: list[float] = []
    pages: list[float] = []
    errors: list[int] = []
    rng = random.Random(2010)
    moments: list[float] = []  # when each vote was answered: the rate is over the voting, not the first page loads
    started = time.perf_counter()
    until = started + duration
    await asyncio.gather(*(voter(port, k, think, until, votes, pages, errors, rng, moments, script) for k in keys))
    span = (max(moments) - min(moments)) if len(moments) > 1 else time.perf_counter() - started
    return votes, pages, errors, span


def _cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) the live processes of a process group (gunicorn's master and workers) used."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry, "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Database:
    """The bench's own database: a fresh SQLite file, or a fresh PostgreSQL database; read back for the checks."""

    def __init__(self, kind: str):
        self.kind = kind
        self.var = tempfile.mkdtemp(prefix="concord-bench-deliberation-")
        self.base_url, self.url = database_urls()

    def create(self) -> dict:
        """The server's environment for this database (None when PostgreSQL is not reachable)."""
        env = {**os.environ, "CONCORD_VAR_DIR": self.var}
        if self.kind == "sqlite":
            env.pop("DATABASE_URL", None)
            return env
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {NAME}")
        return {**env, "DATABASE_URL": self.url}

    def count(self, sql: str) -> int:
        if self.kind == "sqlite":
            with sqlite3.connect(Path(self.var, "concord.sqlite3")) as conn:
                return conn.execute(sql).fetchone()[0]
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchone()[0]

    def drop(self) -> None:
        shutil.rmtree(self.var, ignore_errors=True)
        if self.kind == "postgresql":
            with psycopg.connect(self.base_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--think", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--client",
        choices=["script", "form"],
        default="script",
        help="script: vote as the page's script does (one request per vote); form: as a browser without script "
        "(POST, redirect, GET)",
    )
    parser.add_argument("--port", type=int, default=0, help="Default: a free port.")
    args = parser.parse_args()
    if not args.port:
        # Another server may hold any fixed port on a shared machine: ask the system for a free one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    database = Database(args.database)
    try:
        env = database.create()
    except psycopg.OperationalError as exc:
        print(f"bench/deliberation: skipped, PostgreSQL is not reachable ({exc})")
        return
    env |= {
        "CONCORD_DEBUG": "0",
        "CONCORD_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: the CSRF cookie must not be marked Secure, or no client would send it back.
        "CONCORD_SECURE_COOKIES": "0",
    }
    env.setdefault("CONCORD_SECRET_KEY", "bench-only-" + "x" * 40)
    process = None
    try:
        subprocess.run([str(BIN / "concord"), "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        script = SETUP.replace("STATEMENTS", str(args.statements)).replace("VOTERS", str(args.voters))
        out = subprocess.run(
            [str(BIN / "concord"), "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        keys = json.loads(out.stdout.strip().splitlines()[-1])
        process = start_server(env, args.port, args.workers, args.threads)
        before = resource.getrusage(resource.RUSAGE_SELF)
        server_before = _cpu_seconds(process.pid)
        votes, pages, errors, elapsed = asyncio.run(
            drive(args.port, keys, args.think, args.duration, args.client == "script")
        )
        server_cpu = _cpu_seconds(process.pid) - server_before
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    try:
        events = database.count("SELECT count(*) FROM deliberation_voteevent")
        current = database.count("SELECT count(*) FROM deliberation_vote")
        stale = database.count(
            "SELECT count(*) FROM deliberation_vote v WHERE v.voted_at <> (SELECT max(e.voted_at) FROM "
            "deliberation_voteevent e WHERE e.voter_id = v.voter_id AND e.statement_id = v.statement_id)"
        )
    finally:
        database.drop()
    if not votes:
        print(f"bench/deliberation: no vote went through (errors: {errors[:10]})")
        sys.exit(1)
    ms = [v * 1000 for v in votes]
    page_ms = [v * 1000 for v in pages]
    print(
        f"bench/deliberation: {args.voters} voters, think {args.think:.1f} s, {args.statements} statements, "
        f"{args.database}, {args.client} client, gunicorn {args.workers} workers x {args.threads} threads, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"votes: {len(votes)} answered over {elapsed:.1f} s ({len(votes) / elapsed:.1f}/s), errors: {len(errors)}")
    answer = "POST -> 200, next statement in JSON" if args.client == "script" else "POST -> 302"
    print(
        f"vote ({answer}) ms: p50 {statistics.median(ms):.1f}  p95 {percentile(ms, 0.95):.1f}  "
        f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}"
    )
    if page_ms:
        print(
            f"next statement (GET) ms: p50 {statistics.median(page_ms):.1f}  p95 {percentile(page_ms, 0.95):.1f}  "
            f"p99 {percentile(page_ms, 0.99):.1f}"
        )
    requests = len(votes) + len(pages)
    generator = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / max(1, requests) * 1000
    load = os.getloadavg()[0]
    print(
        f"server CPU per vote{' (POST + GET)' if page_ms else ''}: {server_cpu / len(votes) * 1000:.1f} ms "
        f"({server_cpu:.1f} s in all); "
        f"load generator CPU per request: {generator:.1f} ms; machine load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    ok = events == len(votes) - len(errors) and current == events and stale == 0
    print(f"record: {events} vote events, {current} current votes, {stale} stale: {'ok' if ok else 'MISMATCH'}")
    target = percentile(ms, 0.95) < 100
    print(f"target p95 < 100 ms: {'met' if target else 'missed'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
