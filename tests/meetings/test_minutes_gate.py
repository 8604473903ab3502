"""The published minutes are a public page: a turn whose recorded contribution is not public keeps its line (the
distribution table counts it) but shows neither its speaker nor its receipt."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from concord.contributions.models import Consent
from concord.contributions.services import moderate_contribution, set_consent
from concord.meetings import services

T0 = dt.datetime(2010, 12, 14, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _spoken(meeting, speakers, alice):
    services.open_debate("chair", meeting, now=T0)
    turns = [services.request_floor(p, now=T0 + dt.timedelta(minutes=i + 1)) for i, p in enumerate(speakers)]
    for i in range(len(turns)):
        services.give_floor("chair", meeting, now=T0 + dt.timedelta(minutes=10 + i))
    services.end_turn("chair", meeting, now=T0 + dt.timedelta(minutes=20))
    recorded = []
    for turn in turns:
        turn.refresh_from_db()
        recorded.append(
            services.record_turn(alice, turn, text=f"Statement of {turn.participant.person_name}.", language="en")
        )
    services.publish_minutes("test", meeting)
    return recorded


@pytest.mark.parametrize("state", ["withheld", "held", "rejected"])
def test_the_minutes_name_no_speaker_of_a_turn_that_is_not_public(meeting, speakers, alice, state):
    withheld_speaker, *others = speakers
    recorded = _spoken(meeting, speakers, alice)
    hidden = recorded[0]
    if state == "withheld":
        set_consent("alice", hidden, Consent.WITHHELD)
    else:
        moderate_contribution("alice", hidden, "hold" if state == "held" else "reject", "Checking.")

    page = Client().get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()

    assert withheld_speaker.person_name not in page
    assert withheld_speaker.entity.name not in page
    assert hidden.receipt_number not in page
    assert "Not published" in page
    for speaker, contribution in zip(others, recorded[1:], strict=True):
        assert speaker.person_name in page
        assert contribution.receipt_number in page
    # The turn keeps its line: three turns, three rows.
    assert page.count('<tr><td data-label="#">') == 3
