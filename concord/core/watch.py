"""One thread per process that polls the database for what open streams wait on, and wakes them on a change.

Why a thread: a page that follows something live (the meeting floor, a phase's results) holds a streaming response
open. If every stream polled the database itself, a room of several hundred displays would cost a query per display
per tick and a connection each. Instead each stream ``subscribe``s to a key (a meeting, a phase) and sleeps on a
condition; one daemon thread reads all the watched keys in one query per tick (``refresh``, written by the
subclass), stores what it read under the condition and wakes the sleepers. It holds this process's one extra
database connection for the purpose.

How it stops: the thread starts with the first subscription and checks at each tick whether anyone still watches;
when the last stream has unsubscribed, it clears ``_thread``, closes its connection and returns. The next
subscription starts a new one. Being a daemon, it never holds up the process's exit.

A failing read (a lock, a database restart) must not end the streams: it is logged once, the connection closed,
and the read tried again at the next tick.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Hashable

from django.db import connection

logger = logging.getLogger(__name__)


class PollingWatcher:
    """Base of a per-process watcher: subscriptions, the thread's life and the tick. A subclass gives ``name``,
    ``interval()`` and ``refresh(keys)``, and ``forget(key)`` where it keeps something per key.

    Subclasses keep their state under ``self.changed`` and call ``self.changed.notify_all()`` after storing what
    ``refresh`` read; streams wait with ``self.changed.wait_for(...)``.
    """

    name = "concord-watcher"

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self._wake = threading.Event()
        self._watching: Counter[Hashable] = Counter()
        self._thread: threading.Thread | None = None

    def interval(self) -> float:
        """Seconds between two reads; read at each tick, so a change to the subclass's setting applies at once."""
        raise NotImplementedError

    def refresh(self, keys: list[Hashable]) -> None:
        """Read the watched keys (in one query where possible) and store the result under ``self.changed``."""
        raise NotImplementedError

    def forget(self, key: Hashable) -> None:
        """The last stream on ``key`` closed (called with ``self.changed`` held): drop what is kept for it."""

    def subscribe(self, key: Hashable) -> None:
        with self.changed:
            self._watching[key] += 1
            if self._thread is None:
                # A new thread reads at once; a running one is woken so that the new key need not wait a tick.
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
                return
        self._wake.set()

    def unsubscribe(self, key: Hashable) -> None:
        with self.changed:
            self._watching[key] -= 1
            if self._watching[key] <= 0:
                del self._watching[key]
                self.forget(key)

    def is_watched(self, key: Hashable) -> bool:
        """Whether a stream still waits on ``key`` (call with ``self.changed`` held): a read that lands after the
        last one left must not be kept."""
        return key in self._watching

    def poke(self) -> None:
        """A change was committed in this process: read now rather than at the next tick."""
        self._wake.set()

    def _run(self) -> None:
        failing = False
        try:
            while True:
                with self.changed:
                    keys = list(self._watching)
                    if not keys:
                        self._thread = None
                        return
                try:
                    self._read_uncommitted_in_test_database()
                    self.refresh(keys)
                    failing = False
                except Exception:  # a database hiccup must not end the streams: log once, retry at each tick
                    if not failing:
                        logger.warning("%s: refresh failed, retrying", self.name, exc_info=True)
                    failing = True
                    connection.close()
                self._wake.wait(self.interval())
                self._wake.clear()
        finally:
            connection.close()

    @staticmethod
    def _read_uncommitted_in_test_database() -> None:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            # Only the test database is in memory, where SQLite locks whole tables between connections sharing its
            # cache: a read here could make a test's write fail at once. Files use WAL, where readers never block.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 1")
