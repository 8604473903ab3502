"""Idempotency keys of written submissions: a client's retry gets its first receipt, and nothing else does.

A key belongs to the client that sent it: its *scope* names that client (``token:<id>`` for an API token,
``session:<random>`` for the browser session that rendered the web form, ``command`` for the ``submit`` command).
Another client with the same key makes a new, independent contribution. The hash of the request tells a retry
(the same body: the first receipt) from a second contribution sent under a key already used (refused).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from .models import Contribution
from .submission import Submission

# The longest key kept (the column's length); a longer one is refused, never cut: two keys that differ only after
# the cut would otherwise collide.
MAX_KEY_LENGTH = Contribution._meta.get_field("idempotency_key").max_length
MAX_SCOPE_LENGTH = Contribution._meta.get_field("idempotency_scope").max_length
# Printable ASCII, as HTTP header values are: no control or format character travels in a key.
_KEY = re.compile(r"[\x20-\x7e]+")

CONFLICT = "idempotency-conflict"
KEY_TOO_LONG = "idempotency-key-too-long"
INVALID_KEY = "invalid-idempotency-key"


def clean_key(key: str | None) -> str | None:
    """The key as sent, without surrounding spaces; None when there is none. Refuses a key that is too long or not
    printable ASCII."""
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            _("The idempotency key is longer than %(max)d characters; send a shorter one.") % {"max": MAX_KEY_LENGTH},
            code=KEY_TOO_LONG,
        )
    if not _KEY.fullmatch(key):
        raise ValidationError(_("The idempotency key may contain only printable ASCII characters."), code=INVALID_KEY)
    return key


def request_sha256(kwargs: dict) -> str:
    """SHA-256 of what the client asked for: the submitted fields, and each file's name and content hash, as
    canonical JSON (keys sorted, UTF-8, compact). Computed from the request as sent, before any cleaning, so that
    it is the same for every retry of the same request."""
    submitter = kwargs.get("submitter")
    entity = kwargs.get("entity")
    received_at = kwargs.get("received_at")
    request = {
        "submitter": dataclasses.asdict(submitter) if submitter is not None else None,
        "entity": entity.pk if entity is not None else None,
        "title": kwargs.get("title", ""),
        "text": kwargs.get("text", ""),
        "answers": [dict(item) for item in kwargs.get("answers") or ()],
        "files": [
            {"name": upload.name, "sha256": hashlib.sha256(upload.data).hexdigest()}
            for upload in kwargs.get("uploads") or ()
        ],
        "consent": kwargs.get("consent", ""),
        "received_at": received_at.isoformat() if received_at else None,
    }
    # surrogatepass: a lone surrogate must hash (the checks refuse it later), not fail here.
    payload = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def first_receipt_on_retry(func):
    """A retry of a submission already received from the same client (a double click, a network retry, even one
    that now fails the checks, say after closing, or that raced its twin to the unique key) gets the first
    receipt, and nothing is created twice. The same key with another body is refused. The key is looked up only
    on that path, never on the fast one."""

    @functools.wraps(func)
    def wrapper(actor, consultation, **kwargs):
        key = clean_key(kwargs.get("idempotency_key"))
        scope = kwargs.get("idempotency_scope", "")
        if len(scope) > MAX_SCOPE_LENGTH:
            raise ValueError(f"an idempotency scope is at most {MAX_SCOPE_LENGTH} characters: {scope!r}")
        digest = request_sha256(kwargs) if key else ""
        try:
            return func(actor, consultation, **{**kwargs, "idempotency_key": key, "request_sha256": digest})
        except (ValidationError, IntegrityError):
            if not key:
                raise
            existing = Contribution.objects.filter(
                consultation=consultation, idempotency_scope=scope, idempotency_key=key
            ).first()
            if existing is None:
                raise
            # Rows from before the request hash was kept have none: a retry is all they can be told from.
            if existing.request_sha256 and existing.request_sha256 != digest:
                raise ValidationError(
                    _(
                        "This idempotency key was already used for another contribution, with a different content. "
                        "Send a new key for a new contribution."
                    ),
                    code=CONFLICT,
                ) from None
            return Submission(existing, created=False)

    return wrapper
