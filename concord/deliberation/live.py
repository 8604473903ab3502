"""The results page's live updates: a server-sent event each time a phase's opinion groups are computed again.

Votes reach the results through the background computation (``opinions.request_refresh``), at most once every
``REFRESH_SECONDS``; this announces each new result to the open results pages, which then read the page again and
swap its content. One watcher thread per process follows the phases that some stream watches: one query every
``WATCH_EVERY`` seconds for all of them, whatever the number of readers (the meeting floor's design, shared in
``concord.core.watch``). A page without script, or a browser without EventSource, reloads by hand as before.
"""

from __future__ import annotations

import json
import time

from concord.core.watch import PollingWatcher

from .models import OpinionResult

WATCH_EVERY = 1.0
KEEPALIVE_EVERY = 15.0
STREAM_SECONDS = 300.0
RETRY_MS = 3000


def encode_event(version: int) -> bytes:
    """One event; its id is the result's version (the last vote it includes), so a reconnecting browser says what
    it has."""
    return f"id: {version}\nevent: results\ndata: {json.dumps({'version': version})}\n\n".encode()


class ResultsWatcher(PollingWatcher):
    """Follows the results of the phases this process's streams watch (the thread's life and the tick:
    ``concord.core.watch``)."""

    name = "concord-results-watcher"

    def __init__(self) -> None:
        super().__init__()
        self._versions: dict[int, int] = {}

    def interval(self) -> float:
        return WATCH_EVERY

    def forget(self, phase_id: int) -> None:
        self._versions.pop(phase_id, None)

    def wait(self, phase_id: int, since: int, timeout: float) -> int | None:
        """The phase's result version once it differs from ``since``, or None after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self._versions.get(phase_id, since) != since, timeout)
            version = self._versions.get(phase_id)
            return version if version is not None and version != since else None

    def refresh(self, ids: list[int]) -> None:
        versions = dict(OpinionResult.objects.filter(phase_id__in=ids).values_list("phase_id", "last_event_id"))
        with self.changed:
            for phase_id in ids:
                if self.is_watched(phase_id):
                    self._versions[phase_id] = versions.get(phase_id, 0)
            self.changed.notify_all()


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
