"""A consultation's title and mandate in each language, entered by the secretariat; the original where none is."""

import pytest
from django.core.exceptions import ValidationError

from concord.consultations.services import translate_consultation
from concord.core.audit import entries_for
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def untranslated():
    return make_consultation()


def test_the_secretariat_enters_a_language_and_the_original_shows_elsewhere(alice, untranslated):
    demo = untranslated
    translate_consultation(alice, demo, "fr", title="Coopération renforcée", mandate="Le mandat, en français.")
    demo.refresh_from_db()
    assert demo.text_in("title", "fr") == ("Coopération renforcée", "fr")
    assert demo.text_in("mandate", "fr") == ("Le mandat, en français.", "fr")
    assert demo.text_in("title", "ar") == (demo.title, "en")
    assert entries_for(demo).filter(action="consultation.translate").count() == 1


def test_an_empty_text_removes_that_language(alice, untranslated):
    demo = untranslated
    translate_consultation(alice, demo, "es", title="Cooperación reforzada", mandate="")
    translate_consultation(alice, demo, "es", title="")
    demo.refresh_from_db()
    assert demo.translations == {}
    assert demo.text_in("title", "es") == (demo.title, "en")


def test_the_original_language_is_edited_not_translated(alice, untranslated):
    demo = untranslated
    with pytest.raises(ValidationError):
        translate_consultation(alice, demo, "en", title="Enhanced cooperation")
    with pytest.raises(ValidationError):
        translate_consultation(alice, demo, "xx", title="?")


def test_the_admin_form_writes_each_language_through_the_service(alice, alice_client):
    from django.urls import reverse

    from tests.factories import make_consultation

    consultation = make_consultation()
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    form = alice_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "opens_at_0": form.initial["opens_at"].strftime("%Y-%m-%d"),
            "opens_at_1": form.initial["opens_at"].strftime("%H:%M:%S"),
            "closes_at_0": form.initial["closes_at"].strftime("%Y-%m-%d"),
            "closes_at_1": form.initial["closes_at"].strftime("%H:%M:%S"),
            "title_ar": "مشاورة خيالية",
            "mandate_ar": "ولاية خيالية.",
        }
    )
    data.pop("opens_at"), data.pop("closes_at"), data.pop("slug")
    response = alice_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation.refresh_from_db()
    assert consultation.translations == {"ar": {"title": "مشاورة خيالية", "mandate": "ولاية خيالية."}}
    translate = entries_for(consultation).get(action="consultation.translate")
    assert translate.actor == alice
    assert not entries_for(consultation).filter(action="consultation.update").exists()  # nothing else changed
    assert alice_client.get(url).context["adminform"].form.initial["title_ar"] == "مشاورة خيالية"
