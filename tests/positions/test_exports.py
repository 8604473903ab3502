"""Open data: the stances of published contributions, with a data dictionary on the data page."""

import csv
import io
import json

import pytest
from django.urls import reverse

from concord.contributions.models import Consent
from concord.positions import services
from tests.factories import make_contribution, make_entity

from .conftest import stance_row

SECRET = "Our confidential view: we oppose a new body."


@pytest.fixture
def record(consultation, position):
    public = [
        make_contribution(consultation, make_entity(group="government"), text=f"Government {i}: a new body, «oui».")
        for i in range(3)
    ]
    withheld = make_contribution(
        consultation, make_entity(group="civil-society"), text=SECRET, consent=Consent.WITHHELD
    )
    results = {c.pk: [stance_row("new-body", "support", c.text)] for c in public}
    results[withheld.pk] = [stance_row("new-body", "oppose", SECRET)]
    services.save_stances("test", consultation, results)
    return public, withheld


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_jsonl_file_holds_public_stances_only(client, consultation, record):
    public, withheld = record
    response = client.get(reverse("positions:data-stances", args=[consultation.slug, "jsonl"]))
    rows = [json.loads(line) for line in _body(response).splitlines()]
    assert [r["id"] for r in rows] == [c.receipt_number for c in public]
    assert rows[0]["position"] == "new-body" and rows[0]["stance"] == "support"
    assert rows[0]["evidence"][0]["text"] == public[0].text
    assert withheld.receipt_number not in str(rows)


def test_the_csv_file_has_the_dictionarys_columns(client, consultation, record):
    response = client.get(reverse("positions:data-stances", args=[consultation.slug, "csv"]))
    assert response["Content-Disposition"].endswith(f'{consultation.slug}-stances.csv"')
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert list(rows[0]) == ["id", "position", "kind", "stance", "score", "source", "evidence"]
    assert len(rows) == 3
    assert SECRET not in str(rows)
    assert json.loads(rows[0]["evidence"])[0]["text"].endswith("«oui».")


def test_the_export_reads_in_one_query_whatever_its_size(client, consultation, record, django_assert_num_queries):
    from concord.positions.exports import rows

    with django_assert_num_queries(1):
        assert len(list(rows(consultation))) == 3


def test_unknown_formats_are_not_found(client, consultation, record):
    assert client.get(f"/en/consultations/{consultation.slug}/data/stances.xml").status_code == 404


def test_the_data_page_offers_the_stances_with_their_dictionary(client, consultation, record):
    body = client.get(reverse("record:data", args=[consultation.slug])).content.decode()
    assert reverse("positions:data-stances", args=[consultation.slug, "csv"]) in body
    assert "<code>evidence</code>" in body


def test_the_csv_file_neutralises_a_cell_that_would_begin_a_formula(client, consultation, record):
    public, _withheld = record
    services.create_position("test", consultation, slug="-1-new-forum", statement="A new forum is needed.")
    services.save_stances("test", consultation, {public[0].pk: [stance_row("-1-new-forum", "support", public[0].text)]})
    response = client.get(reverse("positions:data-stances", args=[consultation.slug, "csv"]))
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert "'-1-new-forum" in [r["position"] for r in rows]
    assert "-1-new-forum" not in [r["position"] for r in rows]
