"""One click on the moderation item: publish without a reason, hold and reject with one; answers and files readable."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from concord.contributions.models import Contribution, Moderation, Source
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload
from concord.core.audit import entries_for
from concord.core.services import grant_role
from tests.factories import OPENS, UserFactory, make_consultation

from . import files

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
PERSON = Submitter(kind="individual", name="Ada Fictional", country="FR", email="ada@example.org")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def consultation():
    return make_consultation(questions=("Which issues are not adequately addressed?",))


def received(consultation, text="A fictional note on the cost of international links for small islands.", **kw):
    question = consultation.questions.first()
    with time_machine.travel(DURING, tick=False):
        return submit_written_contribution(
            None,
            consultation,
            submitter=PERSON,
            text=text,
            answers=[{"question_id": question.pk, "answer": "Interconnection costs, at <b>length</b>."}],
            source=Source.WEB,
            **kw,
        ).contribution


def client_for(role):
    user = UserFactory(username=f"user-{role or 'none'}", is_staff=True)
    if role:
        grant_role("test", user, role)
    client = Client()
    client.force_login(user)
    return client


def page(contribution):
    return reverse("admin:contributions_moderationqueue_change", args=[contribution.pk])


def moderate(client, contribution, decision, reason=""):
    url = reverse("admin:contributions_moderationqueue_moderate", args=[contribution.pk])
    return client.post(url, {"decision": decision, "reason": reason})


def test_the_item_shows_the_buttons_the_answers_as_text_and_links_its_files(consultation):
    pdf = files.pdf("Une contribution fictive.", "fr")
    contribution = received(consultation, uploads=[Upload("note.pdf", pdf)])
    html = client_for("moderator").get(page(contribution)).content.decode()
    for button in ('value="publish"', 'value="hold"', 'value="reject"'):
        assert button in html
    assert "Which issues are not adequately addressed?" in html
    assert "Interconnection costs, at &lt;b&gt;length&lt;/b&gt;." in html
    # Nowhere as raw JSON, the versions below included (escaped or not).
    assert "question_id" not in html
    assert html.count("Interconnection costs, at &lt;b&gt;length&lt;/b&gt;.") == 2  # the item and its version 1
    assert "<dd>English</dd>" in html or ">English</div>" in html
    # Nothing is edited on this page: no Save button that would save nothing.
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    attachment = contribution.versions.get().attachments.get()
    link = reverse("admin:contributions_moderationqueue_file", args=[contribution.pk, attachment.pk])
    assert link in html
    assert b"".join(client_for("moderator").get(link).streaming_content) == pdf


def test_publishing_needs_no_reason_and_goes_on_to_the_next_item(consultation):
    first, second = received(consultation), received(consultation, text="Another fictional note on spam filters.")
    response = moderate(client_for("moderator"), first, "publish")
    first.refresh_from_db()
    assert first.moderation == Moderation.PUBLISHED
    assert response["Location"] == page(second)
    assert entries_for(first).filter(action="contribution.publish").exists()


@pytest.mark.parametrize("decision", ["hold", "reject"])
def test_holding_and_rejecting_need_a_reason(consultation, decision):
    contribution = received(consultation)
    client = client_for("moderator")
    moderate(client, contribution, decision)
    assert Contribution.objects.get(pk=contribution.pk).moderation == Moderation.PENDING
    response = moderate(client, contribution, decision, "Off topic: advertising.")
    contribution.refresh_from_db()
    assert contribution.moderation == {"hold": Moderation.HELD, "reject": Moderation.REJECTED}[decision]
    assert contribution.moderation_reason == "Off topic: advertising."
    assert response["Location"] == reverse("admin:contributions_moderationqueue_changelist")


@pytest.mark.parametrize("role", ["report-editor", "consultation-manager", None])
def test_only_a_moderator_moderates(consultation, role):
    contribution = received(consultation)
    client = client_for(role)
    assert moderate(client, contribution, "publish").status_code == 403
    assert Contribution.objects.get(pk=contribution.pk).moderation == Moderation.PENDING


def test_a_file_is_for_staff_who_may_see_files(consultation):
    contribution = received(consultation, uploads=[Upload("note.pdf", files.pdf("Fictive.", "fr"))])
    attachment = contribution.versions.get().attachments.get()
    link = reverse("admin:contributions_contribution_file", args=[contribution.pk, attachment.pk])
    assert client_for(None).get(link).status_code == 403
    assert Client().get(link).status_code == 302  # to the admin's login
