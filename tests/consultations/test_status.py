"""A consultation's status follows from the secretariat's actions and the dates (frozen time)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from concord.consultations import services
from concord.consultations.models import Status
from concord.core.models import AuditEntry
from tests.factories import CLOSES, OPENS, make_consultation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (OPENS - dt.timedelta(seconds=1), Status.UPCOMING),
        (OPENS, Status.OPEN),
        (CLOSES - dt.timedelta(seconds=1), Status.OPEN),
        (CLOSES, Status.CLOSED),
    ],
)
def test_status_follows_the_dates(moment, expected):
    consultation = make_consultation()
    with time_machine.travel(moment, tick=False):
        assert consultation.status == expected


def test_an_unpublished_consultation_is_a_draft_whatever_the_date():
    consultation = make_consultation(published=False)
    with time_machine.travel(OPENS + dt.timedelta(days=1), tick=False):
        assert consultation.status == Status.DRAFT


def test_closing_early_moves_the_closing_time_and_is_audited(alice):
    consultation = make_consultation()
    moment = OPENS + dt.timedelta(days=3)
    with time_machine.travel(moment, tick=False):
        services.close_consultation(alice, consultation)
        assert consultation.status == Status.CLOSED
    entry = AuditEntry.objects.filter(action="consultation.close").get()
    assert entry.actor == alice
    assert entry.changes == {"closes_at": [CLOSES.isoformat(), moment.isoformat()]}


def test_it_refuses_to_close_a_consultation_that_is_not_open(alice):
    consultation = make_consultation()
    with time_machine.travel(OPENS - dt.timedelta(days=1), tick=False), pytest.raises(ValidationError):
        services.close_consultation(alice, consultation)


def test_reporting_needs_a_closed_consultation(alice):
    consultation = make_consultation()
    with time_machine.travel(OPENS + dt.timedelta(days=1), tick=False), pytest.raises(ValidationError):
        services.mark_reported(alice, consultation)
    with time_machine.travel(CLOSES + dt.timedelta(days=1), tick=False):
        services.mark_reported(alice, consultation, symbol="X/1")
        assert consultation.status == Status.REPORTED
    assert consultation.report_symbol == "X/1"


def test_publishing_twice_is_refused(alice):
    consultation = make_consultation()
    with pytest.raises(ValidationError):
        services.publish_consultation(alice, consultation)


def test_it_rejects_a_period_that_ends_before_it_starts():
    with pytest.raises(ValidationError):
        make_consultation(opens_at=CLOSES, closes_at=OPENS)


def test_it_rejects_an_unknown_group():
    with pytest.raises(ValidationError, match="Unknown stakeholder groups"):
        make_consultation(groups=("government", "aliens"))
