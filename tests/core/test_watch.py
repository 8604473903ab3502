"""The shared polling watcher: its thread lives only while someone watches, a poke reads at once, and a failing
read is logged once and retried rather than ending the streams."""

import logging
import time

import pytest

from concord.core.watch import PollingWatcher

# The thread opens its own connection (the in-memory test database's read-uncommitted pragma), as in production.
pytestmark = pytest.mark.django_db(transaction=True)


class Counting(PollingWatcher):
    """Reads a value the test sets; fails while ``failures`` is positive."""

    name = "test-watcher"

    def __init__(self, every: float) -> None:
        super().__init__()
        self.every = every
        self.source = 0
        self.seen: dict[str, int] = {}
        self.reads: list[list[str]] = []
        self.failures = 0

    def interval(self) -> float:
        return self.every

    def forget(self, key: str) -> None:
        self.seen.pop(key, None)

    def refresh(self, keys: list[str]) -> None:
        self.reads.append(keys)
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("database away")
        with self.changed:
            for key in keys:
                if self.is_watched(key):
                    self.seen[key] = self.source
            self.changed.notify_all()

    def wait(self, key: str, since: int, timeout: float) -> int | None:
        with self.changed:
            self.changed.wait_for(lambda: self.seen.get(key, since) != since, timeout)
            return self.seen.get(key) if self.seen.get(key, since) != since else None


def _stopped(watcher: PollingWatcher, within: float = 5) -> bool:
    deadline = time.monotonic() + within
    while watcher._thread is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    return watcher._thread is None


def test_the_thread_runs_only_while_someone_watches_and_reads_all_keys_at_once():
    watcher = Counting(every=0.02)
    assert watcher._thread is None
    watcher.source = 3
    watcher.subscribe("a")
    watcher.subscribe("b")
    watcher.subscribe("b")
    thread = watcher._thread
    assert thread is not None and thread.daemon and thread.name == "test-watcher"
    assert watcher.wait("a", 0, 5) == 3 and watcher.wait("b", 0, 5) == 3
    assert any(sorted(keys) == ["a", "b"] for keys in watcher.reads)  # one read for both

    watcher.unsubscribe("a")
    assert "a" not in watcher.seen  # forgotten with its last stream
    watcher.unsubscribe("b")
    assert watcher._thread is thread  # one stream is still on "b"
    watcher.unsubscribe("b")
    assert _stopped(watcher)
    thread.join(5)
    assert not thread.is_alive()

    watcher.subscribe("a")  # a new stream starts a new thread
    assert watcher._thread is not None and watcher._thread is not thread
    watcher.unsubscribe("a")
    assert _stopped(watcher)


def test_a_poke_reads_at_once_rather_than_at_the_next_tick():
    watcher = Counting(every=60)
    watcher.subscribe("a")
    try:
        assert watcher.wait("a", -1, 5) == 0
        watcher.source = 7
        assert watcher.wait("a", 0, 0.3) is None  # the next tick is a minute away
        started = time.monotonic()
        watcher.poke()
        assert watcher.wait("a", 0, 5) == 7 and time.monotonic() - started < 5
        watcher.subscribe("b")  # a new key on the running thread is read at once too
        try:
            assert watcher.wait("b", -1, 5) == 7
        finally:
            watcher.unsubscribe("b")
    finally:
        watcher.unsubscribe("a")
        watcher.poke()  # let the thread see that no one watches
    assert _stopped(watcher)


def test_a_failing_read_is_logged_once_and_retried(caplog):
    watcher = Counting(every=0.01)
    watcher.failures = 5
    watcher.source = 4
    with caplog.at_level(logging.WARNING, logger="concord.core.watch"):
        watcher.subscribe("a")
        try:
            assert watcher.wait("a", 0, 5) == 4  # read once the database is back
        finally:
            watcher.unsubscribe("a")
    assert _stopped(watcher)
    assert len(watcher.reads) >= 6
    warnings = [r for r in caplog.records if r.name == "concord.core.watch"]
    assert [r.getMessage() for r in warnings] == ["test-watcher: refresh failed, retrying"]
    assert warnings[0].exc_info is not None
