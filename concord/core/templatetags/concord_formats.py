"""Dates, numbers, lists, language names and translated texts on the public pages, through concord.core.formats.

Every public page loads this library instead of Django's ``date`` / ``floatformat`` filters, so a date reads the
same in the record list, on the consultation page and in the report: "14 December 2010", "1er septembre 2010",
"14 كانون الأول/ديسمبر 2010". Text that may be in another language or direction than the page (an English title on
an Arabic page, a contributor's name) is isolated with ``<bdi>`` so it cannot reorder the sentence around it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from concord.core import formats

register = template.Library()


def _lang() -> str:
    return get_language() or "en"


def _local(value):
    """Aware datetimes in the site's time zone (UTC: pages say so), dates as they are."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def un_date(value) -> str:
    """A date (or a datetime's date) in UN style in the page's language."""
    if not value:
        return ""
    return formats.un_date(_local(value), _lang())


@register.filter
def un_datetime(value) -> str:
    """A date and its time on the 24-hour clock: "14 December 2010, 23:59", "2010年12月14日 23:59"."""
    if not value:
        return ""
    value = _local(value)
    lang = _lang()
    separator = {"zh-hans": " ", "ar": "، "}.get(lang, ", ")
    return f"{formats.un_date(value, lang)}{separator}{formats.time_of_day(value, lang)}"


@register.filter
def month_year(value) -> str:
    return formats.month_year(_local(value), _lang()) if value else ""


@register.simple_tag
def date_range(start, end) -> str:
    """``{% date_range opens closes %}``: "1 September–14 December 2010", the shared month and year once."""
    return formats.date_range(
        _local(start).date() if isinstance(start, dt.datetime) else start,
        _local(end).date() if isinstance(end, dt.datetime) else end,
        _lang(),
    )


@register.filter
def time_of_day(value) -> str:
    return formats.time_of_day(_local(value), _lang()) if value else ""


@register.simple_tag
def time_range(start, end=None) -> str:
    """``{% time_range item.starts_at item.ends_at %}``: "10:00–10:30" in ``<time>`` elements, kept left to right
    on right-to-left pages (``dir="ltr"`` isolates it), so Arabic reads 10:00 then 10:30, never "10:30–10:00"."""
    if not start:
        return ""
    lang = _lang()
    if not end:
        return format_html('<time dir="ltr">{}</time>', formats.time_of_day(start, lang))
    return format_html(
        '<span class="time-range" dir="ltr"><time>{}</time>–<time>{}</time></span>',
        formats.time_of_day(start, lang),
        formats.time_of_day(end, lang),
    )


@register.filter
def number(value) -> str:
    """A count or a quantity grouped by the language's rules, in Latin digits."""
    if value is None or value == "":
        return ""
    return formats.number(value, _lang())


@register.filter
def percent(share) -> str:
    """A share in 0..1 as a whole percentage: "9%", "9 %"."""
    if share is None or share == "":
        return ""
    return formats.percent(share, _lang())


@register.filter
def listing(items, style: str = "and") -> str:
    """Items joined with the language's list punctuation: "a, b and c", "a、b和c", "a، وb"."""
    return formats.listing([str(i) for i in items or []], _lang(), style=style)


@register.filter
def language(code: str, position: str = "") -> str:
    """A language's name in the page's language: lower case mid-sentence in French, Spanish and Russian;
    ``|language:"start"`` at the start of a sentence, a label or a table cell."""
    return formats.language_name(code, _lang(), start=position == "start") if code else ""


@register.filter
def languages(codes) -> str:
    """Names of languages as one list, mid-sentence: "arabe, chinois, anglais, français, russe et espagnol"."""
    lang = _lang()
    return formats.listing([formats.language_name(c, lang) for c in codes or []], lang)


@register.simple_tag
def colon() -> str:
    """The colon after a label, with the space after it: "Mandat : " (a no-break space before it in French),
    "任务：" in Chinese (full width, no space). Write ``{% translate "Mandate" %}{% colon %}{{ value }}``."""
    return {"fr": "\u00a0: ", "zh-hans": "："}.get(_lang(), ": ")


@register.simple_tag
def comma() -> str:
    """The separator between items of a short inline list: "、" in Chinese, "، " in Arabic, ", " elsewhere."""
    return {"zh-hans": "、", "ar": "، "}.get(_lang(), ", ")


@register.simple_tag
def clause_comma() -> str:
    """The comma between two parts of a sentence: "，" in Chinese (not the list's "、"), "، " in Arabic, ", "."""
    return {"zh-hans": "，", "ar": "، "}.get(_lang(), ", ")


@register.simple_tag
def full_stop() -> str:
    """The end of a sentence: "。" in Chinese, "." elsewhere."""
    return "。" if _lang() == "zh-hans" else "."


@register.filter
def bdi(value) -> str:
    """User text (a name, a title) isolated for direction: safe to put inside a sentence of either direction."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@dataclass(frozen=True)
class Localized:
    """A text in the reader's language where the secretariat entered one, else the original, with its language."""

    text: str
    lang: str
    foreign: bool  # not in the page's language: mark it (lang, direction)

    def __str__(self) -> str:
        return self.text


def _text_in(obj, field: str | None) -> Localized:
    lang = _lang()
    text, written_in = obj.text_in(field, lang) if field else obj.text_in(lang)
    return Localized(text or "", written_in, written_in != lang)


@register.simple_tag
def text_in(obj, field: str | None = None) -> Localized:
    """``{% text_in consultation "mandate" as mandate %}`` then ``{{ mandate.text }}``, ``{{ mandate.lang }}``;
    for a question or an agenda item, no field: ``{% text_in question as q %}``."""
    return _text_in(obj, field)


@register.filter
def tr(obj, field: str | None = None) -> str:
    """The plain text of ``obj.field`` in the page's language (for ``<title>`` and attributes)."""
    return _text_in(obj, field).text if obj is not None else ""


@register.filter
def tr_html(obj, field: str | None = None) -> str:
    """``obj.field`` in the page's language; an untranslated original is marked with its language and isolated
    (``<bdi lang="en">``), so an English title cannot scramble an Arabic line."""
    if obj is None:
        return ""
    localized = _text_in(obj, field)
    if localized.foreign:
        return format_html('<bdi lang="{}">{}</bdi>', localized.lang, localized.text)
    return format_html("{}", localized.text)


@register.simple_tag
def lang_attrs(localized: Localized) -> str:
    """`` lang="en" dir="auto"`` for a text shown in another language than the page's; nothing otherwise."""
    if not localized.foreign:
        return ""
    return format_html(' lang="{}" dir="auto"', localized.lang)


@register.filter
def bdi_list(items) -> str:
    """Names listed with the language's punctuation, each isolated: user text inside a right-to-left sentence."""
    items = [str(i) for i in items or []]
    if not items:
        return ""
    marked = [f"\x00{i}\x01" for i in range(len(items))]
    joined = formats.listing(marked, _lang())
    parts = joined.split("\x00")
    html = format_html("{}", parts[0])
    pieces = []
    for part in parts[1:]:
        index, _sep, rest = part.partition("\x01")
        pieces.append((items[int(index)], rest))
    return html + format_html_join("", "<bdi>{}</bdi>{}", pieces)
