"""The audit log: field-level snapshots and diffs, written by service functions only."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values, JSON-safe, keyed by attribute name (``entity_id``, not ``entity``)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        values[field.attname] = _jsonable(getattr(instance, field.attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs; a new object has ``before == {}``."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def log(actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record one action. ``actor`` is a user, or a string label for the system, a command or the demo loader."""
    entry = unsaved_entry(actor, action, target, changes)
    entry.save(force_insert=True)
    return entry


def unsaved_entry(actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    """The entry ``log`` would write, not yet saved: for a service that writes it in the same statement as its
    target (whose id and receipt the statement fills in)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None:
        label = user.get_username()
    elif isinstance(actor, str):
        label = actor
    else:
        label = "anonymous"
    return AuditEntry(
        actor=user,
        actor_label=label[:200],
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=changes or {},
    )


def log_create(actor, action: str, target: models.Model) -> AuditEntry:
    return log(actor, action, target, diff({}, snapshot(target)))


def entries_for(target: models.Model):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
    )


def apply_changes(
    actor, action: str, instance: models.Model, changes: dict, fields: list[str] | None = None, derive=None
):
    """Set ``changes`` on ``instance``, validate, save and log the field-level diff (only when something changed).

    The shared body of the apps' ``update_*`` services; each keeps its own list of editable fields. ``derive``
    recomputes derived fields (a normalised name, say) before validation; ``fields`` limits the diff.
    Call inside the service's transaction. Returns the diff.
    """
    before = snapshot(instance, fields)
    for field, value in changes.items():
        setattr(instance, field, value)
    if derive is not None:
        derive(instance)
    instance.full_clean()
    instance.save()
    delta = diff(before, snapshot(instance, fields))
    if delta:
        log(actor, action, instance, delta)
    return delta
