"""The results page's live updates: a server-sent event each time a phase's opinion groups are computed again.

Votes reach the results through the background computation (``opinions.request_refresh``), at most once every
``REFRESH_SECONDS``; this announces each new result to the open results pages, which then read the page again and
swap its content. One watcher thread per process follows the phases that some stream watches: one query every
``WATCH_EVERY`` seconds for all of them, whatever the number of readers (the meeting floor's design, in
``concord.meetings.floor``). A page without script, or a browser without EventSource, reloads by hand as before.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter

from django.db import connection

from .models import OpinionResult

WATCH_EVERY = 1.0
KEEPALIVE_EVERY = 15.0
STREAM_SECONDS = 300.0
RETRY_MS = 3000
logger = logging.getLogger(__name__)


def encode_event(version: int) -> bytes:
    """One event; its id is the result's version (the last vote it includes), so a reconnecting browser says what
    it has."""
    return f"id: {version}\nevent: results\ndata: {json.dumps({'version': version})}\n\n".encode()


class ResultsWatcher:
    """Follows the results of the phases this process's streams watch. The thread runs only while a stream is
    open and holds one database connection for the purpose."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watching: Counter[int] = Counter()
        self._versions: dict[int, int] = {}
        self._thread: threading.Thread | None = None

    def subscribe(self, phase_id: int) -> None:
        with self._changed:
            self._watching[phase_id] += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="concord-results-watcher", daemon=True)
                self._thread.start()

    def unsubscribe(self, phase_id: int) -> None:
        with self._changed:
            self._watching[phase_id] -= 1
            if self._watching[phase_id] <= 0:
                del self._watching[phase_id]
                self._versions.pop(phase_id, None)

    def wait(self, phase_id: int, since: int, timeout: float) -> int | None:
        """The phase's result version once it differs from ``since``, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                version = self._versions.get(phase_id)
                if version is not None and version != since:
                    return version
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def _run(self) -> None:
        failing = False
        try:
            while True:
                with self._changed:
                    ids = list(self._watching)
                    if not ids:
                        self._thread = None
                        return
                try:
                    self._refresh(ids)
                    failing = False
                except Exception:  # a database hiccup must not end the streams: log once, retry at each tick
                    if not failing:
                        logger.warning("results watcher: refresh failed, retrying", exc_info=True)
                    failing = True
                    connection.close()
                time.sleep(WATCH_EVERY)
        finally:
            connection.close()

    def _refresh(self, ids: list[int]) -> None:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            # The test database only, where SQLite locks tables between connections sharing its cache: a read here
            # could make a test's write fail. Files use WAL, where readers never block.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 1")
        versions = dict(OpinionResult.objects.filter(phase_id__in=ids).values_list("phase_id", "last_event_id"))
        with self._changed:
            for phase_id in ids:
                if phase_id in self._watching:
                    self._versions[phase_id] = versions.get(phase_id, 0)
            self._changed.notify_all()


watcher = ResultsWatcher()


def stream(phase_id: int, since: int, *, seconds: float = STREAM_SECONDS):
    """The phase's results as server-sent events: an event whenever the version differs from what the browser has
    (``since``), a comment every ``KEEPALIVE_EVERY`` seconds, and an end after ``seconds`` (the browser reconnects
    by itself, so no server thread is held for ever)."""
    watcher.subscribe(phase_id)
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            version = watcher.wait(phase_id, since, min(left, KEEPALIVE_EVERY))
            if version is None:
                yield b": keep-alive\n\n"
                continue
            since = version
            yield encode_event(version)
    finally:
        watcher.unsubscribe(phase_id)
