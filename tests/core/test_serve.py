"""`concord serve` stops its task worker when it is stopped, by Ctrl-C or by SIGTERM (`kill`, a service manager)."""

import os
import signal
import time

import pytest
from django.core.management import call_command

from concord.core.management.commands import serve


class FakeWorker:
    pid = 4242

    def __init__(self, *args, **kwargs):
        self.stopped = False

    def terminate(self):
        self.stopped = True

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def started(monkeypatch):
    workers = []

    def popen(*args, **kwargs):
        workers.append(FakeWorker())
        return workers[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    previous = signal.getsignal(signal.SIGTERM)
    yield workers
    signal.signal(signal.SIGTERM, previous)


def test_sigterm_stops_the_worker_before_the_server_exits(started, monkeypatch):
    def runserver(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # The handler interrupts this at once.
        raise AssertionError("SIGTERM did not stop the server")

    monkeypatch.setattr(serve, "call_command", runserver)
    with pytest.raises(SystemExit) as stopped:
        call_command("serve", "127.0.0.1:8799")
    assert stopped.value.code == 128 + signal.SIGTERM
    assert [worker.stopped for worker in started] == [True]
