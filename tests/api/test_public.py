"""The public read API: what the record shows, paginated, searchable, rate limited."""

import pytest
from django.core.cache import cache

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import Consent
from concord.record import services
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def sealed_demo(demo):
    services.rebuild_index("test", demo)
    services.seal_consultation(demo)
    return demo


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_it_lists_published_consultations_only(sealed_demo, client):
    make_consultation(published=False, slug="a-draft")
    body = client.get(f"{API}/consultations").json()
    assert [c["slug"] for c in body] == [DEMO_SLUG]
    assert body[0]["seal"]["entries"] == 98  # every contribution is sealed, the withheld one too
    assert len(body[0]["seal"]["head_sha256"]) == 64
    assert client.get(f"{API}/consultations/a-draft").status_code == 404


def test_the_table_is_computed_from_the_records(demo, client):
    body = client.get(f"{API}/consultations/{DEMO_SLUG}/table").json()
    assert body["total"] == {"written": 59, "presentation": 26, "intervention": 13, "total": 98}
    assert body["written_or_oral"] == 85 and body["debate_participants"] == 13


def test_contributions_are_paginated_and_never_withheld(demo, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        body = client.get(f"{API}/consultations/{DEMO_SLUG}/contributions", {"page_size": 50}).json()
    assert body["count"] == 97 and body["pages"] == 2 and len(body["results"]) == 50
    second = client.get(f"{API}/consultations/{DEMO_SLUG}/contributions", {"page_size": 50, "page": 2}).json()
    receipts = {c["receipt_number"] for c in body["results"] + second["results"]}
    withheld = demo.contributions.get(consent=Consent.WITHHELD).receipt_number
    assert len(receipts) == 97 and withheld not in receipts
    assert client.get(f"{API}/consultations/{DEMO_SLUG}/contributions/{withheld}").status_code == 404
    anonymous = [c for c in body["results"] + second["results"] if c["anonymous"]]
    assert anonymous and all(c["entity_name"] == "" for c in anonymous)


def test_one_contribution_by_receipt(demo, client):
    contribution = demo.contributions.public().first()
    body = client.get(f"{API}/consultations/{DEMO_SLUG}/contributions/{contribution.receipt_number}").json()
    assert body["text"] == contribution.text and body["url"].endswith(f"/record/{contribution.receipt_number}/")


def test_search_with_filters_and_facets(sealed_demo, client):
    body = client.get(
        f"{API}/consultations/{DEMO_SLUG}/search", {"q": "interconnection", "facets": "true", "page_size": 2}
    ).json()
    assert body["count"] >= 1 and body["sort"] == "relevance"
    assert "<mark>" in body["results"][0]["snippet"].lower()
    assert sum(v["count"] for v in body["facets"]["group"]) == body["count"]
    filtered = client.get(
        f"{API}/consultations/{DEMO_SLUG}/search", {"q": "interconnection", "group": "government"}
    ).json()
    assert all(hit["contribution"]["group"] == "government" for hit in filtered["results"])
    assert client.get(f"{API}/consultations/{DEMO_SLUG}/search", {"sort": "sideways"}).status_code == 422


@pytest.mark.parametrize(
    "params", [{"q": "interconnection"}, {"q": '"interconnection costs"'}, {"group": "government"}]
)
def test_a_search_costs_a_handful_of_queries_whatever_the_page(
    sealed_demo, client, params, django_assert_max_num_queries
):
    # The consultation, the page of matches (its count with it when ranked), the page's contributions, their files,
    # tags, campaigns and seals; on PostgreSQL also the planner setting and, once per term, its parse.
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/consultations/{DEMO_SLUG}/search", {**params, "page_size": 50})
    assert response.status_code == 200 and len(response.json()["results"]) >= 1


def test_search_never_shows_an_anonymous_name(client):
    consultation = make_consultation()
    entity = make_entity("Pseudonymous Person", kind="individual", category="individual", group="civil-society")
    make_contribution(consultation, entity, text="Lighthouses should stay lit.", consent=Consent.ANONYMOUS)
    services.rebuild_index("test", consultation)
    response = client.get(f"{API}/consultations/{consultation.slug}/search", {"q": "lighthouses"})
    assert response.json()["count"] == 1
    assert "Pseudonymous" not in response.content.decode()
    assert client.get(f"{API}/consultations/{consultation.slug}/search", {"q": "pseudonymous"}).json()["count"] == 0


def test_reads_are_rate_limited(demo, client, settings):
    settings.CONCORD_API_READ_RATE = "3/m"
    statuses = [client.get(f"{API}/consultations").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses


def test_the_submit_endpoint_still_answers_on_the_shared_path(demo, client):
    assert client.post(f"{API}/consultations/{DEMO_SLUG}/contributions", {}).status_code == 401
    assert client.get(f"{API}/consultations/{DEMO_SLUG}/contributions").status_code == 200


def test_the_docs_are_served_offline(client):
    html = client.get(f"{API}/docs").content.decode()
    assert "/static/" in html and "cdn" not in html.lower()
