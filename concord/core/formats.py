"""Dates, numbers and lists in the six UN languages, the way United Nations documents write them.

One module that every public page, the report and its exports go through, so a date reads the same in the record
list, on the consultation page and in the PDF. CLDR (through Babel) gives grouping, percent patterns, list
punctuation and language names; on top of it sit the UN editorial habits that CLDR does not know: "1er" for the
first day of a French month, "года" after a Russian year, the Arabic double month names ("كانون الأول/ديسمبر")
and Latin digits in every language.

``lang`` is always a Django language code (``en``, ``fr``, ``es``, ``ar``, ``zh-hans``, ``ru``); anything else
falls back to English rather than failing, because a page must render whatever the request says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

__all__ = [
    "LRI",
    "FSI",
    "PDI",
    "babel_locale",
    "date_range",
    "isolate",
    "language_name",
    "listing",
    "month_year",
    "number",
    "percent",
    "time_of_day",
    "time_range",
    "un_date",
]

# Unicode directional isolates: first-strong (direction from the text itself), left-to-right, and their end.
FSI = "\u2068"
LRI = "\u2066"
PDI = "\u2069"

_BABEL_CODES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "zh-hans": "zh_Hans", "ru": "ru"}

# UN Arabic documents name each month twice, the Levantine name then the Egyptian one, and write June and July
# as يونيه and يوليه (CLDR has يونيو / يوليو and only the Egyptian names).
_ARABIC_MONTHS = (
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيه",
    "تموز/يوليه",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
)

# UN Arabic writes English as الإنكليزية (CLDR: الإنجليزية); UN Chinese names the language of a text with 文
# ("原文：法文"), where CLDR gives the spoken-language 语 forms. Other names come from CLDR.
_NAME_OVERRIDES = {
    "ar": {"en": "الإنكليزية"},
    "zh-hans": {"ar": "阿拉伯文", "zh": "中文", "en": "英文", "fr": "法文", "ru": "俄文", "es": "西班牙文"},
}

# Languages whose CLDR names are lower case and are capitalised only at the start of a sentence or a label.
_LOWER_CASE_NAMES = {"fr", "es", "ru"}


def _code(lang: str | None) -> str:
    lang = (lang or "en").lower().replace("_", "-")
    if lang in _BABEL_CODES:
        return lang
    if lang.startswith("zh"):
        return "zh-hans"
    base = lang.split("-")[0]
    return base if base in _BABEL_CODES else "en"


def babel_locale(lang: str | None) -> Locale:
    """The Babel locale for a Django language code (English for anything unknown)."""
    return Locale.parse(_BABEL_CODES[_code(lang)])


def isolate(text: str, *, ltr: bool = False) -> str:
    """Wrap text in a directional isolate, so its direction cannot reorder the sentence around it."""
    return f"{LRI if ltr else FSI}{text}{PDI}"


def number(value: int | float | Decimal, lang: str | None) -> str:
    """A number grouped by CLDR ("1,234" / "1 234" / "1.234"), always in Latin digits as UN documents use."""
    return format_decimal(value, locale=babel_locale(lang), numbering_system="latn")


def percent(share: float, lang: str | None) -> str:
    """A share in 0..1 as a whole percentage by the language's CLDR pattern ("9%", "9 %" in French)."""
    # CLDR percent patterns have no decimals in any of the six languages: whole percentages by construction.
    return format_percent(share, locale=babel_locale(lang), numbering_system="latn")


def listing(items: Iterable[str], lang: str | None, style: str = "and") -> str:
    """Items joined as the language joins a list: "a, b and c", "a、b和c", "أ، وب، وج"."""
    items = [str(item) for item in items]
    code = _code(lang)
    if code == "ar":
        return _arabic_listing(items, style)
    if not items:
        return ""
    if code == "en" and len(items) > 2:
        # CLDR's English pattern has the serial comma; UN English documents do not ("a, b and c").
        return ", ".join(items[:-1]) + (" and " if style == "and" else " or ") + items[-1]
    return format_list(items, style="standard" if style == "and" else "or", locale=babel_locale(code))


def _arabic_listing(items: list[str], style: str) -> str:
    # CLDR joins Arabic lists with و alone; UN Arabic documents separate items with the Arabic comma and repeat
    # the conjunction before each ("الأرجنتين، والبرازيل، وشيلي"). و is written joined to an Arabic word and
    # spaced before a Latin name or a number, which it cannot join.
    if not items:
        return ""
    if style == "or":
        if len(items) == 1:
            return items[0]
        return "، ".join(items[:-1]) + " أو " + items[-1]

    def joined(item: str) -> str:
        return "و" + item if item[:1] and "\u0600" <= item[0] <= "\u06ff" else "و " + item

    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {joined(items[1])}"
    return "، ".join([items[0], *(joined(item) for item in items[1:])])


def _day(day: int, code: str) -> str:
    return "1er" if code == "fr" and day == 1 else str(day)


def un_date(d: dt.date | dt.datetime, lang: str | None) -> str:
    """A date in UN editorial style: "14 December 2010", "1er septembre 2010", "14 كانون الأول/ديسمبر 2010"."""
    code = _code(lang)
    return _date_parts(d, code, day=True, month=True, year=True)


def month_year(d: dt.date | dt.datetime, lang: str | None) -> str:
    """A month and its year: "December 2010", "décembre 2010", "2010年12月", "декабрь 2010 года"."""
    code = _code(lang)
    if code == "ru":
        month = babel_locale(code).months["stand-alone"]["wide"][d.month]
        return f"{month} {d.year} года"
    return _date_parts(d, code, day=False, month=True, year=True)


def _month_name(month: int, code: str) -> str:
    if code == "ar":
        return _ARABIC_MONTHS[month - 1]
    # Format (genitive) forms where the language has them: "декабря", not "декабрь".
    return babel_locale(code).months["format"]["wide"][month]


def _date_parts(d: dt.date, code: str, *, day: bool, month: bool, year: bool) -> str:
    """The parts of a date asked for, in the language's order; the pieces of which ranges are built."""
    if code == "zh-hans":
        return (f"{d.year}年" if year else "") + (f"{d.month}月" if month else "") + (f"{d.day}日" if day else "")
    month_name = _month_name(d.month, code)
    parts: list[str] = []
    if day:
        parts.append(_day(d.day, code))
    if month:
        parts.append(f"de {month_name}" if code == "es" and day else month_name)
    if year:
        if code == "es" and month:
            parts.append(f"de {d.year}")
        elif code == "ru":
            parts.append(f"{d.year} года")
        else:
            parts.append(str(d.year))
    return " ".join(parts)


def date_range(a: dt.date, b: dt.date, lang: str | None) -> str:
    """Two dates as one range, the shared month and year written once: "1 September–14 December 2010".

    Chinese writes 至 between the dates ("2010年9月1日至12月14日") and Arabic إلى, because a dash between
    numbers in a right-to-left line is read in the wrong order.
    """
    code = _code(lang)
    if isinstance(a, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime):
        b = b.date()
    if a == b:
        return un_date(a, code)
    same_year = a.year == b.year
    same_month = same_year and a.month == b.month
    if code == "zh-hans":
        end = _date_parts(b, code, day=True, month=not same_month, year=not same_year)
        return f"{un_date(a, code)}至{end}"
    start = _date_parts(a, code, day=True, month=not same_month, year=not same_year)
    end = un_date(b, code)
    if code == "ar":
        return f"{start} إلى {end}"
    if code == "ru" and not same_month:
        # Russian spaces the dash when either side is more than one word.
        return f"{start} – {end}"
    return f"{start}–{end}"


def time_of_day(t: dt.time | dt.datetime, lang: str | None) -> str:
    """A time on the 24-hour clock, "10:00", the same in every language (the meeting's programmes write it so)."""
    return f"{t.hour:02d}:{t.minute:02d}"


def time_range(a: dt.time | dt.datetime, b: dt.time | dt.datetime, lang: str | None) -> str:
    """Two times as a range, "10:00–10:30"; in Arabic isolated left to right so it does not read "10:30–10:00"."""
    text = f"{time_of_day(a, lang)}–{time_of_day(b, lang)}"
    return isolate(text, ltr=True) if _code(lang) == "ar" else text


def language_name(code: str, lang: str | None, *, start: bool = False) -> str:
    """The name of language ``code`` in language ``lang``: "French", "français" (mid-sentence), "Français"."""
    reader = _code(lang)
    # Any ISO 639 code may be asked for (a contribution in German), not only the six UN languages.
    target = (code or "").lower().replace("_", "-").split("-")[0]
    name = _NAME_OVERRIDES.get(reader, {}).get(target)
    if name is None:
        name = babel_locale(reader).languages.get(target) or code
    if reader in _LOWER_CASE_NAMES and not start:
        return name[:1].lower() + name[1:]
    if start:
        return name[:1].upper() + name[1:]
    return name
