"""Load a fixture's rows once per test process and replay them into each test's transaction.

Loading the demo through the services (entities, 98 contributions with their index and seal, the replayed
meeting) takes seconds, and about sixty tests want it. ``capture`` runs the loader once inside a transaction that
rolls back and keeps what it changed, table by table, as raw column values; ``replay`` writes those rows again
with plain INSERT/UPDATE/DELETE statements. The rows are the ones the services wrote, byte for byte, so a test sees
exactly what ``load_demo()`` would have given it; the database's own triggers (the full-text index) run on the
replayed rows as they did on the originals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation


@dataclass
class Delta:
    """What a loader changed in one table: rows it inserted, updated (by primary key) and deleted."""

    table: str
    pk: str
    columns: list[str]
    inserted: list[tuple] = field(default_factory=list)
    updated: list[tuple] = field(default_factory=list)
    deleted: list = field(default_factory=list)


def _tables():
    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        # Only the model's own columns: generated ones (and the tsvector column the triggers fill) are the
        # database's to compute.
        columns = [f.column for f in meta.concrete_fields if not getattr(f, "generated", False)]
        yield meta.db_table, meta.pk.column, columns


def _writable(value):
    # Django's SQLite connection parses TIME columns on the way out but registers no adapter back.
    return value.isoformat() if isinstance(value, dt.time) else value


def _read(table: str, pk: str, columns: list[str]) -> dict:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")
        index = columns.index(pk)
        return {row[index]: tuple(_writable(v) for v in row) for row in cursor.fetchall()}


def capture(loader) -> tuple[list[Delta], object]:
    """Run ``loader()`` in a transaction that is rolled back; return what it changed and what it returned."""
    tables = list(_tables())
    with transaction.atomic():
        before = {table: _read(table, pk, columns) for table, pk, columns in tables}
        result = loader()
        deltas = []
        for table, pk, columns in tables:
            old, new = before[table], _read(table, pk, columns)
            delta = Delta(table, pk, columns)
            delta.inserted = [row for key, row in new.items() if key not in old]
            delta.updated = [row for key, row in new.items() if key in old and old[key] != row]
            delta.deleted = [key for key in old if key not in new]
            if delta.inserted or delta.updated or delta.deleted:
                deltas.append(delta)
        transaction.set_rollback(True)
    _reserve_ids(deltas)
    return deltas, result


def capture_once(django_db_blocker, tmp_path_factory, loader) -> tuple[list[Delta], object]:
    """``capture(loader)`` from a session or module fixture, run as a test would run it (tasks at once, mail kept
    in memory, files in a store of their own, English, the tests' password hasher)."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        django_db_blocker.unblock(),
        override_settings(
            TASKS=immediate,
            MEDIA_ROOT=tmp_path_factory.mktemp("snapshot-media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        translation.override("en"),
    ):
        return capture(loader)


def _reserve_ids(deltas: list[Delta]) -> None:
    """Keep the captured primary keys free for replay.

    PostgreSQL's sequences do not roll back, so rows a test creates before replaying already number after the
    captured ones. SQLite's AUTOINCREMENT counters do roll back: move them past the captured keys (committed, once
    per process) so a row a test creates before the replay cannot take a key the replay needs."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for delta in deltas:
            keys = [row[delta.columns.index(delta.pk)] for row in delta.inserted]
            numeric = [key for key in keys if isinstance(key, int)]
            if not numeric:
                continue
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [delta.table])
            row = cursor.fetchone()
            if row is None:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [delta.table, max(numeric)])
            elif row[0] < max(numeric):
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [max(numeric), delta.table])


@transaction.atomic
def replay(deltas: list[Delta]) -> None:
    """Write the captured changes into the current database (in one transaction: foreign keys are checked at its
    end, so the order of the tables does not matter)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for delta in deltas:
            table, pk, columns = quote(delta.table), quote(delta.pk), delta.columns
            if delta.deleted:
                cursor.executemany(f"DELETE FROM {table} WHERE {pk} = %s", [(key,) for key in delta.deleted])
            if delta.updated:
                others = [c for c in columns if c != delta.pk]
                assignments = ", ".join(f"{quote(c)} = %s" for c in others)
                index = columns.index(delta.pk)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
                    [
                        tuple(v for c, v in zip(columns, row, strict=True) if c != delta.pk) + (row[index],)
                        for row in delta.updated
                    ],
                )
            if delta.inserted:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", delta.inserted)


def dump() -> list[Delta]:
    """Every row of every table, as rows to insert: what ``restore`` writes back into a flushed database."""
    deltas = []
    for table, pk, columns in _tables():
        delta = Delta(table, pk, columns)
        delta.inserted = list(_read(table, pk, columns).values())
        deltas.append(delta)
    return deltas


@transaction.atomic
def restore(deltas: list[Delta]) -> None:
    """Make every table hold exactly the dumped rows, primary keys included, as in a committed database.

    A transactional test starts from a flushed database in which ``post_migrate`` has written content types and
    permissions again under new keys: they are replaced too, and the content types' cache emptied."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for delta in deltas:
            cursor.execute(f"DELETE FROM {quote(delta.table)}")
        for delta in deltas:
            if delta.inserted:
                names = ", ".join(quote(c) for c in delta.columns)
                marks = ", ".join(["%s"] * len(delta.columns))
                cursor.executemany(f"INSERT INTO {quote(delta.table)} ({names}) VALUES ({marks})", delta.inserted)
        # PostgreSQL's sequences do not follow explicit keys (SQLite's AUTOINCREMENT counters do): move them on.
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
