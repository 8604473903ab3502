from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info


def site(request):
    """Site name, text direction and the language switcher's links to this same page in each language."""
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return {"SITE_NAME": settings.SITE_NAME, "LANGUAGE_BIDI": get_language_bidi(), "language_links": links}
