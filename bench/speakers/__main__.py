"""bench/speakers: N simulated participants follow the live display while the chair advances the speakers list.

Serves Concord with gunicorn (one process, gthread workers; ``--server runserver`` for what ``make run`` starts)
on a fresh SQLite database, opens N clients that follow the floor as the display page does: subscribed to the
server-sent events of ``live/`` (``--mode sse``, what browsers use), or long-polling ``live.json`` (each answer comes
back as soon as the floor changes, or after a wait), or polling it every second; and has the chair give the floor
every INTERVAL seconds through the chair page. The update latency of one client for one change is the time from the
chair's request to the moment that client holds the new state (the event's JSON parsed). Prints p50/p95/max.

    .venv/bin/python -m bench.speakers [--clients 300] [--advances 20] [--interval 1.5] [--mode sse|longpoll|poll]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(var_dir: str, speakers: int) -> tuple[int, str]:
    """Fresh database, a meeting with a chair and SPEAKERS waiting participants; returns (meeting id, session key)."""
    os.environ["CONCORD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from concord.meetings import services
    from tests.factories import make_consultation, make_entity, make_meeting

    call_command("migrate", verbosity=0)
    chair = get_user_model().objects.create_user("chair", password="x")
    meeting = make_meeting(make_consultation())
    services.update_meeting("bench", meeting, chair=chair)
    services.open_debate("bench", meeting)
    for i in range(speakers):
        entity = make_entity(f"Fictional Bench Entity {i}")
        participant = services.register_participant("bench", meeting, entity=entity, person_name=f"Speaker {i}")
        services.request_floor(participant)
    session = SessionStore()
    session["_auth_user_id"] = str(chair.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = chair.get_session_auth_hash()
    session.create()
    return meeting.pk, session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--advances", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.5)
    parser.add_argument("--mode", choices=["sse", "longpoll", "poll"], default="sse")
    parser.add_argument("--poll-every", type=float, default=1.0)
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    var_dir = tempfile.mkdtemp(prefix="concord-bench-speakers-")
    meeting_id, session_key = _setup(var_dir, args.advances + 5)
    port = _free_port()
    env = {**os.environ, "CONCORD_VAR_DIR": var_dir, "CONCORD_LOG_LEVEL": "WARNING"}
    if args.server == "gunicorn":
        # One process, many threads: each waiting display holds a thread, and the floor's cache is shared.
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "concord.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            str(args.clients + 50),
            "--backlog",
            "2048",
        ]
    else:
        command = [sys.executable, "-m", "concord.cli", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/en/meetings/{meeting_id}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/live.json?wait=0", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        seen: list[dict[int, float]] = [{} for _ in range(args.clients)]
        stop = threading.Event()
        errors = [0]

        async def follow_stream(client: httpx.AsyncClient, index: int) -> None:
            version = -1
            while not stop.is_set():
                headers = {"Last-Event-ID": str(version)} if version >= 0 else {}
                try:
                    async with client.stream("GET", f"{base}/live/", headers=headers) as response:
                        async for line in response.aiter_lines():
                            if line.startswith("data: "):
                                data = json.loads(line[6:])
                                now = time.monotonic()
                                if data["version"] != version:
                                    version = data["version"]
                                    seen[index].setdefault(version, now)
                            if stop.is_set():
                                return
                except (httpx.HTTPError, ValueError):
                    errors[0] += 1
                    await asyncio.sleep(0.2)

        async def follow(client: httpx.AsyncClient, index: int) -> None:
            if args.mode == "sse":
                return await follow_stream(client, index)
            version = -1
            while not stop.is_set():
                try:
                    if args.mode == "longpoll":
                        response = await client.get(f"{base}/live.json", params={"since": version, "wait": 5})
                    else:
                        response = await client.get(f"{base}/live.json", params={"wait": 0})
                    data = response.json()
                except (httpx.HTTPError, ValueError):
                    errors[0] += 1
                    await asyncio.sleep(0.2)
                    continue
                now = time.monotonic()
                if data["version"] != version:
                    version = data["version"]
                    seen[index].setdefault(version, now)
                if args.mode == "poll":
                    await asyncio.sleep(args.poll_every)

        async def followers() -> None:
            limits = httpx.Limits(max_connections=args.clients + 10, max_keepalive_connections=args.clients + 10)
            async with httpx.AsyncClient(timeout=30, limits=limits) as client:
                tasks = []
                for i in range(args.clients):
                    tasks.append(asyncio.create_task(follow(client, i)))
                    if i % 50 == 49:
                        await asyncio.sleep(0.2)
                await asyncio.gather(*tasks)

        # The followers run in their own thread's event loop; the chair acts from this one.
        threading.Thread(target=lambda: asyncio.run(followers()), daemon=True).start()
        time.sleep(3)
        chair = httpx.Client(base_url=base, cookies={"sessionid": session_key}, timeout=30)
        chair.get("/chair/")
        csrf = chair.cookies.get("csrftoken")
        changes: list[tuple[int, float]] = []
        post_times: list[float] = []
        for _ in range(args.advances):
            started = time.monotonic()
            chair.post("/chair/", data={"action": "next"}, headers={"X-CSRFToken": csrf, "Accept": "application/json"})
            version = httpx.get(f"{base}/live.json?wait=0").json()["version"]
            changes.append((version, started))
            post_times.append(time.monotonic() - started)
            time.sleep(args.interval)
        time.sleep(2)
        stop.set()
        latencies, missed = [], 0
        for version, started in changes:
            for client_seen in seen:
                later = [t for v, t in client_seen.items() if v >= version]
                if later:
                    latencies.append(min(later) - started)
                else:
                    missed += 1
        latencies.sort()

        def pct(p: float) -> float:
            return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

        print(
            f"bench/speakers: {args.clients} clients ({args.mode}, {args.server}), {args.advances} changes of speaker, "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"update latency: p50 {pct(0.50) * 1000:.0f} ms, p95 {pct(0.95) * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms ({len(latencies)} observations, {missed} missed, {errors[0]} errors)"
        )
        print(f"chair's request and read-back: median {sorted(post_times)[len(post_times) // 2] * 1000:.0f} ms")
    finally:
        # SIGQUIT: gunicorn's quick shutdown (a graceful one would wait for the open event streams).
        server.send_signal(signal.SIGQUIT if args.server == "gunicorn" else signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
