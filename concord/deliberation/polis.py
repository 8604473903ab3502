"""Pol.is's CSV export (comments.csv, votes.csv, summary.csv, participants-votes.csv), read into a phase and
written from one, in the column format of the Computational Democracy Project's open data, so that results can be
checked against Pol.is and reused by its tools.

Pol.is conventions kept: comment and participant ids are integers (a phase's statement and voter numbers); a vote
is 1 agree, -1 disagree, 0 pass; ``moderated`` is 1 accepted, 0 not yet moderated, -1 moderated out; votes.csv is
the raw log, re-votes included (the latest per voter and comment counts); timestamps are milliseconds since 1970.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from concord.core import audit

from . import services
from .models import Phase, Statement, StatementModeration, StatementSource, Vote, VoteEvent, Voter, VoterKind

MODERATION_FROM_POLIS = {
    "1": StatementModeration.ACCEPTED,
    "0": StatementModeration.PENDING,
    "-1": StatementModeration.REJECTED,
}
MODERATION_TO_POLIS = {v: int(k) for k, v in MODERATION_FROM_POLIS.items()}
COMMENTS = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
VOTES = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANTS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _when(millis: str, default: dt.datetime) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(float(millis)) / 1000, tz=dt.UTC)
    except (TypeError, ValueError):
        return default


def _millis(when: dt.datetime) -> int:
    return int(when.timestamp() * 1000)


def _polis_datetime(when: dt.datetime) -> str:
    """Pol.is's ``datetime`` column (``Sat Nov 17 05:09:36 WIB 2018``), written in UTC and in English whatever
    the machine's locale."""
    when = when.astimezone(dt.UTC)
    return f"{DAYS[when.weekday()]} {MONTHS[when.month - 1]} {when:%d %H:%M:%S} UTC {when.year}"


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def import_polis(actor, consultation, directory: str | Path, *, language: str = "en", now=None) -> dict:
    """Read a Pol.is export into the consultation's statements phase (opened if it has none). The phase must
    have no statements yet: an import is the whole conversation, numbers included."""
    directory = Path(directory)
    now = now or timezone.now()
    comments_path = directory / "comments.csv"
    if not comments_path.exists():
        raise ValidationError(f"{comments_path} is missing: a Pol.is export has comments.csv.")
    phase = Phase.objects.filter(consultation=consultation).first() or services.open_phase(actor, consultation)
    if phase.statements.exists():
        raise ValidationError("This consultation's statements phase already has statements: import into an empty one.")
    comments = _read(comments_path)
    votes_path, matrix_path = directory / "votes.csv", directory / "participants-votes.csv"
    events: list[tuple[dt.datetime, int, int, int]] = []  # (time, comment, voter, value)
    if votes_path.exists():
        for row in _read(votes_path):
            comment, voter, value = _int(row["comment-id"]), _int(row["voter-id"]), _int(row["vote"])
            if None not in (comment, voter, value) and value in (-1, 0, 1):
                events.append((_when(row.get("timestamp"), now), comment, voter, value))
        # Stable: equal timestamps keep the file's order, so "the latest re-vote" is the later line.
        events.sort(key=lambda e: e[0])
    elif matrix_path.exists():
        for row in _read(matrix_path):
            voter = _int(row["participant"])
            for key, cell in row.items():
                comment, value = _int(key) if key not in PARTICIPANTS else None, _int(cell)
                if voter is not None and comment is not None and value in (-1, 0, 1):
                    events.append((now, comment, voter, value))
    voter_numbers = {v for _t, _c, v, _x in events} | {
        n for n in (_int(row.get("author-id")) for row in comments) if n is not None
    }
    voters = Voter.objects.bulk_create(
        [Voter(phase=phase, number=n, kind=VoterKind.IMPORTED) for n in sorted(voter_numbers)], batch_size=2000
    )
    by_number = {v.number: v for v in Voter.objects.filter(phase=phase)}
    statements = Statement.objects.bulk_create(
        [
            Statement(
                phase=phase,
                number=int(row["comment-id"]),
                text=row["comment-body"],
                original_language=language,
                source=StatementSource.IMPORTED,
                author=by_number.get(_int(row.get("author-id"))),
                moderation=MODERATION_FROM_POLIS.get(
                    str(row.get("moderated", "0")).strip(), StatementModeration.PENDING
                ),
                created_at=_when(row.get("timestamp"), now),
            )
            for row in sorted(comments, key=lambda r: int(r["comment-id"]))
        ],
        batch_size=2000,
    )
    statement_ids = dict(Statement.objects.filter(phase=phase).values_list("number", "id"))
    voter_ids = {n: v.pk for n, v in by_number.items()}
    known = [e for e in events if e[1] in statement_ids]
    VoteEvent.objects.bulk_create(
        [VoteEvent(statement_id=statement_ids[c], voter_id=voter_ids[v], value=x, voted_at=t) for t, c, v, x in known],
        batch_size=5000,
    )
    latest = {(c, v): (t, x) for t, c, v, x in known}
    Vote.objects.bulk_create(
        [
            Vote(statement_id=statement_ids[c], voter_id=voter_ids[v], value=x, voted_at=t)
            for (c, v), (t, x) in latest.items()
        ],
        batch_size=5000,
    )
    Phase.objects.filter(pk=phase.pk).update(
        last_statement_number=max(statement_ids, default=0), last_voter_number=max(voter_numbers, default=0)
    )
    result = {"statements": len(statements), "voters": len(voters), "votes": len(latest), "events": len(known)}
    audit.log(actor, "deliberation.import-polis", phase, {"imported": [None, result]})
    return result


def _write(path: Path, header: list[str] | None, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def export_polis(phase: Phase, directory: str | Path, *, groups: dict | None = None) -> dict:
    """Write the phase as a Pol.is export. ``groups`` maps a voter's number (string) to its opinion group (as
    ``opinions.opinion_results`` gives it); without it, the group-id column is empty as for unclustered people.

    The secretariat's file: every statement is there with its moderation, as in Pol.is's own export."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    statements = list(phase.statements.select_related("author").order_by("number"))
    tallies: dict[int, Counter] = {s.pk: Counter() for s in statements}
    per_voter: dict[int, dict[int, int]] = {}
    for statement_id, number, value in Vote.objects.filter(statement__phase=phase).values_list(
        "statement_id", "voter__number", "value"
    ):
        tallies[statement_id][value] += 1
        per_voter.setdefault(number, {})[statement_id] = value
    _write(
        directory / "comments.csv",
        COMMENTS,
        (
            [
                _millis(s.created_at),
                _polis_datetime(s.created_at),
                s.number,
                s.author.number if s.author else "",
                tallies[s.pk][1],
                tallies[s.pk][-1],
                MODERATION_TO_POLIS[s.moderation],
                s.text,
            ]
            for s in statements
        ),
    )
    events = VoteEvent.objects.filter(statement__phase=phase).order_by("voted_at", "id")
    _write(
        directory / "votes.csv",
        VOTES,
        (
            [_millis(at), _polis_datetime(at), statement, voter, value]
            for at, statement, voter, value in events.values_list(
                "voted_at", "statement__number", "voter__number", "value"
            ).iterator(chunk_size=5000)
        ),
    )
    authored = Counter(s.author.number for s in statements if s.author)
    numbers = sorted(set(per_voter) | set(authored))
    groups = groups or {}
    _write(
        directory / "participants-votes.csv",
        PARTICIPANTS + [str(s.number) for s in statements],
        (
            [
                n,
                "" if groups.get(str(n)) is None else groups[str(n)],
                authored.get(n, 0),
                len(per_voter.get(n, {})),
                sum(1 for v in per_voter.get(n, {}).values() if v == 1),
                sum(1 for v in per_voter.get(n, {}).values() if v == -1),
                *(per_voter.get(n, {}).get(s.pk, "") for s in statements),
            ]
            for n in numbers
        ),
    )
    consultation = phase.consultation
    summary = [
        ["topic", consultation.title],
        ["url", ""],
        ["views", len(numbers)],
        ["voters", len(per_voter)],
        ["voters-in-conv", sum(1 for n in per_voter if groups.get(str(n)) is not None)],
        ["commenters", len(authored)],
        ["comments", len(statements)],
        ["groups", len({g for g in groups.values() if g is not None})],
        ["conversation-description", consultation.description],
    ]
    _write(directory / "summary.csv", None, summary)
    return {"statements": len(statements), "voters": len(numbers), "events": events.count()}
