"""The demo consultation: real metadata, fictional entities, counts of the report."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from concord.consultations.demo import DEMO_SLUG, REHEARSAL_SLUG, demo_data, load_rehearsal
from concord.consultations.models import Consultation, Status
from concord.contributions.models import Channel, Consent
from concord.meetings import floor
from concord.meetings.models import TurnKind, TurnState
from concord.stakeholders.models import Entity

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_reports_metadata(demo):
    assert demo.slug == DEMO_SLUG
    assert demo.mandate_reference == "ECOSOC resolution 2010/2"
    assert demo.opens_at == dt.datetime(2010, 9, 1, tzinfo=dt.UTC)
    assert demo.closes_at.date() == dt.date(2010, 12, 31)
    assert [g.slug for g in demo.ordered_groups()] == [
        "government",
        "international-organization",
        "civil-society",
        "private-sector",
    ]
    meeting = demo.meetings.get()
    assert meeting.date == dt.date(2010, 12, 14)
    assert "New York" in meeting.place
    assert demo.status == Status.REPORTED


def test_every_demo_entity_is_fictional_and_says_so(demo):
    # The contributors, and the fictional registry the demo invited (concord/stakeholders/demo.py).
    names = set(Entity.objects.values_list("name", flat=True))
    assert {row["name"] for row in demo_data()["entities"]} <= names
    assert not Entity.objects.filter(is_fictional=False).exists()
    assert "fictional" in demo.description


def test_receipts_follow_the_order_received(demo):
    written = list(demo.contributions.filter(channel="written").order_by("received_at"))
    assert [c.receipt_number for c in written[:2]] == ["EC2010-W-000001", "EC2010-W-000002"]
    assert all(demo.opens_at <= c.received_at < demo.closes_at for c in written)


def test_the_demo_shows_each_publication_choice(demo):
    assert Counter(demo.contributions.values_list("consent", flat=True)) == {
        Consent.NAMED: 95,
        Consent.ANONYMOUS: 2,
        Consent.WITHHELD: 1,
    }


def test_loaddemo_is_safe_to_run_twice(db, capsys):
    call_command("loaddemo")
    call_command("loaddemo")
    assert "already loaded" in capsys.readouterr().out
    assert Consultation.objects.get(slug=DEMO_SLUG).contributions.count() == 98
    assert Consultation.objects.filter(slug=REHEARSAL_SLUG).count() == 1


def test_loaddemo_if_empty_leaves_an_existing_database_alone(db, capsys):
    from tests.factories import make_consultation

    make_consultation()
    call_command("loaddemo", "--if-empty")
    assert not Consultation.objects.filter(slug=DEMO_SLUG).exists()


def test_loaddemo_analyze_drafts_the_report_in_six_languages(db, capsys):
    from concord.reports.models import ReportDraft

    call_command("loaddemo", "--analyze")
    assert sorted(ReportDraft.objects.values_list("language", flat=True)) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert "Drafted the report" in capsys.readouterr().out


def test_the_2010_meeting_is_replayed_through_the_floor(demo):
    """Presentations by designated representatives in slot order, then the open debate, each turn recorded with its
    receipt, minutes published: the minutes list the 26 presentations and 13 interventions of the table."""
    meeting = demo.meetings.get()
    lines = floor.minutes(meeting)
    kinds = Counter(line.turn.kind for line in lines)
    assert kinds == {TurnKind.PRESENTATION: 26, TurnKind.INTERVENTION: 13}
    assert all(line.turn.contribution is not None for line in lines)
    assert [line.turn.kind for line in lines] == sorted(
        (line.turn.kind for line in lines), key=lambda k: k != TurnKind.PRESENTATION
    )
    assert all(line.turn.participant.designated for line in lines if line.turn.kind == TurnKind.PRESENTATION)
    assert all(line.turn.contribution.received_at == line.turn.started_at for line in lines)
    debate = [line.turn for line in lines if line.turn.kind == TurnKind.INTERVENTION]
    assert all(a.ended_at == b.started_at for a, b in zip(debate, debate[1:], strict=False))  # back to back
    assert debate[-1].ended_at == meeting.debate_closed_at == dt.datetime(2010, 12, 14, 17, 30, tzinfo=dt.UTC)
    assert meeting.minutes_published_at is not None and not meeting.debate_is_open
    assert Counter(demo.contributions.filter(meeting=meeting).values_list("channel", flat=True)) == {
        Channel.PRESENTATION: 26,
        Channel.INTERVENTION: 13,
    }


def test_the_rehearsal_is_open_with_a_meeting_ready_to_run(demo):
    now = dt.datetime(2030, 1, 15, 9, tzinfo=dt.UTC)
    rehearsal = load_rehearsal(now=now)
    assert load_rehearsal(now=now) is None
    assert rehearsal.opens_at < now < rehearsal.closes_at and rehearsal.published_at == now
    meeting = rehearsal.meetings.get()
    assert meeting.participants.count() == 4
    assert [t.participant.designated for t in floor.queue(meeting)] == [True]
    assert not meeting.turns.exclude(state=TurnState.WAITING).exists()
    assert all(p.entity.is_fictional for p in meeting.participants.select_related("entity"))
