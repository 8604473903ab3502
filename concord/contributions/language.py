"""One language identifier per process and set of languages (building one loads the models: about 2 s)."""

from functools import lru_cache

from concord.analysis.language import Detection, LanguageIdentifier


@lru_cache(maxsize=8)
def identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    return LanguageIdentifier(languages=languages).fit()


def detect(text: str, languages) -> Detection:
    return identifier(tuple(sorted(languages))).detect(text)
