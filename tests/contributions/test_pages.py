"""The submission form and the contributor's private page, through the test client (bob has no account)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from concord.contributions.models import Contribution, Moderation
from concord.contributions.services import moderate_contribution
from tests.factories import CLOSES, OPENS, make_consultation

from . import files

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
TEXT = "Les coûts d'interconnexion internationale pèsent sur les pays en développement et doivent baisser."


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def form_data(**changes):
    return {
        "speaks_for": "organization",
        "organization_name": "Fictional Network of Rural Libraries",
        "category": "ecosoc-ngo",
        "group": "civil-society",
        "country": "SN",
        "email": "libraries@example.org",
        "title": "Coûts d'interconnexion",
        "text": TEXT,
        "consent": "named",
        "agree": "on",
        "idempotency_key": "form-key-1",
    } | changes


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def during():
    with time_machine.travel(DURING, tick=False):
        yield


def test_the_form_is_offered_in_every_language(consultation, client, during):
    for lang in ["ar", "zh-hans", "en", "fr", "ru", "es"]:
        response = client.get(url("contributions:submit", lang, slug=consultation.slug))
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_submission_is_acknowledged_with_its_receipt_and_private_link(
    consultation, client, during, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("contributions:submit", "fr", slug=consultation.slug),
            form_data(files=[SimpleUploadedFile("note.docx", files.docx("Une note jointe sur le spam."))]),
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    contribution = Contribution.objects.get()
    assert contribution.receipt_number in html
    assert contribution.sha256 in html
    assert "Merci" in html
    assert "Texte extrait" in html
    [message] = mail.outbox
    assert response["Location"].split("?")[0] in message.body


def test_a_double_submit_creates_one_contribution(consultation, client, during):
    first = client.post(url("contributions:submit", slug=consultation.slug), form_data())
    second = client.post(url("contributions:submit", slug=consultation.slug), form_data())
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already received" in second.content.decode()
    assert Contribution.objects.count() == 1


def test_errors_are_shown_in_the_users_language_and_nothing_is_stored(consultation, client, during):
    response = client.post(
        url("contributions:submit", "fr", slug=consultation.slug),
        form_data(files=[SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 300)]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "n’est pas accepté" in html or "n'est pas accepté" in html
    assert Contribution.objects.count() == 0


def test_script_in_text_is_escaped_on_every_page(consultation, client, during, alice):
    script = "<script>alert('x')</script>"
    client.post(url("contributions:submit", slug=consultation.slug), form_data(text=TEXT + script))
    contribution = Contribution.objects.get()
    moderate_contribution(alice, contribution, "publish", "Fine.")
    page = client.get(url("record:contribution", slug=consultation.slug, receipt=contribution.receipt_number))
    html = page.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize("moment", [OPENS - dt.timedelta(days=1), CLOSES + dt.timedelta(days=1)])
def test_outside_the_period_the_form_says_so_and_refuses(consultation, client, moment):
    with time_machine.travel(moment, tick=False):
        page = client.get(url("contributions:submit", slug=consultation.slug)).content.decode()
        assert '<form method="post"' not in page
        response = client.post(url("contributions:submit", slug=consultation.slug), form_data())
    assert response.status_code == 400
    assert Contribution.objects.count() == 0


def manage_url(client, consultation):
    response = client.post(url("contributions:submit", slug=consultation.slug), form_data())
    return response["Location"].split("?")[0]


def test_the_private_link_amends_and_the_record_shows_the_current_version(consultation, client, during, alice):
    link = manage_url(client, consultation)
    response = client.post(
        link, {"action": "amend", "title": "Nouveau titre", "text": TEXT + " Révisé.", "keep_files": "on"}
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.version, contribution.title) == (2, "Nouveau titre")
    moderate_contribution(alice, contribution, "publish", "Fine.")
    page = client.get(url("record:contribution", slug=consultation.slug, receipt=contribution.receipt_number))
    assert "Révisé." in page.content.decode()


def test_the_private_link_withdraws(consultation, client, during):
    link = manage_url(client, consultation)
    assert client.post(link, {"action": "withdraw"}).status_code == 400  # Not confirmed.
    assert client.post(link, {"action": "withdraw", "confirm": "on"}).status_code == 302
    assert Contribution.objects.get().withdrawn_at == DURING


def test_a_wrong_token_finds_nothing(consultation, client, during):
    link = manage_url(client, consultation)
    assert client.get(re.sub(r"/[^/]+/$", "/not-the-token/", link)).status_code == 404


def test_files_download_byte_for_byte_when_public(consultation, client, during, alice):
    pdf = files.pdf("Contribution fictive.", "fr")
    client.post(
        url("contributions:submit", slug=consultation.slug), form_data(files=[SimpleUploadedFile("../../x.pdf", pdf)])
    )
    contribution = Contribution.objects.get()
    attachment = contribution.versions.get().attachments.get()
    download = url(
        "contributions:download",
        slug=consultation.slug,
        receipt=contribution.receipt_number,
        attachment_id=attachment.pk,
    )
    assert client.get(download).status_code == 404  # Not moderated yet.
    moderate_contribution(alice, contribution, "publish", "Fine.")
    response = client.get(download)
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"] == 'attachment; filename="x.pdf"'
    assert contribution.moderation == Moderation.PUBLISHED


def test_an_invitation_link_pre_fills_the_form(consultation, client, during):
    response = client.get(
        url("contributions:submit", slug=consultation.slug),
        {"organization_name": "Fictional Invitee", "email": "invitee@example.org", "category": "academia"},
    )
    form = response.context["form"]
    assert form.initial["organization_name"] == "Fictional Invitee"
    assert form.initial["email"] == "invitee@example.org"
    assert 'value="Fictional Invitee"' in response.content.decode()


def test_a_key_sent_from_another_browser_makes_a_new_contribution_not_the_first_receipt(consultation, during):
    from django.test import Client

    mine, theirs = Client(), Client()
    submit_url = url("contributions:submit", slug=consultation.slug)
    assert mine.get(submit_url).status_code == 200  # The session that renders the form owns its key.
    first = mine.post(submit_url, form_data(idempotency_key="shared-key"))
    theirs.get(submit_url)
    copied = theirs.post(
        submit_url, form_data(idempotency_key="shared-key", text=TEXT + " Un autre texte.", email="x@example.org")
    )
    assert (first.status_code, copied.status_code) == (302, 302)
    assert first["Location"] != copied["Location"]
    assert Contribution.objects.count() == 2
    assert Contribution.objects.get(contact_email="x@example.org").text == TEXT + " Un autre texte."


def test_the_same_form_sent_again_with_another_text_is_refused_with_a_fresh_key(consultation, client, during):
    submit_url = url("contributions:submit", slug=consultation.slug)
    client.get(submit_url)
    client.post(submit_url, form_data())
    changed = client.post(submit_url, form_data(text=TEXT + " Modifié."))
    assert changed.status_code == 400
    html = changed.content.decode()
    assert "already sent, with a different content" in html
    assert Contribution.objects.count() == 1
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    assert fresh != "form-key-1"
    again = client.post(submit_url, form_data(text=TEXT + " Modifié.", idempotency_key=fresh))
    assert again.status_code == 302
    assert Contribution.objects.count() == 2


def test_an_over_long_hidden_key_is_refused_with_a_message(consultation, client, during):
    response = client.post(url("contributions:submit", slug=consultation.slug), form_data(idempotency_key="k" * 201))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form was altered or is out of date" in html
    assert Contribution.objects.count() == 0


def test_the_forms_refusals_of_a_key_speak_the_users_language(consultation, client, during):
    submit_url = url("contributions:submit", "fr", slug=consultation.slug)
    altered = client.post(submit_url, form_data(idempotency_key="k" * 201))
    assert "Ce formulaire a été modifié ou n’est plus à jour" in altered.content.decode()
    client.post(submit_url, form_data())
    changed = client.post(submit_url, form_data(text=TEXT + " Modifié."))
    assert "Ce formulaire a déjà été envoyé avec un autre contenu" in changed.content.decode()


def test_nothing_is_received_without_the_consent_box(consultation, client, during):
    response = client.post(url("contributions:submit", slug=consultation.slug), form_data(agree=""))
    assert response.status_code == 400
    assert "Privacy notice" in response.content.decode()
    assert "Tick this box" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_category_that_implies_a_group_needs_no_group(consultation, client, during):
    response = client.post(url("contributions:submit", slug=consultation.slug), form_data(group=""))
    assert response.status_code == 302
    assert Contribution.objects.get().group.slug == "civil-society"  # an ECOSOC NGO is civil society


def test_the_receipt_repeats_the_publication_choice_and_links_back(consultation, client, during):
    response = client.post(url("contributions:submit", slug=consultation.slug), form_data(consent="anonymous"))
    page = client.get(response["Location"]).content.decode()
    assert "Publication you chose" in page and "anonym" in page.lower()
    assert f'href="{url("record:consultation", slug=consultation.slug)}"' in page


def test_the_form_asks_the_questions_in_the_readers_language_and_dates_the_close_as_every_page(client, reference_data):
    # Before: the rehearsal's questions and title showed in English on the Arabic and Chinese forms (the English laid
    # out right to left: "?...mechanisms"), and the close read "مارس 7, 2027" where other pages read "7 آذار/مارس 2027".
    from concord.consultations.demo import REHEARSAL_SLUG, load_demo, load_rehearsal
    from concord.core import formats

    now = dt.datetime(2026, 12, 7, 19, 3, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        load_demo()  # the rehearsal's participants are the demo's entities
        rehearsal = load_rehearsal(now=now)
        question = rehearsal.questions.order_by("pk").first()
        for lang in ["ar", "zh-hans", "fr"]:
            html = client.get(url("contributions:submit", lang, slug=REHEARSAL_SLUG)).content.decode()
            translated, written_in = question.text_in(lang)
            assert written_in == lang and translated in html, lang
            assert question.text not in html, lang
            assert rehearsal.text_in("title", lang)[0] in html
            assert formats.un_date(rehearsal.closes_at, lang) in html, lang
