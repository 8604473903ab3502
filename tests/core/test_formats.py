"""Dates, numbers and lists in the six UN languages: exact strings, as UN documents write them."""

import datetime as dt

import pytest

from concord.core import formats

NBSP = "\u00a0"
NNBSP = "\u202f"

DEC_14 = dt.date(2010, 12, 14)
SEP_1 = dt.date(2010, 9, 1)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "14 December 2010"),
        ("fr", "14 décembre 2010"),
        ("es", "14 de diciembre de 2010"),
        ("ru", "14 декабря 2010 года"),
        ("zh-hans", "2010年12月14日"),
        ("ar", "14 كانون الأول/ديسمبر 2010"),
    ],
)
def test_un_date_writes_each_language_in_un_editorial_style(lang, expected):
    assert formats.un_date(DEC_14, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 September 2010"),
        ("fr", "1er septembre 2010"),
        ("es", "1 de septiembre de 2010"),
        ("ru", "1 сентября 2010 года"),
        ("zh-hans", "2010年9月1日"),
        ("ar", "1 أيلول/سبتمبر 2010"),
    ],
)
def test_the_first_of_the_month_is_1er_in_french_only(lang, expected):
    assert formats.un_date(SEP_1, lang) == expected


def test_un_date_accepts_a_datetime_and_an_unknown_language_falls_back_to_english():
    assert formats.un_date(dt.datetime(2010, 12, 14, 23, 59, tzinfo=dt.UTC), "de") == "14 December 2010"
    assert formats.un_date(DEC_14, "fr-ca") == "14 décembre 2010"
    assert formats.un_date(DEC_14, "zh-hant") == "2010年12月14日"


def test_arabic_writes_june_and_july_as_un_arabic_documents_do():
    assert formats.un_date(dt.date(2011, 6, 3), "ar") == "3 حزيران/يونيه 2011"
    assert formats.un_date(dt.date(2011, 7, 1), "ar") == "1 تموز/يوليه 2011"


@pytest.mark.parametrize(
    ("lang", "across_months", "within_a_month", "across_years"),
    [
        ("en", "1 September–14 December 2010", "1–14 December 2010", "1 December 2010–14 January 2011"),
        ("fr", "1er septembre–14 décembre 2010", "1er–14 décembre 2010", "1er décembre 2010–14 janvier 2011"),
        (
            "es",
            "1 de septiembre–14 de diciembre de 2010",
            "1–14 de diciembre de 2010",
            "1 de diciembre de 2010–14 de enero de 2011",
        ),
        (
            "ru",
            "1 сентября – 14 декабря 2010 года",
            "1–14 декабря 2010 года",
            "1 декабря 2010 года – 14 января 2011 года",
        ),
        ("zh-hans", "2010年9月1日至12月14日", "2010年12月1日至14日", "2010年12月1日至2011年1月14日"),
        (
            "ar",
            "1 أيلول/سبتمبر إلى 14 كانون الأول/ديسمبر 2010",
            "1 إلى 14 كانون الأول/ديسمبر 2010",
            "1 كانون الأول/ديسمبر 2010 إلى 14 كانون الثاني/يناير 2011",
        ),
    ],
)
def test_date_range_writes_the_shared_month_and_year_once(lang, across_months, within_a_month, across_years):
    assert formats.date_range(SEP_1, DEC_14, lang) == across_months
    assert formats.date_range(dt.date(2010, 12, 1), DEC_14, lang) == within_a_month
    assert formats.date_range(dt.date(2010, 12, 1), dt.date(2011, 1, 14), lang) == across_years


def test_a_range_of_one_day_is_that_day():
    assert formats.date_range(DEC_14, DEC_14, "fr") == "14 décembre 2010"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "December 2010"),
        ("fr", "décembre 2010"),
        ("es", "diciembre de 2010"),
        ("ru", "декабрь 2010 года"),
        ("zh-hans", "2010年12月"),
        ("ar", "كانون الأول/ديسمبر 2010"),
    ],
)
def test_month_year(lang, expected):
    assert formats.month_year(DEC_14, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1,234,567"),
        ("fr", f"1{NNBSP}234{NNBSP}567"),
        ("es", "1.234.567"),
        ("ru", f"1{NBSP}234{NBSP}567"),
        ("zh-hans", "1,234,567"),
        ("ar", "1,234,567"),
    ],
)
def test_number_groups_by_cldr_in_latin_digits(lang, expected):
    assert formats.number(1234567, lang) == expected


def test_number_keeps_decimals_with_the_languages_separator():
    assert formats.number(2.5, "en") == "2.5"
    assert formats.number(2.5, "fr") == "2,5"
    assert formats.number(2.5, "ar") == "2.5"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "9%"),
        ("fr", f"9{NBSP}%"),
        ("es", f"9{NBSP}%"),
        ("ru", f"9{NBSP}%"),
        ("zh-hans", "9%"),
        ("ar", "9%"),
    ],
)
def test_percent_is_a_whole_percentage_by_the_cldr_pattern(lang, expected):
    assert formats.percent(0.094, lang) == expected


def test_percent_rounds_to_the_nearest_whole():
    assert formats.percent(0.125, "en") in {"12%", "13%"}
    assert formats.percent(0.996, "en") == "100%"
    assert formats.percent(0, "en") == "0%"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Arcadia, Valdoria and Borduria"),
        ("fr", "Arcadia, Valdoria et Borduria"),
        ("es", "Arcadia, Valdoria y Borduria"),
        ("ru", "Arcadia, Valdoria и Borduria"),
        ("zh-hans", "Arcadia、Valdoria和Borduria"),
        ("ar", "Arcadia، و Valdoria، و Borduria"),
    ],
)
def test_listing_uses_each_languages_list_punctuation(lang, expected):
    assert formats.listing(["Arcadia", "Valdoria", "Borduria"], lang) == expected


def test_arabic_listing_joins_the_conjunction_to_arabic_words():
    assert formats.listing(["الأرجنتين", "البرازيل", "شيلي"], "ar") == "الأرجنتين، والبرازيل، وشيلي"
    assert formats.listing(["الأرجنتين", "البرازيل"], "ar") == "الأرجنتين والبرازيل"


def test_listing_or_and_short_lists():
    assert formats.listing(["a", "b", "c"], "en", style="or") == "a, b or c"
    assert formats.listing(["a", "b"], "fr", style="or") == "a ou b"
    assert formats.listing(["a", "b"], "zh-hans", style="or") == "a或b"
    assert formats.listing(["a", "b", "c"], "ar", style="or") == "a، b أو c"
    assert formats.listing(["a"], "ar") == "a"
    assert formats.listing([], "en") == ""


@pytest.mark.parametrize(
    ("lang", "mid_sentence", "at_start"),
    [
        ("en", "French", "French"),
        ("fr", "français", "Français"),
        ("es", "francés", "Francés"),
        ("ru", "французский", "Французский"),
        ("zh-hans", "法文", "法文"),
        ("ar", "الفرنسية", "الفرنسية"),
    ],
)
def test_language_name_is_lower_case_mid_sentence_where_the_language_writes_it_so(lang, mid_sentence, at_start):
    assert formats.language_name("fr", lang) == mid_sentence
    assert formats.language_name("fr", lang, start=True) == at_start


def test_language_names_follow_un_usage_for_english_and_chinese():
    assert formats.language_name("en", "ar") == "الإنكليزية"
    assert formats.language_name("zh-hans", "en") == "Chinese"
    assert formats.language_name("zh-hans", "fr") == "chinois"
    assert formats.language_name("de", "fr") == "allemand"


def test_times_are_24_hour_and_an_arabic_range_is_isolated_left_to_right():
    assert formats.time_of_day(dt.time(9, 5), "en") == "09:05"
    assert formats.time_range(dt.time(10), dt.time(10, 30), "fr") == "10:00–10:30"
    assert formats.time_range(dt.time(10), dt.time(10, 30), "ar") == "\u206610:00–10:30\u2069"


def test_isolate_wraps_text_in_a_first_strong_isolate():
    assert formats.isolate("Which international body?") == "\u2068Which international body?\u2069"


def test_the_french_catalogue_puts_a_no_break_space_before_high_punctuation():
    """French typography: "Mandat : …" with a no-break space, so the colon never starts a line."""
    import re
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    texts = [e.msgstr for e in catalogue] + [t for e in catalogue for t in e.msgstr_plural.values()]
    wrong = [t for t in texts if re.search(r"\S [:;?!](\s|$)", t)]
    assert wrong == []
