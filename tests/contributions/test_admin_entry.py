"""The secretariat enters what arrived in the admin: a letter with its scan, a presentation in a language chosen among
the six (never typed as a code); what the services refuse comes back with the reason."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.contributions.models import Contribution
from tests.factories import make_consultation, make_contribution, make_meeting

from . import files

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


@time_machine.travel(DURING, tick=False)
def test_a_letter_is_entered_with_its_scan_and_no_typed_text(alice, alice_client):
    alice_client.force_login(alice)
    consultation = make_consultation()
    entity = make_contribution(consultation).entity
    meeting = make_meeting(consultation)
    scan = files.pdf("Une lettre fictive sur les coûts de connexion.", "fr")
    letter = presentation(consultation, entity, meeting) | {"channel": "written", "text": "", "meeting": ""}
    letter |= {"source": "email"}
    url = reverse("admin:contributions_contribution_add")
    response = alice_client.post(url, letter | {"attached_files": SimpleUploadedFile("lettre.pdf", scan)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    recorded = Contribution.objects.get(channel="written", source="email")
    attachment = recorded.versions.get().attachments.get()
    assert (attachment.name, attachment.size) == ("lettre.pdf", len(scan))
    # A file belongs to a written contribution: a presentation with one is refused, and nothing is recorded.
    refused = presentation(consultation, entity, meeting) | {"attached_files": SimpleUploadedFile("slides.pdf", scan)}
    response = alice_client.post(url, refused)
    assert response.context["adminform"].form.non_field_errors() == [
        "Files are attached to written contributions only."
    ]
    assert not Contribution.objects.filter(channel="presentation").exists()


def test_the_lists_filter_by_language_name(alice_client):
    consultation = make_consultation()
    french = make_contribution(consultation, language="fr")
    make_contribution(consultation, language="en")
    url = reverse("admin:contributions_contribution_changelist")
    response = alice_client.get(url, {"language": "fr"})
    assert [c.pk for c in response.context["cl"].result_list] == [french.pk]
    assert ">French</a>" in response.content.decode()
    assert list(alice_client.get(url, {"language": "-"}).context["cl"].result_list) == []
