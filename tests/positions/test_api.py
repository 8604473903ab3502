"""The public API's positions: figures by group and the stances behind them, from public contributions only."""

import pytest
from django.core.cache import cache

from concord.contributions.models import Consent
from concord.positions import services
from tests.factories import make_contribution, make_entity

from .conftest import stance_row

SECRET = "Our confidential view: we oppose a new body."


@pytest.fixture
def record(consultation, position, settings):
    settings.CONCORD_API_READ_RATE = "100000/m"
    cache.clear()
    public = [
        make_contribution(consultation, make_entity(group="government"), text=f"Government {i}: a new body, please.")
        for i in range(4)
    ]
    withheld = make_contribution(
        consultation, make_entity(group="private-sector"), text=SECRET, consent=Consent.WITHHELD
    )
    results = {c.pk: [stance_row("new-body", "support", c.text)] for c in public}
    results[withheld.pk] = [stance_row("new-body", "oppose", SECRET)]
    services.save_stances("test", consultation, results)
    services.create_position("test", consultation, slug="silent", statement="Nobody took this up.", order=99)
    return public, withheld


def test_positions_list_their_figures_by_group(client, consultation, record):
    response = client.get(f"/api/v1/consultations/{consultation.slug}/positions")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    body = rows["new-body"]
    assert (body["support"], body["oppose"]) == (4, 0)
    assert (body["classification"], body["direction"]) == ("one-group", "support")
    government = next(g for g in body["groups"] if g["group"] == "government")
    assert government["contributions"] == 4 and government["support_share"] == 1.0
    assert government["state"] == "support"
    low, high = government["lean_interval"]
    assert 0.5 < low < high == 1.0
    assert all(g["oppose"] == 0 for g in body["groups"])
    assert body["statement"]["fr"].startswith("Un nouvel organe")
    assert body["evidence_url"].endswith(f"/en/consultations/{consultation.slug}/positions/new-body/")
    assert rows["silent"]["classification"] == "too-few"


def test_stances_come_from_public_contributions_only(client, consultation, record):
    public, withheld = record
    response = client.get(f"/api/v1/consultations/{consultation.slug}/positions/new-body/stances")
    rows = response.json()
    assert {r["receipt_number"] for r in rows} == {c.receipt_number for c in public}
    assert SECRET not in response.content.decode()
    assert rows[0]["evidence"][0]["text"].startswith("Government")
    oppose = client.get(f"/api/v1/consultations/{consultation.slug}/positions/new-body/stances", {"stance": "oppose"})
    assert oppose.json() == []


def test_unknown_consultations_positions_and_filters_are_refused(client, consultation, record):
    assert client.get("/api/v1/consultations/nope/positions").status_code == 404
    assert client.get(f"/api/v1/consultations/{consultation.slug}/positions/nope/stances").status_code == 404
    bad = client.get(f"/api/v1/consultations/{consultation.slug}/positions/new-body/stances", {"stance": "maybe"})
    assert bad.status_code == 422
