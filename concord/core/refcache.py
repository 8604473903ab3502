"""Per-process caches of the reference rows that busy paths read on every request: API tokens, published
consultations and the groups they hear, entity categories.

An entry lives ``ttl`` seconds. A save or delete of one of the cache's models empties the cache of the process that
made it, at once and again when the transaction commits; other processes see the change at most ``ttl`` seconds
late (the same bound as the meeting floor's version cache). Misses (``None``) are never cached, so an unknown key
costs a query each time and cannot fill memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_caches: list[ProcessCache] = []


class ProcessCache:
    def __init__(self, ttl: float, models: list[str], max_entries: int = 1000):
        """``models``: labels (``"app.Model"``) whose saves and deletes empty this cache."""
        self.ttl = ttl
        self.models = set(models)
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if value is not None:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Empty every process cache (tests call it between tests: their rows roll back without a signal)."""
    for cache in _caches:
        cache.clear()


def _changed(sender, **kwargs) -> None:
    label = sender._meta.label
    hit = [cache for cache in _caches if label in cache.models]
    for cache in hit:
        cache.clear()
        # A request of this process may re-read the old row before the change commits: empty again then.
        transaction.on_commit(cache.clear, using=kwargs.get("using"))


post_save.connect(_changed, dispatch_uid="concord.core.refcache.save")
post_delete.connect(_changed, dispatch_uid="concord.core.refcache.delete")
m2m_changed.connect(_changed, dispatch_uid="concord.core.refcache.m2m")
