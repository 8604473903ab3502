"""The public pages, in the six languages, for bob (a member of the public, no account)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import Consent
from tests.factories import make_consultation, make_contribution

pytestmark = pytest.mark.django_db

LANGS = ["ar", "zh-hans", "en", "fr", "ru", "es"]


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"record:{name}", kwargs=kwargs)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_served_in_every_un_language(demo, client, lang):
    contribution = demo.contributions.public().first()
    pages = [
        url("home", lang),
        url("consultation", lang, slug=DEMO_SLUG),
        url("record", lang, slug=DEMO_SLUG),
        url("contribution", lang, slug=DEMO_SLUG, receipt=contribution.receipt_number),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html


def test_the_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_the_consultation_page_shows_the_computed_table_and_facts(demo, client):
    html = client.get(url("consultation", slug=DEMO_SLUG)).content.decode()
    government = re.search(r'<tr data-group="government">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", government) == ["11", "13", "8", "32"]
    total = re.search(r'<tr data-group="total">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", total) == ["59", "26", "13", "98"]
    assert "85 written or oral contributions were received." in html
    assert "13 participants took the floor in the open debate." in html
    assert "ECOSOC resolution 2010/2" in html
    assert "Which international public policy issues" in html


def test_the_consultation_page_is_translated(demo, client):
    html = client.get(url("consultation", "fr", slug=DEMO_SLUG)).content.decode()
    assert "Gouvernements" in html
    assert "85 contributions écrites ou orales ont été reçues." in html


def test_the_table_downloads_match_the_page(demo, client):
    response = client.get(url("table", slug=DEMO_SLUG, fmt="json"))
    assert response.status_code == 200
    assert response.json()["total"] == {"written": 59, "presentation": 26, "intervention": 13, "total": 98}
    assert client.get(url("table", slug=DEMO_SLUG, fmt="xlsx")).status_code == 404


def test_a_draft_is_hidden_from_the_public_but_not_from_the_secretariat(client, alice_client):
    draft = make_consultation(published=False)
    assert client.get(url("consultation", slug=draft.slug)).status_code == 404
    assert alice_client.get(url("consultation", slug=draft.slug)).status_code == 200
    assert draft.title not in client.get(url("home")).content.decode()


def test_the_record_filters_by_group_channel_and_language(demo, client):
    response = client.get(url("record", slug=DEMO_SLUG), {"group": "government", "channel": "presentation"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 13
    response = client.get(url("record", slug=DEMO_SLUG), {"language": "fr"})
    assert all(c.language == "fr" for c in response.context["page"].object_list)


def test_the_record_reports_an_invalid_filter(demo, client):
    response = client.get(url("record", slug=DEMO_SLUG), {"channel": "carrier-pigeon"})
    assert response.status_code == 400
    assert "carrier-pigeon" in response.content.decode()


def test_the_record_paginates(demo, client, settings):
    settings.CONCORD_PAGE_SIZE = 10
    first = client.get(url("record", slug=DEMO_SLUG))
    assert first.context["page"].paginator.num_pages == 10  # 97 published contributions
    assert 'rel="next"' in first.content.decode()
    assert client.get(url("record", slug=DEMO_SLUG), {"page": 11}).status_code == 404


def test_the_record_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    consultation = make_consultation()
    make_contribution(consultation)
    # Consultation, count, page, head of the sealed chain.
    with django_assert_num_queries(5):
        client.get(url("record", slug=consultation.slug))
    for _ in range(15):
        make_contribution(consultation)
    with django_assert_num_queries(5):
        response = client.get(url("record", slug=consultation.slug))
    assert len(response.context["page"].object_list) == 16


def test_a_withheld_contribution_is_counted_but_never_shown(client, alice):
    consultation = make_consultation()
    withheld = make_contribution(consultation, consent=Consent.WITHHELD, title="Secret fictional title")
    response = client.get(url("contribution", slug=consultation.slug, receipt=withheld.receipt_number))
    assert response.status_code == 404
    record = client.get(url("record", slug=consultation.slug)).content.decode()
    assert withheld.receipt_number not in record
    page = client.get(url("consultation", slug=consultation.slug)).content.decode()
    assert "1 written or oral contribution was received." in page


def test_an_anonymous_contribution_never_shows_its_name(client):
    consultation = make_consultation()
    contribution = make_contribution(consultation, consent=Consent.ANONYMOUS)
    name = contribution.entity.name
    page = client.get(url("contribution", slug=consultation.slug, receipt=contribution.receipt_number))
    record = client.get(url("record", slug=consultation.slug))
    for response in (page, record):
        html = response.content.decode()
        assert name not in html
        assert "Anonymous contributor" in html
    assert "Kenya" in page.content.decode()


def test_healthz_answers(client):
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.parametrize(
    ("lang", "comma", "end"),
    [("zh-hans", "，", "UTC</time>。"), ("ar", "، ", "UTC</time>."), ("en", ", ", "UTC</time>.")],
)
def test_the_seal_is_punctuated_in_the_pages_language(sealed_demo, client, lang, comma, end):
    # Before: "…d62, 2026年12月7日 19:03 UTC. 请保存…" on the Chinese page.
    html = client.get(url("consultation", lang, slug=DEMO_SLUG)).content.decode()
    head = re.search(r'<code class="seal-head">[0-9a-f]{64}</code>(.*?)<time', html, re.S)
    assert head and head.group(1) == comma
    assert end in html


def test_the_filters_are_labelled_with_the_languages_colon(demo, client):
    # Before: "利益攸关方群体:" with an ASCII colon on the Chinese record, and "Canal:" without the French space.
    html = client.get(url("record", "zh-hans", slug=DEMO_SLUG)).content.decode()
    labels = re.findall(r"<label for=\"id_\w+\">([^<]*)</label>", html)
    assert len(labels) == 3 and all(label.endswith("：") for label in labels), labels
    html = client.get(url("search", "fr", slug=DEMO_SLUG)).content.decode()
    labels = re.findall(r"<label for=\"id_\w+\">([^<]*)</label>", html)
    assert labels and all(label.endswith("\u00a0: ") for label in labels), labels
