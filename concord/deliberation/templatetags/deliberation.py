"""The statements phase's part of the consultation's page, so that the record's template needs one line."""

from django import template

from .. import selectors
from ..models import Phase
from ..opinion_map import build_map
from ..opinions import opinion_results

register = template.Library()
SHOWN = 3  # statements listed on the consultation's page in each list; the results page has them all


@register.inclusion_tag("deliberation/_consultation_summary.html", takes_context=True)
def statements_summary(context, consultation):
    phase = Phase.objects.filter(consultation=consultation).first()
    if phase is None:
        return {"phase": None}
    data = opinion_results(phase)
    rows = selectors.statement_rows(phase, data)
    lists = selectors.consensus_and_divergence(rows, data)
    groups = selectors.opinion_groups(phase, data)
    return {
        "consultation": consultation,
        "phase": phase,
        "map": build_map(data, selectors.group_labels(data["groups"])),
        "groups": groups,
        "participants": len(data["participants"]),
        "statements": len(rows),
        "consensus": [*lists["consensus"]["agree"], *lists["consensus"]["disagree"]][:SHOWN],
        "divergence": lists["divergence"][:SHOWN],
    }
