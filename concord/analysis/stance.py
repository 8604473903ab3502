"""Stance: does a text support, oppose or only mention each position of a codebook, and which units say so.

Two readings meet. The multilingual sentence encoder says which units are *about* a position: each unit, and the
span each stance cue governs ("we oppose | the creation of any intergovernmental mechanism"), against the
position's statements in every language given and its examples, so a French statement finds Chinese support.
The cue lexicons of ``stance_cues`` say *which side* the speaker takes: cue verbs with negation and its scope,
conditions (which keep the side: "we would support X provided that" supports X), reported speech (a proposal that
"others" made is not the speaker's), and a reported clause read with its neighbour: "while others call for X, we
believe Y" opposes X, "some proposed X; we take no position" is neutral, "others proposed X, and we agree"
supports it.

The score is a probability: a logistic regression over a few features of the deciding evidence (how close, how
strong the cue, how many units agree), fitted at ``fit`` on the labelled calibration rows shipped with the library
(``stance_calibration.jsonl``, the training part of Concord's labelled set; the held-out part is never read here).
Confirmed examples, when a position has them, add a nearest-example vote on the same encoder.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from . import stance_cues, stance_reader
from .stance_cues import NEUTRAL, OPPOSE, SUPPORT
from .stance_text import (
    ANSWER,
    NO_WORDS,
    QUESTION,
    Vote,
    aggregate,
    leading_contrast,
    opposite,
    quotations,
    reading_side,
    side_of,
    speaker_neutral,
    speaker_turn,
    target_span,
)
from .units import Unit, sentence_units

STANCES = (SUPPORT, OPPOSE, NEUTRAL)
CALIBRATION = Path(__file__).with_name("stance_calibration.jsonl")
_CALIBRATORS: dict[tuple, object] = {}


@dataclass
class Position:
    slug: str
    statements: dict[str, str]
    examples: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class StanceResult:
    slug: str
    stance: str
    score: float
    evidence: list[Unit]


def positions_from_codebook(data) -> list[Position]:
    """Positions from a codebook in the command's JSON shape; ``ValueError`` says what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("positions"), list) or not data["positions"]:
        raise ValueError('a codebook is an object with a non-empty list "positions"')
    positions = []
    for number, item in enumerate(data["positions"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str) or not item["slug"]:
            raise ValueError(f'position {number}: needs a "slug"')
        statement = item.get("statement")
        if isinstance(statement, str):
            statement = {"und": statement}
        if (
            not isinstance(statement, dict)
            or not statement
            or not all(isinstance(v, str) and v.strip() for v in statement.values())
        ):
            raise ValueError(f'position {item["slug"]!r}: "statement" must map languages to non-empty texts')
        examples = []
        for example in item.get("examples") or []:
            if not isinstance(example, dict) or example.get("stance") not in STANCES:
                raise ValueError(f'position {item["slug"]!r}: each example needs "text" and a "stance" in {STANCES}')
            if not isinstance(example.get("text"), str):
                raise ValueError(f'position {item["slug"]!r}: each example needs "text"')
            examples.append((example["text"], example["stance"]))
        positions.append(Position(item["slug"], dict(statement), examples))
    slugs = [p.slug for p in positions]
    if len(set(slugs)) != len(slugs):
        raise ValueError("position slugs must be unique")
    return positions


_BACKGROUND: dict[str, np.ndarray] = {}


def _background_vectors(embed) -> np.ndarray:
    """The WSIS issue definitions, embedded once per process and embedder."""
    key = repr(embed)
    if key not in _BACKGROUND:
        from .taxonomy import read_taxonomy

        texts = [text for issue in read_taxonomy() for text in issue["definitions"].values()]
        _BACKGROUND[key] = embed.encode(texts)
    return _BACKGROUND[key]


# Where a statement's subject ends, in the languages that put it first: "A new intergovernmental body or platform |
# should be created within the United Nations system to ...".
_PREDICATE = re.compile(
    r"\s(?:should|must|would|is|are|needs?|devrai(?:en)?t|doi(?:ven)?t|est|sont|deber[íi]a(?:n)?|debe(?:n)?|es|son|"
    r"должн[аоы]?|следует|является|являются)\s",
    re.IGNORECASE,
)


# A statement with one of these proposes something; without, it assesses how things are.
_MODAL = re.compile(
    r"(?<!\w)(?:should|must|ought|need to|needs to|devrai(?:en)?t|doi(?:ven)?t|faut|deber[íi]a(?:n)?|debe(?:n)?|"
    r"должн[аоы]?|следует|необходимо)(?!\w)|应当|应该|应|必须|ينبغي|يجب",
    re.IGNORECASE,
)
# Cue words that agree with what is said rather than propose something.
_AGREEMENT = re.compile(
    r"support|supports|agree with|endorse|endorses|soutenons|soutient|partageons|souscrivons|apoyamos|apoya|"
    r"compartimos|respaldamos|поддерживаем|поддерживает|разделяем|согласны|支持|赞同|赞成|同意|认同|نؤيد|يؤيد|تؤيد|"
    r"ندعم|يدعم|تدعم|نتفق|نوافق"
)


_ANAPHOR = re.compile(
    r"(?<!\w)(?:it|this|that|them|these|those|such|y|le|la|les|l'|cela|ceci|cette|ello|eso|esto|lo|los|las|ellos|"
    r"esta|это|этим|этого|этому|её|ее|его|их|этой|такой|такое)(?!\w)|此|这|该|其|那|ذلك|هذا|هذه|\w{2,}ها(?!\w)",
    re.IGNORECASE,
)


# "The proposal", named as such: what the consultation asks about, whatever the text calls it.
_GENERIC = re.compile(
    r"(?<!\w)(?:the proposal|this proposal|the proposed|the draft|this idea|the measure|this measure|the bill|"
    r"la proposition|cette proposition|la mesure|cette mesure|le projet|cette idée|envisagée|envisagé|"
    r"la propuesta|esta propuesta|la medida|esta medida|el proyecto|el anteproyecto|"
    r"предложение|предложения|предложению|эту меру|эта мера|законопроект|проект)(?!\w)"
    r"|该提案|这一提案|这项提案|该建议|这项建议|这一建议|该措施|这项措施|这一措施|该方案|这个方案|草案"
    r"|المقترح|الاقتراح|هذا الإجراء|مشروع القانون",
    re.IGNORECASE,
)
# Changing what exists: reform, replace, revise ... in the six languages.
_CHANGE = re.compile(
    r"(?<!\w)(?:chang|reform|overhaul|replac|revis|rework|redesign|rethink|modif|réform|remplac|refond|revoir|"
    r"cambi|sustitu|reemplaz|измен|поменя|реформ|пересмотр|замен)\w*|改革|改变|修改|改动|更换|取代|"
    r"(?<![\u0600-\u06ff])[وبلف]{0,2}(?:تغيير|إصلاح|تعديل|استبدال)",
    re.IGNORECASE,
)


def _shortfall(statement: str) -> bool:
    """Whether a statement says that something falls short: a judgement of insufficiency, or a negation."""
    reading = stance_cues.read(statement)
    return any(c.kind == "status" and c.polarity == SUPPORT for c in reading.cues) or bool(
        stance_cues.NEGATION_RE.search(statement)
    )


def _subjects(statements: dict[str, str]) -> list[str]:
    """The subject of each long statement (14 words or more) when it has at least three words: a long predicate
    ("... within the United Nations system to deal with international public-policy issues") dilutes a short
    clause's closeness to what the statement is about. Two-word subjects ("Enhanced cooperation") would match the
    whole consultation."""
    out = []
    for text in statements.values():
        match = _PREDICATE.search(text)
        if match and len(text[: match.start()].split()) >= 3 and len(text.split()) >= 14:
            out.append(text[: match.start()])
    return out


def _embedder(embedder):
    if embedder is not None:
        return embedder
    from .embed import shared_embedder

    return shared_embedder()


class StanceDetector(BaseEstimator):
    """Stance of texts towards the positions of a codebook (``fit(positions)``, then ``predict(texts)``).

    Parameters
    ----------
    relevance : cosine from which a unit (or the span a cue governs) is about a position.
    sided_relevance, length_penalty : cosine a unit (or span) needs before its cue takes a side on a position, in a
        text of one unit; it rises by ``length_penalty`` times the log of the number of units, since a long letter has
        more chances to pass near a position by accident (at 0.2-0.35, every position of a small codebook).
        Below it the unit only mentions the position.
    text_margin : a unit takes a side on a position only within this cosine of the text's unit closest to it: in a
        long letter, the sentences that merely pass near a position do not speak for the letter on it.
    weak_relevance : cosine a whole unit needs before a necessity ("should", "必须") counts as taking a side.
    margin : a unit counts for a position only within this cosine of its closest position, so a sentence on a
        working group does not also vote on a new body when both are in the codebook.
    embedder : ``embed.Embedder``; the process's shared one when ``None`` (dropped when pickled, as it is lazy).
    calibrate : fit the score's logistic regression on the shipped calibration rows.
    reader, reader_threshold, reader_units : where the rules find a position and take no side without a reason
        (a mention, a question, a cue about something else; not a report of others, noting, a formula or a design
        wish: ``Vote.told``), in a text of at most ``reader_units`` units, let the shipped reader
        (``stance_reader``) decide the side when its probability for support or opposition reaches the threshold:
        0.5, the side more likely than not. In a long letter a position the rules find without a side is most often
        mentioned in passing: read there, the reader gave sides to mentions. Chosen on training sets the reader was
        not trained on (macro F1, the reader trained on the others), the real letters' dev part and the demo: with
        the reader of USE vectors alone, 0.65 and 3 units read 0.336 / 0.342 / 0.568 (``stance_train4/5/6``), 0.423
        and 0.625; 0.5 and 4 units 0.406 / 0.413 / 0.604, 0.412 and 0.625; 5 units gave sides to the demo's passing
        mentions (0.559). With n-grams and the told rule (``docs/positions.md``), 4 units against 6: mean over
        ``stance_train1-8`` 0.621 against 0.628, real letters' dev 0.407 against 0.399, the demo 0.652 against
        0.562 (30 of 42 sides wrong): 4 kept.
    """

    def __init__(
        self,
        relevance: float = 0.2,
        sided_relevance: float = 0.2,
        length_penalty: float = 0.01,
        text_margin: float = 0.1,
        weak_relevance: float = 0.4,
        margin: float = 0.05,
        background: bool = True,
        background_margin: float = 0.0,
        background_overlap: float = 0.35,
        example_similarity: float = 0.85,
        embedder=None,
        calibrate: bool = True,
        reader: bool = True,
        reader_threshold: float = 0.5,
        reader_units: int = 4,
        random_state: int = 0,
    ):
        self.relevance = relevance
        self.sided_relevance = sided_relevance
        self.length_penalty = length_penalty
        self.text_margin = text_margin
        self.weak_relevance = weak_relevance
        self.margin = margin
        self.background = background
        self.background_margin = background_margin
        self.background_overlap = background_overlap
        self.example_similarity = example_similarity
        self.embedder = embedder
        self.calibrate = calibrate
        self.reader = reader
        self.reader_threshold = reader_threshold
        self.reader_units = reader_units
        self.random_state = random_state

    # -- learning ---------------------------------------------------------------------------------------------

    def fit(self, positions: Sequence[Position]) -> StanceDetector:
        positions = list(positions)
        if not positions:
            raise ValueError("a codebook needs at least one position")
        for position in positions:
            if not position.statements:
                raise ValueError(f"position {position.slug!r} has no statement")
        self.slugs_ = [p.slug for p in positions]
        # An assessment ("cooperation is already under way") is agreed with, not proposed: see ``_vote``.
        self.assessments_ = [not any(_MODAL.search(t) for t in p.statements.values()) for p in positions]
        # An assessment that the status quo falls short ("spam is not adequately addressed") agrees with a clause
        # judging what exists insufficient; one that it suffices, with a clause judging it sufficient.
        # By the statements' majority: "надлежащим образом не допускают" (adequately prevents) has a negation in it,
        # and one language's reading must not turn the position over in all six.
        self.shortfall_ = [2 * sum(map(_shortfall, p.statements.values())) > len(p.statements) for p in positions]
        embed = _embedder(self.embedder)
        # Each position is described by its statements and every example (they all address it).
        self.anchors_ = [
            embed.encode([*p.statements.values(), *_subjects(p.statements), *(text for text, _ in p.examples)])
            for p in positions
        ]
        # Confirmed examples: their vectors, labels and the side their own cue words take (see ``_example_vote``).
        self.examples_ = [
            (
                embed.encode([t for t, _ in p.examples]),
                [label for _, label in p.examples],
                [side_of(t) for t, _ in p.examples],
            )
            for p in positions
        ]
        self.background_ = self._background(embed) if self.background else None
        self.reader_ = stance_reader.load() if self.reader else None
        self.calibrator_ = None
        if self.calibrate:
            # The calibration rows do not depend on the codebook: one fit per process and parameters.
            key = tuple(sorted((k, repr(v)) for k, v in self.get_params().items()))
            if key not in _CALIBRATORS:
                _CALIBRATORS[key] = self._fit_calibrator()
            self.calibrator_ = _CALIBRATORS[key]
        return self

    def _background(self, embed) -> np.ndarray | None:
        """The WSIS issue definitions in six languages that no position of the codebook is close to.

        With one position in a codebook, nothing else competes for a unit, and in a consultation every policy
        sentence sits within cosine 0.3-0.5 of every policy statement. The definitions stand for "about something
        else": a unit counts for a position only where it is not clearly closer to one of them. A definition near
        one of the positions (a position on net neutrality and the net-neutrality issue) is left out.
        """
        vectors = _background_vectors(embed)
        anchors = np.vstack(self.anchors_)
        keep = (vectors @ anchors.T).max(axis=1) < self.background_overlap
        return vectors[keep] if keep.any() else None

    def _fit_calibrator(self):
        """Logistic regression: evidence features -> was the decided stance right, on the calibration rows."""
        from sklearn.linear_model import LogisticRegression

        rows = [json.loads(line) for line in CALIBRATION.read_text(encoding="utf-8").splitlines() if line.strip()]
        if not rows:
            return None
        # The calibration rows are scored by an uncalibrated copy of this detector, one position at a time.
        features, right = [], []
        by_statement: dict[str, list[dict]] = {}
        for row in rows:
            by_statement.setdefault(row["statement"], []).append(row)
        plain = self._uncalibrated_copy()
        for statement, group in by_statement.items():
            plain.fit([Position("p", {"en": statement})])
            decided = plain._decide([r["text"] for r in group], None)
            for row, (_, found, _) in zip(group, decided, strict=True):
                if not found:
                    continue
                stance, _, feats, _ = found["p"]
                features.append(feats)
                right.append(int(stance == row["stance"]))
        if len(set(right)) < 2:
            return None
        return LogisticRegression(C=1.0, random_state=self.random_state).fit(np.array(features), np.array(right))

    def _uncalibrated_copy(self) -> StanceDetector:
        params = self.get_params()
        params["calibrate"] = False
        params["reader"] = False
        return StanceDetector(**params)

    # -- prediction -------------------------------------------------------------------------------------------

    def predict(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[list[StanceResult]]:
        """One list per text, in codebook order; positions a text does not address are left out."""
        out = []
        index = {slug: p for p, slug in enumerate(self.slugs_)}
        for text, (units, decided, vectors) in zip(texts, self._decide(texts, langs), strict=True):
            results = []
            grams = None  # the text's n-gram scores, once, for every position the reader reads it on
            for slug, (stance, evidence, feats, plain) in decided.items():
                asked = plain and self.reader_ is not None and len(units) <= self.reader_units
                if asked and grams is None and self.reader_.ngram_coef is not None:
                    grams = self.reader_.ngram_scores([text])
                read = self._read(vectors, evidence[0], index[slug], grams) if asked else None
                if read is not None:
                    results.append(StanceResult(slug, read[0], read[1], [units[evidence[0]][0]]))
                    continue
                score = self._score(feats)
                results.append(StanceResult(slug, stance, score, [units[i][0] for i in evidence]))
            out.append(results)
        return out

    def _read(self, vectors: np.ndarray, unit: int, p: int, grams: np.ndarray | None) -> tuple[str, float] | None:
        """The reader's side where the rules took none (``vectors``: the text's units'; ``unit``: the evidence;
        ``grams``: the text's n-gram scores), when it is sure enough; ``None`` leaves it neutral."""
        reader = self.reader_
        features = stance_reader.features(vectors[unit], stance_reader.text_vector(vectors))
        proba = reader.proba(features, ngram_scores=grams)[0]
        best = int(np.argmax(proba))
        side = reader.classes[best]
        if side == NEUTRAL or proba[best] < self.reader_threshold:
            return None
        # The reader says for or against what the text discusses: for an assessment that something falls short,
        # being against what exists is agreeing with the assessment.
        if self.assessments_[p] and self.shortfall_[p]:
            side = opposite(side)
        return side, round(float(proba[best]), 4)

    def _score(self, feats: list[float]) -> float:
        if self.calibrator_ is None:
            # Uncalibrated: the evidence's strength, squashed into (0.5, 1).
            return float(round(0.5 + 0.5 * np.tanh(feats[0] + feats[1]), 4))
        # The logistic function by hand: sklearn's predict_proba validates its input at every call, which cost
        # more than the rest of the scoring together.
        z = float(np.dot(self.calibrator_.coef_[0], feats) + self.calibrator_.intercept_[0])
        return round(1.0 / (1.0 + np.exp(-z)), 4)

    def _decide(self, texts: Sequence[str], langs) -> list[tuple[list, dict, np.ndarray]]:
        """Per text, its units, ``{slug: (stance, evidence unit indices, features, plain)}`` for the positions it
        addresses (``plain``: a mention where no unit had any cue, see ``_read``) and its units' vectors."""
        parsed = [sentence_units(t) for t in texts]
        readings = [[stance_cues.read(u.text) for u, _ in units] for units in parsed]
        for text, units, reads in zip(texts, parsed, readings, strict=True):
            for k in range(len(units) - 1):
                # The next clause of the sentence, or what follows a semicolon (a sentence of its own here).
                if units[k + 1][1] == units[k][1] or units[k][0].text.endswith((";", "；", "؛", ":", "：")):
                    following = units[k + 1][0].text
                    reads[k] = stance_cues.unmet_in_next(reads[k], units[k][0].text, following, reads[k + 1])
                    reads[k] = stance_cues.doubt_of_alternative(reads[k], reads[k + 1])
            # A unit inside a long quotation, or whose every cue is quoted, gives someone else's words ("My colleague
            # says “... it should not be used lightly.”"): reported, and its "we" is not the writer's.
            quotes = quotations(text)
            for k, (unit, _) in enumerate(units):
                inside = [any(a <= unit.start + c.start < b for a, b in quotes) for c in reads[k].cues]
                whole = any(unit.start >= a and unit.end <= b + 1 for a, b in quotes)
                if whole or (inside and all(inside)):
                    reads[k] = dataclasses.replace(reads[k], reported=True, first_person=False)
        # Everything to embed in one batch: each unit, then the span each cue governs unless that span is most
        # of the unit (the unit's own vector stands for it: a third fewer texts to embed).
        strings: list[str] = []
        where: list[list[tuple[int, list[int]]]] = []
        for units, reads in zip(parsed, readings, strict=True):
            places = []
            for (unit, _), reading in zip(units, reads, strict=True):
                own = len(strings)
                strings.append(unit.text)
                targets = []
                for cue in reading.cues:
                    span = target_span(unit.text, cue)
                    if len(span) >= 0.8 * len(unit.text):
                        targets.append(own)
                    else:
                        targets.append(len(strings))
                        strings.append(span)
                # What the speaker sets aside for something else, to see whether it is the position.
                alternative = None
                if reading.alternative is not None:
                    alternative = len(strings)
                    strings.append(unit.text[slice(*reading.alternative)])
                places.append((own, targets, alternative))
            where.append(places)
        vectors = _embedder(self.embedder).encode(strings) if strings else np.zeros((0, 1))
        # Cosine of every string with each position: the best over its statements and examples.
        relevance = np.stack([(vectors @ anchors.T).max(axis=1) for anchors in self.anchors_], axis=1)
        if self.background_ is not None:
            # A string clearly closer to something else than to a position is not about that position.
            background = (vectors @ self.background_.T).max(axis=1, keepdims=True)
            relevance = np.where(relevance >= background - self.background_margin, relevance, -1.0)
        decided = []
        for units, reads, places in zip(parsed, readings, where, strict=True):
            unit_rel = [relevance[own] for own, _, _ in places]
            cue_rel = [relevance[targets] for _, targets, _ in places]
            alternative_rel = [None if alt is None else relevance[alt] for _, _, alt in places]
            confirmed = [self._confirmed(vectors[own]) for own, _, _ in places]
            decided.append(
                (
                    units,
                    self._decide_text(units, reads, unit_rel, cue_rel, confirmed, alternative_rel),
                    vectors[[own for own, _, _ in places]],
                )
            )
        return decided

    def _confirmed(self, vector: np.ndarray) -> dict[int, tuple[str, str | None, float]]:
        """Per position, the confirmed example this unit nearly repeats: (its label, its cue side, cosine)."""
        hits = {}
        for p, (vectors, labels, sides) in enumerate(self.examples_):
            if not len(labels):
                continue
            similarity = vectors @ vector
            best = int(np.argmax(similarity))
            if similarity[best] >= self.example_similarity:
                hits[p] = (labels[best], sides[best], float(similarity[best]))
        return hits

    def _decide_text(self, units, reads, unit_rel, cue_rel, confirmed, alternative_rel) -> dict:
        # A clause that continues its sentence ("..., but we think its mandate should not be renewed") or follows
        # a semicolon often names its subject by a pronoun: it is about what the clause before it was about.
        unit_rel, cue_rel = list(unit_rel), list(cue_rel)
        for i in range(1, len(units)):
            previous = units[i - 1][0].text
            if units[i][1] == units[i - 1][1] or previous.endswith((";", "；", "؛")):
                unit_rel[i] = np.maximum(unit_rel[i], unit_rel[i - 1] - 0.05)
        for i in range(1, len(units)):
            # A short sentence that takes a side on "it" ("L'Alliance s'y oppose.", "We agree with them.") takes it
            # on what the sentence before was about.
            text = units[i][0].text
            short = len(text.split()) <= 10 or len(text) <= 30
            # "我不赞成。", "No la apoyamos.": a very short side-taking sentence has no object of its own either.
            bare = len(text.split()) <= 4 if not stance_cues.CJK.search(text) else len(text) <= 8
            if reads[i].cues and ((_ANAPHOR.search(text) and short) or bare):
                # The sentence before at its closest: its own vector, or a span one of its cues governs.
                before = np.max(np.reshape(cue_rel[i - 1], (-1, len(self.slugs_))), axis=0, initial=-1.0)
                unit_rel[i] = np.maximum(unit_rel[i], np.maximum(unit_rel[i - 1], before) - 0.05)
                # What its cue governs ("it.") is about nothing on its own: it stands for the same thing.
                cue_rel[i] = np.maximum(np.reshape(cue_rel[i], (-1, len(self.slugs_))), unit_rel[i])
        if len(units) > 1:
            # "... The Union cannot support the proposal.", "Nous sommes défavorables à l'interdiction envisagée":
            # a side taken on "the proposal" is taken on what the text is about, at the text's closest elsewhere.
            for i in range(len(units)):
                text = units[i][0].text
                if _GENERIC.search(text) and any(c.strength >= 1 or c.negated for c in reads[i].cues):
                    others = [unit_rel[k] for k in range(len(units)) if k != i]
                    unit_rel[i] = np.maximum(unit_rel[i], np.max(others, axis=0) - 0.05)
                    cue_rel[i] = np.maximum(np.reshape(cue_rel[i], (-1, len(self.slugs_))), unit_rel[i])
        for i in range(len(units) - 1):
            # "A global fund? Money for offices, not for us. I do not support it.": a short question that names a
            # topic is what the one or two sentences after it take a side on.
            text = units[i][0].text
            if QUESTION.search(text) and (len(text) <= 25 if stance_cues.CJK.search(text) else len(text.split()) <= 8):
                for j in range(i + 1, min(i + 3, len(units))):
                    # The writer's own answer ("I do not support it", "لا أؤيده"), not what a document invites.
                    own = reads[j].first_person or len(units[j][0].text.split()) <= 4
                    if reads[j].cues and own:
                        unit_rel[j] = np.maximum(unit_rel[j], unit_rel[i] - 0.05 * (j - i))
        reads = list(reads)
        for i in range(1, len(units)):
            # "Do you agree with this recommendation? Yes, ..." : an answer takes a side on what the question asked.
            if QUESTION.search(units[i - 1][0].text) and (answer := ANSWER.match(units[i][0].text)):
                unit_rel[i] = np.maximum(unit_rel[i], unit_rel[i - 1] - 0.05)
                side = OPPOSE if answer.group(1).lower() in NO_WORDS else SUPPORT
                text = units[i][0].text
                cue = stance_cues.Cue(side, 1.0, answer.start(1), answer.end(1), len(text), side == OPPOSE)
                reads[i] = dataclasses.replace(reads[i], cues=(cue, *reads[i].cues))
                cue_rel[i] = np.vstack([unit_rel[i][None, :], np.reshape(cue_rel[i], (-1, len(self.slugs_)))])
        # Per position, the closest any unit (or span) of the text comes to it.
        self._text_best = (
            np.max(
                [
                    np.maximum(
                        unit_rel[i], np.max(np.reshape(cue_rel[i], (-1, len(self.slugs_))), axis=0, initial=-1.0)
                    )
                    for i in range(len(units))
                    # A question takes no side, so it sets no bar for the units that answer it.
                    if not QUESTION.search(units[i][0].text)
                ]
                or [np.full(len(self.slugs_), -1.0)],
                axis=0,
            )
            if units
            else None
        )
        self._sided_floor = self.sided_relevance + self.length_penalty * float(np.log(max(1, len(units))))
        votes: dict[int, list[Vote]] = {}
        for i in range(len(reads)):
            # The unit's closest position, by the unit or by any span in it: the others count within the margin.
            best = max(unit_rel[i].max(), cue_rel[i].max() if len(reads[i].cues) else -1.0)
            for p in range(len(self.slugs_)):
                vote = (
                    self._example_vote(i, p, reads, confirmed)
                    or self._alternative_vote(i, p, units, reads, unit_rel, cue_rel, alternative_rel, best)
                    or self._vote(i, p, units, reads, unit_rel, cue_rel, best)
                )
                if vote is not None:
                    votes.setdefault(p, []).append(vote)
        decided = {}
        for p, found in votes.items():
            stance, evidence, feats = aggregate(found)
            plain = stance == NEUTRAL and not any(v.told for v in found)
            decided[self.slugs_[p]] = (stance, evidence, feats, plain)
        return decided

    def _example_vote(self, i, p, reads, confirmed) -> Vote | None:
        """A unit that nearly repeats a confirmed example (a translation, a campaign's sentence) takes its label,
        unless the cue words disagree: the encoder barely tells "we support X" from "we do not support X", the
        lexicons do."""
        hit = confirmed[i].get(p)
        if hit is None:
            return None
        label, side, similarity = hit
        own = reading_side(reads[i])
        if own is not None and side is not None and own != side:
            return None
        # A neutral the secretariat confirmed is a reading, not a silence.
        sided = label in (SUPPORT, OPPOSE)
        return Vote(i, label, similarity, 1.0 if sided else 0.0, told=not sided)

    def _alternative_vote(self, i, p, units, reads, unit_rel, cue_rel, alternative_rel, best) -> Vote | None:
        """A clause that sets the position aside for something else opposes it, whatever its cue says about the
        other thing: "instead of X, the council should repair the hall", "与其X，不如Y". The position must be what
        the set-aside words are about (their closest, and closer to them than to what any cue of the clause
        governs) and one the clause itself is about: "make museums free rather than raise prices" is no vote on
        fees."""
        reading, rels = reads[i], alternative_rel[i]
        if rels is None or reading.reported or reading.hearsay or QUESTION.search(units[i][0].text):
            return None
        rel = self._counts(float(rels[p]), float(rels.max()))
        if rel is None or self._counts(float(unit_rel[i][p]), best) is None:
            return None
        if rel < max(self._sided_floor, float(self._text_best[p]) - self.text_margin):
            return None
        if any(float(cue_rels[p]) >= rel for cue_rels in np.reshape(cue_rel[i], (-1, len(self.slugs_)))):
            return None
        # Setting aside what exists ("instead of the current patchwork, ...") agrees that it falls short.
        side = SUPPORT if self.assessments_[p] and self.shortfall_[p] else OPPOSE
        return Vote(i, side, rel, 1.0)

    def _counts(self, rel: float, best: float) -> float | None:
        """A string's closeness to a position where it counts: above ``relevance`` and within ``margin`` of the
        unit's closest position."""
        return rel if rel >= self.relevance and rel >= best - self.margin else None

    def _vote(self, i, p, units, reads, unit_rel, cue_rel, best) -> Vote | None:
        reading = reads[i]
        unit_counts = self._counts(float(unit_rel[i][p]), best)
        if QUESTION.search(units[i][0].text) and reading.rhetorical:
            # "Who could object to ...?", "Do we really need ...?": the answer is given with the question, about
            # the question or what its verb governs.
            spans = [self._counts(float(rels[p]), best) for rels in cue_rel[i]] if reading.cues else []
            rel = max((r for r in (unit_counts, *spans) if r is not None), default=None)
            if rel is not None:
                return Vote(i, reading.rhetorical, rel, 1.0)
        if QUESTION.search(units[i][0].text) or reading.hypothetical:
            # A question asks; it takes no side, even with a cue in it ("Do you agree with this recommendation?"); a
            # condition on the thing itself ("if an NSDS is created, it should ...") speaks of its design only,
            # a reading the reader must not overrule. Whether a question is asked is the reader's to say: read by a
            # reader trained on the other sets, rhetorical questions the lexicons missed gained a side in 57 of 198
            # training texts, asked questions lost their neutral in 6 of 205.
            told = reading.hypothetical
            return Vote(i, NEUTRAL, unit_counts, 0.0, told=told) if unit_counts is not None else None
        # What others require is their side ("some governments require data to stay in the country").
        reported = reading.reported and not reading.first_person
        # The cue whose governed span is closest to the position decides the unit's side.
        chosen, rel_cue = None, -1.0
        proposes = False  # a proposal set aside on an assessment: the rules' neutral is then a reading
        for cue, rels in zip(reading.cues, cue_rel[i], strict=True):
            # "We propose X" or "X should be done" takes no side on whether something is so; "we agree" does.
            word = units[i][0].text[cue.start : cue.end].lower().lstrip("وف")
            if (
                self.assessments_[p]
                and cue.kind != "status"
                and _CHANGE.search(units[i][0].text, cue.end, cue.target_end)
            ):
                # "There is no reason to change the current procedures", "现行机制必须改革": whether what exists
                # must change is a judgement of it (a necessity of change says it falls short).
                cue = dataclasses.replace(cue, kind="status")
            if self.assessments_[p] and cue.kind == "status":
                if not self.shortfall_[p]:
                    cue = dataclasses.replace(cue, polarity=opposite(cue.polarity))
            elif (
                self.assessments_[p] and not cue.negated and cue.polarity == SUPPORT and not _AGREEMENT.fullmatch(word)
            ):
                proposes = True
                continue
            if cue.strength >= 1 or cue.negated:
                # A verb, or a denied necessity ("no need for X"), takes a side on what it governs, or failing
                # that on what its clause is about.
                found = [r for r in (self._counts(float(rels[p]), best), unit_counts) if r is not None]
                rel = max(found) if found else None
            else:
                # A necessity or a request counts where the whole clause, or what it asks for ("it is time to |
                # reinstate the work requirement"), is close to the position.
                near = max(
                    (r for r in (unit_counts, self._counts(float(rels[p]), best)) if r is not None), default=None
                )
                close = near is not None and (reported or near >= self.weak_relevance)
                rel = near if close else None
            floor = max(self._sided_floor, float(self._text_best[p]) - self.text_margin)
            if rel is not None and rel >= floor and rel > rel_cue:
                chosen, rel_cue = cue, rel
        if chosen is not None:
            # A denied necessity ("should not be created", "no need for") is as plain as a verb.
            # A doubt ("we do not think national laws suffice") may be about the alternative: no stronger than a
            # necessity after it ("; a convention is needed").
            strength = max(1.0, chosen.strength) if chosen.negated and chosen.kind != "doubt" else chosen.strength
            if reading.neutral and not chosen.negated and chosen.strength < 1:
                return Vote(i, NEUTRAL, rel_cue, 0.0, told=True)
            speaker = (reading.first_person or not reading.reported) and not reading.hearsay
            if speaker:
                if reading.neutral and speaker_neutral(reading):
                    return Vote(i, NEUTRAL, rel_cue, 0.0, told=True)
                return Vote(i, chosen.polarity, rel_cue, strength)
            return self._reported(i, chosen.polarity, rel_cue, units, reads)
        if unit_counts is not None:
            # Told where something in the clause says it reports or notes ("We note that several governments
            # called for ...", "we propose a framework" on an assessment, "souhaite appeler l'attention sur"): there
            # the rules' neutral is a reading, not a silence, and the reader must not overrule it. A cue about
            # something else ("we should act") leaves the clause open to the reader.
            told = proposes or reading.formula or reading.reported or reading.neutral or reading.hearsay
            return Vote(i, NEUTRAL, unit_counts, 0.0, told=told)
        return None

    def _reported(self, i, polarity, rel, units, reads) -> Vote:
        """A side others took, read with the speaker's clause beside it (same sentence, or the next unit)."""
        sentence = units[i][1]
        neighbours = [j for j in range(len(units)) if j != i and units[j][1] == sentence]
        if i + 1 < len(units) and i + 1 not in neighbours:
            neighbours.append(i + 1)
        for j in neighbours:
            other = reads[j]
            if not (other.first_person or not other.reported):
                continue
            # Disagreeing outranks noting: "nous constatons au contraire que ...".
            if other.disagree:
                return Vote(i, opposite(polarity), rel, 0.5)
            if other.agree:
                return Vote(i, polarity, rel, 0.5)
            if other.neutral and speaker_neutral(other):
                return Vote(i, NEUTRAL, rel, 0.0, told=True)
            # "While others call for X, we believe Y": the speaker's contrasting clause sets them apart.
            # "While some MPs call for X, the Chamber of Fintech believes Y": after a leading "while", the main
            # clause is the writer's, whatever name the writer gives itself.
            main_clause = j > i and units[j][1] == sentence and leading_contrast(units[i])
            contrast = (
                other.contrast_start
                or other.own_part
                or main_clause
                # "Others call for a lottery; we believe the answer is better peer review."
                or (j > i and speaker_turn(units[i][0].text, units[j][0].text))
            )
            # As strong as a verb: the speaker's clause often supports something else ("..., we support the free
            # flow of data"), which must not outweigh what the contrast says about X. "For its part" names the
            # speaker as plainly as "we".
            if contrast and (other.first_person or other.own_part or main_clause):
                return Vote(i, opposite(polarity), rel, 1.0)
        return Vote(i, NEUTRAL, rel, 0.0, told=True)
