from django import template
from django.conf import settings

register = template.Library()

_NAMES = dict(settings.LANGUAGES)


@register.filter
def language_name(code: str) -> str:
    """The language's name in the reader's language (``fr`` -> "French" / "Français")."""
    name = _NAMES.get(code)
    return str(name) if name is not None else code
