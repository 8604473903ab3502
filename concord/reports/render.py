"""The report in HTML, Markdown, PDF (WeasyPrint) and DOCX (python-docx, real tables and footnotes).

Every format is rendered from one context: numbered paragraphs (numbered across the document, as in a UN report),
the distribution table and charts computed from the records, the annex of every contribution and the coverage
check. Arabic is right-to-left in every format; Chinese uses the Noto CJK fonts.

Print differs in layout, not in content: the PDF moves long citations to the sources of the paragraphs and writes
receipt numbers shortened there and in the annex, so that 100,000 contributions fit in a few hundred pages and a
minute (docs/reports.md).
"""

from __future__ import annotations

import base64
import html
import io
import multiprocessing
import re
import threading
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from html import escape as escape_html
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.consultations.tables import distribution_table
from concord.contributions.models import Channel, Consent, Contribution
from concord.core import formats
from concord.policy.selectors import issues_by_group
from concord.stakeholders.models import StakeholderGroup, entity_name_in

from . import charts
from .generate import draft_paragraphs, gather, localized
from .models import ReportDraft, ReportParagraph, Section
from .synthesis_text import labelled

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


class Note(NamedTuple):
    number: int
    text: str


@dataclass
class Numbered:
    number: int | None
    paragraph: ReportParagraph
    refs: str = ""
    notes: list[Note] = field(default_factory=list)
    letter: str = ""  # a subheading's letter within its chapter (A., B., ...)
    sources: list[str] = field(default_factory=list)  # the receipts ``refs`` cites: the public ones only

    @property
    def refs_parts(self) -> list[str]:
        return _pieces(self.refs)

    @property
    def html(self) -> str:
        return isolated_html(self.paragraph.text)

    @property
    def han(self) -> bool:
        """Whether the paragraph holds Chinese characters (a quote in Chinese, in a report in another language):
        print sets such a paragraph unjustified."""
        return bool(_HAN.search(self.paragraph.text))


# CJK ideographs and the CJK punctuation and full-width forms a Chinese quote carries.
_HAN = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ISOLATE = re.compile("\u2068([^\u2068\u2069]*)\u2069")


def isolated_html(text: str) -> str:
    """``text`` escaped, each first-strong isolate (U+2068 ... U+2069, how quotes are wrapped) as a ``<bdi>`` with
    the direction of its first strong letter, so an English quote does not reorder an Arabic sentence. The direction
    is written out: WeasyPrint ignores the isolate characters and a ``<bdi>`` without ``dir``, and then sets a
    quote's final full stop on the wrong side of it."""
    return mark_safe(_ISOLATE.sub(_bdi, str(escape(text))))


def _bdi(match: re.Match) -> str:
    inner = match.group(1)
    # Glued to what precedes it (a quotation mark and its no-break space): a word joiner says so. Without it
    # WeasyPrint, when the isolate's first word ends a line, breaks the line at the paragraph's first space instead
    # ("29." alone on a line, or "savoir" alone before the rest).
    start = match.start()
    glue = "\u2060" if start and match.string[start - 1] not in " \t\n" else ""
    for char in html.unescape(inner):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return f'{glue}<bdi dir="ltr">{inner}</bdi>'
        if kind in ("R", "AL"):
            return f'{glue}<bdi dir="rtl">{inner}</bdi>'
    return f"{glue}<bdi>{inner}</bdi>"


def _pieces(text: str) -> list[str]:
    """A long text in pieces of about 2,000 characters, each its own inline element: WeasyPrint re-encodes a text's
    remainder at each line, which is quadratic in the length of one text (a minute at 100,000)."""
    parts, start = [], 0
    while start < len(text):
        end = text.find(" ", start + 2000)
        end = len(text) if end == -1 else end + 1
        parts.append(text[start:end])
        start = end
    return parts


class AnnexRow(NamedTuple):
    receipt: str
    group: str
    channel: str
    entity: str
    cited: bool


# After each hyphen of a receipt number in the PDF's flowing annex: no line break inside a receipt number (a word
# joiner draws no glyph, so the extracted text keeps the receipt number as it is).
_NO_BREAK = str.maketrans({"-": "-\u2060"})


def _split_receipt(receipt: str) -> tuple[str, str]:
    """``"EC-W-000123"`` gives ``("EC-W-", "000123")``; a receipt without final digits, ``(receipt, "")``."""
    end = len(receipt.rstrip("0123456789"))
    return receipt[:end], receipt[end:]


def _shortened(number: str, previous: str | None) -> str:
    """``number`` without the leading digits it shares with ``previous`` (at least two digits kept), as page ranges
    are elided in print: after 000103, 000107 is written 07 and 000215 is written 215."""
    if previous is None or len(previous) != len(number) or len(number) <= 2:
        return number
    shared = 0
    while shared < len(number) - 2 and number[shared] == previous[shared]:
        shared += 1
    return number[shared:]


def receipt_ranges(receipts, *, shorten: bool = False) -> str:
    """Receipt numbers, exactly, in few characters: consecutive numbers as a range, each prefix written once.

    ``["EC-W-000001", "EC-W-000002", "EC-W-000003", "EC-W-000007", "EC-P-000002"]`` gives
    ``"EC-P-000002; EC-W-000001–000003, 000007"``. With ``shorten``, for print, each number after the first of a
    prefix is written with only the digits that differ from the number before it: ``"EC-P-000002;
    EC-W-000001–03, 07"``, half the characters of a long, scattered list.
    """
    by_prefix: dict[str, list[tuple[int, str]]] = defaultdict(list)
    others = []
    for receipt in receipts:
        prefix, digits = _split_receipt(receipt)
        if digits:
            by_prefix[prefix].append((int(digits), digits))
        else:
            others.append(receipt)
    parts = []
    for prefix in sorted(by_prefix):
        numbers = sorted(by_prefix[prefix])
        items, start, previous = [], 0, None
        for i in range(1, len(numbers) + 1):
            if i == len(numbers) or numbers[i][0] != numbers[i - 1][0] + 1:
                first, last = numbers[start][1], numbers[i - 1][1]
                if shorten:
                    item = _shortened(first, previous)
                    if start != i - 1:
                        item += "–" + _shortened(last, first)
                    previous = last
                else:
                    item = first if start == i - 1 else f"{first}–{last}"
                items.append(item)
                start = i
        parts.append(prefix + ", ".join(items))
    return "; ".join(parts + sorted(others))


def _contributions(count: int) -> str:
    return ngettext("%(counter)s contribution", "%(counter)s contributions", count) % {
        "counter": formats.number(count, translation.get_language())
    }


def annex_title() -> str:
    return labelled(_("Annex"), _("Contributions received"))


def citation(sources: list[str]) -> str:
    """What a paragraph cites: how many contributions, then their receipt numbers as ranges."""
    if not sources:
        return ""
    return labelled(_contributions(len(sources)), receipt_ranges(sources))


def _charts(table, issue_rows, groups, rtl: bool) -> dict[str, dict[str, bytes]]:
    """Each chart as SVG (the site and the PDF), PNG (DOCX) and a narrow SVG the site shows on a phone (the page's
    chart scaled to a phone's width has 4-pixel text), by paragraph key."""
    found = {"organization.chart": charts.by_group_and_channel(table, _("Contributions"), rtl)}
    found["organization.chart"]["phone_svg"] = charts.phone_by_group_and_channel(table, _("Contributions"), rtl)
    if issue_rows:
        found["issues.chart"] = charts.issues_by_group(issue_rows, groups, _("Contributions"), rtl)
        found["issues.chart"]["phone_svg"] = charts.phone_issues_by_group(issue_rows, groups, _("Contributions"), rtl)
    return found


def _redraft_unpublished(consultation, paragraphs: list[ReportParagraph], public: set[str]) -> None:
    """Paragraphs citing a contribution that is no longer public (held, withdrawn or withheld since the draft was
    written) may quote it: those the secretariat has not edited are drafted again from the public record now, for this
    rendering only (the stored draft changes when it is regenerated, which flags edited paragraphs for review)."""
    stale = [p for p in paragraphs if not p.is_edited and not public.issuperset(p.sources)]
    if not stale:
        return
    fresh = {spec.key: spec for spec in draft_paragraphs(gather(consultation))}
    for paragraph in stale:
        spec = fresh.get(paragraph.key)
        paragraph.generated_text = spec.text if spec else ""
        paragraph.sources = spec.sources if spec else []
        paragraph.footnotes = list(getattr(spec, "footnotes", None) or []) if spec else []


# The chapters whose paragraphs synthesise the contributions: what "cited in the body" means for coverage. Sections I
# and II count every contribution (the table) and cite them all, which would make the coverage true by construction.
SYNTHESIS = {Section.ISSUES, Section.MECHANISMS, Section.UN_ROLE, Section.CONCLUSIONS}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def front_matter(draft: ReportDraft) -> dict:
    """What the first page says above the title, as the secretariat set it (``services.settings_for``)."""
    from .models import Distribution, Organ
    from .services import settings_for

    language = draft.language
    settings_ = settings_for(draft.consultation)
    issued = settings_.date_of_issue
    original = settings_.original_language
    is_original = language == original
    name = formats.language_name(original, language)
    return {
        "organs": [str(Organ(o).label) for o in settings_.organs if o in Organ.values],
        "session": settings_.text_in("session", language),
        "agenda_items": [line.strip() for line in settings_.text_in("agenda_items", language).splitlines() if line],
        "distribution": str(Distribution(settings_.distribution).label),
        "symbol": settings_.symbol or draft.consultation.slug,
        "date": formats.un_date(issued, language) if issued else "",
        "is_original": is_original,
        # UN documents carry "Original: English" on the text as written; a translation says it is one.
        "original_line": labelled(_("Original"), name)
        if is_original
        else _("Translated from %(language)s") % {"language": name},
    }


def context(draft: ReportDraft) -> dict:
    """Everything every format shows, computed from the records now (a fixed number of queries).

    Compute it once and pass it to each renderer (``ctx=``) to write several formats of one draft."""
    consultation = draft.consultation
    with translation.override(draft.language):
        order = {value: i for i, value in enumerate(Section.values)}
        paragraphs = sorted(
            draft.paragraphs.filter(removed=False), key=lambda p: (order.get(p.section, 99), p.position, p.pk)
        )
        table = distribution_table(consultation)
        issue_rows = [r for r in issues_by_group(consultation) if r["total"]]
        groups = consultation.ordered_groups()
        # Plain strings: a lazy label is translated again each time a row of the annex is written, in each format.
        group_labels = {g.pk: str(g.label) for g in groups}
        channel_labels = {str(value): str(label) for value, label in Channel.choices}
        hidden = {Consent.ANONYMOUS: _("Anonymous"), Consent.WITHHELD: _("Not published")}
        # The public contributions only: the report is public. A draft written before a contribution was held or
        # withdrawn still lists it in its sources; it is left out of the citations below as well.
        rows = (
            Contribution.objects.filter(consultation=consultation)
            .public()
            .annotate(entity_label=entity_name_in(draft.language, "entity__"))
            .order_by("receipt_number")
            .values_list("receipt_number", "group_id", "channel", "consent", "entity_label")
        )
        found = []
        for receipt, group_id, channel, consent, entity in rows.iterator(chunk_size=5000):
            if group_id not in group_labels:  # a group the consultation no longer lists: still named
                group_labels[group_id] = str(StakeholderGroup.objects.get(pk=group_id).label)
            found.append(
                (
                    receipt,
                    group_labels[group_id],
                    channel_labels.get(channel, channel),
                    (entity or "") if consent == Consent.NAMED else hidden.get(consent, _("Not published")),
                )
            )
        public = {row[0] for row in found}
        _redraft_unpublished(consultation, paragraphs, public)
        sections, number, note_number, current, letters = [], 0, 0, None, 0
        cited_in: dict[str, list[int]] = defaultdict(list)
        for paragraph in paragraphs:
            if current is None or current["key"] != paragraph.section:
                current = {"key": paragraph.section, "title": Section(paragraph.section).label, "items": []}
                if paragraph.section != Section.SUMMARY:
                    current["numeral"] = ROMAN[len([s for s in sections if s["key"] != Section.SUMMARY])]
                sections.append(current)
                letters = 0
            if paragraph.kind == ReportParagraph.Kind.HEADING:
                letters += 1
                current["items"].append(Numbered(None, paragraph, letter=LETTERS[(letters - 1) % len(LETTERS)]))
                continue
            is_numbered = paragraph.kind == ReportParagraph.Kind.TEXT and paragraph.section != Section.SUMMARY
            if is_numbered:
                number += 1
            sources = (
                paragraph.sources
                if public.issuperset(paragraph.sources)
                else [r for r in paragraph.sources if r in public]
            )
            if is_numbered and paragraph.section in SYNTHESIS:
                for receipt in sources:
                    cited_in[receipt].append(number)
            notes = []
            for text in paragraph.notes:
                note_number += 1
                notes.append(Note(note_number, text))
            current["items"].append(
                Numbered(number if is_numbered else None, paragraph, citation(sources), notes, sources=sources)
            )
        annex = [AnnexRow(*row, row[0] in cited_in) for row in found]
        del found
        rtl = draft.language == "ar"
        title, title_language, title_mark = localized(consultation, "title")
        front = front_matter(draft)
        uncited = [row.receipt for row in annex if not row.cited]
        return {
            "draft": draft,
            "consultation": consultation,
            "title": title,
            "title_language": title_language,
            "title_mark": title_mark,
            "language": draft.language,
            "rtl": rtl,
            "sections": sections,
            "table": table,
            "table_title": _("Table: Contributions by stakeholder group and channel"),
            "chart_titles": {
                "organization.chart": _("Figure I: Contributions by stakeholder group and channel"),
                "issues.chart": _("Figure II: The issues raised most often, by stakeholder group"),
            },
            "charts": _charts(table, issue_rows, groups, rtl),
            "groups": [group_labels[g.pk] for g in groups],
            "annex": annex,
            "cited_in": cited_in,
            # The annex's last column, written once for the four formats.
            "cited_cells": {receipt: ", ".join(map(str, numbers)) for receipt, numbers in cited_in.items()},
            "coverage": {"cited": len(annex) - len(uncited), "total": len(annex), "uncited": uncited},
            "front": front,
            "annex_title": annex_title(),
            "annex_legend": labelled(_("Contributor"), _("Receipt number")),
            "colon": labelled("", ""),
            "symbol": front["symbol"],
            "date": front["date"],
        }


def _annex_table_rows(ctx: dict) -> str:
    """The annex table's rows, written here: a template loop over 100,000 rows takes seconds. A group, a channel or
    a contributor is escaped once, however many rows name it."""
    cells = ctx["cited_cells"]
    escaped = _Memo(escape_html)
    return mark_safe(
        "".join(
            f"<tr><td>{escape_html(r.receipt)}</td><td>{escaped[r.group]}</td><td>{escaped[r.channel]}</td>"
            f"<td>{escaped[r.entity]}</td><td>{cells.get(r.receipt, '—')}</td></tr>"
            for r in ctx["annex"]
        )
    )


class _Memo(dict):
    """``memo[value]`` is ``function(value)``, computed once per value."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        result = self[value] = self.function(value)
        return result


def footnotes(ctx: dict) -> list[Note]:
    return [note for section in ctx["sections"] for item in section["items"] for note in item.notes]


def coverage_lines(ctx: dict) -> list[str]:
    """Coverage as what it is: how many contributions the synthesis (chapters on the issues, the mechanisms and the
    role of the United Nations, and the conclusions) cites, and which it does not, by receipt number. The chapters
    that count every contribution (the table) would make any coverage complete."""
    coverage = ctx["coverage"]
    chapters = [s["numeral"] for s in ctx["sections"] if s["key"] in SYNTHESIS and s.get("numeral")]
    lines = [
        ngettext(
            "Coverage: the paragraphs of chapters %(chapters)s cite %(cited)s of the %(total)s public contribution "
            "listed in the annex.",
            "Coverage: the paragraphs of chapters %(chapters)s cite %(cited)s of the %(total)s public contributions "
            "listed in the annex.",
            coverage["total"],
        )
        % {
            "chapters": formats.listing(chapters, translation.get_language()) if chapters else "—",
            "cited": formats.number(coverage["cited"], translation.get_language()),
            "total": formats.number(coverage["total"], translation.get_language()),
        }
    ]
    if coverage["uncited"]:
        lines.append(
            _("Not cited in those chapters (%(count)s): %(receipts)s.")
            % {
                "count": formats.number(len(coverage["uncited"]), translation.get_language()),
                "receipts": receipt_ranges(coverage["uncited"]),
            }
        )
    return lines


# A citation longer than this (about five printed lines) is printed with the sources of the paragraphs, after the body.
PRINT_INLINE_CITATION = 600


def _print_citations(ctx: dict) -> tuple[list[dict], list[dict], str]:
    """The body for print, with each long citation replaced by a pointer to the sources of the paragraphs, and those
    sources: each paragraph's receipt numbers, complete, shortened as page ranges are (``000103, 07, 12``).

    On screen a long citation is one scroll; on paper the citations of 100,000 contributions were 300 pages between
    the paragraphs, and WeasyPrint's time grows with the glyphs it lays out: shortened, they take half of both."""
    sections, sources = [], []
    for section in ctx["sections"]:
        items = []
        for item in section["items"]:
            if item.number is not None and len(item.refs) > PRINT_INLINE_CITATION:
                count = _contributions(len(item.sources))
                pointer = _("%(contributions)s, listed in the sources of paragraph %(number)s") % {
                    "contributions": count,
                    "number": item.number,
                }
                shortened = receipt_ranges(item.sources, shorten=True)
                sources.append(
                    {
                        "number": item.number,
                        "count": count,
                        "parts": _pieces(shortened),
                        "first": min(item.sources),
                    }
                )
                item = replace(item, refs=pointer)
            items.append(item)
        sections.append({**section, "items": items})
    return sections, sources, _shortening_example(sources[0]["first"]) if sources else ""


def _shortening_example(receipt: str) -> str:
    """How to read a shortened list, shown on this consultation's own receipt numbers."""
    prefix, digits = _split_receipt(receipt)
    width = len(digits) or 6
    example = [f"{prefix}{number:0{width}d}" for number in (103, 107, 112, 215)]
    return _(
        "Each paragraph's receipt numbers, complete. After the first number of a list, a number is written with only "
        "its last digits, those that differ from the number before it: %(short)s stands for %(full)s."
    ) % {"short": receipt_ranges(example, shorten=True), "full": formats.listing(example, translation.get_language())}


def _unbroken(name: str, rtl: bool) -> str:
    """A name written in the other direction than the report's, unbreakable: WeasyPrint lays out each line
    apart, and a line that began inside such a name would lose the name's isolation and reorder the whole line."""
    for char in name:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return name.replace(" ", "\u00a0").translate(_NO_BREAK) if (direction != "L") != rtl else name
    return name


# Below this many contributions the printed annex spells every receipt number out in full, so a reader (or a
# search in the PDF) finds "EC2010-W-000012" as written on the receipt; above it, the saving in pages matters more.
PRINT_DIGITS_FROM = 5000


def _annex_blocks(ctx: dict) -> tuple[list[str], str]:
    """The annex for print, one piece of HTML per stakeholder group and channel, and how to read it.

    Each piece is a heading, then each contributor with the receipt numbers of its contributions, run in: the same
    facts as the table, in a tenth of the pages. When all the receipt numbers of a heading begin alike (the
    consultation's prefix and the channel's letter), that beginning is written once, in the heading, and each number
    by its digits: WeasyPrint's time follows the glyphs it lays out."""
    blocks: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in ctx["annex"]:
        blocks[row.group, row.channel][row.entity].append(row.receipt)
    hidden = {_("Anonymous"), _("Not published")}
    colon = labelled("", "")  # the language's colon with its spaces: ": ", " : " (no-break space), "："
    group_order = {label: i for i, label in enumerate(ctx["groups"])}
    channel_order = {str(label): i for i, (_value, label) in enumerate(Channel.choices)}
    pieces, example = [], None
    for group, channel in sorted(
        blocks, key=lambda k: (group_order.get(k[0], len(group_order)), channel_order.get(k[1], 9), k)
    ):
        by_entity = blocks[group, channel]
        count = formats.number(sum(len(r) for r in by_entity.values()), translation.get_language())
        split = {entity: [_split_receipt(r) for r in receipts] for entity, receipts in by_entity.items()}
        prefixes = {prefix for parts in split.values() for prefix, digits in parts if digits}
        common = (
            prefixes.pop()
            if len(ctx["annex"]) >= PRINT_DIGITS_FROM
            and len(prefixes) == 1
            and all(d for parts in split.values() for _p, d in parts)
            else None
        )
        heading = f"{escape(group)} · {escape(channel)} ({count})"
        if common is not None:
            heading += f' · <span dir="ltr">{escape(common)}…</span>'
            example = example or (common, next(iter(split.values()))[0][1])
        out = [f'<h3 class="annex-block">{heading}</h3>']
        # Run in, as a printed index is: "Contributor: 000012, 000345; Next contributor: 000017". A paragraph, a
        # line or a bold name per contributor doubled the annex's pages and its layout time. Paragraphs of about
        # 2,000 characters, because WeasyPrint re-reads a paragraph's remaining text at each line; one that stops
        # within a list ends with its separator.
        entities = sorted(by_entity, key=lambda e: (e in hidden, e.casefold()))
        paragraph, length = [], 0
        for i, entity in enumerate(entities):
            if common is not None:
                receipts = [digits for _prefix, digits in split[entity]]
            else:
                receipts = [r.translate(_NO_BREAK) for r in by_entity[entity]]
            # The name isolated (FSI ... PDI): a Latin name in an Arabic report keeps its colon after it.
            label = f"\u2068{_unbroken(entity, ctx['rtl'])}\u2069{colon}"
            for j, receipt in enumerate(receipts):
                separator = ", " if j < len(receipts) - 1 else "; " if i < len(entities) - 1 else ""
                if ctx["rtl"]:
                    # Isolated too (LRI ... PDI): otherwise a number, the separator, the next Latin name and its
                    # number make one left-to-right run, and in a right-to-left line that run shows the next
                    # contributor's number beside this contributor's name.
                    receipt = f"\u2066{receipt}\u2069"
                token = label + receipt + separator
                label = ""
                paragraph.append(token)
                length += len(token)
                if length >= 2000:
                    out.append(f'<p class="annex-entry">{escape("".join(paragraph).rstrip())}</p>')
                    paragraph, length = [], 0
        if paragraph:
            out.append(f'<p class="annex-entry">{escape("".join(paragraph).rstrip())}</p>')
        pieces.append("".join(out))
    note = ""
    if example:
        prefix, digits = example
        note = _("Under a heading ending with %(prefix)s…, %(digits)s stands for receipt number %(receipt)s.") % {
            "prefix": prefix,
            "digits": digits,
            "receipt": prefix + digits,
        }
    return pieces, note


# What each document shows: all of it on the site and in a short PDF; a long PDF in two documents, joined.
WHOLE = {"show_body": True, "sources_head": True, "show_annex": True, "annex_head": True, "annex_end": True}


def to_html(draft: ReportDraft, *, standalone: bool = True, ctx: dict | None = None) -> str:
    ctx = ctx or context(draft)
    with translation.override(draft.language):
        return render_to_string(
            "reports/report.html",
            {
                **ctx,
                **WHOLE,
                "standalone": standalone,
                "annex_rows": _annex_table_rows(ctx),
                "charts_svg": {k: base64.b64encode(v["svg"]).decode() for k, v in ctx["charts"].items()},
                "charts_phone_svg": {k: base64.b64encode(v["phone_svg"]).decode() for k, v in ctx["charts"].items()},
                "footnotes": footnotes(ctx),
                "coverage_lines": coverage_lines(ctx),
            },
        )


# From this many contributions, the PDF is laid out as two documents at once, in two processes, and joined.
PDF_TWO_PROCESSES_FROM = 5000


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _may_fork() -> bool:
    """Fork only a single-threaded process (the command, a task): a thread of a web server could hold a lock of
    fontconfig or Pango at the fork, and the child would wait for it forever."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


_TAG = re.compile(r"<[^>]*>")


def _text_length(html: str) -> int:
    """What WeasyPrint's time follows: the text to lay out, not the markup nor the charts' data."""
    return len(_TAG.sub("", html))


def _split(first: int, blocks: list[int]) -> int:
    """How many blocks follow the body in the first document, so that both take about as long: layout time
    follows the length of the text to lay out (the body, of ``first`` characters, then each block's)."""
    total = first + sum(blocks)
    best, best_cost, done = 0, total, first
    for k in range(len(blocks) + 1):
        cost = max(done, total - done)
        if cost < best_cost:
            best, best_cost = k, cost
        if k < len(blocks):
            done += blocks[k]
    return best


def _source_length(entry: dict) -> int:
    return len(entry["count"]) + sum(len(part) for part in entry["parts"])


def to_pdf(draft: ReportDraft, ctx: dict | None = None) -> bytes:
    ctx = ctx or context(draft)
    documents = _print_documents(ctx, split=len(ctx["annex"]) >= PDF_TWO_PROCESSES_FROM and _may_fork())
    if len(documents) == 1:
        return _write_pdf(documents[0])
    # WeasyPrint lays out on one core. The forked process only lays out HTML: it touches neither the database nor
    # Django.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        second_pdf = pool.submit(_write_pdf, documents[1])
        first_pdf = _write_pdf(documents[0])
        return _join_numbered([first_pdf, second_pdf.result()])


def _print_documents(ctx: dict, *, split: bool) -> list[str]:
    """The printed report as one HTML document, or (``split``) two that take about as long to lay out: the body
    and what follows it, cut between two paragraphs' sources or two annex headings."""
    with translation.override(ctx["language"]):
        sections, sources, legend = _print_citations(ctx)
        blocks, annex_note = _annex_blocks(ctx)
        base = {
            **ctx,
            "standalone": True,
            "print": True,  # footnotes at the foot of their page
            "charts_svg": {k: base64.b64encode(v["svg"]).decode() for k, v in ctx["charts"].items()},
            "coverage_lines": coverage_lines(ctx),
            "sections": sections,
            "sources": sources,
            "sources_legend": legend,
            "annex_note": annex_note,
        }
        whole = {**base, **WHOLE, "annex_blocks": _html(blocks)}
        if not split:
            return [render_to_string("reports/report.html", whole)]
        # At 100,000 contributions the sources of the paragraphs outweigh the annex: the cut may fall among them.
        body = render_to_string("reports/report.html", {**base, "show_body": True, "sources": [], "joined": True})
        k = _split(_text_length(body), [_source_length(e) for e in sources] + [_text_length(block) for block in blocks])
        if k == len(sources) + len(blocks):  # the rest is short beside the body: nothing to lay out beside it
            return [render_to_string("reports/report.html", whole)]
        cut = max(k - len(sources), 0)  # the annex blocks in the first document
        first = {
            **base,
            **WHOLE,
            "sources": sources[:k],
            "annex_end": False,
            "show_annex": cut > 0,
            "annex_blocks": _html(blocks[:cut]),
            "joined": True,
        }
        second = {
            **base,
            **WHOLE,
            "show_body": False,
            "sources": sources[k:],
            "sources_head": k == 0,
            "annex_head": cut == 0,
            "annex_blocks": _html(blocks[cut:]),
            "joined": True,
            "continued": True,
        }
        return [render_to_string("reports/report.html", first), render_to_string("reports/report.html", second)]


def _html(pieces: list[str]) -> str:
    return mark_safe("".join(pieces))  # each piece escaped where it was written


def _join_numbered(parts: list[bytes]) -> bytes:
    """One PDF of the parts, each page numbered "n/total" at the foot, where a single document has its numbers."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    reader_metadata = PdfReader(io.BytesIO(parts[0])).metadata
    if reader_metadata:
        writer.add_metadata(reader_metadata)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        label = f"{number}/{total}"
        # Helvetica's digits are 0.556 em wide and its slash 0.278 em: centre the label at the foot, 9 pt.
        width = (0.556 * (len(label) - 1) + 0.278) * 9
        box = page.mediabox
        x = float(box.left) + (float(box.width) - width) / 2
        y = float(box.bottom) + 31
        resources = page[NameObject("/Resources")].get_object()
        if NameObject("/Font") not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources[NameObject("/Font")].get_object()[NameObject("/ConcordPageNumber")] = font
        # The page's own graphics state is saved before its content and restored after it, then the number drawn.
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(f"\nQ BT /ConcordPageNumber 9 Tf {x:.2f} {y:.2f} Td ({label}) Tj ET\n".encode())
        contents = page[NameObject("/Contents")]
        existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *existing, writer._add_object(after)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _title(ctx: dict) -> str:
    return f"{ctx['title']} {ctx['title_mark']}" if ctx["title_mark"] else ctx["title"]


# Characters that Markdown reads as markup anywhere in a line: emphasis, code, links and images, raw HTML and
# autolinks, table cells, strike-through; "&" only where it would start a character reference.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])|&(?=#?\w+;)")
# What starts a block at the beginning of a line: headings, quotes, lists, thematic breaks, setext underlines.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))", re.M)


def md_text(value, *, cell: bool = False) -> str:
    """``value`` as Markdown that shows it as typed: the report quotes contributions, and HTML or Markdown in one
    must not become markup (a script, a link, an image fetched from elsewhere) in a Markdown viewer. Backslash
    escapes rather than HTML entities, so that the file stays readable as text. In a table ``cell``, line ends
    become spaces (a line end would end the row)."""
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(0), str(value))
    if cell:
        return " ".join(text.split())
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _md_front(ctx: dict) -> list[str]:
    """The front matter as a block under the title: each line its own (a backslash at a line's end breaks it)."""
    front = ctx["front"]
    left = [f"**{md_text(_('United Nations'))}** · {md_text(front['symbol'])}"]
    left += [f"**{md_text(organ)}**" for organ in front["organs"]]
    left += [md_text(line) for line in ([front["session"]] if front["session"] else []) + front["agenda_items"]]
    right = [front["distribution"], *([front["date"]] if front["date"] else []), front["original_line"]]
    return [" \\\n".join(left), "", " \\\n".join(md_text(line) for line in right), ""]


def to_markdown(draft: ReportDraft, ctx: dict | None = None) -> str:
    ctx = ctx or context(draft)
    with translation.override(draft.language):
        lines = [f"# {md_text(_title(ctx))}", "", *_md_front(ctx)]
        notes = []
        for section in ctx["sections"]:
            heading = (
                f"{section.get('numeral', '')}. {section['title']}" if section.get("numeral") else section["title"]
            )
            lines += [f"## {md_text(heading)}", ""]
            for item in section["items"]:
                p = item.paragraph
                if p.kind == ReportParagraph.Kind.TABLE:
                    table = ctx["table"]
                    header = table.header()
                    lines += [f"**{md_text(ctx['table_title'])}**", ""]
                    lines.append("| " + " | ".join(md_text(x, cell=True) for x in header) + " |")
                    lines.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
                    lines += ["| " + " | ".join(md_text(x, cell=True) for x in row) + " |" for row in table.body()]
                elif p.kind == ReportParagraph.Kind.CHART:
                    continue  # a chart shows in the HTML, PDF and DOCX; its numbers are in the table above
                elif p.kind == ReportParagraph.Kind.HEADING:
                    lines.append(f"### {item.letter}. {md_text(p.text)}")
                else:
                    prefix = f"{item.number}. " if item.number else ""
                    calls = "".join(f"[^{note.number}]" for note in item.notes)
                    notes += item.notes
                    refs = f" [{md_text(item.refs)}]" if item.refs else ""
                    lines.append(f"{prefix}{md_text(p.text)}{calls}{refs}")
                lines.append("")
        # Footnotes as Markdown readers know them (GitHub, Pandoc): a call [^n] and its text [^n]: ...
        lines += [f"[^{note.number}]: {md_text(note.text, cell=True)}" for note in notes]
        if notes:
            lines.append("")
        lines += [f"## {md_text(_('Coverage of the contributions'))}", ""]
        lines += [line for text in coverage_lines(ctx) for line in (md_text(text), "")]
        lines += [f"## {annex_title()}", ""]
        header = [_("Receipt number"), _("Stakeholder group"), _("Channel"), _("Contributor"), _("Cited in paragraphs")]
        lines.append("| " + " | ".join(md_text(h, cell=True) for h in header) + " |")
        lines.append("|---|---|---|---|---|")
        cells = ctx["cited_cells"]
        written = _Memo(lambda value: md_text(value, cell=True))  # a group, channel or contributor: once
        lines += [
            f"| {md_text(r.receipt, cell=True)} | {written[r.group]} | {written[r.channel]} | {written[r.entity]} "
            f"| {cells.get(r.receipt, '—')} |"
            for r in ctx["annex"]
        ]
    return "\n".join(lines) + "\n"


# DOCX ----------------------------------------------------------------------------------------------------------------

_FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class _Footnotes:
    """Word footnotes, which python-docx does not write: a footnotes part and references to it."""

    def __init__(self, document):
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_FOOTNOTES_XML), document.part.package
        )
        document.part.relate_to(self.part, RT.FOOTNOTES)
        self.next_id = 1

    def add(self, paragraph, text: str, rtl: bool) -> None:
        from xml.sax.saxutils import escape

        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        note_id = self.next_id
        self.next_id += 1
        bidi = "<w:bidi/>" if rtl else ""
        self.part.element.append(
            parse_xml(
                f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>{bidi}</w:pPr>'
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            )
        )
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{note_id}"/></w:r>'
            )
        )


def _rtl(paragraph) -> None:
    from docx.oxml import OxmlElement

    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _docx_table(document, header: list, rows: list[list], rtl: bool):
    """A real Word table, written as one XML fragment: python-docx's add_row is quadratic on long annexes."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    bidi = "<w:bidi/>" if rtl else ""
    run_rtl = "<w:rtl/>" if rtl else ""

    def cell(value, bold=False):
        rpr = f"<w:rPr>{'<w:b/>' if bold else ''}{run_rtl}</w:rPr>"
        text = str(value)
        # xml:space only where it matters: lxml takes quadratic time to move a table of 100,000 rows that carry it
        # into the document.
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<w:tc><w:p><w:pPr>{bidi}</w:pPr><w:r>{rpr}<w:t{space}>{escape(text)}</w:t></w:r></w:p></w:tc>"

    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="777777"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join("<w:gridCol/>" for _ in header)
    written = _Memo(cell)  # a group, a channel or a contributor: written once, however many rows name it
    body = "".join("<w:tr>" + "".join(written[v] for v in row) + "</w:tr>" for row in rows)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
        f"{'<w:bidiVisual/>' if rtl else ''}<w:tblBorders>{borders}</w:tblBorders></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{''.join(cell(h, bold=True) for h in header)}</w:tr>{body}</w:tbl>"
    )
    table = parse_xml(xml)
    document.element.body.insert(len(document.element.body) - 1, table)  # before the section properties
    return table


def to_docx(draft: ReportDraft, ctx: dict | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    ctx = ctx or context(draft)
    rtl = ctx["rtl"]
    with translation.override(draft.language):
        document = docx.Document()
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        style = document.styles["Normal"]
        style.font.name = "Noto Sans"
        style.font.size = Pt(10.5)
        header = section.header.paragraphs[0]
        header.text = f"{ctx['symbol']}"
        footnotes = _Footnotes(document)

        def para(text, style=None):
            p = document.add_paragraph(text, style=style)
            if rtl:
                _rtl(p)
            return p

        def bold(text):
            p = document.add_paragraph()
            p.add_run(text).bold = True
            if rtl:
                _rtl(p)
            return p

        front = ctx["front"]
        # The front matter: "United Nations" and the symbol on one line, the organs, session and agenda items, then
        # distribution, date of issue and original language at the end of the line, as on a UN document.
        first = document.add_paragraph()
        first.add_run(_("United Nations")).bold = True
        first.add_run("\t")
        first.add_run(front["symbol"]).bold = True
        first.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
        if rtl:
            _rtl(first)
        for organ in front["organs"]:
            bold(organ)
        for line in ([front["session"]] if front["session"] else []) + front["agenda_items"]:
            para(line)
        for line in [front["distribution"], *([front["date"]] if front["date"] else []), front["original_line"]]:
            para(line).alignment = WD_ALIGN_PARAGRAPH.LEFT if rtl else WD_ALIGN_PARAGRAPH.RIGHT
        document.add_heading(_title(ctx), level=0)
        for sec in ctx["sections"]:
            title = f"{sec['numeral']}. {sec['title']}" if sec.get("numeral") else sec["title"]
            heading = document.add_heading(title, level=1)
            if rtl:
                _rtl(heading)
            for item in sec["items"]:
                p = item.paragraph
                if p.kind == ReportParagraph.Kind.TABLE:
                    table = ctx["table"]
                    bold(ctx["table_title"])
                    _docx_table(document, table.header(), table.body(), rtl)
                elif p.kind == ReportParagraph.Kind.CHART:
                    image = ctx["charts"].get(p.key)
                    if image:
                        bold(ctx["chart_titles"].get(p.key, ""))
                        document.add_picture(io.BytesIO(image["png"]), width=Cm(15))
                elif p.kind == ReportParagraph.Kind.HEADING:
                    heading = document.add_heading(f"{item.letter}. {p.text}", level=2)
                    if rtl:
                        _rtl(heading)
                else:
                    paragraph = para(f"{item.number}. {p.text}" if item.number else p.text)
                    for note in item.notes:
                        footnotes.add(paragraph, note.text, rtl)
                    if item.refs:
                        footnotes.add(paragraph, item.refs, rtl)
        heading = document.add_heading(_("Coverage of the contributions"), level=1)
        if rtl:
            _rtl(heading)
        for line in coverage_lines(ctx):
            para(line)
        heading = document.add_heading(annex_title(), level=1)
        if rtl:
            _rtl(heading)
        cells = ctx["cited_cells"]
        _docx_table(
            document,
            [_("Receipt number"), _("Stakeholder group"), _("Channel"), _("Contributor"), _("Cited in paragraphs")],
            [(*r[:4], cells.get(r.receipt, "—")) for r in ctx["annex"]],
            rtl,
        )
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


RENDERERS = {"html": to_html, "md": to_markdown, "pdf": to_pdf, "docx": to_docx}
