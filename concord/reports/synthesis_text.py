"""The report's wording of figures, groups, agreement and quotes, in the active language.

Numbers, percentages and lists follow the language's rules (``concord.core.formats``, CLDR); counts of
contributions go through ``ngettext`` ("1 contribution", "2 contributions"); every quote is isolated for direction
(U+2068 ... U+2069) and marked with its language when it is not the report's.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from concord.analysis.agreement import BETWEEN, ONE_GROUP, OPPOSE, SHARED, SUPPORT, TOO_FEW, WITHIN, Agreement
from concord.core import formats
from concord.core.formats import isolate

# A second quote on the supporting side, from another group.
ALSO_SUPPORT = "also-support"
# The longest quote printed whole; a longer evidence sentence is cut at a word and ends with " …".
QUOTE_CHARS = 320
ELLIPSIS = " …"
# With this many contributions taking a side or fewer, no group can lean (docs/positions.md): the paragraph's counts
# say enough, and "agreement cannot be measured" would only repeat them.
SIDES_TOO_FEW = 3
# A name this long or shorter is kept on one line when its direction is not the report's: about two thirds of a
# line of the Arabic PDF, so the line before it is not stretched too far.
UNBROKEN_CHARS = 64


def lang() -> str:
    return translation.get_language() or "en"


def gap() -> str:
    """What separates two sentences: a space, except in Chinese, whose full stop "。" needs none."""
    return "" if lang().startswith("zh") else " "


def sentences(parts) -> str:
    """The non-empty ``parts`` as one run of sentences."""
    return gap().join(part for part in parts if part)


def n(value) -> str:
    return formats.number(value, lang())


def pct(share: float) -> str:
    return formats.percent(share, lang())


def listing(items, style: str = "and") -> str:
    return formats.listing([str(i) for i in items], lang(), style)


def contributions(count: int) -> str:
    """ "1 contribution", "12 contributions", by the language's plural rules."""
    return ngettext("%(count)s contribution", "%(count)s contributions", count) % {"count": n(count)}


def labelled(label: str, text: str) -> str:
    """``text`` introduced by ``label`` and the language's colon: "Original: English", "Original : anglais",
    "原文：英文"."""
    return pgettext("a label and what it introduces", "%(label)s: %(text)s") % {"label": label, "text": text}


def breakdown(labels) -> str:
    """How many of some contributions come from each group, most first: "Governments: 4; Civil society: 2".
    ``labels`` is one group label per contribution, or a mapping of each label to its count."""
    counts = Counter(labels) if not isinstance(labels, dict) else Counter({str(k): v for k, v in labels.items()})
    separator = pgettext("between the groups of a breakdown", "; ")
    return separator.join(
        _("%(group)s: %(count)s") % {"group": group, "count": n(count)} for group, count in counts.most_common()
    )


def quoted(text: str) -> str:
    """A quotation in the language's quotation marks, isolated so that its direction cannot reorder the sentence."""
    return _("“%(quote)s”") % {"quote": isolate(text)}


def cut(text: str) -> str:
    """The evidence sentence, whole when short; otherwise its beginning up to a word, then " …"."""
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    head = text[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return head + ELLIPSIS


def quote_of(evidence, contribution_language: str) -> str:
    """The sentence in the report's language where a translation is stored, marked as a translation; else in the
    original, marked with its language when that is not the report's."""
    language = lang()
    translated = (evidence.translations or {}).get(language)
    if translated and contribution_language != language:
        return _("%(quote)s (translated from %(language)s)") % {
            "quote": quoted(cut(translated)),
            "language": formats.language_name(contribution_language, language),
        }
    return quoted_in(cut(evidence.text), contribution_language)


def quoted_in(text: str, written_in: str) -> str:
    """``text`` quoted, followed by its language where that is not the report's."""
    if written_in and written_in != lang():
        return _("%(quote)s (in %(language)s)") % {
            "quote": quoted(text),
            "language": formats.language_name(written_in, lang()),
        }
    return quoted(text)


def statement_of(position) -> str:
    """The codebook's statement, quoted, in the report's language when the secretariat wrote it, else in its
    original language, marked (it is the secretariat's paraphrase, not a contributor's words). The report's sentence
    goes on after it, so the statement's own full stop is left out."""
    text, language = position.statement_in(lang())
    return quoted_in(text.rstrip().rstrip(".。۔"), language)


def unbroken(name: str) -> str:
    """A name written in the other direction than the report's, kept on one line (no-break spaces, word joiners after
    hyphens): WeasyPrint lays out each line apart, and "Kingdom | of Valdoria" split over two lines of an Arabic
    paragraph reads "of Valdoria ... Kingdom". A long name may still break."""
    if len(name) > UNBROKEN_CHARS:
        return name
    rtl = lang() == "ar"
    for char in name:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            if (direction != "L") == rtl:
                return name
            return name.replace(" ", "\u00a0").replace("-", "-\u2060")
    return name


def attributed(record, evidence, *, side: str, named: bool) -> str:
    """One quote with who said or wrote it: the entity when it may be named (its consent, and the naming rule),
    else its stakeholder group. Oral statements are "said", written ones "wrote"."""
    who = (
        isolate(unbroken(record.entity_name))
        if named
        else _("a contributor of the group “%(group)s”") % {"group": record.group_label}
    )
    values = {"who": who, "quote": quote_of(evidence, record.language)}
    oral = record.channel != "written"
    if side == SUPPORT:
        text = _("In favour, %(who)s said: %(quote)s.") if oral else _("In favour, %(who)s wrote: %(quote)s.")
    elif side == ALSO_SUPPORT:
        text = _("Also in favour, %(who)s said: %(quote)s.") if oral else _("Also in favour, %(who)s wrote: %(quote)s.")
    elif side == OPPOSE:
        text = _("Against, %(who)s said: %(quote)s.") if oral else _("Against, %(who)s wrote: %(quote)s.")
    else:
        text = _("%(who)s said: %(quote)s.") if oral else _("%(who)s wrote: %(quote)s.")
    return capfirst(_without_second_stop(text % values, values["quote"]))


# A sentence's final punctuation, in the six languages' scripts.
TERMINAL = ".!?…。！？؟"


def _without_second_stop(sentence: str, quote: str) -> str:
    """A sentence that ends with a quote ending with its own full stop does not take another: « … questions. »,
    not « … questions. ».; “……应对。”, not “……应对。”。"""
    for stop in ".。":
        if sentence.endswith(quote + stop):
            inner = quote.rstrip("”»“\u2069\u00a0 ")
            if inner and inner[-1] in TERMINAL:
                return sentence[: -len(stop)]
    return sentence


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# The lead sentence of a position's paragraph, by kind: who took it up, then (a second sentence) who opposed it.
def lead(kind: str, statement: str, support: list[str], oppose: list[str]) -> str:
    """``statement`` is the position's statement as the report prints it (``statement_of``); ``support`` and
    ``oppose`` are the group labels of the contributions on each side (one per contribution)."""
    s, o = len(support), len(oppose)
    values = {"statement": statement, "count": n(s), "groups": breakdown(support)}
    if s:
        if kind == "assessment":
            text = ngettext(
                "The view that %(statement)s was expressed in %(count)s contribution (%(groups)s).",
                "The view that %(statement)s was expressed in %(count)s contributions (%(groups)s).",
                s,
            )
        elif kind == "principle":
            text = ngettext(
                "The principle %(statement)s was endorsed in %(count)s contribution (%(groups)s).",
                "The principle %(statement)s was endorsed in %(count)s contributions (%(groups)s).",
                s,
            )
        else:
            text = ngettext(
                "The proposal %(statement)s was put forward in %(count)s contribution (%(groups)s).",
                "The proposal %(statement)s was put forward in %(count)s contributions (%(groups)s).",
                s,
            )
        text %= values
        if o:
            text += gap() + ngettext(
                "The opposite view was taken in %(count)s contribution (%(groups)s).",
                "The opposite view was taken in %(count)s contributions (%(groups)s).",
                o,
            ) % {"count": n(o), "groups": breakdown(oppose)}
        return text
    values.update(count=n(o), groups=breakdown(oppose))
    if kind == "assessment":
        text = ngettext(
            "The view that %(statement)s was disputed in %(count)s contribution (%(groups)s) and held in none.",
            "The view that %(statement)s was disputed in %(count)s contributions (%(groups)s) and held in none.",
            o,
        )
    else:
        text = ngettext(
            "The proposal %(statement)s was opposed in %(count)s contribution (%(groups)s) and put forward in none.",
            "The proposal %(statement)s was opposed in %(count)s contributions (%(groups)s) and put forward in none.",
            o,
        )
    return text % values


def subject(kind: str, statement: str) -> str:
    """A position named inside a sentence: "the proposal “…”", "the principle “…”", "the view that …"."""
    if kind == "assessment":
        return _("the view that %(statement)s") % {"statement": statement}
    if kind == "principle":
        return _("the principle %(statement)s") % {"statement": statement}
    return _("the proposal %(statement)s") % {"statement": statement}


def position_opening(kind: str, statement: str, support: list[str], oppose: list[str], result: Agreement) -> str:
    """The opening of a position's paragraph in sections IV and V: who took it up and where the groups stand, worded
    by what was measured, so that a chapter of positions does not read as one formula repeated. A shared view is told
    as support from several groups; a divide between groups, as a divide; a position only one group spoke to, as that
    group's; a position few took a side on, as few; otherwise the counts, then the measured agreement."""
    s, o = len(support), len(oppose)
    values = {
        "subject": subject(kind, statement),
        "count": n(s),
        "groups": breakdown(support),
        "others": contributions(o),
        "other_groups": breakdown(oppose),
    }
    leaning = {side: [g.group for g in result.groups if g.state == side] for side in (SUPPORT, OPPOSE)}
    speaking = [g for g in result.groups if g.sides]
    if s and result.classification == SHARED and result.direction == SUPPORT and len(leaning[SUPPORT]) == 2:
        # Two groups leaned, the others spoke too little to tell: say which two, rather than "several".
        values["leaning"] = listing(leaning[SUPPORT])
        text = (
            ngettext(
                "%(leaning)s converged in favour of %(subject)s, which %(count)s contribution took up "
                "(%(groups)s); the other groups had too few contributions on it to tell.",
                "%(leaning)s converged in favour of %(subject)s, which %(count)s contributions took up "
                "(%(groups)s); the other groups had too few contributions on it to tell.",
                s,
            )
            % values
        )
        return sentences([capfirst(text), opposite_view(oppose)])
    if s and result.classification == SHARED and result.direction == SUPPORT:
        values["leaning"] = listing(leaning[SUPPORT])
        text = (
            ngettext(
                "Support for %(subject)s came from several stakeholder groups, which converged in its favour "
                "(%(leaning)s): %(count)s contribution (%(groups)s).",
                "Support for %(subject)s came from several stakeholder groups, which converged in its favour "
                "(%(leaning)s): %(count)s contributions (%(groups)s).",
                s,
            )
            % values
        )
        return sentences([text, opposite_view(oppose)])
    if s and o and result.classification == BETWEEN:
        values.update(favour=listing(leaning[SUPPORT]), against=listing(leaning[OPPOSE]))
        return sentences(
            [
                capfirst(
                    _("%(subject)s divided the stakeholder groups: %(favour)s in favour, %(against)s against.") % values
                ),
                ngettext(
                    "In all, %(count)s contribution was in favour (%(groups)s) and %(others)s against "
                    "(%(other_groups)s).",
                    "In all, %(count)s contributions were in favour (%(groups)s) and %(others)s against "
                    "(%(other_groups)s).",
                    s,
                )
                % values,
            ]
        )
    if s and not o and result.classification == ONE_GROUP and len(speaking) == 1:
        values["group"] = speaking[0].group
        return (
            ngettext(
                "Only %(group)s took up %(subject)s, in %(count)s contribution.",
                "Only %(group)s took up %(subject)s, in %(count)s contributions.",
                s,
            )
            % values
        )
    if s and result.classification == TOO_FEW and s + o <= SIDES_TOO_FEW:
        if o:
            return capfirst(
                _(
                    "Few contributions took a side on %(subject)s: %(support)s in favour (%(groups)s), %(others)s "
                    "against (%(other_groups)s)."
                )
                % {**values, "support": contributions(s)}
            )
        return (
            ngettext(
                "Only %(count)s contribution took up %(subject)s (%(groups)s).",
                "Only %(count)s contributions took up %(subject)s (%(groups)s).",
                s,
            )
            % values
        )
    return sentences([lead(kind, statement, support, oppose), agreement_sentence(result)])


def opposite_view(oppose: list[str]) -> str:
    if not oppose:
        return ""
    return ngettext(
        "The opposite view was taken in %(count)s contribution (%(groups)s).",
        "The opposite view was taken in %(count)s contributions (%(groups)s).",
        len(oppose),
    ) % {"count": n(len(oppose)), "groups": breakdown(oppose)}


def agreement_sentence(result: Agreement) -> str:
    """Where the stakeholder groups converge or diverge, as measured (docs/positions.md); ``result``'s groups are
    keyed by their labels."""
    leaning = {side: [g.group for g in result.groups if g.state == side] for side in (SUPPORT, OPPOSE)}
    if result.classification == SHARED and result.direction == SUPPORT:
        return _("The stakeholder groups converged in favour (%(groups)s).") % {"groups": listing(leaning[SUPPORT])}
    if result.classification == SHARED:
        return _("The stakeholder groups converged against it (%(groups)s).") % {"groups": listing(leaning[OPPOSE])}
    if result.classification == BETWEEN:
        return _("The stakeholder groups diverged: %(for)s in favour, %(against)s against.") % {
            "for": listing(leaning[SUPPORT]),
            "against": listing(leaning[OPPOSE]),
        }
    if result.classification == WITHIN:
        divided = [g.group for g in result.groups if g.state == "divided"]
        return ngettext(
            "Views were divided within the group %(groups)s.",
            "Views were divided within the groups %(groups)s.",
            len(divided),
        ) % {"groups": listing(divided)}
    if result.classification == ONE_GROUP:
        speaking = next(g.group for g in result.groups if g.sides)
        return _("Every contribution that took a side on it came from one group, %(group)s.") % {"group": speaking}
    return too_few_sentence(result)


def too_few_sentence(result: Agreement) -> str:
    """Why agreement between the groups cannot be measured, as the figures show it: one group leaned but no other
    did, the contributions taking a side were spread too thinly, or there were too few of them to measure anything
    (then nothing is said: the paragraph's counts already show it)."""
    sides = result.support + result.oppose
    leaning = [g for g in result.groups if g.state in (SUPPORT, OPPOSE)]
    if leaning:
        values = {"group": leaning[0].group}
        if leaning[0].state == SUPPORT:
            return (
                _("Only %(group)s leaned clearly in favour; the other groups had too few contributions on it to tell.")
                % values
            )
        return (
            _("Only %(group)s leaned clearly against it; the other groups had too few contributions on it to tell.")
            % values
        )
    if sides <= SIDES_TOO_FEW:
        return ""
    spread = len([g for g in result.groups if g.sides])
    if spread >= 3:
        return ngettext(
            "Those taking a side came from %(count)s stakeholder group, none with enough contributions on it to lean "
            "clearly, so agreement between the groups cannot be measured.",
            "Those taking a side came from %(count)s stakeholder groups, none with enough contributions on it to lean "
            "clearly, so agreement between the groups cannot be measured.",
            spread,
        ) % {"count": n(spread)}
    return ngettext(
        "The %(count)s contribution that took a side was spread too thinly across the groups for any of them to lean "
        "clearly, so agreement between the groups cannot be measured.",
        "The %(count)s contributions that took a side were spread too thinly across the groups for any of them to "
        "lean clearly, so agreement between the groups cannot be measured.",
        sides,
    ) % {"count": n(sides)}


# What the contributions said of how existing mechanisms address an issue (its assessment positions), as
# ``issue_opening`` opens on it: some held it not adequately addressed and others disputed it; some held it and none
# disputed it; some disputed it and none held it.
CONTESTED = "contested"
HELD = "held"
DISPUTED = "disputed"


def issue_opening(
    issue: str, total: int, counts: dict[str, int], groups: int, leading=None, assessed: str | None = None
) -> str:
    """The first sentence(s) of an issue's paragraph, worded by what was measured, so that seventeen paragraphs do not
    open alike: first by what contributions said of existing mechanisms (``assessed``: ``CONTESTED``, ``HELD`` or
    ``DISPUTED``, or None when no contribution assessed them), then by how widely the issue was raised: by one
    stakeholder group only, by every group, or by some; and, where one group raised it far more often than the others
    (``leading``: its label and the share of its contributions that raised the issue), which.

    ``counts`` maps each group's label to its number of contributions raising the issue; ``groups`` is how many
    groups the consultation has."""
    raising = {label: count for label, count in counts.items() if count}
    values = {"issue": issue, "count": n(total), "groups": breakdown(raising)}
    if leading is not None:
        values.update(group=leading[0], share=pct(leading[1]))
    weighed = (
        _("It weighed most with %(group)s, where %(share)s of the contributions raised it.") % values if leading else ""
    )
    if assessed in (CONTESTED, HELD, DISPUTED):
        if assessed == CONTESTED and leading is not None:
            # Several issues may be contested: one led by a group opens on the question itself.
            said = ngettext(
                "Whether existing mechanisms adequately address the issue “%(issue)s” divided the %(count)s "
                "contribution that raised it (%(groups)s).",
                "Whether existing mechanisms adequately address the issue “%(issue)s” divided the %(count)s "
                "contributions that raised it (%(groups)s).",
                total,
            )
        elif assessed == CONTESTED:
            said = ngettext(
                "Contributors disagreed on whether existing mechanisms adequately address the issue “%(issue)s”, "
                "which %(count)s contribution raised (%(groups)s).",
                "Contributors disagreed on whether existing mechanisms adequately address the issue “%(issue)s”, "
                "which %(count)s contributions raised (%(groups)s).",
                total,
            )
        elif assessed == HELD:
            said = ngettext(
                "Among the issues called not adequately addressed by existing mechanisms was “%(issue)s”, raised "
                "in %(count)s contribution (%(groups)s).",
                "Among the issues called not adequately addressed by existing mechanisms was “%(issue)s”, raised "
                "in %(count)s contributions (%(groups)s).",
                total,
            )
        else:
            said = ngettext(
                "No contribution called the issue “%(issue)s” not adequately addressed by existing mechanisms, "
                "although %(count)s contribution raised it (%(groups)s).",
                "No contribution called the issue “%(issue)s” not adequately addressed by existing mechanisms, "
                "although %(count)s contributions raised it (%(groups)s).",
                total,
            )
        return sentences([said % values, weighed])
    if len(raising) == 1:
        values["group"] = next(iter(raising))
        return (
            ngettext(
                "Only one stakeholder group, %(group)s, raised the issue “%(issue)s”, in %(count)s contribution.",
                "Only one stakeholder group, %(group)s, raised the issue “%(issue)s”, in %(count)s contributions.",
                total,
            )
            % values
        )
    if leading is not None:
        if groups > 1 and len(raising) == groups:
            return (
                ngettext(
                    "Every stakeholder group raised the issue “%(issue)s”, in %(count)s contribution (%(groups)s), "
                    "and %(group)s most of all: %(share)s of its contributions raised it.",
                    "Every stakeholder group raised the issue “%(issue)s”, in %(count)s contributions (%(groups)s), "
                    "and %(group)s most of all: %(share)s of its contributions raised it.",
                    total,
                )
                % values
            )
        # Some groups, one far ahead: the paragraph opens with that group.
        return capfirst(
            ngettext(
                "%(group)s raised the issue “%(issue)s” more often than any other group (%(share)s of its "
                "contributions), out of %(count)s contribution in all (%(groups)s).",
                "%(group)s raised the issue “%(issue)s” more often than any other group (%(share)s of its "
                "contributions), out of %(count)s contributions in all (%(groups)s).",
                total,
            )
            % values
        )
    if groups > 1 and len(raising) == groups:
        return (
            ngettext(
                "The issue “%(issue)s” was raised across all the stakeholder groups, in %(count)s contribution "
                "(%(groups)s), none of them standing out.",
                "The issue “%(issue)s” was raised across all the stakeholder groups, in %(count)s contributions "
                "(%(groups)s), none of them standing out.",
                total,
            )
            % values
        )
    return (
        ngettext(
            "The issue “%(issue)s” was raised in %(count)s contribution (%(groups)s).",
            "The issue “%(issue)s” was raised in %(count)s contributions (%(groups)s).",
            total,
        )
        % values
    )


def issue_assessed(supports: bool, opposes: bool) -> str | None:
    """What an issue's assessments amount to, for ``issue_opening``: whether any contribution held the issue not
    adequately addressed (``supports``), and whether any disputed it (``opposes``)."""
    if supports and opposes:
        return CONTESTED
    if supports:
        return HELD
    if opposes:
        return DISPUTED
    return None


def issue_assessment(statement: str, support: list[str], oppose: list[str]) -> str:
    """What contributions said of how existing mechanisms address an issue (an assessment position's statement), by
    how they divided: held and disputed (the paragraph's opening has said that they disagreed), held by one
    contribution or by one group only, or held across groups."""
    s = len(support)
    if s and oppose:
        return ngettext(
            "On one side, %(count)s contribution (%(groups)s) held that %(statement)s; on the other, %(others)s "
            "(%(other_groups)s) took the opposite view.",
            "On one side, %(count)s contributions (%(groups)s) held that %(statement)s; on the other, %(others)s "
            "(%(other_groups)s) took the opposite view.",
            s,
        ) % {
            "count": n(s),
            "groups": breakdown(support),
            "statement": statement,
            "others": contributions(len(oppose)),
            "other_groups": breakdown(oppose),
        }
    if s == 1:
        return _("One contribution (%(groups)s) held that %(statement)s.") % {
            "groups": breakdown(support),
            "statement": statement,
        }
    if s and len(set(support)) == 1:
        return ngettext(
            "%(count)s contribution, all from %(group)s, held that %(statement)s.",
            "%(count)s contributions, all from %(group)s, held that %(statement)s.",
            s,
        ) % {"count": n(s), "group": support[0], "statement": statement}
    return lead("assessment", statement, support, oppose)
