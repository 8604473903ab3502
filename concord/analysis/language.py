"""Language identification with lingua, restricted to the languages in use, with "other" when unsure.

A detector restricted to the consultation's languages forces every text into one of them (Portuguese comes out
as Spanish, Ukrainian as Russian). So the detector also knows a set of *decoy* languages that consultations
commonly receive; a text whose best guess is a decoy, or whose best confidence is low, is reported as "other".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lingua import Language, LanguageDetectorBuilder

OTHER = "other"

# Concord's codes (Django's) for the six UN languages, and lingua's names for them.
UN_LANGUAGES = {
    "ar": Language.ARABIC,
    "zh-hans": Language.CHINESE,
    "en": Language.ENGLISH,
    "fr": Language.FRENCH,
    "ru": Language.RUSSIAN,
    "es": Language.SPANISH,
}
# Languages close to a UN language, or frequent in international consultations, that must not be forced into one.
DECOYS = (
    Language.PORTUGUESE,
    Language.ITALIAN,
    Language.CATALAN,
    Language.GERMAN,
    Language.DUTCH,
    Language.UKRAINIAN,
    Language.BULGARIAN,
    Language.SERBIAN,
    Language.POLISH,
    Language.PERSIAN,
    Language.URDU,
    Language.JAPANESE,
    Language.KOREAN,
    Language.TURKISH,
    Language.INDONESIAN,
    Language.SWAHILI,
    Language.HINDI,
)


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    # False for texts too short to judge: callers must not refuse a text on an unreliable "other".
    reliable: bool = True


class LanguageIdentifier:
    """Identify the language of texts among ``languages`` (Concord codes), or ``"other"``.

    Parameters
    ----------
    languages : sequence of str
        The accepted languages, e.g. ``["en", "fr"]``; default the six UN languages.
    min_confidence : float
        Below this confidence for the best accepted language, the text is ``"other"``.
    min_chars : int
        Texts with fewer letters than this are too short to judge (``reliable=False``): callers never refuse them.
    min_confident_chars : int
        From this many letters on, a best guess below ``min_confidence`` is reported as ``"other"``.
    min_foreign_chars : int
        Below this many letters, a text is never called foreign (a decoy language): it gets the best accepted one.
    preload : bool
        Load every language's models when fitted (a server, before it forks its workers). Off, lingua loads only
        the models a text's script calls for, when first needed: about 6 CPU seconds less for a batch run whose
        texts are all in Latin script.
    """

    def __init__(
        self,
        languages: Sequence[str] = tuple(UN_LANGUAGES),
        min_confidence: float = 0.5,
        min_chars: int = 12,
        min_confident_chars: int = 60,
        min_foreign_chars: int = 30,
        preload: bool = True,
    ):
        self.languages = languages
        self.min_confidence = min_confidence
        self.min_chars = min_chars
        self.min_confident_chars = min_confident_chars
        self.min_foreign_chars = min_foreign_chars
        self.preload = preload

    def fit(self, X=None, y=None) -> LanguageIdentifier:
        unknown = [code for code in self.languages if code not in UN_LANGUAGES]
        if unknown:
            raise ValueError(f"unsupported language codes: {unknown}")
        self.codes_ = {UN_LANGUAGES[code]: code for code in self.languages}
        builder = LanguageDetectorBuilder.from_languages(*self.codes_, *DECOYS)
        if self.preload:
            builder = builder.with_preloaded_language_models()
        self.detector_ = builder.build()
        return self

    def _check_fitted(self):
        if not hasattr(self, "detector_"):
            self.fit()

    def detect(self, text: str) -> Detection:
        self._check_fitted()
        letters = sum(ch.isalpha() for ch in text[:2000])
        if letters == 0:
            return Detection(OTHER, 0.0, reliable=False)
        reliable = letters >= self.min_chars
        values = self.detector_.compute_language_confidence_values(text[:5000])
        best = values[0]
        if letters < self.min_foreign_chars:
            # Names, dates and headings ("Agenda item 2", "Distr. general") look like any Latin-script language:
            # too short to call foreign, they get the most likely accepted language.
            best = next((v for v in values if v.language in self.codes_ and v.value > 0), best)
        code = self.codes_.get(best.language)
        confidence = round(best.value, 4)
        if code is None:
            return Detection(OTHER, confidence, reliable)
        # A heading or a date ("Executive Board", "11 mars 2015") spreads its confidence over related languages
        # even when the best guess is right: judge the confidence only on texts long enough to carry it.
        if best.value < self.min_confidence and letters >= self.min_confident_chars:
            return Detection(OTHER, confidence, reliable)
        return Detection(code, confidence, reliable)

    def predict(self, texts: Iterable[str]) -> list[str]:
        return [self.detect(text).lang for text in texts]

    def __getstate__(self):
        # lingua's detector is a native object: rebuild it after unpickling (Dask workers).
        state = self.__dict__.copy()
        state.pop("detector_", None)
        state.pop("codes_", None)
        return state
