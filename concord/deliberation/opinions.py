"""The opinion groups of a phase: its votes as plain records through ``concord.analysis.opinions``, results kept.

The computation sees the votes on every statement, with the statements that fail the gate passed as moderated out
(Pol.is's rule: their votes do not shape the groups) and meta statements as meta. The result is stored per phase
and computed again once a statement's moderation changed, or votes were cast and the result is a few seconds old
(``REFRESH_SECONDS``): a page read costs four queries, not a computation.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from .models import OpinionResult, Phase, Statement, Vote, VoteEvent


def _statements_key(phase: Phase) -> tuple[str, set[str], set[str]]:
    """A fingerprint of which statements count (public and not meta), with the moderated-out and meta sets."""
    public_ids = set(Statement.objects.public().filter(phase=phase).values_list("number", flat=True))
    rows = list(phase.statements.values_list("number", "is_meta").order_by("number"))
    moderated_out = {str(n) for n, _meta in rows if n not in public_ids}
    meta = {str(n) for n, is_meta in rows if is_meta}
    fingerprint = ";".join(f"{n}:{int(n in public_ids)}{int(m)}" for n, m in rows)
    return hashlib.sha256(fingerprint.encode()).hexdigest(), moderated_out, meta


def fit(phase: Phase, *, moderated_out: set[str] | None = None, meta: set[str] | None = None):
    """The fitted ``OpinionModel`` of the phase's current votes (participants and statements by their numbers)."""
    from concord.analysis.opinions import OpinionModel
    from concord.analysis.opinions import Vote as VoteRecord

    if moderated_out is None or meta is None:
        _key, moderated_out, meta = _statements_key(phase)
    votes = [
        VoteRecord(participant=str(voter), statement=str(statement), value=int(value))
        for voter, statement, value in Vote.objects.filter(statement__phase=phase)
        .order_by("voter__number", "statement__number")
        .values_list("voter__number", "statement__number", "value")
    ]
    return OpinionModel().fit(votes, moderated_out=moderated_out, meta=meta)


def _as_data(model) -> dict:
    """The fitted model as JSON: string keys, plain numbers."""

    def statement_id(item):
        return str(item["statement"]) if isinstance(item, dict) else str(item)

    return {
        "participants": {str(p): (None if g is None else int(g)) for p, g in model.participants_.items()},
        "projection": {str(p): [float(xy[0]), float(xy[1])] for p, xy in model.projection_.items()},
        "groups": [
            {"id": int(g["id"]), "size": int(g["size"]), "members": [str(m) for m in g["members"]]}
            for g in model.groups_
        ],
        "statement_votes": {
            str(s): {str(g): {k: int(v) for k, v in counts.items()} for g, counts in by_group.items()}
            for s, by_group in model.statement_votes_.items()
        },
        "group_aware_consensus": {str(s): float(v) for s, v in model.group_aware_consensus_.items()},
        "repness": {
            str(g): [
                {k: (v if isinstance(v, str | int | float | bool) or v is None else float(v)) for k, v in r.items()}
                | {"statement": str(r["statement"])}
                for r in rows
            ]
            for g, rows in model.repness_.items()
        },
        "consensus": {side: [statement_id(item) for item in items] for side, items in model.consensus_.items()},
    }


# A result is computed again after a vote at most this often: while votes arrive, every open results page reloads
# (live.js) and a page read must not become one computation per reader per vote.
REFRESH_SECONDS = 10


def opinion_results(phase: Phase, *, now=None) -> dict:
    """The phase's opinion groups, with ``version`` (the last vote included). Computed again when a moderation
    decision changed which statements count, or when votes came since and the result is ``REFRESH_SECONDS`` old."""
    now = now or timezone.now()
    key, moderated_out, meta = _statements_key(phase)
    last_event = VoteEvent.objects.filter(statement__phase=phase).order_by("-id").values_list("id", flat=True).first()
    last_event = last_event or 0
    stored = OpinionResult.objects.filter(phase=phase).first()
    if stored is not None and stored.statements_key == key:
        fresh = (now - stored.computed_at).total_seconds() < REFRESH_SECONDS
        if stored.last_event_id == last_event or fresh:
            return {**stored.data, "version": stored.last_event_id}
    data = _as_data(fit(phase, moderated_out=moderated_out, meta=meta))
    with transaction.atomic():
        OpinionResult.objects.update_or_create(
            phase=phase,
            defaults={"last_event_id": last_event, "statements_key": key, "computed_at": now, "data": data},
        )
    return {**data, "version": last_event}
