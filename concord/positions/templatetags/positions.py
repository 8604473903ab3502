"""The positions' parts of the record's pages, so that the record's views and templates need one line each."""

from django import template
from django.utils.translation import get_language

from .. import selectors

register = template.Library()


@register.inclusion_tag("positions/_by_group.html")
def positions_by_group(consultation):
    return {"consultation": consultation, **selectors.positions_by_group(consultation)}


@register.inclusion_tag("positions/_contribution.html")
def contribution_positions(consultation, contribution):
    language = get_language() or "en"
    stances = selectors.contribution_positions(contribution)
    return {
        "consultation": consultation,
        "contribution": contribution,
        "rows": [(stance, *stance.position.statement_in(language)) for stance in stances],
    }


@register.filter
def percent(value) -> str:
    """A share as a whole percentage (computed in Python, shown as is)."""
    return f"{round((value or 0) * 100)}"


@register.inclusion_tag("positions/_data.html")
def stances_data(consultation):
    from .. import exports

    return {"consultation": consultation, "stance_fields": exports.FIELDS, "stance_formats": list(exports.FORMATS)}
