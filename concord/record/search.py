"""Full-text search over the public record, on PostgreSQL (text search) and SQLite (FTS5) alike.

The index (``SearchDocument``) holds every contribution's text; who may find what is decided at query time by
``public_contributions``, so a withheld or withdrawn contribution is never found whatever the index holds.

Languages. PostgreSQL indexes each document with its language's configuration (english, french, spanish,
russian, arabic; ``simple`` otherwise) and a query is the OR of its parse under each configuration, so "costs"
finds "cost" in English and "coûts" finds "coût" in French. SQLite's FTS5 uses the porter stemmer over unicode61
without diacritics. Chinese has no word separators: runs of Han characters are indexed, and queried, as
overlapping character bigrams (网络安全 -> 网络 络安 安全) searched as a phrase, which both back ends handle as
ordinary words; a single character is a prefix query over the bigrams.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import unicodedata

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.safestring import SafeString, mark_safe

from concord.contributions.models import Consent, Contribution

CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
ALL_CONFIGS = ["english", "french", "spanish", "russian", "arabic", "simple"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"\w+")
TOKEN = re.compile(r'"([^"]*)"|(\S+)')
MAX_TERMS = 8
SORTS = ("relevance", "newest", "oldest", "receipt")


def config_for(language: str) -> str:
    return CONFIGS.get(language, "simple")


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def fold(text: str) -> str:
    """Latin letters without their diacritics (coûts -> couts), on both sides of the search: PostgreSQL has no
    ``unaccent`` without an extension. Other scripts keep their marks (Russian й is a letter of its own)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        if unicodedata.category(char) == "Mn" and kept and kept[-1] < "\u0250":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def index_text(text: str) -> str:
    """The text as indexed: without Latin diacritics, Han runs replaced by their bigrams."""
    return HAN.sub(lambda m: " " + " ".join(bigrams(m.group())) + " ", fold(text))


@dataclasses.dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, or a phrase (a quoted one, a hyphenated word, Han bigrams)."""

    words: tuple[str, ...]
    prefix: bool = False  # A single Han character: matches every bigram that starts with it.


def parse(query: str) -> list[Term]:
    terms: list[Term] = []
    for match in TOKEN.finditer(query or ""):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        words: list[str] = []
        for word in WORD.findall(fold(raw.lower())):
            pos = 0
            for run in HAN.finditer(word):
                words.extend(w for w in word[pos : run.start()].split("_") if w)
                words.extend(bigrams(run.group()))
                pos = run.end()
            words.extend(w for w in word[pos:].split("_") if w)
        if words:
            prefix = len(words) == 1 and len(words[0]) == 1 and bool(HAN.fullmatch(words[0]))
            terms.append(Term(tuple(words), prefix=prefix))
    return terms[:MAX_TERMS]


# Back ends --------------------------------------------------------------------------------------------------------


def _pg_tsquery(terms: list[Term]) -> tuple[str, list]:
    """``(q_english || q_french || ...)`` where each q is the AND of the terms parsed under that configuration."""
    per_config, params = [], []
    for config in ALL_CONFIGS:
        parts = []
        for term in terms:
            if term.prefix:
                parts.append("to_tsquery('simple', %s)")
                params.append("'" + term.words[0].replace("'", "''") + "':*")
            else:
                parts.append(f"phraseto_tsquery('{config}', %s)")
                params.append(" ".join(term.words))
        per_config.append("(" + " && ".join(parts) + ")")
    return "(" + " || ".join(per_config) + ")", params


def _fts5_expression(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(phrase + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def _matching_ids_sql(terms: list[Term]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms)
        return f"SELECT contribution_id FROM record_searchdocument WHERE tsv @@ {tsquery}", params
    return "SELECT rowid FROM record_search_fts WHERE record_search_fts MATCH %s", [_fts5_expression(terms)]


def _ranked(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    """The queryset joined to the index, with a ``rank`` to sort by (higher is better on both back ends)."""
    table = Contribution._meta.db_table
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms)
        return queryset.extra(
            tables=["record_searchdocument"],
            where=[f"record_searchdocument.contribution_id = {table}.id"],
            select={"rank": f"ts_rank(record_searchdocument.tsv, {tsquery})"},
            select_params=params,
        )
    return queryset.extra(
        tables=["record_search_fts"],
        where=[f"record_search_fts.rowid = {table}.id", "record_search_fts MATCH %s"],
        params=[_fts5_expression(terms)],
        # FTS5's rank is bm25, lower is better.
        select={"rank": "-record_search_fts.rank"},
    )


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The contributions of ``queryset`` that contain every term of ``query`` (all of them when it has none)."""
    terms = parse(query)
    if not terms:
        return queryset
    from django.db.models.expressions import RawSQL

    sql, params = _matching_ids_sql(terms)
    return queryset.filter(pk__in=RawSQL(sql, params))


# Filters, sorting, facets -----------------------------------------------------------------------------------------


@dataclasses.dataclass
class SearchParams:
    q: str = ""
    group: str = ""
    channel: str = ""
    category: str = ""
    country: str = ""
    language: str = ""
    issue: str = ""
    campaign: str = ""  # a campaign id, "any" (part of a campaign) or "none"
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or parse(self.q)):
            return self.sort
        return "relevance" if parse(self.q) else "oldest"


def filtered(queryset: QuerySet, params: SearchParams) -> QuerySet:
    """Every filter but the text query."""
    if params.group:
        queryset = queryset.filter(group__slug=params.group)
    if params.channel:
        queryset = queryset.filter(channel=params.channel)
    if params.category:
        queryset = queryset.filter(entity__category__slug=params.category)
    if params.country:
        queryset = queryset.filter(entity__country=params.country.upper())
    if params.language:
        queryset = queryset.filter(language=params.language)
    if params.issue:
        from concord.policy.models import ContributionIssue, TagSource

        tagged = ContributionIssue.objects.filter(issue__slug=params.issue).exclude(source=TagSource.REJECTED)
        queryset = queryset.filter(pk__in=tagged.values("contribution_id"))
    if params.campaign == "any":
        queryset = queryset.filter(campaign_membership__isnull=False)
    elif params.campaign == "none":
        queryset = queryset.filter(campaign_membership__isnull=True)
    elif params.campaign:
        queryset = queryset.filter(campaign_membership__campaign_id=params.campaign)
    if params.received_from:
        queryset = queryset.filter(received_at__date__gte=params.received_from)
    if params.received_to:
        queryset = queryset.filter(received_at__date__lte=params.received_to)
    return queryset


def results(base: QuerySet, params: SearchParams) -> QuerySet:
    """The matching contributions in the order asked for (``base`` is already restricted to the public)."""
    queryset = matching(filtered(base, params), params.q)
    sort = params.effective_sort
    if sort == "relevance":
        # The filter on ids stays: the join alone would not restrict on PostgreSQL.
        return _ranked(queryset, parse(params.q)).order_by("-rank", "received_at", "id")
    if sort == "newest":
        return queryset.order_by("-received_at", "-id")
    if sort == "receipt":
        return queryset.order_by("receipt_number")
    return queryset.order_by("received_at", "id")


FACETS = {
    "group": "group__slug",
    "channel": "channel",
    "category": "entity__category__slug",
    "country": "entity__country",
    "language": "language",
}


def facets(queryset: QuerySet) -> dict[str, dict[str, int]]:
    """Counts per value of each filter over the matching contributions: one grouped query per facet."""
    from concord.policy.models import CampaignMember, ContributionIssue, TagSource

    unordered = queryset.order_by()
    out: dict[str, dict[str, int]] = {}
    for name, field in FACETS.items():
        rows = unordered.values_list(field).annotate(n=Count("id")).order_by("-n", field)
        out[name] = {value: n for value, n in rows if value}
    ids = unordered.values("id")
    tags = (
        ContributionIssue.objects.filter(contribution__in=ids)
        .exclude(source=TagSource.REJECTED)
        .values_list("issue__slug")
        .annotate(n=Count("contribution", distinct=True))
        .order_by("-n", "issue__slug")
    )
    out["issue"] = dict(tags)
    in_campaign = CampaignMember.objects.filter(contribution__in=ids).count()
    out["campaign"] = {"any": in_campaign} if in_campaign else {}
    return out


# Snippets ---------------------------------------------------------------------------------------------------------

OPEN, CLOSE = "\x01", "\x02"


def _term_pattern(term: Term) -> str:
    pieces = []
    for word in term.words:
        if HAN.fullmatch(word):
            pieces.append(re.escape(word[0]) if term.prefix else None)
            continue
        # A stem-like prefix, so that "costs" also lights up "cost" and "coûts" "coût".
        stem = word if len(word) <= 4 else word[: max(4, len(word) - 2)]
        pieces.append(re.escape(stem) + r"\w*")
    if term.words and all(HAN.fullmatch(w) for w in term.words) and not term.prefix:
        return re.escape(term.words[0] + "".join(w[1:] for w in term.words[1:]))
    return r"\W+".join(p for p in pieces if p)


def snippet(text: str, query: str, width: int = 240) -> SafeString:
    """An HTML-escaped excerpt of ``text`` around the first match, every match wrapped in ``<mark>``."""
    text = " ".join((text or "").split())
    terms = parse(query)
    patterns = [_term_pattern(t) for t in terms]
    regex = re.compile("|".join(f"(?:{p})" for p in patterns if p), re.IGNORECASE) if patterns else None
    first = regex.search(fold(text)) if regex else None
    start = 0
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    excerpt = text[start : start + width]
    if start + width < len(text):
        cut = excerpt.rfind(" ")
        excerpt = (excerpt[:cut] if cut > width // 2 else excerpt) + "…"
    if start:
        excerpt = "…" + excerpt
    if regex:
        # Match on a same-length folded copy, so that "couts" lights up "coûts".
        folded = "".join(f if len(f := fold(char)) == 1 else char for char in excerpt)
        marked, last = [], 0
        for m in regex.finditer(folded):
            marked += [excerpt[last : m.start()], OPEN, excerpt[m.start() : m.end()], CLOSE]
            last = m.end()
        excerpt = "".join(marked) + excerpt[last:]
    escaped = html.escape(excerpt).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our own <mark> tags are added.


def display_text(contribution: Contribution) -> str:
    answers = [a.get("answer", "") for a in contribution.answers or []]
    return "\n".join(p for p in (contribution.text, *answers, contribution.extracted_text) if p)


def document_body(contribution: Contribution) -> str:
    """What the index holds for a contribution: its texts, and its contributor's name only when it is named."""
    parts = [contribution.title, display_text(contribution)]
    if contribution.consent == Consent.NAMED:
        parts.append(contribution.entity.name)
    return index_text("\n".join(p for p in parts if p))


def document_stamp(contribution: Contribution) -> str:
    return (
        f"{contribution.version}:{contribution.consent}:{len(contribution.extracted_text)}:{contribution.sha256[:16]}"
    )
