"""Reading the floor: the queue, the live state the display pages poll, and the minutes.

The live state is cached per floor version. The current version is kept in the cache for one second at most, so
with a per-process cache another process sees a change within a second, and with a shared cache at once.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .models import Meeting, Turn, TurnKind, TurnState

VERSION_TTL = 1
STATE_TTL = 60
NEXT_SHOWN = 5
QUEUE_SHOWN = 300


def _version_key(meeting_id: int) -> str:
    return f"meetings:floor-version:{meeting_id}"


# Waiting requests of this process sleep on this condition; a change made in this process wakes them at once, a
# change made elsewhere is seen at the next check (at most CHECK_EVERY seconds later).
_changed = threading.Condition()
CHECK_EVERY = 0.5


def publish_version(meeting_id: int, version: int) -> None:
    """Called after a floor change commits: wakes the waiting requests of this process."""
    with _changed:
        cache.set(_version_key(meeting_id), version, VERSION_TTL)
        _changed.notify_all()


def wait_for_change(meeting_id: int, since: int, timeout: float) -> None:
    """Return as soon as the floor's version differs from ``since``, or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    with _changed:
        while current_version(meeting_id) == since:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            _changed.wait(min(left, CHECK_EVERY))


def current_version(meeting_id: int) -> int | None:
    version = cache.get(_version_key(meeting_id))
    if version is None:
        version = Meeting.objects.filter(pk=meeting_id).values_list("floor_version", flat=True).first()
        if version is not None:
            cache.set(_version_key(meeting_id), version, VERSION_TTL)
    return version


def queue(meeting: Meeting) -> list[Turn]:
    """Who waits, in the order they will speak.

    During the open debate: points of order first, then interventions, each in the order asked. Before it: the
    presentations slot list.
    """
    waiting = meeting.turns.filter(state=TurnState.WAITING).select_related("participant__entity", "participant__group")
    if meeting.debate_is_open:
        turns = list(waiting.exclude(kind=TurnKind.PRESENTATION).order_by("requested_at", "id"))
        return sorted(turns, key=lambda t: t.kind != TurnKind.POINT_OF_ORDER)
    return list(waiting.filter(kind=TurnKind.PRESENTATION).order_by("position", "id"))


def _speaker(turn: Turn) -> dict:
    participant = turn.participant
    return {
        "turn": turn.pk,
        "participant": participant.pk,
        "name": participant.person_name,
        "entity": participant.entity.name,
        "group": str(participant.group.label),
        "kind": turn.kind,
        "kind_label": str(turn.get_kind_display()),
    }


def live_state(meeting_id: int) -> dict | None:
    """What the display shows: who speaks, time left, who is next. Cached per version; computed in 4 queries."""
    version = current_version(meeting_id)
    if version is None:
        return None
    key = f"meetings:floor-state:{meeting_id}:{version}"
    state = cache.get(key)
    if state is None:
        state = _compute_state(meeting_id)
        cache.set(key, state, STATE_TTL)
    now = timezone.now()
    live = dict(state)
    # Time left is computed at every response; the page counts down between responses.
    if live["speaking"] and live["speaking"]["limit_seconds"]:
        started = datetime.datetime.fromisoformat(live["speaking"]["started_at"])
        limit = live["speaking"]["limit_seconds"]
        live["speaking"] = {**live["speaking"], "remaining_seconds": round(limit - (now - started).total_seconds(), 1)}
    live["server_time"] = now.isoformat()
    return live


def _compute_state(meeting_id: int) -> dict:
    meeting = Meeting.objects.select_related("consultation").get(pk=meeting_id)
    current = (
        meeting.turns.filter(state=TurnState.SPEAKING)
        .select_related("participant__entity", "participant__group")
        .first()
    )
    waiting = queue(meeting)
    speaking = None
    if current is not None:
        limit = current.planned_seconds if current.kind == TurnKind.PRESENTATION else meeting.speaking_time_seconds
        if current.kind == TurnKind.POINT_OF_ORDER:
            limit = None
        speaking = {**_speaker(current), "started_at": current.started_at.isoformat(), "limit_seconds": limit}
    return {
        "meeting": meeting.pk,
        "version": meeting.floor_version,
        # Whether the public may follow it (the consultation is published); drafts are for the secretariat.
        "public": meeting.consultation.published_at is not None,
        "debate_open": meeting.debate_is_open,
        "speaking_time_seconds": meeting.speaking_time_seconds,
        "speaking": speaking,
        "next": [_speaker(t) for t in waiting[:NEXT_SHOWN]],
        "queue": [_speaker(t) for t in waiting[:QUEUE_SHOWN]],
        "queue_ids": [t.pk for t in waiting],
        "waiting": len(waiting),
    }


@dataclass(frozen=True)
class MinutesLine:
    order: int
    turn: Turn

    @property
    def duration_seconds(self) -> int | None:
        duration = self.turn.duration
        return int(duration.total_seconds()) if duration is not None else None

    @property
    def duration_display(self) -> str:
        seconds = self.duration_seconds
        return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


def minutes(meeting: Meeting) -> list[MinutesLine]:
    """Everyone who spoke, in the order they spoke, with how long (one query)."""
    spoken = (
        meeting.turns.filter(state=TurnState.DONE, started_at__isnull=False)
        .select_related("participant__entity", "participant__group", "contribution")
        .order_by("started_at", "id")
    )
    return [MinutesLine(order=i, turn=t) for i, t in enumerate(spoken, start=1)]
