"""Reads for the public pages and the admin: computed from the stored results at read time."""

from __future__ import annotations

from concord.analysis.compare import issue_group_shares

from .models import Campaign, ContributionIssue, PolicyIssue, TagSource


def issues_by_group(consultation) -> list[dict]:
    """Per issue (taxonomy order): ``{"issue": PolicyIssue, "total", "groups": {slug: {count, contributions, share,
    lift}}}``. A campaign counts once (its canonical contribution), so a template does not outweigh a group."""
    from concord.contributions.models import Contribution

    groups = [group.slug for group in consultation.ordered_groups()]
    campaign_members = set(
        Campaign.objects.filter(consultation=consultation)
        .values_list("members__contribution_id", flat=True)
        .exclude(members__contribution_id=None)
    )
    canonicals = set(Campaign.objects.filter(consultation=consultation).values_list("canonical_id", flat=True))
    counted = {
        pk: group
        for pk, group in Contribution.objects.filter(consultation=consultation)
        .counted()
        .values_list("id", "group__slug")
        if pk not in campaign_members or pk in canonicals
    }
    raised: dict[int, list[str]] = {pk: [] for pk in counted}
    tags = ContributionIssue.objects.filter(contribution__consultation=consultation).exclude(source=TagSource.REJECTED)
    for pk, slug in tags.values_list("contribution_id", "issue__slug"):
        if pk in raised:
            raised[pk].append(slug)
    issues = list(PolicyIssue.objects.all())
    rows = issue_group_shares(((counted[pk], slugs) for pk, slugs in raised.items()), groups, [i.slug for i in issues])
    for row, issue in zip(rows, issues, strict=True):
        row["issue"] = issue
    return rows


def campaigns(consultation) -> list[dict]:
    """``{"campaign", "canonical_text", "size", "receipts": [...]}`` per campaign, largest first."""
    out = []
    for campaign in Campaign.objects.filter(consultation=consultation).prefetch_related("members__contribution"):
        receipts = sorted(m.contribution.receipt_number for m in campaign.members.all())
        out.append(
            {
                "campaign": campaign,
                "canonical_text": campaign.canonical_text,
                "size": campaign.size,
                "receipts": receipts,
            }
        )
    return out


def analysis_summary(consultation) -> dict:
    """What the consultation page shows of the analysis: issues raised (most raised first) with each group's share
    and lift, and the campaigns with their sizes. Empty lists until ``concord analyze run`` has run."""
    groups = consultation.ordered_groups()
    rows = [row for row in issues_by_group(consultation) if row["total"]]
    rows.sort(key=lambda row: -row["total"])
    for row in rows:
        row["cells"] = [row["groups"][g.slug] for g in groups]
        # The group that raises the issue most, relative to the others (the report's "emphasised by").
        leading = max(row["cells"], key=lambda cell: (cell["lift"] or 0, cell["share"]))
        emphasised = (leading["lift"] or 0) >= 1.5 and leading["count"] >= 2
        row["emphasis"] = groups[row["cells"].index(leading)] if emphasised else None
    return {"groups": groups, "issues": rows, "campaigns": campaigns(consultation)}
