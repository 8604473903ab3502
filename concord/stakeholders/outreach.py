"""Outreach figures, computed from the records at read time: who was invited, who responded, and where from.

Regions and development status follow the UN M49 classification shipped in ``data/m49.json``. A country may be
in several development groups at once (e.g. least developed and landlocked), so those rows overlap.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db.models import BooleanField, Count, Expression, F, Q, Subquery
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.contributions.models import Channel, Contribution
from concord.core import formats

from .models import CATEGORY_LABELS, GROUP_LABELS, EntityCategory, Invitation, InvitationState

M49_PATH = Path(__file__).with_name("data") / "m49.json"
NO_COUNTRY = "none"
REGION_LABELS = {
    "africa": _("Africa"),
    "americas": _("Americas"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "oceania": _("Oceania"),
    NO_COUNTRY: _("No country given"),
}
STATUS_LABELS = {
    "ldc": _("Least developed countries"),
    "lldc": _("Landlocked developing countries"),
    "sids": _("Small island developing States"),
    "other": _("Other countries"),
    NO_COUNTRY: _("No country given"),
}
CHANNELS = [Channel.WRITTEN.value, Channel.PRESENTATION.value, Channel.INTERVENTION.value]


@functools.cache
def m49() -> dict:
    data = json.loads(M49_PATH.read_text(encoding="utf-8"))
    region_of = {}
    for slug, region in data["regions"].items():
        for subregion in region["subregions"].values():
            for code in subregion["countries"]:
                region_of[code] = slug
    data["region_of"] = region_of
    data["status_sets"] = {key: frozenset(data[key]) for key in ("ldc", "lldc", "sids")}
    return data


def region_of(country: str) -> str:
    return m49()["region_of"].get(country or "", NO_COUNTRY) if country else NO_COUNTRY


def statuses_of(country: str) -> list[str]:
    """The M49 development groups of a country: any of ldc, lldc, sids; "other" when none; "none" without one."""
    if not country:
        return [NO_COUNTRY]
    found = [key for key, codes in m49()["status_sets"].items() if country in codes]
    return found or ["other"]


@dataclass(frozen=True)
class OutreachRow:
    key: str
    label: str
    invited: int
    responded: int

    @property
    def rate(self) -> float | None:
        return self.responded / self.invited if self.invited else None

    @property
    def rate_percent(self) -> str:
        # By the reader's language ("50%", "50 %"), like every figure on the public pages.
        return "–" if self.rate is None else formats.percent(self.rate, get_language())


@dataclass(frozen=True)
class Outreach:
    invited: int
    sent: int
    failed: int
    bounced: int
    responded: int
    by_group: list[OutreachRow]
    by_category: list[OutreachRow]
    by_region: list[OutreachRow]
    by_status: list[OutreachRow]

    @property
    def rate_percent(self) -> str:
        return OutreachRow("", "", self.invited, self.responded).rate_percent

    def as_dict(self) -> dict:
        def rows(items):
            return [
                {"key": r.key, "label": str(r.label), "invited": r.invited, "responded": r.responded} for r in items
            ]

        return {
            "invited": self.invited,
            "sent": self.sent,
            "failed": self.failed,
            "bounced": self.bounced,
            "responded": self.responded,
            "by_group": rows(self.by_group),
            "by_category": rows(self.by_category),
            "by_region": rows(self.by_region),
            "by_status": rows(self.by_status),
        }


def responded_entities(consultation) -> tuple[set[int], set[str]]:
    """Entities that contributed, and the contact addresses contributions came from (two queries)."""
    counted = Contribution.objects.filter(consultation=consultation).counted()
    entity_ids = set(counted.values_list("entity_id", flat=True).distinct().order_by())
    emails = {e.lower() for e in counted.exclude(contact_email="").values_list("contact_email", flat=True)}
    return entity_ids, emails


def has_responded(invitation: Invitation, entity_ids: set[int], emails: set[str]) -> bool:
    return invitation.entity_id in entity_ids or any(e.lower() in emails for e in invitation.emails)


def display_state(invitation: Invitation, entity_ids: set[int], emails: set[str]) -> str:
    """The state shown: "responded" as soon as the invited entity has contributed, else the stored state."""
    if has_responded(invitation, entity_ids, emails):
        return InvitationState.RESPONDED
    return invitation.state


def _rows(keys_labels: list[tuple[str, str]], invited: Counter, responded: Counter, keep_empty=True):
    return [
        OutreachRow(key, label, invited[key], responded[key])
        for key, label in keys_labels
        if keep_empty or invited[key]
    ]


class _SharesAddress(Expression):
    """Whether an invitation's addresses (a JSON list of strings) include one that ``addresses`` yields (a
    one-column subquery, lower-cased), compared in lower case as ``has_responded`` does.

    Django's ``contains`` on a JSON field exists only on PostgreSQL and matches whole values, so the list is opened
    here with each database's own function. SQLite's LOWER folds ASCII letters only, where Python folds all: the
    two differ only for an address whose internationalised domain is typed in capitals on one side.
    """

    conditional = True
    output_field = BooleanField()
    _ELEMENTS = {
        "sqlite": "json_each({}) AS invitation_address",
        "postgresql": "jsonb_array_elements_text({}) AS invitation_address(value)",
    }

    def __init__(self, emails, addresses) -> None:
        super().__init__()
        self.emails, self.addresses = emails, addresses

    def get_source_expressions(self):
        return [self.emails, self.addresses]

    def set_source_expressions(self, exprs) -> None:
        self.emails, self.addresses = exprs

    def as_sql(self, compiler, connection):
        emails_sql, emails_params = compiler.compile(self.emails)
        addresses_sql, addresses_params = compiler.compile(self.addresses)
        elements = self._ELEMENTS[connection.vendor].format(emails_sql)
        sql = f"EXISTS (SELECT 1 FROM {elements} WHERE LOWER(invitation_address.value) IN {addresses_sql})"
        return sql, (*emails_params, *addresses_params)


def _answered(consultation) -> Q:
    """``has_responded`` as a condition on invitations: the invited entity contributed, or a counted contribution
    came from one of the addresses the invitation went to."""
    counted = Contribution.objects.filter(consultation=consultation).counted()
    addresses = counted.exclude(contact_email="").values(address=Lower("contact_email"))
    # Both subqueries are uncorrelated: the database reads the consultation's contributions once, not per invitation.
    contributors = counted.values("entity_id")
    return Q(entity_id__in=contributors) | Q(_SharesAddress(F("emails"), Subquery(addresses)))


def outreach(consultation) -> Outreach:
    """Invitations and responses by group, category, M49 region and development status (three queries).

    The database counts the invitations by group, category, country and state, with how many of each responded,
    so a page reads a few hundred such cells rather than building an invitation, an entity, a group and a category
    per invitation (for the demo's 3,844 invitations, 0.2 CPU s per consultation page).
    """
    cells = (
        Invitation.objects.filter(consultation=consultation)
        .values("entity__group__slug", "entity__category__slug", "entity__country", "state")
        .annotate(invited=Count("id"), responded=Count("id", filter=_answered(consultation)))
        .order_by()
    )
    counters = {dim: (Counter(), Counter()) for dim in ("group", "category", "region", "status")}
    states = Counter()
    invited_total = responded_total = 0
    for cell in cells:
        country, invited, answered = cell["entity__country"], cell["invited"], cell["responded"]
        keys = {
            "group": [cell["entity__group__slug"]],
            "category": [cell["entity__category__slug"]],
            "region": [region_of(country)],
            "status": statuses_of(country),
        }
        states[cell["state"]] += invited
        invited_total += invited
        responded_total += answered
        for dim, values in keys.items():
            for value in values:
                counters[dim][0][value] += invited
                counters[dim][1][value] += answered
    groups = [(g.slug, str(GROUP_LABELS.get(g.slug, g.name))) for g in consultation.ordered_groups()]
    categories = [(c.slug, str(c.label)) for c in EntityCategory.objects.all()]
    return Outreach(
        invited=invited_total,
        sent=states[InvitationState.SENT],
        failed=states[InvitationState.FAILED],
        bounced=states[InvitationState.BOUNCED],
        responded=responded_total,
        by_group=_rows(groups, *counters["group"]),
        by_category=_rows(categories, *counters["category"], keep_empty=False),
        by_region=_rows([(k, str(v)) for k, v in REGION_LABELS.items()], *counters["region"]),
        by_status=_rows([(k, str(v)) for k, v in STATUS_LABELS.items()], *counters["status"]),
    )


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    counts: dict[str, int]

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(ch, 0) for ch in CHANNELS]

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass(frozen=True)
class ContributionBreakdown:
    by_region: list[BreakdownRow]
    by_status: list[BreakdownRow]
    by_category: list[BreakdownRow]

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(ch).label) for ch in CHANNELS]

    def as_dict(self) -> dict:
        def rows(items):
            return [{"key": r.key, "label": str(r.label), **r.counts, "total": r.total} for r in items]

        return {
            "by_region": rows(self.by_region),
            "by_status": rows(self.by_status),
            "by_category": rows(self.by_category),
        }


def contribution_breakdown(consultation) -> ContributionBreakdown:
    """Counted contributions by M49 region, development status and entity category, per channel (two queries)."""
    cells = (
        Contribution.objects.filter(consultation=consultation)
        .counted()
        .values("entity__country", "entity__category__slug", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    region, status, category = Counter(), Counter(), Counter()
    for cell in cells:
        country, channel, n = cell["entity__country"], cell["channel"], cell["n"]
        region[(region_of(country), channel)] += n
        for key in statuses_of(country):
            status[(key, channel)] += n
        category[(cell["entity__category__slug"], channel)] += n

    def rows(labels, counter, keep_empty=True):
        built = [BreakdownRow(k, str(v), {ch: counter[(k, ch)] for ch in CHANNELS}) for k, v in labels]
        return [r for r in built if keep_empty or r.total]

    categories = [(c.slug, str(CATEGORY_LABELS.get(c.slug, c.name))) for c in EntityCategory.objects.all()]
    return ContributionBreakdown(
        by_region=rows(REGION_LABELS.items(), region),
        by_status=rows(STATUS_LABELS.items(), status),
        by_category=rows(categories, category, keep_empty=False),
    )
