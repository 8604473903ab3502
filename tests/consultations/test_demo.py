"""The demo consultation: real metadata, fictional entities, counts of the report."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from concord.consultations.demo import DEMO_SLUG, demo_data
from concord.consultations.models import Consultation, Status
from concord.contributions.models import Consent
from concord.stakeholders.models import Entity

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_reports_metadata(demo):
    assert demo.slug == DEMO_SLUG
    assert demo.mandate_reference == "ECOSOC resolution 2010/2"
    assert demo.opens_at == dt.datetime(2010, 9, 1, tzinfo=dt.UTC)
    assert demo.closes_at.date() == dt.date(2010, 12, 31)
    assert [g.slug for g in demo.ordered_groups()] == [
        "government",
        "international-organization",
        "civil-society",
        "private-sector",
    ]
    meeting = demo.meetings.get()
    assert meeting.date == dt.date(2010, 12, 14)
    assert "New York" in meeting.place
    assert demo.status == Status.REPORTED


def test_every_demo_entity_is_fictional_and_says_so(demo):
    assert Entity.objects.count() == len(demo_data()["entities"])
    assert not Entity.objects.filter(is_fictional=False).exists()
    assert "fictional" in demo.description


def test_receipts_follow_the_order_received(demo):
    written = list(demo.contributions.filter(channel="written").order_by("received_at"))
    assert [c.receipt_number for c in written[:2]] == ["EC2010-W-000001", "EC2010-W-000002"]
    assert all(demo.opens_at <= c.received_at < demo.closes_at for c in written)


def test_the_demo_shows_each_publication_choice(demo):
    assert Counter(demo.contributions.values_list("consent", flat=True)) == {
        Consent.NAMED: 95,
        Consent.ANONYMOUS: 2,
        Consent.WITHHELD: 1,
    }


def test_loaddemo_is_safe_to_run_twice(db, capsys):
    call_command("loaddemo")
    call_command("loaddemo")
    assert "already loaded" in capsys.readouterr().out
    assert Consultation.objects.get().contributions.count() == 98


def test_loaddemo_if_empty_leaves_an_existing_database_alone(db, capsys):
    from tests.factories import make_consultation

    make_consultation()
    call_command("loaddemo", "--if-empty")
    assert not Consultation.objects.filter(slug=DEMO_SLUG).exists()


def test_loaddemo_analyze_drafts_the_report_in_six_languages(db, capsys):
    from concord.reports.models import ReportDraft

    call_command("loaddemo", "--analyze")
    assert sorted(ReportDraft.objects.values_list("language", flat=True)) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert "Drafted the report" in capsys.readouterr().out
