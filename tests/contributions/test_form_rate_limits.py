"""The public form's rate limits: per client address and per e-mail address, answered with 429, the form as it was
typed, and when to send it again."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from concord.contributions.models import Contribution
from concord.stakeholders.models import Entity
from tests.factories import OPENS, make_consultation

pytestmark = pytest.mark.django_db
# 10:20:30 UTC: the clock hour's window ends at 11:00, 2,370 seconds later.
DURING = OPENS + dt.timedelta(days=5, hours=10, minutes=20, seconds=30)
TEXT = "Interconnection costs weigh on developing countries and must fall: message {n} of this sender."


@pytest.fixture
def consultation(settings):
    settings.CONCORD_FORM_RATE_IP = "3/h"
    settings.CONCORD_FORM_RATE_EMAIL = "2/h"
    return make_consultation()


def post(client, consultation, n, *, email=None, address="203.0.113.7", **extra):
    data = {
        "speaks_for": "individual",
        "person_name": f"Fictional Person {n}",
        "email": email or f"person{n}@example.org",
        "text": TEXT.format(n=n),
        "consent": "named",
        "agree": "on",
        **extra,
    }
    return client.post(reverse("contributions:submit", kwargs={"slug": consultation.slug}), data, REMOTE_ADDR=address)


def test_past_the_limit_per_address_the_form_answers_429_and_keeps_what_was_typed(
    client, consultation, django_capture_on_commit_callbacks
):
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert [post(client, consultation, n).status_code for n in range(3)] == [302, 302, 302]
        refused = post(client, consultation, 3)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2370"
    page = refused.content.decode()
    assert "Too many contributions have been sent from your network in a short time." in page
    assert "send the form again after 11:00 UTC (in about 40 minutes)" in page
    assert TEXT.format(n=3) in page and 'value="person3@example.org"' in page
    # Nothing of the refused post was stored or sent: no contribution, no entity, no receipt.
    assert Contribution.objects.count() == Entity.objects.filter(name__startswith="Fictional Person").count() == 3
    assert len(mail.outbox) == 3


def test_another_address_and_the_next_window_are_not_held_back(client, consultation):
    with time_machine.travel(DURING, tick=False):
        for n in range(3):
            post(client, consultation, n)
        assert post(client, consultation, 3).status_code == 429
        assert post(client, consultation, 4, address="198.51.100.9").status_code == 302
    with time_machine.travel(DURING + dt.timedelta(minutes=40), tick=False):
        assert post(client, consultation, 5).status_code == 302


def test_past_the_limit_per_email_address_the_form_answers_429_from_any_network(
    client, consultation, django_capture_on_commit_callbacks
):
    addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        codes = [
            post(client, consultation, n, email="Target@Example.org", address=a).status_code
            for n, a in enumerate(addresses)
        ]
        again = post(client, consultation, 9, email="target@example.ORG", address="198.51.100.9")
    assert codes == [302, 302, 429]
    assert again.status_code == 429
    assert "Too many contributions have been sent for this e-mail address" in again.content.decode()
    assert len(mail.outbox) == 2


def test_a_refused_post_with_files_says_to_choose_them_again(client, consultation):
    upload = SimpleUploadedFile("note.txt", b"A fictional note about interconnection costs.", "text/plain")
    with time_machine.travel(DURING, tick=False):
        for n in range(3):
            post(client, consultation, n)
        refused = post(client, consultation, 3, files=upload)
    assert refused.status_code == 429
    assert "choose them again before sending" in refused.content.decode()


def test_a_forged_forwarded_header_does_not_escape_the_limit(client, consultation):
    with time_machine.travel(DURING, tick=False):
        codes = [post(client, consultation, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]


def test_the_429_page_speaks_the_contributors_language(client, consultation):
    with time_machine.travel(DURING, tick=False):
        for n in range(3):
            post(client, consultation, n)
        with translation.override("fr"):
            url = reverse("contributions:submit", kwargs={"slug": consultation.slug})
        data = {"speaks_for": "individual", "person_name": "Ada", "email": "ada@example.org", "text": TEXT}
        refused = client.post(url, data, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "Trop de contributions ont été envoyées depuis votre réseau en peu de temps." in refused.content.decode()
