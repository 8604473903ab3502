import datetime as dt
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from concord.consultations.tables import distribution_table
from concord.core.models import AuditEntry
from concord.meetings import floor, services
from concord.meetings.models import Turn, TurnKind, TurnState
from tests.factories import make_entity

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2030, 6, 30, 15, 0, tzinfo=dt.UTC)


def at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def test_requests_wait_until_the_debate_opens(meeting, speakers):
    with pytest.raises(ValidationError, match="not open"):
        services.request_floor(speakers[0])
    services.open_debate("chair", meeting, now=at(0))
    turn = services.request_floor(speakers[0], now=at(1))
    assert services.request_floor(speakers[0], now=at(2)) == turn  # asking twice keeps one place


def test_points_of_order_jump_the_queue(meeting, speakers):
    services.open_debate("chair", meeting, now=at(0))
    first = services.request_floor(speakers[0], now=at(1))
    second = services.request_floor(speakers[1], now=at(2))
    order = services.request_floor(speakers[2], TurnKind.POINT_OF_ORDER, now=at(3))
    meeting.refresh_from_db()
    assert floor.queue(meeting) == [order, first, second]
    assert services.give_floor("chair", meeting, now=at(4)) == order
    assert services.give_floor("chair", meeting, now=at(5)) == first
    order.refresh_from_db()
    assert order.state == TurnState.DONE and order.duration == dt.timedelta(minutes=1)


def test_live_state_shows_speaker_countdown_and_next(
    meeting, speakers, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    services.open_debate("chair", meeting, now=at(0))
    for i, p in enumerate(speakers):
        services.request_floor(p, now=at(i + 1))
    services.give_floor("chair", meeting)
    with django_assert_max_num_queries(6):
        state = floor.live_state(meeting.pk)
    assert state["speaking"]["name"] == "Ana Ficticia"
    assert 115 < state["speaking"]["remaining_seconds"] <= 120
    assert [s["name"] for s in state["next"]] == ["Bo Fictional", "Chen Xuni"]
    assert state["debate_open"] is True
    before = state["version"]
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_turn("chair", meeting.turns.get(participant=speakers[2]))
    assert floor.live_state(meeting.pk)["version"] == before + 1
    assert floor.live_state(meeting.pk)["waiting"] == 1


def test_closing_the_list_lapses_waiting_requests(meeting, speakers):
    services.open_debate("chair", meeting, now=at(0))
    services.request_floor(speakers[0], now=at(1))
    services.request_floor(speakers[1], now=at(2))
    services.give_floor("chair", meeting, now=at(3))
    services.close_debate("chair", meeting, now=at(6))
    states = dict(meeting.turns.values_list("participant_id", "state"))
    assert states == {speakers[0].pk: TurnState.DONE, speakers[1].pk: TurnState.WITHDRAWN}


def test_presentations_slot_list_then_debate_then_record_counts_in_the_table(meeting, speakers, alice):
    rep = services.update_participant("test", speakers[0], designated=True)
    with pytest.raises(ValidationError, match="designated"):
        services.schedule_presentation("test", speakers[1])
    presentation = services.schedule_presentation("test", rep, planned_seconds=600)
    meeting.refresh_from_db()
    assert floor.queue(meeting) == [presentation]
    services.give_floor("chair", meeting, now=at(0))
    services.open_debate("chair", meeting, now=at(10))  # ends nothing by itself
    intervention = services.request_floor(speakers[1], now=at(11))
    point = services.request_floor(speakers[2], TurnKind.POINT_OF_ORDER, now=at(12))
    services.give_floor("chair", meeting, now=at(12))  # the point of order; ends the presentation
    services.give_floor("chair", meeting, now=at(13))
    services.end_turn("chair", meeting, now=at(16))

    before = distribution_table(meeting.consultation)
    with pytest.raises(ValidationError, match="Points of order"):
        services.record_turn(alice, point, text="On procedure.", language="en")
    presentation.refresh_from_db()
    p = services.record_turn(alice, presentation, text="Our group's views.", language="en", now=at(60))
    i = services.record_turn(alice, intervention, text="Intervención ficticia.", language="es", now=at(60))
    assert (p.receipt_number, p.channel, p.received_at) == ("TST-P-000001", "presentation", at(0))
    assert (i.receipt_number, i.channel, i.group.slug) == ("TST-I-000001", "intervention", "private-sector")
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_turn(alice, intervention, text="again", language="en", now=at(60))
    after = distribution_table(meeting.consultation)
    assert after.totals["presentation"] == before.totals["presentation"] + 1
    assert after.totals["intervention"] == before.totals["intervention"] + 1
    assert after.debate_participants == 1

    lines = floor.minutes(meeting)
    assert [(line.turn.kind, line.duration_display) for line in lines] == [
        ("presentation", "12 min 00 s"),
        ("point-of-order", "1 min 00 s"),
        ("intervention", "3 min 00 s"),
    ]
    assert AuditEntry.objects.filter(action="turn.record").count() == 2


def test_a_participant_of_a_group_not_heard_is_refused(meeting):
    academic = make_entity("Fictional Institute", category="academia")
    with pytest.raises(ValidationError, match="does not hear"):
        services.register_participant("test", meeting, entity=academic, person_name="Dee Fictional")


def _events(response):
    """The server-sent events of a streaming response, parsed, skipping the retry line and keep-alives."""
    for chunk in response.streaming_content:
        lines = dict(line.split(": ", 1) for line in chunk.decode().strip().split("\n") if not line.startswith(":"))
        if "data" in lines:
            yield int(lines["id"]), json.loads(lines["data"])


@pytest.mark.django_db(transaction=True)
def test_the_display_stream_sends_the_state_then_each_change(reference_data, meeting, speakers, client):
    services.open_debate("chair", meeting)
    services.request_floor(speakers[0])
    response = client.get(reverse("meetings:live-stream", kwargs={"pk": meeting.pk}))
    assert response["Content-Type"] == "text/event-stream"
    events = _events(response)
    try:
        version, state = next(events)
        assert state["speaking"] is None and [s["name"] for s in state["next"]] == ["Ana Ficticia"]
        assert "queue" not in state and state["waiting"] == 1
        services.give_floor("chair", meeting)
        new_version, state = next(events)
        assert new_version == version + 1 == state["version"]
        assert state["speaking"]["name"] == "Ana Ficticia" and 115 < state["speaking"]["remaining_seconds"] <= 120
    finally:
        response.close()
    # The last stream closed: the watcher stops and gives its database connection back.
    deadline = time.monotonic() + 5
    while floor.watcher._thread is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert floor.watcher._thread is None


@pytest.mark.django_db(transaction=True)
def test_a_reconnecting_display_gets_only_what_it_lacks(reference_data, meeting, speakers, client, monkeypatch):
    monkeypatch.setattr(floor, "KEEPALIVE_EVERY", 0.2)
    services.open_debate("chair", meeting)
    meeting.refresh_from_db()
    url = reverse("meetings:live-stream", kwargs={"pk": meeting.pk})
    response = client.get(url, headers={"Last-Event-ID": str(meeting.floor_version)})
    try:
        chunks = iter(response.streaming_content)
        assert next(chunks).startswith(b"retry: ")
        assert next(chunks) == b": keep-alive\n\n"  # nothing new to send
    finally:
        response.close()


@pytest.mark.django_db(transaction=True)
def test_a_long_poll_answers_when_the_floor_changes(reference_data, meeting, speakers, client):
    services.open_debate("chair", meeting)
    services.request_floor(speakers[0])
    url = reverse("meetings:live", kwargs={"pk": meeting.pk})
    version = client.get(url).json()["version"]

    def chair_gives_the_floor():
        try:
            services.give_floor("chair", meeting)
        finally:
            connection.close()

    chair = threading.Timer(0.3, chair_gives_the_floor)
    chair.start()
    started = time.monotonic()
    state = client.get(url, {"since": version, "wait": 10}).json()
    chair.join()
    assert state["version"] == version + 1 and state["speaking"]["name"] == "Ana Ficticia"
    assert time.monotonic() - started < 5  # woken by the change, not by the end of the wait
    # With nothing new, it answers the same version when the wait ends.
    assert client.get(url, {"since": state["version"], "wait": 0.2}).json()["version"] == state["version"]


def test_an_unpublished_meeting_has_no_public_stream(meeting, client):
    meeting.consultation.published_at = None
    meeting.consultation.save(update_fields=["published_at"])
    assert client.get(reverse("meetings:live-stream", kwargs={"pk": meeting.pk})).status_code == 404


def test_a_duration_in_the_minutes_has_its_unit_and_is_translated():
    from django.utils import translation

    start = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    turn = Turn(started_at=start, ended_at=start + dt.timedelta(minutes=12, seconds=42))
    line = floor.MinutesLine(order=1, turn=turn)
    assert line.duration_display == "12 min 42 s"
    assert floor.MinutesLine(order=2, turn=Turn(started_at=start)).duration_display == ""
    with translation.override("fr"):
        assert line.duration_display == "12 min 42 s"
    with translation.override("ru"):
        assert line.duration_display == "12 мин 42 с"
