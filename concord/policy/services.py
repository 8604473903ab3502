"""Every write to the policy app: the taxonomy, the forum map, and the stored results of the analysis."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core import audit

from .models import (
    Campaign,
    CampaignMember,
    ContributionIssue,
    Forum,
    IssueForum,
    PolicyIssue,
    TagSource,
    TranslationLink,
)

ISSUE_FIELDS = ["slug", "name", "position", "names", "definitions", "seed_terms"]
FORUM_FIELDS = ["slug", "name", "names", "reasoning", "paragraphs", "position"]
LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


def _check_languages(**maps: Mapping) -> None:
    for label, value in maps.items():
        if not isinstance(value, dict):
            raise ValidationError(_("%s must map language codes to values.") % label)
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ValidationError(
                _("Unknown language codes in %(field)s: %(codes)s") % {"field": label, "codes": unknown}
            )


@transaction.atomic
def create_issue(actor, *, slug: str, name: str, position: int = 0, names=None, definitions=None, seed_terms=None):
    """Add an issue to the taxonomy (the WSIS list is open: the secretariat may add issues)."""
    names, definitions, seed_terms = names or {}, definitions or {}, seed_terms or {}
    _check_languages(names=names, definitions=definitions, seed_terms=seed_terms)
    issue = PolicyIssue(
        slug=slug, name=name, position=position, names=names, definitions=definitions, seed_terms=seed_terms
    )
    issue.full_clean()
    issue.save()
    audit.log_create(actor, "policy.issue.create", issue)
    return issue


@transaction.atomic
def update_issue(actor, issue: PolicyIssue, **changes) -> PolicyIssue:
    unknown = set(changes) - set(ISSUE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    _check_languages(**{k: v for k, v in changes.items() if k in ("names", "definitions", "seed_terms")})
    audit.apply_changes(actor, "policy.issue.update", issue, changes, ISSUE_FIELDS)
    return issue


@transaction.atomic
def create_forum(actor, *, slug: str, name: str, names=None, reasoning: str = "", paragraphs: str = "", position=0):
    forum = Forum(
        slug=slug, name=name, names=names or {}, reasoning=reasoning, paragraphs=paragraphs, position=position
    )
    forum.full_clean()
    forum.save()
    audit.log_create(actor, "policy.forum.create", forum)
    return forum


@transaction.atomic
def update_forum(actor, forum: Forum, **changes) -> Forum:
    unknown = set(changes) - set(FORUM_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    audit.apply_changes(actor, "policy.forum.update", forum, changes, FORUM_FIELDS)
    return forum


@transaction.atomic
def link_forum(actor, issue: PolicyIssue, forum: Forum, *, reasoning: str = "", paragraphs: str = "") -> IssueForum:
    """Say that ``forum`` is competent for ``issue`` (or update why)."""
    link = IssueForum.objects.filter(issue=issue, forum=forum).first()
    before = audit.snapshot(link) if link else {}
    if link is None:
        link = IssueForum(issue=issue, forum=forum)
    link.reasoning, link.paragraphs = reasoning, paragraphs
    link.save()
    audit.log(actor, "policy.forum.link", link, audit.diff(before, audit.snapshot(link)))
    return link


@transaction.atomic
def unlink_forum(actor, link: IssueForum) -> None:
    audit.log(actor, "policy.forum.unlink", link, audit.diff(audit.snapshot(link), {}))
    link.delete()


@transaction.atomic
def set_contribution_issues(actor, contribution, slugs: Sequence[str]) -> list[ContributionIssue]:
    """The secretariat confirms or corrects a contribution's issues: ``slugs`` are confirmed, other tags rejected.

    Confirmed and rejected tags are kept when the analysis runs again, and train the tagger for the consultation.
    """
    issues = {i.slug: i for i in PolicyIssue.objects.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(issues))
    if missing:
        raise ValidationError(_("Unknown issues: %s") % ", ".join(missing))
    existing = {
        t.issue.slug: t for t in ContributionIssue.objects.filter(contribution=contribution).select_related("issue")
    }
    before = {slug: t.source for slug, t in existing.items()}
    for slug, issue in issues.items():
        tag = existing.get(slug) or ContributionIssue(contribution=contribution, issue=issue)
        tag.source = TagSource.CONFIRMED
        tag.save()
    for slug, tag in existing.items():
        if slug not in issues:
            tag.source = TagSource.REJECTED
            tag.save()
    after = {
        t.issue.slug: t.source
        for t in ContributionIssue.objects.filter(contribution=contribution).select_related("issue")
    }
    audit.log(actor, "policy.tags.confirm", contribution, {"issues": [before, after]})
    return list(ContributionIssue.objects.filter(contribution=contribution, source=TagSource.CONFIRMED))


@transaction.atomic
def save_analysis(
    actor,
    consultation,
    *,
    tags: Mapping[int, Mapping],
    campaigns: Iterable[Mapping] = (),
    translations: Mapping[int, int] | None = None,
    summary: Mapping | None = None,
) -> dict:
    """Replace a consultation's automatic results: issue tags, campaigns and translation links.

    ``tags`` maps contribution ids to ``{"scores": {slug: score}, "issues": [slug, ...]}``; ``campaigns`` are
    ``{"canonical": id, "members": [id, ...]}``; ``translations`` maps a contribution id to its original's.
    Tags the secretariat confirmed or rejected are kept as they are (only their score is refreshed).
    """
    issues = {i.slug: i for i in PolicyIssue.objects.all()}
    kept = {
        (t.contribution_id, t.issue_id): t
        for t in ContributionIssue.objects.filter(contribution__consultation=consultation).exclude(
            source=TagSource.AUTO
        )
    }
    ContributionIssue.objects.filter(contribution__consultation=consultation, source=TagSource.AUTO).delete()
    new_tags, refreshed = [], []
    for contribution_id, result in tags.items():
        scores = result.get("scores", {})
        for slug in result.get("issues", []):
            issue = issues.get(slug)
            if issue is None:
                continue
            if (contribution_id, issue.pk) in kept:
                continue
            new_tags.append(ContributionIssue(contribution_id=contribution_id, issue=issue, score=scores.get(slug)))
    slug_of = {issue.pk: slug for slug, issue in issues.items()}
    for (contribution_id, issue_id), tag in kept.items():
        if contribution_id in tags:
            tag.score = tags[contribution_id].get("scores", {}).get(slug_of[issue_id], tag.score)
            refreshed.append(tag)
    ContributionIssue.objects.bulk_create(new_tags, batch_size=2000)
    ContributionIssue.objects.bulk_update(refreshed, ["score"], batch_size=2000)

    Campaign.objects.filter(consultation=consultation).delete()
    TranslationLink.objects.filter(contribution__consultation=consultation).delete()
    n_campaigns = 0
    texts = dict(consultation.contributions.values_list("id", "text"))
    for found in campaigns:
        campaign = Campaign.objects.create(
            consultation=consultation,
            canonical_id=found["canonical"],
            canonical_text=texts.get(found["canonical"], ""),
            size=len(found["members"]),
        )
        CampaignMember.objects.bulk_create(
            [CampaignMember(campaign=campaign, contribution_id=m) for m in found["members"]], batch_size=2000
        )
        n_campaigns += 1
    links = [TranslationLink(contribution_id=c, original_id=o) for c, o in (translations or {}).items()]
    TranslationLink.objects.bulk_create(links, batch_size=2000)
    result = {
        "contributions": len(tags),
        "tags": len(new_tags),
        "kept": len(kept),
        "campaigns": n_campaigns,
        "translations": len(links),
        **(summary or {}),
    }
    audit.log(actor, "policy.analysis.save", consultation, {"analysis": [None, result]})
    return result
