"""The admin's index is the secretariat's workbench: per consultation, what waits, the phase, the time left."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from concord.contributions.models import Source
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter
from concord.core.services import grant_role
from tests.factories import OPENS, UserFactory, make_consultation, make_contribution

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff(role=None):
    user = UserFactory(username=f"user-{role or 'none'}", is_staff=True)
    if role:
        grant_role("test", user, role)
    client = Client()
    client.force_login(user)
    return client


def arrive(consultation, n):
    with time_machine.travel(DURING, tick=False):
        for i in range(n):
            submit_written_contribution(
                None,
                consultation,
                submitter=Submitter(kind="individual", name=f"Fictional Person {i}", email=f"p{i}@example.org"),
                text=f"A fictional note number {i} on the costs of international connectivity.",
                source=Source.WEB,
            )


def test_the_index_counts_what_waits_for_each_consultation_with_links(django_assert_max_num_queries):
    harbours = make_consultation(slug="harbours")
    rivers = make_consultation(slug="rivers")
    arrive(harbours, 3)
    arrive(rivers, 1)
    make_contribution(rivers)  # recorded by the secretariat: published, nothing waits
    with time_machine.travel(DURING, tick=False):
        client = staff("moderator")
        with django_assert_max_num_queries(20):
            response = client.get(reverse("admin:index"))
    assert response.status_code == 200, response
    html = response.content.decode()
    rows = {row.consultation.slug: row for row in response.context["rows"]}
    assert [w.count for w in rows["harbours"].waiting] == [3, 0, 0, 0]
    assert [w.count for w in rows["rivers"].waiting] == [1, 0, 0, 0]
    queue = reverse("admin:contributions_moderationqueue_changelist")
    assert f"{queue}?consultation__id__exact={harbours.pk}" in html
    assert "closes in" in html and rows["harbours"].phase == "Open"
    assert reverse("record:data", args=["harbours"]) in html
    assert "Concord secretariat" in html
    # The link leads to that consultation's items only.
    listed = client.get(f"{queue}?consultation__id__exact={rivers.pk}")
    assert listed.status_code == 200 and listed.context["cl"].result_count == 1


def test_queries_do_not_grow_with_the_consultations(django_assert_max_num_queries):
    for i in range(6):
        arrive(make_consultation(slug=f"c{i}"), 1)
    with time_machine.travel(DURING, tick=False):
        client = staff("moderator")
        with django_assert_max_num_queries(20):
            assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_a_role_see_no_counts():
    arrive(make_consultation(slug="harbours"), 2)
    response = staff(None).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "What waits, by consultation" not in response.content.decode()
