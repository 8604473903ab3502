"""Input hardening: what a request carries (numbers, dates, pages, characters, sizes) is refused with a clear 4xx
or cleaned, never answered with a 500 or an endless wait."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from concord.meetings import floor
from tests.factories import make_consultation, make_meeting

pytestmark = pytest.mark.django_db


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
