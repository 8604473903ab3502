"""How the units of one text read for stance: the side a clause's cues take, quotations, questions and answers, the
span a cue governs, and the text's stance on a position from its units' votes. Used by ``stance.StanceDetector``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import stance_cues
from .stance_cues import NEUTRAL, OPPOSE, SUPPORT
from .units import sentence_units


@dataclass
class Vote:
    """One unit's reading on one position."""

    unit: int
    stance: str
    relevance: float
    strength: float  # 1 strong cue, 0.5 necessity, 0.25 read from a neighbour, 0 a mention
    # A neutral reading the rules have a reason for: the clause reports what others said, notes, takes no position,
    # or is a formula. Any other neutral (a mention, a question, a cue about something else) is the rules' silence,
    # which ``stance.StanceDetector`` lets its reader break.
    told: bool = False


def reading_side(reading) -> str | None:
    """The side of a clause's first plain cue (a verb, or a denied necessity), whatever it is about."""
    for cue in reading.cues:
        if cue.strength >= 1 or cue.negated:
            return cue.polarity
    return None


def side_of(text: str) -> str | None:
    """The side a text's own cue words take, from its first unit that has one."""
    for unit, _ in sentence_units(text):
        side = reading_side(stance_cues.read(unit.text))
        if side is not None:
            return side
    return None


def speaker_neutral(reading) -> bool:
    """A neutral cue is the speaker's when no strong cue of its own goes with it ("we note that ... we support")."""
    return not any(c.strength >= 1 and not c.negated for c in reading.cues) or reading.reported or reading.notes_others


def leading_contrast(entry) -> bool:
    from .units import _LEADING

    return bool(_LEADING.match(entry[0].text))


# The speaker turning to their own view after others' ("Others call for a lottery; we believe the answer is better
# peer review", "Otros reclaman X; nosotros preferimos Y"): a clause that opens on an emphatic "we" / "I".
_SPEAKER_TURN = re.compile(
    r"^\W*(?:(?:and|but|et|mais|y|pero|а|но|而|但)\s*)?"
    r"(?:(?:we|i|nous|moi|je|nosotros|nosotras|yo|мы|я|نحن|أما نحن|أنا)\b|我们)",
    re.IGNORECASE,
)
# "We too", "nous aussi", "我们也": the speaker joins them.
_TOO = re.compile(r"\b(?:too|also|as well|aussi|également|también|тоже|также)\b|也|أيضا|أيضًا", re.IGNORECASE)


def speaker_turn(others: str, text: str) -> bool:
    """Whether ``text`` opens on the speaker's own emphatic subject, without joining them ("we too"), after a
    clause ``others`` that names other people as a group."""
    return bool(_SPEAKER_TURN.match(text)) and not _TOO.search(text) and stance_cues.names_others(others)


def opposite(polarity: str) -> str:
    return OPPOSE if polarity == SUPPORT else SUPPORT


_QUOTE = re.compile(r"[“«„「『]([^”»“」』]{30,}?)[”»“」』]|\"([^\"]{30,}?)\"")


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages of 30 characters or more (inside the marks)."""
    out = []
    for match in _QUOTE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        out.append((match.start(group), match.end(group)))
    return out


QUESTION = re.compile(r"[?？؟]\W*$")
ANSWER = re.compile(
    r"^\W*(yes|no|agree|disagree|oui|non|sí|да|нет|是的|不是|نعم|كلا)(?:[,.;:!，。،]|\s*$)", re.IGNORECASE
)
NO_WORDS = frozenset(["no", "disagree", "non", "нет", "不是", "كلا"])

_OBJECT_END = re.compile(
    r"[,;:，；：،؛]|\s(?:which|that would|that will|who|qui|lesquels|lequel|que|cual|cuales|который|которая|которое|"
    r"которые|الذي|التي|الذين)\s"
)


def target_span(text: str, cue) -> str:
    """The span a cue governs; a cue at the end of its clause ("X, we oppose.") governs what came before."""
    span = text[cue.end : cue.target_end].strip(" ,.;:，。；、")
    # The object ends where a relative or a new comma-clause begins: "the creation of any mechanism | that would
    # exclude ...", so the relative's own words do not pull the span away from the position.
    cut = _OBJECT_END.search(span)
    if cut and len(span[: cut.start()].split()) >= 3:
        span = span[: cut.start()]
    if len(span) < 6:
        span = text[: cue.start].strip(" ,.;:，。；、") or text
    return span


def aggregate(votes: list[Vote]) -> tuple[str, list[int], list[float]]:
    """The text's stance on one position from its units' votes; evidence best first; calibration features."""
    weight = {SUPPORT: 0.0, OPPOSE: 0.0}
    # A verb that takes a side outweighs any number of necessities ("cooperation should be anchored in ...").
    floor = 1.0 if any(v.strength >= 1 and v.stance in weight for v in votes) else 0.0
    for v in votes:
        if v.stance in weight and v.strength >= floor:
            weight[v.stance] += v.strength * v.relevance
    sided = [v for v in votes if v.stance in weight and v.strength > 0 and v.strength >= floor]
    if sided:
        stance = SUPPORT if weight[SUPPORT] >= weight[OPPOSE] else OPPOSE
        if weight[SUPPORT] == weight[OPPOSE]:
            # A tie goes to the strongest single unit, then the first.
            stance = max(sided, key=lambda v: (v.strength * v.relevance, -v.unit)).stance
        evidence = sorted((v for v in sided if v.stance == stance), key=lambda v: -v.strength * v.relevance)
    else:
        stance = NEUTRAL
        evidence = sorted(votes, key=lambda v: -v.relevance)
    top = evidence[0]
    total = weight[SUPPORT] + weight[OPPOSE]
    share = weight[stance] / total if stance in weight and total else 0.0
    feats = [top.relevance, top.strength, share, float(len(evidence) > 1), float(stance == NEUTRAL)]
    return stance, [v.unit for v in evidence[:3]], feats
