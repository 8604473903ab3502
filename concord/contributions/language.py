"""One language identifier per process and set of languages (building one loads the models: about 2 s)."""

from functools import lru_cache

from django.conf import settings

from concord.analysis.language import Detection, LanguageIdentifier


@lru_cache(maxsize=8)
def identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    return LanguageIdentifier(languages=languages).fit()


def detect(text: str, languages) -> Detection:
    return identifier(tuple(sorted(languages))).detect(text)


def preload() -> None:
    """Build the identifier of consultations that accept the six languages (the default) ahead of any request."""
    identifier(tuple(sorted(code for code, _name in settings.LANGUAGES)))
