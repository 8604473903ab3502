"""The secretariat enters a presentation in the admin: the language is chosen among the six, never typed as a code,
and one without a language is refused with the reason."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from concord.contributions.models import Contribution
from tests.factories import make_consultation, make_contribution, make_meeting

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2030, 3, 10, tzinfo=dt.UTC)


def presentation(consultation, entity, meeting, **changes):
    return {
        "consultation": consultation.pk,
        "entity": entity.pk,
        "channel": "presentation",
        "language": "es",
        "title": "",
        "text": "Una presentación ficticia sobre los costos de interconexión.",
        "received_at_0": "2030-03-05",
        "received_at_1": "09:00:00",
        "source": "staff",
        "consent": "named",
        "meeting": meeting.pk,
    } | changes


def test_the_add_form_offers_the_six_languages(alice_client):
    form = alice_client.get(reverse("admin:contributions_contribution_add")).context["adminform"].form
    assert [code for code, _name in form.fields["language"].choices] == ["", "ar", "zh-hans", "en", "fr", "ru", "es"]


@time_machine.travel(DURING, tick=False)
def test_a_presentation_needs_its_language(alice, alice_client):
    alice_client.force_login(alice)  # The session is opened at the travelled time, or it would have expired.
    consultation = make_consultation()
    entity = make_contribution(consultation).entity
    meeting = make_meeting(consultation)
    url = reverse("admin:contributions_contribution_add")
    response = alice_client.post(url, presentation(consultation, entity, meeting, language=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Choose the language the presentation or intervention was given in."
    ]
    response = alice_client.post(url, presentation(consultation, entity, meeting))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Contribution.objects.get(channel="presentation").language == "es"
