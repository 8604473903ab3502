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

from django.db.models import Count
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


def outreach(consultation) -> Outreach:
    """Invitations and responses by group, category, M49 region and development status (five queries)."""
    invitations = list(
        Invitation.objects.filter(consultation=consultation)
        .only("id", "entity_id", "emails", "state", "entity__category__slug", "entity__group__slug", "entity__country")
        .select_related("entity__category", "entity__group")
    )
    entity_ids, emails = responded_entities(consultation)
    counters = {dim: (Counter(), Counter()) for dim in ("group", "category", "region", "status")}
    states = Counter()
    responded_total = 0
    for invitation in invitations:
        entity = invitation.entity
        keys = {
            "group": [entity.group.slug],
            "category": [entity.category.slug],
            "region": [region_of(entity.country)],
            "status": statuses_of(entity.country),
        }
        answered = has_responded(invitation, entity_ids, emails)
        responded_total += answered
        states[invitation.state] += 1
        for dim, values in keys.items():
            for value in values:
                counters[dim][0][value] += 1
                counters[dim][1][value] += answered
    groups = [(g.slug, str(GROUP_LABELS.get(g.slug, g.name))) for g in consultation.ordered_groups()]
    categories = [(c.slug, str(c.label)) for c in EntityCategory.objects.all()]
    return Outreach(
        invited=len(invitations),
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
