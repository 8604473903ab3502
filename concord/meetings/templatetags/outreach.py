"""The consultation page's outreach section: figures counted by the database at read time, for the template."""

from django import template

from concord.stakeholders.outreach import contribution_breakdown, outreach

register = template.Library()


@register.simple_tag
def outreach_figures(consultation) -> dict:
    return {"outreach": outreach(consultation), "contributions": contribution_breakdown(consultation)}
