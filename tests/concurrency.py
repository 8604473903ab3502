"""Running a test's calls at the same moment, each on its own database connection, as server threads would."""

import threading
import time

from django.db import connection


def slowed(monkeypatch, module, name: str, seconds: float = 0.3) -> None:
    """Make ``module.name`` wait before it runs: it widens the window in which a race would show."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def at_once(func, arguments: list[tuple], timeout: float = 30) -> tuple[list, list[BaseException]]:
    """``func(*args)`` for each of ``arguments``, in threads released together; their results and their errors."""
    start = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(args):
        try:
            start.wait()
            results.append(func(*args))
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(exc)
        finally:
            connection.close()  # This thread's own connection.

    threads = [threading.Thread(target=run, args=(args,)) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, errors
