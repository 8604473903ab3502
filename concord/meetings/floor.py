"""Reading the floor: the queue, the live state the display pages follow, and the minutes.

The live state is cached per floor version. One watcher thread per process follows the floors that someone is
waiting on: it reads their versions (one query every ``WATCH_EVERY`` seconds for all of them, at once when this
process made the change), computes each new state once and encodes it once. Display pages wait on it in one of two
ways:

- a server-sent event stream (``stream``): every open stream writes the same bytes. A room of several hundred costs
  one query per tick and one socket write per display per change, whatever the number of processes.
- long polling of ``live.json`` (``wait_for_change``) for clients without EventSource: the request sleeps on the
  same watcher and answers with its state.

Without a waiter, ``live_state`` answers from the cache; the current version is kept there for one second at most,
so with a per-process cache another process sees a change within a second.
"""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.watch import PollingWatcher

from .models import Meeting, Turn, TurnKind, TurnState

VERSION_TTL = 1
STATE_TTL = 60
NEXT_SHOWN = 5
QUEUE_SHOWN = 300


def _version_key(meeting_id: int) -> str:
    return f"meetings:floor-version:{meeting_id}"


def publish_version(meeting_id: int, version: int) -> None:
    """Called after a floor change commits: this process's watcher looks at once."""
    cache.set(_version_key(meeting_id), version, VERSION_TTL)
    watcher.poke()


def wait_for_change(meeting_id: int, since: int, timeout: float) -> dict | None:
    """The live state as soon as the floor's version differs from ``since``, or after ``timeout`` seconds (None
    when the meeting is gone)."""
    watcher.subscribe(meeting_id)
    try:
        latest = watcher.wait(meeting_id, since, timeout)
    finally:
        watcher.unsubscribe(meeting_id)
    if latest is not None:
        return _with_clock(latest[1])
    # Nothing read yet (a zero wait): answer from the cache as without waiting.
    return None if watcher.is_gone(meeting_id) else live_state(meeting_id)


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
    # Time left is computed at every response; the page counts down between responses.
    return _with_clock(_state_at(meeting_id, version))


def _state_at(meeting_id: int, version: int) -> dict:
    """The state of this version, computed once per cache (by whichever of the watcher and a request asks first)."""
    state = cache.get(_state_key(meeting_id, version))
    if state is None:
        state = _compute_state(meeting_id)
        # Keyed by the version it holds, which may already be newer than the one asked for.
        cache.set(_state_key(meeting_id, state["version"]), state, STATE_TTL)
    return state


def _state_key(meeting_id: int, version: int) -> str:
    return f"meetings:floor-state:{meeting_id}:{version}"


def _with_clock(state: dict) -> dict:
    """The state with the speaker's time left and the server's time, as of now."""
    now = timezone.now()
    live = dict(state)
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


# -- Server-sent events ----------------------------------------------------------------------------------------

WATCH_EVERY = 0.25
KEEPALIVE_EVERY = 15.0
STREAM_SECONDS = 300.0
RETRY_MS = 2000


def public_state(state: dict, with_queue: bool = False) -> dict:
    """What a display or a phone receives: the whole queue only for the chair's page (the others show the next few
    and their own place)."""
    return state if with_queue else {k: v for k, v in state.items() if k != "queue"}


def encode_event(state: dict, with_queue: bool = False) -> bytes:
    """One server-sent event; its id is the floor's version, so a reconnecting browser says what it has."""
    data = json.dumps(public_state(state, with_queue), ensure_ascii=False, separators=(",", ":"))
    return f"id: {state['version']}\nevent: floor\ndata: {data}\n\n".encode()


class FloorWatcher(PollingWatcher):
    """Follows the floors that this process's streams watch, and encodes each new version once for all of them
    (the thread's life and the tick: ``concord.core.watch``)."""

    name = "concord-floor-watcher"

    def __init__(self) -> None:
        super().__init__()
        # meeting -> (version, state with the clock as of the change, its encoding without and with the queue)
        self._latest: dict[int, tuple[int, dict, bytes, bytes]] = {}
        self._gone: set[int] = set()

    def interval(self) -> float:
        return WATCH_EVERY

    def forget(self, meeting_id: int) -> None:
        self._latest.pop(meeting_id, None)

    def is_gone(self, meeting_id: int) -> bool:
        return meeting_id in self._gone

    def wait(self, meeting_id: int, since: int, timeout: float) -> tuple[int, dict, bytes, bytes] | None:
        """The latest version once it differs from ``since``, or what there is after ``timeout`` (None before the
        first read, or when the meeting is gone)."""

        def changed() -> bool:
            latest = self._latest.get(meeting_id)
            return meeting_id in self._gone or (latest is not None and latest[0] != since)

        with self.changed:
            self.changed.wait_for(changed, timeout)
            return None if meeting_id in self._gone else self._latest.get(meeting_id)

    def refresh(self, ids: list[int]) -> None:
        versions = dict(Meeting.objects.filter(pk__in=ids).values_list("pk", "floor_version"))
        for meeting_id in ids:
            if meeting_id not in versions:
                with self.changed:
                    self._gone.add(meeting_id)
                    self.changed.notify_all()
                continue
            latest = self._latest.get(meeting_id)
            if latest is not None and latest[0] == versions[meeting_id]:
                continue
            cache.set(_version_key(meeting_id), versions[meeting_id], VERSION_TTL)
            state = _with_clock(_state_at(meeting_id, versions[meeting_id]))
            entry = (state["version"], state, encode_event(state), encode_event(state, with_queue=True))
            with self.changed:
                self._gone.discard(meeting_id)
                if self.is_watched(meeting_id):
                    self._latest[meeting_id] = entry
                self.changed.notify_all()


watcher = FloorWatcher()


def stream(meeting_id: int, since: int, *, with_queue: bool = False, seconds: float = STREAM_SECONDS):
    """The floor as server-sent events: the current state at once (unless the browser already has it), then each
    change as it happens, a comment every ``KEEPALIVE_EVERY`` seconds, and an end after ``seconds`` (the browser
    reconnects by itself, so no thread is held for ever)."""
    watcher.subscribe(meeting_id)
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()
        first = True
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            latest = watcher.wait(meeting_id, since, min(left, KEEPALIVE_EVERY))
            if latest is None and watcher.is_gone(meeting_id):
                return
            if latest is None or latest[0] == since:
                yield b": keep-alive\n\n"
                continue
            version, state, plain, queued = latest
            since = version
            if first:
                # A display that connects mid-speech needs the time left as of now, not as of the change.
                yield encode_event(_with_clock(state), with_queue)
                first = False
            else:
                yield queued if with_queue else plain
    finally:
        watcher.unsubscribe(meeting_id)


@dataclass(frozen=True)
class MinutesLine:
    order: int
    turn: Turn
    # Whether the turn's recorded contribution passes the public gate; the minutes name the speaker and link the
    # record only then (a speaker may have asked not to be published, or the turn may be held).
    shown: bool = True

    @property
    def duration_seconds(self) -> int | None:
        duration = self.turn.duration
        return int(duration.total_seconds()) if duration is not None else None

    @property
    def duration_display(self) -> str:
        seconds = self.duration_seconds
        if seconds is None:
            return ""
        # With its unit: "12:42" alone reads as a time of day in the minutes' "Time (UTC)" column beside it.
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": seconds // 60, "seconds": seconds % 60}


def minutes(meeting: Meeting) -> list[MinutesLine]:
    """Everyone who spoke, in the order they spoke, with how long (one query)."""
    spoken = (
        meeting.turns.filter(state=TurnState.DONE, started_at__isnull=False)
        .select_related("participant__entity", "participant__group", "contribution")
        .order_by("started_at", "id")
    )
    return [MinutesLine(order=i, turn=t) for i, t in enumerate(spoken, start=1)]
