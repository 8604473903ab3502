"""Reads for the public pages and the admin: computed from the stored results at read time."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from concord.analysis.compare import issue_group_shares

from .models import CampaignMember, ContributionIssue, PolicyIssue, TagSource


@dataclass
class PublicCampaign:
    """What the public is shown of a campaign: its public members only. The stored canonical contribution and text
    may be a held, rejected or withheld one (the analysis sees everything); here the representative is the canonical
    one when it is public, else the earliest public member, and the text is that member's own."""

    pk: int
    representative_id: int
    receipt_number: str
    receipts: list[str] = field(default_factory=list)
    members: list[int] = field(default_factory=list)  # the public members' ids, oldest first
    text: str = ""

    @property
    def size(self) -> int:
        return len(self.receipts)


def public_campaigns(consultation=None, *, campaign_ids=None, with_text: bool = False) -> dict[int, PublicCampaign]:
    """``{campaign id: PublicCampaign}`` for the campaigns of ``consultation`` (or those of ``campaign_ids``) that have
    at least one public member; two queries with ``with_text``, else one."""
    from concord.contributions.models import Contribution, public_q

    members = CampaignMember.objects.filter(public_q("contribution__"))
    if consultation is not None:
        members = members.filter(campaign__consultation=consultation)
    if campaign_ids is not None:
        members = members.filter(campaign_id__in=list(campaign_ids))
    rows = members.order_by("campaign_id", "contribution__received_at", "contribution_id").values_list(
        "campaign_id", "campaign__canonical_id", "contribution_id", "contribution__receipt_number"
    )
    out: dict[int, PublicCampaign] = {}
    for campaign_id, canonical_id, pk, receipt in rows:
        campaign = out.get(campaign_id)
        if campaign is None:
            campaign = out[campaign_id] = PublicCampaign(campaign_id, pk, receipt)
        elif pk == canonical_id:
            campaign.representative_id, campaign.receipt_number = pk, receipt
        campaign.receipts.append(receipt)
        campaign.members.append(pk)
    if with_text and out:
        texts = dict(
            Contribution.objects.filter(pk__in=[c.representative_id for c in out.values()]).values_list("id", "text")
        )
        for campaign in out.values():
            campaign.text = texts.get(campaign.representative_id, "")
    return out


def issues_by_group(consultation) -> list[dict]:
    """Per issue (taxonomy order): ``{"issue": PolicyIssue, "total", "groups": {slug: {count, contributions, share,
    lift}}}``, over the public contributions only (what the public is shown of the analysis derives from what it
    may read). A campaign counts once (its public representative), so a template does not outweigh a group."""
    from concord.contributions.models import Contribution

    groups = [group.slug for group in consultation.ordered_groups()]
    campaigns = public_campaigns(consultation)
    campaign_members = set(
        CampaignMember.objects.filter(campaign__consultation=consultation).values_list("contribution_id", flat=True)
    )
    representatives = {c.representative_id for c in campaigns.values()}
    counted = {
        pk: group
        for pk, group in Contribution.objects.filter(consultation=consultation)
        .public()
        .values_list("id", "group__slug")
        if pk not in campaign_members or pk in representatives
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
    """``{"campaign", "canonical_text", "size", "receipts": [...]}`` per campaign with a public member, largest
    first: its public members and its representative's text (see ``PublicCampaign``)."""
    found = sorted(public_campaigns(consultation, with_text=True).values(), key=lambda c: (-c.size, c.pk))
    return [{"campaign": c, "canonical_text": c.text, "size": c.size, "receipts": sorted(c.receipts)} for c in found]


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
    return {"groups": groups, "issues": rows, "campaigns": campaigns(consultation), "review": tag_review(consultation)}


def tag_review(consultation) -> dict:
    """How many of the issue tags shown (on public contributions) a person confirmed, and how many are automatic,
    so that the page says which it is instead of claiming a check that did not happen."""
    from concord.contributions.models import Contribution

    public = Contribution.objects.filter(consultation=consultation).public().values("pk")
    sources = dict(
        ContributionIssue.objects.filter(contribution__in=public, source__in=[TagSource.AUTO, TagSource.CONFIRMED])
        .values_list("source")
        .annotate(n=Count("pk"))
        .values_list("source", "n")
    )
    confirmed, automatic = sources.get(TagSource.CONFIRMED, 0), sources.get(TagSource.AUTO, 0)
    return {"confirmed": confirmed, "automatic": automatic, "total": confirmed + automatic}
