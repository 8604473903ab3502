"""Every language whole on the public pages: the secretariat's texts in the reader's language, dates and numbers
by the language's rules (the same on every page), untranslated text marked and isolated."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from concord.consultations.demo import load_rehearsal
from concord.consultations.demo_translations import (
    AGENDA,
    CONSULTATION,
    MEETING,
    QUESTIONS,
    REHEARSAL,
    REHEARSAL_AGENDA,
    REHEARSAL_MEETING,
)
from concord.meetings.models import Meeting

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def page(client, lang, name, *args) -> str:
    # Reversed in English whatever language the previous request left active in this thread, then prefixed.
    with translation.override("en"):
        path = reverse(name, args=args)[3:]
    response = client.get(f"/{lang}" + path)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed (a no-break space stays one)."""
    return re.sub(r"[ \n\t]+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "zh-hans", "ru"])
def test_the_consultation_page_shows_every_secretariat_text_in_the_readers_language(demo, client, lang):
    html = page(client, lang, "record:consultation", demo.slug)
    expected = [
        CONSULTATION[lang]["title"],
        CONSULTATION[lang]["mandate_reference"],
        *CONSULTATION[lang]["description"].split("\n\n"),
        *QUESTIONS[lang],
        MEETING[lang]["title"],
        MEETING[lang]["place"],
        *AGENDA[lang],
    ]
    for shown in expected:
        assert escape(shown) in html
    for english in ["Open consultations on enhanced", "ECOSOC resolution", "Which specific processes", "Open debate"]:
        assert english not in html
    assert "United Nations Headquarters" not in html


def test_the_rehearsal_shows_its_texts_in_every_language(demo, client):
    # Loaded once for the five languages: the rehearsal also seeds its statements and their votes.
    rehearsal = load_rehearsal()
    meeting = Meeting.objects.get(consultation=rehearsal)
    english = [rehearsal.title, rehearsal.mandate_reference, rehearsal.description, meeting.title, meeting.place]
    english += [item.title for item in meeting.agenda_items.all()]
    for lang in ["fr", "es", "ar", "zh-hans", "ru"]:
        shown = page(client, lang, "record:consultation", rehearsal.slug)
        shown += page(client, lang, "meetings:detail", meeting.pk)
        home = page(client, lang, "record:home")
        assert escape(REHEARSAL[lang]["title"]) in home
        expected = [
            *REHEARSAL[lang].values(),
            *QUESTIONS[lang],
            *REHEARSAL_MEETING[lang].values(),
            *REHEARSAL_AGENDA[lang],
        ]
        for text_ in expected:
            assert escape(text_) in shown, (lang, text_)
        for text_ in english:
            assert f">{escape(text_)}<" not in shown + home, (lang, text_)
        # Nothing left marked as English but the language menu's own link to English.
        assert shown.count(' lang="en"') == 2, lang


@pytest.mark.parametrize(
    ("lang", "period", "meeting_day"),
    [
        ("en", "From 1 September 2010, 00:00 to 31 December 2010, 23:59 (UTC).", "14 December 2010"),
        ("fr", "1er septembre 2010, 00:00", "14 décembre 2010"),
        ("es", "1 de septiembre de 2010, 00:00", "14 de diciembre de 2010"),
        ("ru", "1 сентября 2010 года, 00:00", "14 декабря 2010 года"),
        ("zh-hans", "2010年9月1日 00:00", "2010年12月14日"),
        ("ar", "1 أيلول/سبتمبر 2010، 00:00", "14 كانون الأول/ديسمبر 2010"),
    ],
)
def test_dates_on_the_consultation_page_are_in_un_style(demo, client, lang, period, meeting_day):
    shown = text(page(client, lang, "record:consultation", demo.slug))
    assert period in shown
    assert meeting_day in shown
    assert "Sept." not in shown and "09/" not in shown


def test_an_arabic_agenda_keeps_its_times_left_to_right(demo, client):
    html = page(client, "ar", "record:consultation", demo.slug)
    assert '<span class="time-range" dir="ltr"><time>10:00</time>–<time>10:30</time></span> الافتتاح' in html
    meeting = Meeting.objects.get(consultation=demo)
    detail = page(client, "ar", "meetings:detail", meeting.pk)
    assert '<span class="time-range" dir="ltr"><time>10:00</time>–<time>10:30</time></span> الافتتاح' in detail


@pytest.mark.parametrize(
    ("lang", "accepted"),
    [
        ("en", "Contributions are accepted in: Arabic, Chinese, English, French, Russian and Spanish."),
        ("fr", f"suivantes{NBSP}: arabe, chinois, anglais, français, russe et espagnol."),
        ("es", "idiomas: árabe, chino, inglés, francés, ruso y español."),
        ("ru", "языках: арабский, китайский, английский, французский, русский и испанский."),
        ("zh-hans", "接受以下语文的意见：阿拉伯文、中文、英文、法文、俄文和西班牙文。"),
    ],
)
def test_language_names_are_listed_as_the_language_writes_them(demo, client, lang, accepted):
    assert accepted in text(page(client, lang, "record:consultation", demo.slug))


def test_french_writes_a_no_break_space_before_a_colon_and_chinese_a_full_width_colon(demo, client):
    assert f"Mandat{NBSP}: résolution 2010/2" in text(page(client, "fr", "record:consultation", demo.slug))
    assert "任务授权：经济及社会理事会" in text(page(client, "zh-hans", "record:consultation", demo.slug))


def test_the_record_list_and_search_write_dates_and_languages_alike(demo, client):
    record = text(page(client, "fr", "record:record", demo.slug))
    assert re.search(r"\d{1,2}(er)? (septembre|octobre|novembre|décembre) 2010", record)
    assert not re.search(r"\d\d/\d\d/\d{4}", record)
    assert "Anglais" in record  # a table cell starts with a capital
    search = text(page(client, "fr", "record:search", demo.slug))
    assert not re.search(r"\d\d/\d\d/\d{4}", search)


def test_an_untranslated_text_is_marked_with_its_language_and_isolated(alice, demo, client):
    from concord.consultations.services import translate_consultation

    translate_consultation(alice, demo, "ar", title="")  # back to the English original in Arabic
    html = page(client, "ar", "record:consultation", demo.slug)
    assert f'<h1 lang="en" dir="auto">{demo.title}</h1>' in html
    record = page(client, "ar", "record:record", demo.slug)
    assert f'<bdi lang="en">{demo.title}</bdi>' in record


def test_contributors_names_are_isolated_on_the_record(demo, client):
    html = page(client, "ar", "record:record", demo.slug)
    assert re.search(r"<bdi>[^<]+</bdi>", html)


def test_the_consultation_page_reads_its_translations_without_a_query_per_item(
    demo, client, django_assert_max_num_queries
):
    # The translations come with their rows: the same queries in every language.
    client.get(reverse("record:consultation", args=[demo.slug]))
    with django_assert_max_num_queries(40) as english:
        client.get(reverse("record:consultation", args=[demo.slug]))
    with django_assert_max_num_queries(len(english.captured_queries)):
        client.get("/ar" + reverse("record:consultation", args=[demo.slug])[3:])


@pytest.mark.parametrize(
    ("lang", "received", "language"),
    [
        ("ru", r"Дата получения\s*\d{1,2} [а-я]+ 2010 года, \d\d:\d\d UTC", "Английский"),
        ("fr", r"Reçue le\s*\d{1,2}(er)? [a-zé]+ 2010, \d\d:\d\d UTC", "Anglais"),
        ("ar", r"\d{1,2} [^ ]+/[^ ]+ 2010، \d\d:\d\d UTC", "الإنكليزية"),
    ],
)
def test_a_contributions_page_writes_its_date_and_language_like_the_list(demo, client, lang, received, language):
    from concord.contributions.access import public_contributions

    first = public_contributions(demo).filter(language="en").order_by("received_at", "id").first()
    shown = text(page(client, lang, "record:contribution", demo.slug, first.receipt_number))
    assert re.search(received, shown), shown[:600]
    assert language in shown
