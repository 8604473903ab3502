"""The positions' parts of the record's pages, so that the record's views and templates need one line each."""

from django import template
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import selectors

register = template.Library()


@register.inclusion_tag("positions/_by_group.html")
def positions_by_group(consultation):
    return {"consultation": consultation, **selectors.positions_by_group(consultation)}


@register.inclusion_tag("positions/_contribution.html")
def contribution_positions(consultation, contribution):
    language = get_language() or "en"
    stances = _stances(contribution)
    anchors = _evidence(contribution)["anchors"]
    return {
        "consultation": consultation,
        "contribution": contribution,
        # Each evidence sentence with the mark that shows it in the text, where the text still has it.
        "rows": [
            (
                stance,
                *stance.position.statement_in(language),
                [(unit.get("text", ""), anchors.get((stance.pk, n))) for n, unit in enumerate(stance.evidence or [])],
            )
            for stance in stances
        ],
    }


@register.filter
def percent(value) -> str:
    """A share as a whole percentage (computed in Python, shown as is)."""
    return f"{round((value or 0) * 100)}"


@register.inclusion_tag("positions/_data.html")
def stances_data(consultation):
    from .. import exports

    return {"consultation": consultation, "stance_fields": exports.FIELDS, "stance_formats": list(exports.FORMATS)}


def _parts(contribution) -> list[tuple[str, int | None, str]]:
    """The parts of ``analysis_text`` in its order, as (kind, answer index, text): the offsets stored with each
    stance's evidence count from the start of that joined text."""
    parts = [("title", None, contribution.title), ("text", None, contribution.text)]
    parts += [("answer", i, a.get("answer", "")) for i, a in enumerate(contribution.answers or [])]
    parts.append(("extracted", None, contribution.extracted_text))
    return [p for p in parts if p[2]]


def _evidence(contribution) -> dict:
    """Each stance's evidence placed in the part of the text that shows it: ``{"spans": {(kind, index): [(start, end,
    anchor)]}, "anchors": {(stance id, n): anchor}}``. Offsets are checked against the text (it may have been edited
    since the analysis ran); a sentence no longer at its offsets is looked up in the part, and left unmarked when
    it is not there any more. Computed once per contribution and request."""
    cached = getattr(contribution, "_evidence_marks", None)
    if cached is not None:
        return cached
    starts, position = [], 0
    parts = _parts(contribution)
    for _, _, text in parts:
        starts.append(position)
        position += len(text) + 2  # the "\n\n" that joins the parts
    spans: dict[tuple, list] = {}
    anchors: dict[tuple, str] = {}
    for stance in _stances(contribution):
        for n, unit in enumerate(stance.evidence or []):
            sentence, start, end = unit.get("text", ""), unit.get("start"), unit.get("end")
            for (kind, index, text), offset in zip(parts, starts, strict=True):
                if kind == "title" or not sentence:
                    continue
                local = start - offset if isinstance(start, int) and isinstance(end, int) else -1
                if not (
                    local >= 0 and text[local : local + len(sentence)] == sentence and end - start == len(sentence)
                ):
                    local = text.find(sentence)
                if local < 0:
                    continue
                anchor = f"evidence-{offset + local}-{offset + local + len(sentence)}"
                taken = spans.setdefault((kind, index), [])
                if not any(a < local + len(sentence) and local < b for a, b, _ in taken):
                    taken.append((local, local + len(sentence), anchor))
                # A sentence that overlaps one already marked links to that mark.
                anchors[(stance.pk, n)] = next(
                    (x for a, b, x in taken if a < local + len(sentence) and local < b), anchor
                )
                break
    contribution._evidence_marks = {"spans": spans, "anchors": anchors}
    return contribution._evidence_marks


def _stances(contribution):
    cached = getattr(contribution, "_public_stances", None)
    if cached is None:
        cached = contribution._public_stances = selectors.contribution_positions(contribution)
    return cached


@register.simple_tag
def evidence_text(contribution, kind, index=None):
    """One part of a contribution's text ("text", "answer" with its index, "extracted") as ``linebreaks`` shows it,
    with the sentences its stances rest on marked (``<mark id=...>``), so the positions list can link to them."""
    if kind == "answer":
        text = (contribution.answers or [])[index].get("answer", "")
    else:
        text = getattr(contribution, "extracted_text" if kind == "extracted" else "text")
    pieces, cursor = [], 0
    for start, end, anchor in sorted(_evidence(contribution)["spans"].get((kind, index), [])):
        pieces.append(escape(text[cursor:start]))
        pieces.append(format_html('<mark id="{}" class="evidence">{}</mark>', anchor, text[start:end]))
        cursor = end
    pieces.append(escape(text[cursor:]))
    return mark_safe(linebreaks("".join(str(p) for p in pieces), autoescape=False))  # noqa: S308 (pieces escaped)
