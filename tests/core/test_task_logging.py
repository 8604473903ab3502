"""The task worker's per-task lines stay out of the console unless asked for (issue 18)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from concord.core.logfilters import LoggerLevelFilter

ROOT = Path(__file__).resolve().parents[2]


def _console_handler():
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, LoggerLevelFilter) for f in h.filters)]
    assert handlers, "the console handler of settings.LOGGING carries the task-level filter"
    return handlers[0]


def _record(name, level):
    return logging.LogRecord(name, level, __file__, 1, "Task id=%s path=%s state=%s", ("1", "x", "SUCCESSFUL"), None)


def test_task_lines_hidden_by_default_even_after_the_worker_sets_its_level():
    # db_worker sets its loggers to INFO at verbosity 1: the handler filter must still drop the per-task lines.
    DbWorker().configure_logging(1)
    handler = _console_handler()
    assert logging.getLogger("django_tasks").isEnabledFor(logging.INFO)
    assert not handler.filter(_record("django_tasks", logging.INFO))
    assert not handler.filter(_record("django_tasks_db", logging.INFO))
    # A failed task and everything else still show.
    assert handler.filter(_record("django_tasks", logging.ERROR))
    assert handler.filter(_record("concord.record", logging.INFO))


def test_default_task_level_is_above_info():
    level = settings.LOGGING["filters"]["task_level"]["level"]
    assert logging.getLevelName(level) > logging.INFO


def test_task_level_follows_the_environment():
    env = {**os.environ, "CONCORD_TASK_LOG_LEVEL": "INFO", "DJANGO_SETTINGS_MODULE": "concord.settings"}
    code = "from django.conf import settings; print(settings.LOGGING['filters']['task_level']['level'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "INFO"
    assert LoggerLevelFilter(("django_tasks",), "INFO").filter(_record("django_tasks", logging.INFO))


def test_setting_is_documented():
    assert "`CONCORD_TASK_LOG_LEVEL`" in (ROOT / "README.md").read_text()
