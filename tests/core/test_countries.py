"""Countries by the UN's short names in the six languages, wherever a country is shown."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES

from concord.core.countries import LANGUAGES, UN_NAMES, un_name
from concord.core.formats import babel_locale
from tests.factories import OPENS, make_consultation, make_contribution, make_entity


@pytest.mark.parametrize(
    ("lang", "code", "name"),
    [
        ("en", "BO", "Bolivia (Plurinational State of)"),
        ("en", "KR", "Republic of Korea"),
        ("en", "GB", "United Kingdom of Great Britain and Northern Ireland"),
        ("en", "PS", "State of Palestine"),
        ("fr", "IR", "Iran (République islamique d')"),
        ("fr", "VA", "Saint-Siège"),
        ("es", "TZ", "República Unida de Tanzanía"),
        ("ru", "RU", "Российская Федерация"),
        ("ru", "US", "Соединенные Штаты Америки"),
        ("zh-hans", "KP", "朝鲜民主主义人民共和国"),
        ("zh-hans", "VE", "委内瑞拉玻利瓦尔共和国"),
        ("ar", "SY", "الجمهورية العربية السورية"),
        ("ar", "VN", "فييت نام"),
    ],
)
def test_a_country_reads_the_uns_name_in_the_active_language(lang, code, name):
    with translation.override(lang):
        assert countries.name(code) == name
        assert dict(countries)[code] == name  # the choices of every form and admin column


def test_a_language_the_table_leaves_out_reads_cldrs_name():
    assert "zh-hans" not in UN_NAMES["NL"] and "zh-hans" not in UN_NAMES["SZ"]
    with translation.override("zh-hans"):
        assert countries.name("NL") == babel_locale("zh-hans").territories["NL"] == "荷兰"
        assert countries.name("SZ") == "斯威士兰"
    with translation.override("fr"):
        assert countries.name("NL") == "Pays-Bas (Royaume des)"


def test_a_country_outside_the_table_keeps_its_translated_name():
    assert "KE" not in UN_NAMES
    with translation.override("fr"):
        assert countries.name("KE") == "Kenya"
    with translation.override("ar"):
        assert countries.name("KE") == "كينيا"


def test_the_table_holds_iso_codes_and_english_for_each():
    assert set(UN_NAMES) <= set(COUNTRIES)
    for code, names in UN_NAMES.items():
        assert "en" in names, code
        assert set(names) <= set(LANGUAGES), code
    assert un_name("RU", "zh-hant") == "俄罗斯联邦"  # any Chinese reads the simplified table
    assert un_name("RU", "de") == "Russian Federation"  # a language Concord does not serve reads English


def test_lists_sort_by_the_uns_names():
    with translation.override("en"):
        names = [name for _code, name in countries]
    # "Republic of Korea" sorts under R, as in the UN's lists of member states.
    assert names.index("Qatar") < names.index("Republic of Korea") < names.index("Republic of Moldova")
    assert names.index("Romania") < names.index("Russian Federation")


@pytest.mark.django_db
def test_the_form_the_record_and_the_admin_show_the_uns_names(client, alice_client):
    consultation = make_consultation()
    contribution = make_contribution(consultation, make_entity("Fictional Highland Cooperative", country="BO"))
    with time_machine.travel(OPENS + dt.timedelta(days=2), tick=False):
        form = client.get("/ar" + reverse("contributions:submit", kwargs={"slug": consultation.slug})[3:])
    assert '<option value="RU">الاتحاد الروسي</option>' in form.content.decode()
    assert '<option value="BO">بوليفيا (دولة - المتعددة القوميات)</option>' in form.content.decode()
    # The request in Arabic left Arabic active in this thread: the English pages are asked for in English.
    with translation.override("en"):
        receipt = contribution.receipt_number
        page = client.get(reverse("record:contribution", kwargs={"slug": consultation.slug, "receipt": receipt}))
        search = client.get(reverse("record:search", kwargs={"slug": consultation.slug}) + "?q=interconnection")
        admin = alice_client.get(reverse("admin:stakeholders_entity_changelist"))
    assert "Bolivia (Plurinational State of)" in page.content.decode()
    assert "Bolivia (Plurinational State of)" in search.content.decode()  # its facet by country
    assert "Bolivia (Plurinational State of)" in admin.content.decode()
