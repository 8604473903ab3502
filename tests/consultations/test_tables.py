"""The distribution table, computed from the records, reproduces the report's table for the demo."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from concord.consultations.demo import DEMO_SLUG
from concord.consultations.tables import distribution_table, render
from concord.contributions.models import Channel, Consent
from concord.contributions.services import set_consent
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db

# Report A/66/77-E/2011/103, paragraph 10: the table the demo must reproduce from its records.
REPORT_TABLE = {
    "consultation": "enhanced-cooperation-2010",
    "channels": ["written", "presentation", "intervention"],
    "rows": [
        {
            "group": "government",
            "label": "Governments",
            "written": 11,
            "presentation": 13,
            "intervention": 8,
            "total": 32,
        },
        {
            "group": "international-organization",
            "label": "International organizations",
            "written": 7,
            "presentation": 1,
            "intervention": 0,
            "total": 8,
        },  # noqa: E501
        {
            "group": "civil-society",
            "label": "Civil society",
            "written": 32,
            "presentation": 7,
            "intervention": 3,
            "total": 42,
        },  # noqa: E501
        {
            "group": "private-sector",
            "label": "Private sector",
            "written": 9,
            "presentation": 5,
            "intervention": 2,
            "total": 16,
        },  # noqa: E501
    ],
    "total": {"written": 59, "presentation": 26, "intervention": 13, "total": 98},
}


def test_the_demo_table_is_the_reports_table(demo):
    table = distribution_table(demo)
    assert table.as_dict() == REPORT_TABLE
    assert table.written_or_oral == 85
    assert table.debate_participants == 13


def test_the_table_command_prints_the_reports_json(demo, capsys):
    call_command("table", DEMO_SLUG, "--format", "json")
    assert json.loads(capsys.readouterr().out) == REPORT_TABLE


def test_the_table_command_prints_text_csv_and_markdown(demo, capsys):
    call_command("table", DEMO_SLUG, "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["group", "label", "written", "presentation", "intervention", "total"]
    assert rows[1] == ["government", "Governments", "11", "13", "8", "32"]
    assert rows[-1] == ["total", "Total", "59", "26", "13", "98"]

    call_command("table", DEMO_SLUG, "--format", "md")
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[0].startswith("| Stakeholder group |")
    assert markdown[-1] == "| Total | 59 | 26 | 13 | 98 |"

    call_command("table", DEMO_SLUG, "--format", "text")
    text = capsys.readouterr().out.splitlines()
    assert text[-1].split() == ["Total", "59", "26", "13", "98"]
    assert text[2].split()[-4:] == ["11", "13", "8", "32"]


def test_the_table_command_translates_its_labels(demo, capsys):
    call_command("table", DEMO_SLUG, "--format", "csv", "--lang", "fr")
    assert list(csv.reader(io.StringIO(capsys.readouterr().out)))[1][:2] == ["government", "Gouvernements"]


def test_the_table_command_names_an_unknown_consultation():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No consultation"):
        call_command("table", "no-such-thing")


def test_the_table_counts_withheld_contributions_and_new_records(alice):
    consultation = make_consultation(groups=("civil-society", "government"))
    contribution = make_contribution(consultation)
    set_consent(alice, contribution, Consent.WITHHELD)
    make_contribution(consultation, make_entity(category="member-state", country=""), channel=Channel.INTERVENTION)
    table = distribution_table(consultation).as_dict()
    assert [r["group"] for r in table["rows"]] == ["civil-society", "government"]
    assert table["rows"][0]["written"] == 1
    assert table["rows"][1]["intervention"] == 1
    assert table["total"]["total"] == 2


def test_the_table_takes_three_queries_whatever_the_size(demo, django_assert_num_queries):
    with django_assert_num_queries(3):
        distribution_table(demo)


def test_render_refuses_an_unknown_format(demo):
    with pytest.raises(ValueError, match="unknown format"):
        render(distribution_table(demo), "xlsx")
