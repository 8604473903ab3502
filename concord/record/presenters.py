"""Labels for what the search returns, shared by the pages and the API."""

from __future__ import annotations

from django.utils.translation import get_language
from django_countries import countries

from concord.contributions.models import Channel
from concord.core.templatetags.concord import language_name

from .forms import issue_name


def facet_labels(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """``{facet: {value: label}}`` in the current language, with one query per facet that needs one."""
    from concord.policy.models import PolicyIssue
    from concord.stakeholders.models import EntityCategory, StakeholderGroup

    language = get_language() or "en"
    labels: dict[str, dict[str, str]] = {}
    groups = StakeholderGroup.objects.filter(slug__in=list(facets.get("group", {})))
    labels["group"] = {g.slug: str(g.label) for g in groups}
    labels["channel"] = {value: str(label) for value, label in Channel.choices}
    categories = EntityCategory.objects.filter(slug__in=list(facets.get("category", {})))
    labels["category"] = {c.slug: str(c.label) for c in categories}
    labels["country"] = {code: str(countries.name(code) or code) for code in facets.get("country", {})}
    labels["language"] = {code: language_name(code) for code in facets.get("language", {})}
    issues = PolicyIssue.objects.filter(slug__in=list(facets.get("issue", {})))
    labels["issue"] = {i.slug: issue_name(i, language) for i in issues}
    labels["campaign"] = {"any": str(_any_campaign())}
    return labels


def _any_campaign():
    from django.utils.translation import gettext

    return gettext("Part of a campaign")
