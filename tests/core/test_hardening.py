"""Input hardening: what a request carries (numbers, dates, pages, characters, sizes) is refused with a clear 4xx
or cleaned, never answered with a 500 or an endless wait."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from concord.meetings import floor
from tests.factories import OPENS, make_consultation, make_meeting

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)


@pytest.fixture
def quiet_client():
    """A client that answers 500 like the server would, instead of raising the view's exception in the test."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("wait", ["nan", "NaN", "inf", "-inf", "1e400"])
def test_live_json_refuses_a_wait_that_is_not_a_finite_number(wait, quiet_client, monkeypatch):
    cache.clear()
    meeting = make_meeting(make_consultation())
    url = reverse("meetings:live", kwargs={"pk": meeting.pk})
    version = quiet_client.get(url).json()["version"]
    waits = []
    # A NaN wait never ends: record what the view would wait for instead of waiting.
    monkeypatch.setattr(floor, "wait_for_change", lambda pk, since, timeout: waits.append(timeout) or {})
    response = quiet_client.get(url, {"since": version, "wait": wait})
    assert response.status_code == 400
    assert response.json() == {"error": "bad parameters"}
    assert waits == []


@pytest.mark.parametrize(("wait", "expected"), [("-5", 0.0), ("3.5", 3.5), ("1e9", 25.0)])
def test_live_json_keeps_a_finite_wait_within_its_bounds(wait, expected, quiet_client, monkeypatch):
    cache.clear()
    meeting = make_meeting(make_consultation())
    url = reverse("meetings:live", kwargs={"pk": meeting.pk})
    version = quiet_client.get(url).json()["version"]
    waits = []
    monkeypatch.setattr(
        floor, "wait_for_change", lambda pk, since, timeout: waits.append(timeout) or floor.live_state(pk)
    )
    assert quiet_client.get(url, {"since": version, "wait": wait}).status_code == 200
    assert waits == [expected]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("field", ["received_from", "received_to"])
def test_search_takes_the_calendars_first_and_last_days(day, field, quiet_client):
    consultation = make_consultation()
    page = quiet_client.get(reverse("record:search", kwargs={"slug": consultation.slug}), {field: day})
    api = quiet_client.get(f"/api/v1/consultations/{consultation.slug}/search", {field: day})
    assert (page.status_code, api.status_code) == (200, 200)


@pytest.mark.parametrize("name", ["record:search", "record:record"])
def test_a_page_number_past_any_record_is_refused_with_a_400(name, quiet_client):
    consultation = make_consultation()
    response = quiet_client.get(reverse(name, kwargs={"slug": consultation.slug}), {"page": "9223372036854775807"})
    assert response.status_code == 400
    assert b"Ensure this value is less than or equal to 10000" in response.content


# Valid by RFC 5322's syntax and Django's validator, but past RFC 5321's 254 characters and the column's size.
LONG_EMAIL = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "example"


def test_a_valid_but_over_long_email_address_is_refused_with_a_clear_message(client):
    from django.core.exceptions import ValidationError

    from concord.contributions.models import Contribution
    from concord.contributions.services import submit_written_contribution
    from concord.contributions.submission import Submitter

    assert len(LONG_EMAIL) == 264
    consultation = make_consultation()
    submitter = Submitter(kind="individual", name="Ada Fictional", email=LONG_EMAIL)
    with time_machine.travel(DURING, tick=False), pytest.raises(ValidationError) as refused:
        submit_written_contribution(None, consultation, submitter=submitter, text="Interconnection costs must fall.")
    assert refused.value.error_list[0].code == "invalid-email"
    assert refused.value.messages == ["An e-mail address has at most 254 characters; this one has 264."]
    assert not Contribution.objects.exists()


def test_the_form_shows_an_over_long_email_address_as_its_error_and_keeps_what_was_typed(client):
    from concord.contributions.models import Contribution

    consultation = make_consultation()
    data = {
        "speaks_for": "individual",
        "person_name": "Ada Fictional",
        "email": LONG_EMAIL,
        "text": "Interconnection costs must fall for developing countries.",
        "consent": "named",
        "agree": "on",
    }
    with time_machine.travel(DURING, tick=False):
        response = client.post(reverse("contributions:submit", kwargs={"slug": consultation.slug}), data)
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Ensure this value has at most 254 characters (it has 264)."]
    assert data["text"] in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_name_longer_than_the_registry_holds_is_refused_with_a_clear_message():
    # The form caps the name at 300 characters; `concord submit` and any other caller reach the service directly.
    from django.core.exceptions import ValidationError

    from concord.contributions.services import submit_written_contribution
    from concord.contributions.submission import Submitter
    from concord.stakeholders.models import Entity

    consultation = make_consultation()
    submitter = Submitter(kind="individual", name="Ada " + "Fictional" * 40, email="ada@example.org")
    with time_machine.travel(DURING, tick=False), pytest.raises(ValidationError) as refused:
        submit_written_contribution(None, consultation, submitter=submitter, text="Interconnection costs must fall.")
    assert refused.value.error_list[0].code == "name-too-long"
    assert refused.value.messages == ["A name has at most 300 characters; this one has 364."]
    assert not Entity.objects.filter(name__startswith="Ada ").exists()
