"""Argument units: a text cut into sentences, and into clauses where a sentence sets two views against each other.

A stance is taken in a sentence, often in one half of it: "while others call for X, we believe Y" reports X in its
first clause and gives the speaker's view in the second. Units are the pieces the stance detector reads and the
evidence it shows, so each keeps its character offsets into the original text (``text[start:end] == unit.text``)
and nothing but white space falls between two units.

Six languages: Latin and Cyrillic sentence ends need a following space (so "e.g." and "10.5" stay whole); Chinese
"。！？；" and Arabic "؟ ؛" end a unit wherever they stand; Arabic "،" and Chinese "，" separate clauses like ",".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    index: int
    start: int
    end: int
    text: str


# A sentence ends at . ! ? or ; followed by space, or at a full-width or Arabic end mark wherever it stands; a bullet
# ("● Establish the service") starts a new one even where a PDF's extraction ran the list into one line.
_END = re.compile(
    r"(?:[.!?;…]+[\"'»”)\]]*(?=\s)|[。！？；؟؛]+[\"'»”」』）)]*|\n\s*\n|\n(?=\s*[-•*\d])|\s(?=[●•▪◦■]\s))"
)
# Abbreviations after which a full stop does not end a sentence (lower-cased, without the stop).
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "no",
        "nos",
        "art",
        "para",
        "paras",
        "cf",
        "vs",
        "st",
        "p",
        "pp",
        "vol",
        "fig",
        "approx",
        "mme",
        "mm",
        "m",
        "ст",
        "г",
        "гг",
        "др",
        "т.е",
        "т.д",
        "п",
        "sr",
        "sra",
        "dra",
        "núm",
    ]
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.?$")

# Clause breaks: a comma (Latin, Arabic or Chinese) or dash before a contrast marker. Markers are lower-case.
_CONTRAST = (
    "but|while|whereas|although|though|however|yet|instead|rather|"
    "mais|tandis que|alors que|cependant|toutefois|pourtant|néanmoins|en revanche|"
    "pero|mientras que|sin embargo|aunque|no obstante|"
    "но|однако|тогда как|в то время как|хотя|а|"
    "لكن|ولكن|لكنّ|بينما|غير أن|إلا أن|في حين|أما"
)
_CLAUSE = re.compile(rf"[,،—–]\s*(?=(?:{_CONTRAST})(?!\w))", re.IGNORECASE)
# Chinese contrast needs no space: "，但我们认为", "，而我们".
_CLAUSE_ZH = re.compile(r"[，,](?=(?:但是|但|然而|而|却|不过|可是))")
# A sentence that opens with a concessive or contrastive clause: the clause ends at its first comma.
_LEADING = re.compile(
    r"^\W*(?:while|whereas|although|though|even though|alors que|tandis que|bien que|si certains|si d'aucuns|"
    r"mientras que|mientras|aunque|si bien|в то время как|тогда как|хотя|пока одни|пока другие|пока некоторые|"
    r"пока многие|"
    r"unlike|contrairement à|a diferencia de|в отличие от|بينما|رغم أن|مع أن|في حين)(?!\w)"
    # Chinese has no spaces: the next character is a word character too ("尽管有代表呼吁...").
    r"|^\W*(?:虽然|尽管|虽)",
    re.IGNORECASE,
)
_FIRST_COMMA = re.compile(r"[,，،]")


def _spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans, stripped of white space."""
    spans = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _is_abbreviation(text: str, stop: int) -> bool:
    match = _WORD_BEFORE.search(text[max(0, stop - 12) : stop])
    if not match:
        return False
    word = match.group(1).lower()
    # A single letter ("J. Smith", "a.") or a known abbreviation; a number ends a sentence ("in 2010.").
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    sentence = text[start:end]
    cuts: list[int] = []
    if _LEADING.match(sentence):
        comma = _FIRST_COMMA.search(sentence)
        if comma and comma.end() < len(sentence):
            cuts.append(comma.end())
    for pattern in (_CLAUSE, _CLAUSE_ZH):
        cuts.extend(m.start() + 1 for m in pattern.finditer(sentence))
    bounds = [0, *sorted(set(cuts)), len(sentence)]
    pieces = [_strip(text, start + a, start + b) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [p for p in pieces if p[0] < p[1]]


def sentence_units(text: str) -> list[tuple[Unit, int]]:
    """Each unit with the index of its sentence: the detector reads a reported clause with its neighbours."""
    out: list[tuple[Unit, int]] = []
    for number, (start, end) in enumerate(_spans(text)):
        for a, b in _clauses(text, start, end):
            out.append((Unit(len(out), a, b, text[a:b]), number))
    return out


def split_units(text: str, lang: str | None = None) -> list[Unit]:
    """Sentences, and clauses where a sentence joins opposed clauses, in order, with offsets into ``text``.

    ``lang`` is accepted for callers that know it; the punctuation of all six languages is read in any text,
    since contributions mix scripts (an English letter quoting a Chinese title).
    """
    return [unit for unit, _ in sentence_units(text)]
