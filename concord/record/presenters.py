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


class ResultsPage:
    """A search result shaped like Django's ``Page`` for the templates, its count possibly capped."""

    def __init__(self, result):
        self.result = result
        self.number = result.page
        self.object_list = result.hits
        self.paginator = self  # the template reads page.paginator.count and .num_pages
        self.count = result.count
        self.count_exact = result.count_exact
        self.num_pages = result.pages

    def __iter__(self):
        return iter(self.result.hits)

    def __len__(self) -> int:
        return len(self.result.hits)

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
