"""A written submission in one SQL statement on PostgreSQL: its receipt number, the contribution, its first version
and files, the audit entry and the task rows that must commit with it.

Receipt numbers are gapless, so the sequence row stays locked from the numbering to the commit and every concurrent
submission waits for it. Sent as one statement outside any transaction, the submission commits on the server as
soon as the statement ends: the lock is held for the statement and the commit's WAL flush only, never across a
round trip to the application nor while a server thread waits for Python's GIL. Inside a caller's transaction (a
test, a bulk import) the statement simply joins it.

``pre_save`` is sent for each row, as ``Model.save`` would (django-tasks-db fills ``run_after`` there); ``post_save``
is not, and no model written here has a receiver for it.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import uuid
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models.signals import pre_save

from .models import Contribution, ReceiptSequence


@dataclass
class Row:
    """An unsaved instance and the columns the statement computes from earlier rows: ``{column: (sql, params)}``."""

    instance: models.Model
    computed: dict[str, tuple[str, list]] = field(default_factory=dict)


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no JSON form for a row")


@functools.cache
def _layout(model: type[models.Model]) -> tuple[str, list[tuple[models.Field, str]]]:
    """The quoted table name, and each concrete field with its quoted column (built once: every submission
    writes the same tables)."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), [(f, quote(f.column)) for f in model._meta.local_concrete_fields]


def _insert(row: Row, source: str) -> tuple[str, list]:
    """``INSERT ... SELECT`` of one row. Its plain values travel as one JSON object that PostgreSQL reads into the
    table's row type (``jsonb_populate_record``): one parameter per row rather than one per column, so that the
    driver's parsed form of the statement is cached instead of rebuilt for every submission."""
    instance = row.instance
    pre_save.send(type(instance), instance=instance, raw=False, using=connection.alias, update_fields=None)
    table, fields = _layout(type(instance))
    columns, exprs, params, record = [], [], [], {}
    for f, column in fields:
        if f.column in row.computed:
            expr, expr_params = row.computed[f.column]
            params.extend(expr_params)
        elif f.primary_key and getattr(instance, f.attname) is None:
            continue  # Numbered by the table's own sequence.
        else:
            value = getattr(instance, f.attname)
            # auto_now_add, as on save, unless the caller set the value (to log what is written).
            record[f.column] = f.pre_save(instance, True) if value is None else value
            expr = f"r.{column}"
        columns.append(column)
        exprs.append(expr)
    params.append(json.dumps(record, default=_json_default))
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)}"
        f" FROM {source}, jsonb_populate_record(NULL::{table}, %s::jsonb) AS r",
        params,
    )


def json_with(instance: models.Model, attname: str, values: dict[str, str]) -> tuple[str, list]:
    """A JSON column of ``instance`` with values taken from the statement: ``{path: sql}``, e.g.
    ``{"{args,0}": "c.id"}``; each ``sql`` is a JSON value."""
    f = instance._meta.get_field(attname)
    expr = "%s::jsonb"
    for path, value_sql in values.items():
        expr = f"jsonb_set({expr}, '{path}', {value_sql})"
    return expr, [f.get_db_prep_save(getattr(instance, attname), connection)]


class _PreparedCursor(ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True)


def _prepared_cursor():
    """A cursor whose statements PostgreSQL parses and plans once per connection, then only binds and runs (the
    submission's statement is long and always the same: parsing and planning it were a third of the database's
    work). Django's wrapper stays around it: errors, the query log and execute wrappers work as for any cursor.

    Behind a pooler in transaction mode (``DISABLE_SERVER_SIDE_CURSORS``, as Django's documentation asks there), a
    prepared statement may not exist on the next server connection: then a plain cursor."""
    if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's automatic preparation off; forced per statement, as here, it works once a
        # threshold is set, and no other statement reaches this one.
        connection.connection.prepare_threshold = 2**31 - 1
    with connection.wrap_database_errors:
        return connection.make_cursor(_PreparedCursor(connection.connection))


def insert_numbered(
    contribution: Contribution,
    prefix: str,
    entity: tuple[str, list],
    version: Row,
    attachments: list[Row],
    dependents: list[Row],
) -> bool:
    """Number and insert ``contribution`` (receipt ``prefix`` + six digits) for the entity that the query ``entity``
    finds, with its version, the version's attachments and ``dependents`` (rows that refer to the contribution as
    ``c.id``, ``c.receipt_number`` and ``c.entity_id``), in one statement. Sets the contribution's ``pk``,
    ``receipt_number`` and ``entity_id``.

    Writes nothing and returns False when the entity or the channel's sequence row does not exist: no number is
    taken without its contribution."""
    entity_sql, params = entity[0], list(entity[1])
    ctes = [f"e AS ({entity_sql})"]
    sequence = connection.ops.quote_name(ReceiptSequence._meta.db_table)
    ctes.append(
        f"n AS (UPDATE {sequence} SET last = last + 1"
        " WHERE consultation_id = %s AND channel = %s AND EXISTS (SELECT FROM e)"
        " RETURNING %s || lpad(last::text, greatest(6, length(last::text)), '0') AS receipt)"
    )
    params += [contribution.consultation_id, contribution.channel, prefix]
    computed = {"receipt_number": ("n.receipt", []), "entity_id": ("e.id", [])}
    sql, p = _insert(Row(contribution, computed), "n, e")
    ctes.append(f"c AS ({sql} RETURNING id, receipt_number, entity_id)")
    params += p
    version.computed["contribution_id"] = ("c.id", [])
    sql, p = _insert(version, "c")
    ctes.append(f"v AS ({sql} RETURNING id)")
    params += p
    for i, row in enumerate(attachments):
        row.computed["version_id"] = ("v.id", [])
        sql, p = _insert(row, "v")
        ctes.append(f"f{i} AS ({sql})")
        params += p
    for i, row in enumerate(dependents):
        sql, p = _insert(row, "c")
        ctes.append(f"d{i} AS ({sql})")
        params += p
    with _prepared_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT id, receipt_number, entity_id FROM c", params)
        result = cursor.fetchone()
    if result is None:
        return False
    contribution.pk, contribution.receipt_number, contribution.entity_id = result
    contribution._state.adding = False
    version.instance.contribution_id = contribution.pk
    return True


def task_row(task) -> Row | None:
    """The row ``task.enqueue(contribution.pk)`` would write, for the statement to commit with the contribution;
    None when tasks do not go to this database (another backend enqueues them itself)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend) or DBTaskResult.objects.db != connection.alias:
        return None
    backend.validate_task(task)
    instance = DBTaskResult(
        # The backend's own id function (a setting of django-tasks-db), as its enqueue would use.
        id=backend._get_id(),
        args_kwargs={"args": [0], "kwargs": {}},
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    return Row(instance, {"args_kwargs": json_with(instance, "args_kwargs", {"{args,0}": "to_jsonb(c.id)"})})
