"""Logging filters wired in settings.LOGGING."""

import logging


class LoggerLevelFilter(logging.Filter):
    """Drop records of the named loggers (and their children) below a level, whatever level the logger itself has.

    The django-tasks worker (`db_worker`) sets its own loggers to INFO from its verbosity, so a logger level in
    LOGGING is overridden; a filter on the handler is not, and keeps one `Task id=... state=...` line per task
    out of the console unless asked for.
    """

    def __init__(self, prefixes=(), level="WARNING"):
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.level = logging.getLevelName(level.upper()) if isinstance(level, str) else int(level)
        if not isinstance(self.level, int):
            raise ValueError(f"Unknown log level: {level!r}")

    def filter(self, record):
        name = record.name
        for prefix in self.prefixes:
            if name == prefix or name.startswith(prefix + "."):
                return record.levelno >= self.level
        return True
