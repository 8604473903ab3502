"""Reads for the public pages, the API and the exports: computed from the stored stances at read time."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.analysis.agreement import BETWEEN, ONE_GROUP, SHARED, TOO_FEW, WITHIN, agreement
from concord.contributions.access import public_contributions
from concord.policy.models import Campaign

from .access import public_stances
from .models import Kind, Position, Stance

CLASS_LABELS = {
    SHARED: _("shared across groups"),
    BETWEEN: _("contested between groups"),
    WITHIN: _("contested within groups"),
    ONE_GROUP: _("raised by one group only"),
    TOO_FEW: _("too few to tell"),
}


def counted_public(consultation) -> dict[int, str]:
    """Public contributions counted for the positions, with their group's slug. A campaign counts once (its
    canonical contribution), so a template sent a hundred times does not outweigh a group."""
    campaigns = Campaign.objects.filter(consultation=consultation)
    members = set(campaigns.exclude(members__contribution_id=None).values_list("members__contribution_id", flat=True))
    canonicals = set(campaigns.values_list("canonical_id", flat=True))
    return {
        pk: group
        for pk, group in public_contributions(consultation).values_list("id", "group__slug")
        if pk not in members or pk in canonicals
    }


def positions_by_group(consultation, *, confidence: float = 0.95, include_silent: bool = False) -> dict:
    """``{"groups": [StakeholderGroup], "proposals": [row], "assessments": [row]}`` where each row is ``{"position",
    "statement", "statement_language", "agreement", "cells": [GroupFigures in group order], "label", "issues"}``.
    Only public contributions count; positions nobody took up are left out unless ``include_silent``."""
    groups = consultation.ordered_groups()
    counted = counted_public(consultation)
    contributions_by_group = {g.slug: 0 for g in groups}
    for group in counted.values():
        contributions_by_group[group] = contributions_by_group.get(group, 0) + 1
    by_position: dict[int, list[tuple[str, str]]] = {}
    for position_id, contribution_id, stance in public_stances(consultation).values_list(
        "position_id", "contribution_id", "stance"
    ):
        if contribution_id in counted:
            by_position.setdefault(position_id, []).append((counted[contribution_id], stance))
    language = get_language() or "en"
    out: dict = {"groups": groups, "proposals": [], "assessments": []}
    positions = Position.objects.filter(consultation=consultation).prefetch_related("issues").order_by("order", "slug")
    for position in positions:
        if position.pk not in by_position and not include_silent:
            continue
        found = by_position.get(position.pk, [])
        result = agreement(position.slug, found, contributions_by_group, confidence=confidence)
        statement, statement_language = position.statement_in(language)
        out["assessments" if position.kind == Kind.ASSESSMENT else "proposals"].append(
            {
                "position": position,
                "statement": statement,
                "statement_language": statement_language,
                "agreement": result,
                "cells": [cell for cell in result.groups if cell.group in {g.slug for g in groups}],
                "label": CLASS_LABELS[result.classification],
                "issues": list(position.issues.all()),
            }
        )
    return out


def evidence(consultation, position: Position, *, group: str | None = None, stance: str | None = None):
    """The public stances on ``position`` with their contributions, for the page that shows a figure's evidence."""
    rows = (
        public_stances(consultation)
        .filter(position=position)
        .select_related("contribution", "contribution__entity", "contribution__group")
        .order_by("stance", "contribution__received_at", "contribution_id")
    )
    if group:
        rows = rows.filter(contribution__group__slug=group)
    if stance:
        rows = rows.filter(stance=stance)
    return rows


def contribution_positions(contribution) -> list[Stance]:
    """A contribution's stances, in codebook order (its page is already behind the public gate)."""
    return list(Stance.objects.filter(contribution=contribution).select_related("position").order_by("position__order"))
