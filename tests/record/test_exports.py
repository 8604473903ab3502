"""Open data: CSV, JSON Lines, Parquet and metadata, from the pages and from `concord export`."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import Consent
from concord.policy.models import Campaign, CampaignMember, ContributionIssue, PolicyIssue
from concord.record import exports, services

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"record:{name}", kwargs=kwargs)


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_and_jsonl_hold_the_published_contributions_only(sealed_demo, client):
    withheld = sealed_demo.contributions.get(consent=Consent.WITHHELD)
    rows = list(csv.DictReader(io.StringIO(body(client.get(url("data-download", slug=DEMO_SLUG, fmt="csv"))))))
    lines = [
        json.loads(line)
        for line in body(client.get(url("data-download", slug=DEMO_SLUG, fmt="jsonl"))).split("\n")
        if line
    ]
    assert len(rows) == len(lines) == 97
    assert list(rows[0]) == exports.COLUMNS
    assert withheld.receipt_number not in {r["receipt_number"] for r in rows}
    anonymous = [line for line in lines if line["anonymous"]]
    assert len(anonymous) == 2 and all(line["entity_name"] == "" for line in anonymous)
    assert all(line["seal_sha256"] for line in lines)
    assert lines[0]["id"] == lines[0]["receipt_number"]


def test_analysis_tags_and_campaigns_are_columns(sealed_demo):
    first, second = sealed_demo.contributions.public().order_by("received_at")[:2]
    ContributionIssue.objects.create(contribution=first, issue=PolicyIssue.objects.get(slug="privacy"))
    campaign = Campaign.objects.create(consultation=sealed_demo, canonical=first, canonical_text="x", size=2)
    CampaignMember.objects.create(campaign=campaign, contribution=first)
    CampaignMember.objects.create(campaign=campaign, contribution=second)
    rows = {r["receipt_number"]: r for r in exports.rows(sealed_demo)}
    assert rows[first.receipt_number]["issues"] == "privacy"
    assert rows[second.receipt_number]["campaign_canonical"] == first.receipt_number


def test_the_export_query_count_does_not_grow_with_the_record(sealed_demo, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 50)
    with django_assert_max_num_queries(2 * 2 + 1):
        assert len(list(exports.rows(sealed_demo))) == 97


def test_the_metadata_carries_the_dictionary_and_the_seal_head(sealed_demo, client):
    meta = client.get(url("data-metadata", slug=DEMO_SLUG)).json()
    assert meta["contributions"] == 97
    assert [f["name"] for f in meta["fields"]] == exports.COLUMNS
    assert meta["seal"]["head_sha256"] == services.head(sealed_demo).entry_sha256


def test_the_data_page_lists_downloads_and_the_dictionary(sealed_demo, client):
    html = client.get(url("data", slug=DEMO_SLUG)).content.decode()
    assert "contributions.csv" in html and "entity_name" in html
    assert client.get(url("data-download", slug=DEMO_SLUG, fmt="xlsx")).status_code == 404


def test_the_export_command_writes_the_same_files(sealed_demo, tmp_path, client):
    call_command("export", DEMO_SLUG, "--output", str(tmp_path))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert f"{DEMO_SLUG}-contributions.csv" in names and f"{DEMO_SLUG}-metadata.json" in names
    written = (tmp_path / f"{DEMO_SLUG}-contributions.jsonl").read_text(encoding="utf-8")
    served = body(client.get(url("data-download", slug=DEMO_SLUG, fmt="jsonl")))
    assert written == served.replace("http://testserver", "")
    if exports.parquet_available():
        import pyarrow.parquet as pq

        assert pq.read_table(tmp_path / f"{DEMO_SLUG}-contributions.parquet").num_rows == 97


def test_the_contribution_page_shows_issues_campaign_and_seal(sealed_demo, client):
    contribution = sealed_demo.contributions.public().order_by("received_at").first()
    ContributionIssue.objects.create(contribution=contribution, issue=PolicyIssue.objects.get(slug="spam"))
    campaign = Campaign.objects.create(consultation=sealed_demo, canonical=contribution, canonical_text="x", size=3)
    CampaignMember.objects.create(campaign=campaign, contribution=contribution)
    page = url("contribution", slug=DEMO_SLUG, receipt=contribution.receipt_number)
    html = client.get(page).content.decode()
    assert "?issue=spam" in html and f"?campaign={campaign.pk}" in html
    assert contribution.seal_entries.get().entry_sha256 in html


def test_a_row_lists_its_current_files_sorted_tags_and_sealed_version(sealed_demo, client):
    from concord.contributions.models import Attachment
    from concord.policy.models import TagSource

    contribution = sealed_demo.contributions.public().order_by("received_at").first()
    version, _ = contribution.versions.get_or_create(
        number=contribution.version, defaults={"sha256": "0", "created_at": contribution.received_at}
    )
    for position, name in ((1, "annex.pdf"), (0, "letter.pdf")):
        Attachment.objects.create(
            version=version, position=position, name=name, mime_type="application/pdf", kind="pdf", size=3, sha256="0"
        )
    issues = list(PolicyIssue.objects.order_by("position", "slug")[:3])
    for issue, source in zip(issues, [TagSource.AUTO, TagSource.REJECTED, TagSource.CONFIRMED], strict=True):
        ContributionIssue.objects.create(contribution=contribution, issue=issue, source=source)
    row = next(exports.rows_for(sealed_demo, [contribution], "https://x.test"))
    assert row["issues"] == f"{issues[0].slug};{issues[2].slug}"
    assert [f["name"] for f in row["files"]] == ["letter.pdf", "annex.pdf"]
    expected = "https://x.test" + reverse(
        "contributions:download",
        kwargs={
            "slug": DEMO_SLUG,
            "receipt": contribution.receipt_number,
            "attachment_id": Attachment.objects.get(name="letter.pdf").pk,
        },
    )
    assert row["files"][0]["url"] == expected
    assert row["url"] == "https://x.test" + url("contribution", slug=DEMO_SLUG, receipt=contribution.receipt_number)
    seal = contribution.seal_entries.order_by("-position").first()  # the entry of its current state
    assert (row["seal_position"], row["seal_sha256"]) == (seal.position, seal.entry_sha256)
