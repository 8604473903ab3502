"""The consultation page shows the analysis: issues by group with shares, and campaigns counted once."""

import re

import pytest
from django.urls import reverse

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import public_q
from concord.contributions.services import moderate_contribution
from concord.policy.models import ContributionIssue
from concord.policy.selectors import analysis_summary, issues_by_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(analysed_demo):
    return analysed_demo


def test_the_demo_is_analysed_and_every_issue_row_adds_up(analysed):
    summary = analysis_summary(analysed)
    assert summary["issues"], "the demo raises issues"
    # What the public is shown of the analysis counts the public contributions only (the demo withholds one).
    tagged = ContributionIssue.objects.filter(public_q("contribution__"), contribution__consultation=analysed)
    assert tagged.count() < ContributionIssue.objects.filter(contribution__consultation=analysed).count()
    for row in summary["issues"]:
        assert row["total"] == sum(cell["count"] for cell in row["cells"])
        assert row["total"] == tagged.filter(issue=row["issue"]).values("contribution").distinct().count()
        for cell in row["cells"]:
            assert cell["share"] == pytest.approx(cell["count"] / cell["contributions"])
    totals = [row["total"] for row in summary["issues"]]
    assert totals == sorted(totals, reverse=True)


def test_the_consultation_page_shows_issues_by_group(analysed, client):
    html = client.get(reverse("record:consultation", kwargs={"slug": DEMO_SLUG})).content.decode()
    table = re.search(r'<table class="issues-by-group[^"]*".*?</table>', html, re.S).group(0)
    first = analysis_summary(analysed)["issues"][0]
    assert f'data-issue="{first["issue"].slug}"' in table
    assert first["issue"].label in table


def test_contributions_rejected_as_spam_leave_the_comparison(alice, analysed):
    tag = ContributionIssue.objects.filter(contribution__consultation=analysed).select_related("contribution").first()
    before = {row["issue"].slug: row["total"] for row in issues_by_group(analysed)}
    contribution = tag.contribution
    moderate_contribution(alice, contribution, "reject", "Spam test.")
    after = {row["issue"].slug: row["total"] for row in issues_by_group(analysed)}
    assert after[tag.issue.slug] == before[tag.issue.slug] - 1
