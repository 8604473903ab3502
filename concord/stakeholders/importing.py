"""Reading a registry file: one CSV row per entity, checked before anything is written.

Columns (header row, any order, case-insensitive): ``name``, ``category``, ``group``, ``country``, ``language``,
``emails``, and optionally ``id`` (a stable identifier from the source list). ``category`` and ``group`` are slugs;
``group`` may be empty when the category has a default group; ``emails`` are separated by ``;``, ``,`` or spaces.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from .models import EntityCategory, StakeholderGroup

REQUIRED_COLUMNS = ["name", "category"]
KNOWN_COLUMNS = ["id", "name", "category", "group", "country", "language", "emails"]
# Common spellings of the same column.
ALIASES = {"external_id": "id", "stable_id": "id", "email": "emails", "stakeholder_group": "group", "lang": "language"}
LANGUAGE_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh_hans": "zh-hans"}
MAX_ROWS = 100_000


@dataclass
class Row:
    line: int
    name: str
    category: EntityCategory
    group: StakeholderGroup
    country: str
    language: str
    emails: list[str]
    external_id: str = ""


@dataclass
class Rejected:
    line: int
    reason: str
    raw: dict = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list[Row]
    rejected: list[Rejected]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Windows-1252 text."))


def parse(data: bytes | str) -> Parsed:
    """Check every row; good rows come back typed, bad ones with their line number and the reason."""
    text = _decode(data) if isinstance(data, bytes) else data
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ValidationError(_("The file is empty."))
    columns = {}
    for name in reader.fieldnames:
        key = (name or "").strip().lower().replace(" ", "_")
        columns[name] = ALIASES.get(key, key)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise ValidationError(_("Missing columns: %s.") % ", ".join(missing))

    categories = {c.slug: c for c in EntityCategory.objects.select_related("default_group")}
    groups = {g.slug: g for g in StakeholderGroup.objects.all()}
    languages = {code for code, _name in settings.LANGUAGES}
    rows, rejected = [], []
    seen_ids, seen_keys = {}, {}
    for index, raw in enumerate(reader):
        line = index + 2  # the header is line 1
        if index >= MAX_ROWS:
            rejected.append(Rejected(line, _("More than %d rows: split the file.") % MAX_ROWS))
            break
        if None in raw:
            rejected.append(Rejected(line, _("More cells than columns."), _clean_raw(raw)))
            continue
        values = {columns[k]: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(values.values()):
            continue  # blank line
        try:
            row = _row(line, values, categories, groups, languages)
        except ValidationError as exc:
            rejected.append(Rejected(line, " ".join(exc.messages), _clean_raw(raw)))
            continue
        key = (row.name.casefold(), row.country)
        if row.external_id and row.external_id in seen_ids:
            rejected.append(
                Rejected(line, _("Same identifier as line %d.") % seen_ids[row.external_id], _clean_raw(raw))
            )
            continue
        if not row.external_id and key in seen_keys:
            rejected.append(Rejected(line, _("Same name and country as line %d.") % seen_keys[key], _clean_raw(raw)))
            continue
        if row.external_id:
            seen_ids[row.external_id] = line
        seen_keys.setdefault(key, line)
        rows.append(row)
    return Parsed(rows=rows, rejected=rejected)


def _clean_raw(raw: dict) -> dict:
    return {str(k): v if isinstance(v, str) else " ".join(v or []) for k, v in raw.items()}


def _row(line, values, categories, groups, languages) -> Row:
    name = " ".join(values.get("name", "").split())
    if not name:
        raise ValidationError(_("No name."))
    if len(name) > 300:
        raise ValidationError(_("The name is longer than 300 characters."))
    category = categories.get(values.get("category", "").lower())
    if category is None:
        raise ValidationError(_("Unknown category “%s”.") % values.get("category", ""))
    group_slug = values.get("group", "").lower()
    if group_slug:
        group = groups.get(group_slug)
        if group is None:
            raise ValidationError(_("Unknown stakeholder group “%s”.") % values["group"])
    else:
        group = category.default_group
        if group is None:
            raise ValidationError(_("No stakeholder group, and the category has no default."))
    country = values.get("country", "").upper()
    if country and country not in countries:
        raise ValidationError(_("Unknown country code “%s” (use ISO 3166 alpha-2).") % values["country"])
    language = values.get("language", "").lower().replace("_", "-")
    language = LANGUAGE_ALIASES.get(language, language)
    if language and language not in languages:
        raise ValidationError(_("Language “%s” is not one of the six UN languages.") % values["language"])
    emails = [e for e in re.split(r"[;,\s]+", values.get("emails", "")) if e]
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Invalid e-mail address “%s”.") % email) from None
    external_id = values.get("id", "")
    if len(external_id) > 120:
        raise ValidationError(_("The identifier is longer than 120 characters."))
    return Row(
        line=line,
        name=name,
        category=category,
        group=group,
        country=country,
        language=language,
        emails=list(dict.fromkeys(e.lower() for e in emails)),
        external_id=external_id,
    )
