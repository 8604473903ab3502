"""The report's account of the statements phase (issue 19, item 7): where the votes converge and where they divide,
with their counts, beside what the written positions show on the same position.

Drafted as part of the conclusions, flagged for the secretariat like the rest of them. The votes are not
contributions: the paragraphs cite no receipt; their figures come from ``concord.deliberation.report``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.analysis.agreement import BETWEEN, SHARED, SUPPORT, WITHIN

from . import synthesis_text as t

# Statements named in one paragraph at most; the rest are counted ("and 4 more").
LISTED = 5


def _counts(row: dict) -> str:
    return _("%(agree)s agreed, %(disagree)s disagreed, %(pass)s passed") % {
        "agree": t.n(row["agree"]),
        "disagree": t.n(row["disagree"]),
        "pass": t.n(row["pass"]),
    }


def _statement(row: dict) -> str:
    text = t.quoted_in(t.cut(row["text"]), row["language"])
    return _("%(statement)s (%(counts)s)") % {"statement": text, "counts": _counts(row)}


def _in_writing(row: dict, written: dict) -> str:
    """What the written contributions showed on the statement's position, where it has one and it was measured."""
    item = written.get(row["position"])
    if item is None:
        return ""
    classification = item.result.classification
    if classification == SHARED:
        side = _("in favour") if item.result.direction == SUPPORT else _("against")
        return _("in writing, the stakeholder groups also stood together %(side)s") % {"side": side}
    if classification in (BETWEEN, WITHIN):
        return _("in writing, the stakeholder groups were divided on it too")
    return _("in writing, too few contributions took a side to measure agreement")


def _listed(rows: list[dict], written: dict) -> str:
    items = []
    for row in rows[:LISTED]:
        said = _in_writing(row, written)
        items.append(f"{_statement(row)}; {said}" if said else _statement(row))
    if len(rows) > LISTED:
        more = len(rows) - LISTED
        items.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": t.n(more)})
    return t.listing(items)


def vote_paras(statements: dict | None, measured: list, para_class) -> list:
    """Paragraphs on the statements phase for the conclusions; none without one or without votes."""
    if not statements or not statements["participants"]:
        return []
    mark = _("[Draft for the secretariat]")
    written = {m.slug: m for m in measured}
    agreed, divided = statements["agreement"], statements["divergence"]
    groups = len(statements["groups"])
    text = ngettext(
        "In the statements phase, %(participants)s participant voted on the statements; ",
        "In the statements phase, %(participants)s participants voted on the statements; ",
        statements["participants"],
    ) % {"participants": t.n(statements["participants"])}
    text += ngettext(
        "their votes formed one opinion group.",
        "their votes formed %(count)s opinion groups.",
        groups,
    ) % {"count": t.n(groups)}
    paras = [para_class("conclusions.votes", "conclusions", f"{mark}{t.gap()}{text}")]
    if agreed:
        text = ngettext(
            "One statement found agreement across the stakeholder groups and the opinion groups: %(items)s.",
            "%(count)s statements found agreement across the stakeholder groups and the opinion groups: %(items)s.",
            len(agreed),
        ) % {"count": t.n(len(agreed)), "items": _listed(agreed, written)}
        paras.append(para_class("conclusions.votes.agreement", "conclusions", f"{mark}{t.gap()}{text}"))
    if divided:
        text = ngettext(
            "One statement divided the voters and may need further debate: %(items)s.",
            "%(count)s statements divided the voters and may need further debate: %(items)s.",
            len(divided),
        ) % {"count": t.n(len(divided)), "items": _listed(divided, written)}
        paras.append(para_class("conclusions.votes.divergence", "conclusions", f"{mark}{t.gap()}{text}"))
    return paras
