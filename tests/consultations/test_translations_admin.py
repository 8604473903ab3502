"""The secretariat enters every text of a consultation and its meeting in each language, side by side in the admin:
each language's fields beside the original, written through the services, audited, refused without permission."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from concord.consultations.models import Consultation
from concord.consultations.services import set_questions, translate_questions
from concord.core.audit import entries_for
from concord.core.services import grant_role
from concord.meetings.models import Meeting
from concord.meetings.services import set_agenda
from tests.factories import UserFactory, make_consultation, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(role: str | None) -> tuple[Client, object]:
    user = UserFactory(username=f"user-{role or 'staff'}", is_staff=True)
    if role:
        grant_role("test", user, role)
    client = Client()
    client.force_login(user)
    return client, user


def form_data(client, url) -> dict:
    """What the change form posts back untouched: its initial values, the datetimes split as the widgets do."""
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    for name in ("opens_at", "closes_at"):
        if name in data:
            value = data.pop(name)
            data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    if isinstance(data.get("date"), dt.date):
        data["date"] = data["date"].isoformat()
    for name in ("slug", "consultation"):
        data.pop(name, None)
    return data


@pytest.fixture
def consultation():
    return make_consultation(questions=("Which issues are not adequately addressed?", "Which processes help?"))


def test_the_change_form_shows_one_fieldset_per_other_language_with_the_original_beside(consultation):
    client, _user = client_for("consultation-manager")
    response = client.get(reverse("admin:consultations_consultation_change", args=[consultation.pk]))
    fieldsets = [str(name) for name, _opts in response.context["adminform"].fieldsets if name]
    assert fieldsets[:1] == ["Texts in the original language"]
    assert fieldsets[1:6] == ["Arabic", "Chinese", "French", "Russian", "Spanish"]  # English is the original
    form = response.context["adminform"].form
    assert (
        str(form.fields["title_fr"].help_text) == 'Original: <bdi lang="en" dir="auto">A fictional consultation</bdi>'
    )
    assert "Which issues are not adequately addressed? / Which processes help?" in str(
        form.fields["questions_ar"].help_text
    )
    assert 'lang="ar"' in str(form["description_ar"])


def test_every_text_round_trips_through_the_admin_as_a_consultation_manager(consultation):
    client, manager = client_for("consultation-manager")
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    data = form_data(client, url)
    data.update(
        {
            "title_fr": "Une consultation fictive",
            "mandate_reference_fr": "résolution fictive 1/1",
            "description_fr": "Une description.\n\nSur deux paragraphes.",
            "questions_fr": "Quelles questions ne sont pas traitées\u00a0?\nQuels processus aident\u00a0?",
            "questions_zh-hans": "\n哪些进程有帮助？",  # the first question not translated yet
            "mandate_reference_zh-hans": "虚构的第1/1号决议",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation.refresh_from_db()
    assert consultation.translations == {
        "fr": {
            "title": "Une consultation fictive",
            "mandate_reference": "résolution fictive 1/1",
            "description": "Une description.\n\nSur deux paragraphes.",
        },
        "zh-hans": {"mandate_reference": "虚构的第1/1号决议"},
    }
    first, second = consultation.questions.all()
    assert first.text_in("fr") == ("Quelles questions ne sont pas traitées\u00a0?", "fr")
    assert first.text_in("zh-hans") == ("Which issues are not adequately addressed?", "en")
    assert second.text_in("zh-hans") == ("哪些进程有帮助？", "zh-hans")
    actions = list(entries_for(consultation).values_list("action", "actor"))
    assert actions.count(("consultation.translate", manager.pk)) == 2
    assert actions.count(("consultation.questions.translate", manager.pk)) == 2
    assert ("consultation.update", manager.pk) not in actions  # nothing else changed
    # The form reads back what it wrote: saving it again untouched changes nothing.
    again = form_data(client, url)
    assert again["questions_zh-hans"] == "\n哪些进程有帮助？"
    assert again["description_fr"] == "Une description.\n\nSur deux paragraphes."
    before = entries_for(consultation).count()
    assert client.post(url, again).status_code == 302
    assert entries_for(consultation).count() == before


@pytest.mark.parametrize("role", [None, "moderator", "report-editor", "meeting-chair", "read-only-staff"])
def test_a_role_without_the_change_permission_cannot_translate(consultation, role):
    client, _user = client_for(role)
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    response = client.post(url, {"title_fr": "Traduction refusée"})
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.translations == {}


def test_the_public_cannot_reach_the_translation_form(consultation):
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    response = Client().post(url, {"title_fr": "Traduction refusée"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    consultation.refresh_from_db()
    assert consultation.translations == {}


def test_the_original_language_and_extra_lines_are_refused_with_the_reason(consultation):
    client, _user = client_for("consultation-manager")
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    data = form_data(client, url)
    data.update({"title_en": "An English title typed in the wrong place", "questions_fr": "Une\nDeux\nTrois"})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "title_en" in errors and "questions_fr" in errors
    consultation.refresh_from_db()
    assert consultation.translations == {}


def test_a_question_kept_word_for_word_keeps_its_translations(alice, consultation):
    translate_questions(alice, consultation, "es", ["¿Qué cuestiones?", "¿Qué procesos?"])
    set_questions(alice, consultation, ["Which issues are not adequately addressed?", "A reworded question?"])
    first, second = consultation.questions.all()
    assert first.text_in("es") == ("¿Qué cuestiones?", "es")
    assert second.text_in("es") == ("A reworded question?", "en")


def test_the_meeting_and_its_agenda_round_trip_through_the_admin_as_a_meeting_chair(consultation):
    meeting = make_meeting(consultation)
    set_agenda(
        "test",
        meeting,
        [
            {"title": "Opening", "starts_at": dt.time(10), "ends_at": dt.time(10, 30)},
            {"title": "Open debate", "starts_at": dt.time(10, 30), "ends_at": dt.time(12)},
        ],
    )
    client, chair = client_for("meeting-chair")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = client.get(url)
    fieldsets = [str(name) for name, _opts in response.context["adminform"].fieldsets if name]
    assert fieldsets == ["Arabic", "Chinese", "French", "Russian", "Spanish"]
    data = form_data(client, url)
    data.update(
        {
            "title_ar": "اجتماع خيالي",
            "place_ar": "عبر الإنترنت",
            "agenda_ar": "الافتتاح\nالمناقشة المفتوحة",
            "agenda_ru": "Открытие",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.translations == {"ar": {"title": "اجتماع خيالي", "place": "عبر الإنترنت"}}
    opening, debate = meeting.agenda_items.all()
    assert (opening.text_in("ar"), debate.text_in("ar")) == (("الافتتاح", "ar"), ("المناقشة المفتوحة", "ar"))
    assert (opening.text_in("ru"), debate.text_in("ru")) == (("Открытие", "ru"), ("Open debate", "en"))
    assert set(entries_for(meeting).filter(actor=chair).values_list("action", flat=True)) == {
        "meeting.translate",
        "meeting.agenda.translate",
    }
    assert form_data(client, url)["agenda_ar"] == "الافتتاح\nالمناقشة المفتوحة"
    # Retiming the agenda keeps the titles' translations.
    set_agenda("test", meeting, [{"title": "Opening", "starts_at": dt.time(9), "ends_at": dt.time(9, 30)}])
    assert meeting.agenda_items.get().text_in("ar") == ("الافتتاح", "ar")


def test_a_moderator_cannot_translate_a_meeting(consultation):
    meeting = make_meeting(consultation)
    client, _user = client_for("moderator")
    response = client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), {"title_fr": "Réunion"})
    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).translations == {}


def test_creating_a_consultation_with_its_translations_in_one_form():
    client, manager = client_for("consultation-manager")
    response = client.post(
        reverse("admin:consultations_consultation_add"),
        {
            "slug": "fictional-ports",
            "title": "Fictional consultation on port data",
            "mandate_reference": "Fictional resolution 2/1",
            "languages": ["en", "fr", "ar"],
            "original_language": "en",
            "opens_at_0": "2031-01-10",
            "opens_at_1": "09:00:00",
            "closes_at_0": "2031-03-10",
            "closes_at_1": "18:00:00",
            "receipt_prefix": "FPD",
            "premoderation": "on",
            "group_slugs": ["government", "civil-society"],
            "questions_text": "Which data?\nWith whom?",
            "title_ar": "مشاورة خيالية بشأن بيانات الموانئ",
            "questions_ar": "ما هي البيانات؟\nمع من؟",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation = Consultation.objects.get(slug="fictional-ports")
    assert consultation.text_in("title", "ar") == ("مشاورة خيالية بشأن بيانات الموانئ", "ar")
    assert [q.text_in("ar")[0] for q in consultation.questions.all()] == ["ما هي البيانات؟", "مع من؟"]
    assert entries_for(consultation).get(action="consultation.create").actor == manager


def test_creating_a_meeting_with_its_translations_in_one_form(consultation):
    client, manager = client_for("consultation-manager")
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        {
            "consultation": consultation.pk,
            "title": "Fictional hearing",
            "date": "2030-05-02",
            "place": "Online",
            "speaking_time_seconds": "120",
            "title_fr": "Audition fictive",
            "place_fr": "En ligne",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(consultation=consultation)
    assert (meeting.speaking_time_seconds, meeting.text_in("place", "fr")) == (120, ("En ligne", "fr"))
    assert entries_for(meeting).get(action="meeting.create").actor == manager


def fieldset_classes(response) -> dict[str, list[str]]:
    return {str(name): opts.get("classes", []) for name, opts in response.context["adminform"].fieldsets if name}


def test_the_add_form_hides_the_original_languages_fieldset_unless_it_holds_a_refused_text():
    client, _manager = client_for("consultation-manager")
    url = reverse("admin:consultations_consultation_add")
    response = client.get(url)
    classes = fieldset_classes(response)
    # Every language has its fieldset (the original may be changed before saving); English, the default, is hidden.
    assert [name for name in classes if name != "Texts in the original language"] == [
        "Arabic",
        "Chinese",
        "English",
        "French",
        "Russian",
        "Spanish",
    ]
    assert [name for name, c in classes.items() if "hidden" in c] == ["English"]
    assert "consultations/admin-translations.js" in str(response.context["media"])
    # French chosen as the original, a French translation typed: refused, and its fieldset shown with the reason.
    response = client.post(url, {"original_language": "fr", "title_fr": "Un titre au mauvais endroit"})
    assert response.status_code == 200
    assert "title_fr" in response.context["adminform"].form.errors
    assert [name for name, c in fieldset_classes(response).items() if "hidden" in c] == []
    # Refused for another reason (no slug, no dates): the French fieldset, empty, stays hidden.
    response = client.post(url, {"original_language": "fr", "title": "Un titre"})
    assert [name for name, c in fieldset_classes(response).items() if "hidden" in c] == ["French"]


def test_the_originals_keep_their_direction_in_a_right_to_left_admin(consultation):
    # Before: in the Arabic admin the English original's fields and the "Original:" notes under each translation
    # were laid out right to left ("?Which issues are not adequately addressed").
    client, _user = client_for("consultation-manager")
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html
    for name in ("title", "mandate", "questions_text"):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'dir="auto"' in tag, name
    assert '<bdi lang="en" dir="auto">Which issues are not adequately addressed? / Which processes help?</bdi>' in html
