"""bench/ingest: concurrent clients submit text contributions over HTTP to Concord served by gunicorn on PostgreSQL.

Prints accepted submissions per second and p50/p99 latency, the CPU each side spent per receipt (server, database
backends, this load generator), the machine's load and the CPU its hypervisor gave other guests (steal), then
checks that nothing was lost: every receipt a client got back exists in the database with the same SHA-256, the
number of rows equals the number of receipts, and the receipt numbers run from 1 without a gap. With --kill, the
server is killed with SIGKILL mid-run and restarted; clients retry with the same idempotency key, as a real client
would, and every acknowledged receipt must still be there.

    .venv/bin/python bench/ingest/run.py [--requests 6000] [--concurrency 200] [--rate 200] [--workers 2]
        [--threads 4] [--kill] [--trace FILE]

``--trace`` writes each receipt's due moment (Unix time) and latency, to set a slow stretch beside the server's
and PostgreSQL's logs or ``vmstat -t``.

Two ways to load the server:
- ``--rate R``: the clients together offer R submissions per second, each client at random moments (a Poisson
  process), and a submission's latency counts from the moment it was due, so a server that falls behind shows it
  in p99 (no coordinated omission). 200 clients offering 200 per second is the target of issue 3: many clients,
  each submitting about once a second.
- ``--rate 0``: each client submits back to back; the accepted rate is then the server's capacity, and the latency
  is mostly queueing (N clients over X per second wait about N/X).

The load generator speaks HTTP/1.1 over asyncio streams with keep-alive connections (one per client): it runs on
the server's cores and costs about half a millisecond of CPU per submission, which it prints. The server runs
threaded workers (gthread), which keep those connections alive; ``--threads 1`` gives sync workers, which close
each one.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a fresh database
concord_bench_ingest_<port> is created beside it and dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse, urlunparse

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEXTS = [
    "Les coûts d'interconnexion internationale restent trop élevés pour les pays en développement ({n}).",
    "International interconnection costs should be shared fairly between networks ({n}).",
    "La protección de los datos personales exige una cooperación internacional reforzada ({n}).",
    "Защита персональных данных требует укрепления международного сотрудничества ({n}).",
    "يجب تعزيز التعاون الدولي في مجال الأمن السيبراني وحماية البيانات ({n}).",
    "应加强国际合作，降低发展中国家的国际互联成本 ({n})。",
]


class Acknowledged(NamedTuple):
    receipt: str
    sha256: str
    elapsed: float  # Seconds from the moment the submission was due to its receipt.
    status: int  # 201: created; 200: a retry answered with the first receipt.
    due: float  # time.perf_counter() of the moment it was due (back to back: of its first send).


def database_urls(name: str = "concord_bench_ingest") -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(base)
    bench = urlunparse(parsed._replace(path=f"/{name}"))
    return base, bench


def recreate_database(base: str, name: str) -> None:
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


SETUP = """
import datetime as dt
from django.utils import timezone
from concord.api.services import issue_api_token
from concord.consultations.services import create_consultation, publish_consultation
from concord.stakeholders.models import EntityCategory
from concord.stakeholders.services import find_or_create_entity
now = timezone.now()
c = create_consultation("bench", slug="bench", title="Benchmark consultation (fictional)",
    mandate_reference="None", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1),
    receipt_prefix="BENCH", group_slugs=["government", "international-organization", "civil-society", "private-sector"])
c.premoderation = False
c.save(update_fields=["premoderation"])
publish_consultation("bench", c)
category = EntityCategory.objects.get(slug="ecosoc-ngo")
entity = find_or_create_entity("bench", name=ORGANIZATION, category=category, group=category.default_group,
    kind="organization", country="KE")
# A token speaks for one organisation: every bench submission is that organisation's.
print(issue_api_token("bench", "bench", entity=entity, consultations=[c])[1])
""".replace("ORGANIZATION", repr("Fictional bench organization"))


def body_for(n: int) -> dict:
    """The n-th submission: the token's fictional organisation, a sentence in one of the six languages."""
    return {
        "submitter": {
            "kind": "organization",
            "name": "Fictional bench organization",
            "category": "ecosoc-ngo",
            "group": "civil-society",
            "country": "KE",
            "email": "bench@example.org",
        },
        "text": TEXTS[n % len(TEXTS)].format(n=n),
    }


class Server:
    def __init__(self, env: dict, workers: int, threads: int, port: int):
        self.env, self.workers, self.threads, self.port = env, workers, threads, port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "concord.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread" if self.threads > 1 else "sync",
                "--threads",
                str(self.threads),
                # Clients that submit every second or so keep their connection (gunicorn's default is 2 s).
                "--keep-alive",
                "10",
                "--log-level",
                "warning",
                # Load Django (and its language models) once before forking.
                "--preload",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill(self) -> None:
        # SIGKILL to the whole group: master and workers die mid-request, nothing is flushed gracefully.
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Connection:
    """One client's keep-alive HTTP/1.1 connection, spoken directly over asyncio streams.

    The load generator shares the server's two cores, so it must cost as little CPU as it can: a general-purpose
    client (httpx) spends more per request than the bytes need. This writes one pre-encoded request and reads one
    response with a Content-Length, which is all gunicorn sends for Django's responses."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.head = (
            f"POST {{path}} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {length}\r\n\r\n"
        )
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def post(self, path: str, key: str, body: bytes) -> tuple[int, bytes]:
        request = self.head.format(path=path, key=key, length=len(body)).encode() + body
        # A kept-alive connection the server has just closed fails on first use: open a new one and send again
        # (safe: the idempotency key makes a repeat harmless).
        for fresh in (self.writer is None, True):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                self.writer.write(request)
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if fresh:
                    raise
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        else:
            content = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection") == "close":
            self.close()
        return status, content


async def client_loop(queue, results, port, path, token, retries_on_error: bool, pace: float, rng: random.Random):
    """Submit until the queue is empty: back to back when ``pace`` is 0, else at random moments, on average every
    ``pace`` seconds (a Poisson process), with the latency counted from the moment the submission was due, so that
    a server falling behind shows as latency rather than as a slower client.

    A client takes its next submission from the queue only when it is due: the clients together keep offering the
    rate until the queue is empty, instead of each holding one submission for a moment up to seconds away at the
    end (which stretched the run by the longest of those waits and made the accepted rate look below the offered
    one however fast the server was)."""
    connection = Connection(port, token)
    due = time.perf_counter() + (rng.expovariate(1 / pace) if pace else 0)
    try:
        while True:
            if pace and (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            key = uuid.uuid4().hex
            body = json.dumps(body_for(n), ensure_ascii=False).encode()
            if pace:
                started = due
                due += rng.expovariate(1 / pace)
            else:
                started = time.perf_counter()
            while True:
                status, content = None, b""
                try:
                    async with asyncio.timeout(30):
                        status, content = await connection.post(path, key, body)
                except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    connection.close()
                    results.setdefault("first_error", repr(exc))
                # Until acknowledged: through retries, when the server was killed meanwhile.
                elapsed = time.perf_counter() - started
                if status in (200, 201):
                    receipt = json.loads(content)
                    results["ok"].append(Acknowledged(receipt["receipt"], receipt["sha256"], elapsed, status, started))
                    results["last"] = time.perf_counter()
                    break
                results["errors"] += 1
                if status is not None and "first_error" not in results:
                    results["first_error"] = f"{status} {content[:300].decode(errors='replace')}"
                if not retries_on_error:
                    break
                await asyncio.sleep(0.2)
    finally:
        connection.close()


async def drive(args, path, token, server: Server) -> dict:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(args.requests):
        queue.put_nowait(n)
    results = {"ok": [], "errors": 0}
    pace = args.concurrency / args.rate if args.rate else 0.0
    clients = [
        asyncio.create_task(
            client_loop(queue, results, args.port, path, token, args.kill, pace, random.Random(f"{args.seed}-{i}"))
        )
        for i in range(args.concurrency)
    ]
    killer = None
    if args.kill:

        async def kill_and_restart():
            while len(results["ok"]) < args.requests // 2:
                await asyncio.sleep(0.05)
            print(f"  SIGKILL after {len(results['ok'])} receipts; restarting", flush=True)
            server.kill()
            await asyncio.to_thread(server.start)

        killer = asyncio.create_task(kill_and_restart())
    started = time.perf_counter()
    await asyncio.gather(*clients)
    # Up to the last receipt: clients that found the queue empty on waking add nothing to the measure.
    results["elapsed"] = results.get("last", time.perf_counter()) - started
    if killer:
        await killer
    return results


def _cpu_of(pids) -> dict[int, float]:
    """CPU seconds (user + system) each live process has used."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return pids


def _machine_ticks() -> tuple[int, int]:
    """All CPU ticks of the machine so far, and those the hypervisor gave to other guests (steal)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal: guest time is already counted in user and nice.
    return sum(fields[:8]), fields[7]


class CpuMeter:
    """CPU spent by the load generator (this process), the server's processes and the database's backends.

    Processes come and go during a run (a server thread's connection is replaced after CONN_MAX_AGE, a killed
    server's workers), so the server's and the database's are sampled every half second: each counts from its
    first sample (zero when it started during the run) to its last."""

    def __init__(self, server: Server, bench_url: str):
        self.server, self.bench_url = server, bench_url
        self.first: dict[tuple[str, int], float] = {}
        self.ticks: list[tuple[int, int]] = []  # The machine's (total, stolen) at each sample, every half second.
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()

    def _sample(self, conn, start: bool) -> None:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        for side, pids in (("server", _group_pids(self.server.process.pid)), ("db", [pid for (pid,) in backends])):
            for pid, cpu in _cpu_of(pids).items():
                self.first.setdefault((side, pid), cpu if start else 0.0)
                self.last[(side, pid)] = cpu
        self.ticks.append(_machine_ticks())

    def _poll(self) -> None:
        with psycopg.connect(self.bench_url, autocommit=True) as conn:
            self._sample(conn, start=True)
            self.started.set()
            while not self.stop.wait(0.5):
                self._sample(conn, start=False)
            self._sample(conn, start=False)

    def __enter__(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.client = usage.ru_utime + usage.ru_stime
        self.load_before = os.getloadavg()
        self.started = threading.Event()
        self.poller = threading.Thread(target=self._poll, daemon=True)
        self.poller.start()
        self.started.wait(10)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.poller.join(10)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.client = usage.ru_utime + usage.ru_stime - self.client
        self.load_after = os.getloadavg()

    def seconds(self) -> tuple[float, float, float]:
        """Load generator, server, database."""

        def spent(side):
            return sum(cpu - self.first[key] for key, cpu in self.last.items() if key[0] == side)

        return self.client, spent("server"), spent("db")

    def stolen(self) -> tuple[float, float]:
        """The share of the machine's CPU time that the hypervisor gave to other guests over the run, and the most
        it gave over any two seconds of it (a virtual machine's cores are not all its own: when another guest takes
        a third of them, no server keeps its latency)."""

        def share(a, b):
            total = b[0] - a[0]
            return (b[1] - a[1]) / total if total else 0.0

        ticks = self.ticks
        windows = [share(ticks[i], ticks[i + 4]) for i in range(len(ticks) - 4)]
        return share(ticks[0], ticks[-1]) if len(ticks) > 1 else 0.0, max(windows, default=0.0)


def verify(bench_url: str, ok: list) -> tuple[int, int, int, bool]:
    receipts = {r.receipt: r.sha256 for r in ok}
    with psycopg.connect(bench_url) as conn:
        rows = dict(
            conn.execute(
                "SELECT receipt_number, sha256 FROM contributions_contribution c "
                "JOIN consultations_consultation k ON k.id = c.consultation_id WHERE k.slug = 'bench'"
            ).fetchall()
        )
    missing = sum(1 for r in receipts if r not in rows)
    altered = sum(1 for r, sha in receipts.items() if r in rows and rows[r] != sha)
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in rows)
    gapless = numbers == list(range(1, len(numbers) + 1))
    return len(rows), missing, altered, gapless


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=200, help="clients, each with its own connection")
    parser.add_argument(
        "--rate",
        type=float,
        default=200,
        help="submissions per second the clients offer together (each at random moments); 0: back to back",
    )
    parser.add_argument("--seed", default="ingest")
    # Two processes for two cores; four threads each overlap one request's wait on the database with another's work.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="1: sync workers; more: gthread")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server mid-run and restart it")
    parser.add_argument(
        "--warmup", type=int, default=500, help="submissions before the measure (500: every organisation once)"
    )
    parser.add_argument("--trace", type=Path, help="write each receipt's due moment and latency (CSV, seconds)")
    args = parser.parse_args()

    # One database per port: runs on different ports never drop each other's.
    name = f"concord_bench_ingest_{args.port}"
    base, bench_url = database_urls(name)
    try:
        recreate_database(base, name)
    except psycopg.OperationalError as exc:
        print(f"bench/ingest skipped: PostgreSQL is not reachable at {base} ({exc})")
        return 0
    var = tempfile.mkdtemp(prefix="concord-bench-")
    env = os.environ | {
        "DATABASE_URL": bench_url,
        "CONCORD_VAR_DIR": var,
        # Never reached, over a one-second window: the throttle keeps (and pickles) the times of the requests in its
        # window, so a minute at the bench's rate would cost what no real token's limit does.
        "CONCORD_API_SUBMIT_RATE": "100000/s",
        "CONCORD_LOG_LEVEL": "WARNING",
        # Receipts by e-mail are queued as tasks; the bench measures intake, not a mail server.
        "CONCORD_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    subprocess.run([str(BIN / "concord"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    token = (
        subprocess.run(
            [str(BIN / "concord"), "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server = Server(env, args.workers, args.threads, args.port)
    server.start()
    path = "/api/v1/consultations/bench/contributions"
    try:
        if args.warmup:
            warm = argparse.Namespace(**{**vars(args), "requests": args.warmup, "kill": False, "rate": 0})
            asyncio.run(drive(warm, path, token, server))
        # A server in service has statistics on its tables; this fresh database has none until autovacuum's first
        # pass, and a statement prepared before it keeps a plan made for an empty registry.
        with psycopg.connect(bench_url, autocommit=True) as conn:
            conn.execute("ANALYZE")
        with CpuMeter(server, bench_url) as meter:
            results = asyncio.run(drive(args, path, token, server))
    finally:
        server.stop()

    ok = results["ok"]
    if args.trace:
        wall = time.time() - time.perf_counter()  # Due moments as Unix times, to set beside the server's logs.
        args.trace.write_text("".join(f"{wall + r.due:.4f},{r.elapsed:.4f}\n" for r in ok))
    latencies = sorted(r.elapsed for r in ok)
    rows, missing, altered, gapless = verify(bench_url, ok)
    expected_rows = len(ok) + args.warmup
    print(
        f"bench/ingest: {args.requests} submissions, {args.concurrency} concurrent clients "
        + (f"offering {args.rate:g} per second" if args.rate else "back to back")
        + f", gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL, {os.cpu_count()} cores"
    )
    print(
        f"  accepted:          {len(ok)} in {results['elapsed']:.1f} s = {len(ok) / results['elapsed']:.0f} per second"
    )
    if latencies:
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"  latency:           p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
        # A stall (a pause, a neighbour's burst) shows as one slow stretch rather than as a slow server.
        start = min(r.due for r in ok)
        seconds: dict[int, list[float]] = {}
        for r in ok:
            seconds.setdefault(int(r.due - start), []).append(r.elapsed)
        slowest, during = max((statistics.median(v), s) for s, v in seconds.items())
        print(f"  slowest second:    p50 {slowest * 1000:.0f} ms, {during} s into the run")
    print(
        f"  failed attempts:   {results['errors']}" + (" (retried with the same idempotency key)" if args.kill else "")
    )
    print(f"  replays answered:  {sum(1 for r in ok if r.status == 200)} (idempotent retries of committed ones)")
    print(f"  database rows:     {rows} (receipts acknowledged incl. warm-up: {expected_rows})")
    print(f"  lost receipts:     {missing}; altered: {altered}; numbers 1..{rows} without a gap: {gapless}")
    client_cpu, server_cpu, db_cpu = meter.seconds()
    per = 1000 / max(1, len(ok))
    available = os.cpu_count() * results["elapsed"] * per
    print(
        f"  CPU per receipt:   server {server_cpu * per:.1f} ms, PostgreSQL {db_cpu * per:.1f} ms, "
        f"load generator {client_cpu * per:.1f} ms (the {os.cpu_count()} cores had {available:.1f} ms)"
    )
    # On a shared machine the accepted rate says more about the neighbours than about Concord: the CPU this run
    # spent per receipt bounds what the cores would accept if they were this run's alone.
    spent = (client_cpu + server_cpu + db_cpu) * per
    print(
        f"  CPU bound:         {os.cpu_count() * 1000 / spent:.0f} per second if the cores were this run's alone"
        f" (it used {spent / available:.0%} of them)"
    )
    print(f"  load average:      {meter.load_before[0]:.2f} before, {meter.load_after[0]:.2f} after (1 min)")
    stolen, worst = meter.stolen()
    print(f"  stolen CPU:        {stolen:.0%} of the machine's over the run, at most {worst:.0%} over 2 s (hypervisor)")
    if "first_error" in results:
        print(f"  first error:       {results['first_error']}")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0 if missing == 0 and altered == 0 and gapless and rows == expected_rows else 1


if __name__ == "__main__":
    sys.exit(main())
