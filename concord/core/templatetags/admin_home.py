from django import template

from concord.core.admin_home import overview

register = template.Library()


@register.inclusion_tag("admin/_secretariat_overview.html", takes_context=True)
def secretariat_overview(context):
    """What waits for the secretariat, per consultation, on the admin's index."""
    return {"rows": overview(context["request"].user)}
