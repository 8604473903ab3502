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

import collections
import contextlib
import dataclasses
import datetime as dt
import functools
import html
import re
import unicodedata

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from concord.consultations.models import Consultation
from concord.contributions.models import Consent, Contribution, Moderation, passes_moderation

from .models import SearchDocument

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


class _FoldTable(dict):
    """``str.translate`` table of ``fold``, one character for one, filled as characters are met: a table hit stays in
    C, where a function call per character cost milliseconds per page of snippets."""

    def __missing__(self, code: int) -> int:
        folded = fold(chr(code))
        self[code] = ord(folded) if len(folded) == 1 else code
        return self[code]


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """``fold`` character by character, so that positions in the result are positions in ``text``."""
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def index_text(text: str) -> str:
    """The text as indexed: without Latin diacritics, Han runs replaced by their bigrams."""
    return HAN.sub(lambda m: " " + " ".join(bigrams(m.group())) + " ", fold(text))


@dataclasses.dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, or a phrase (a quoted one, a hyphenated word, Han bigrams)."""

    words: tuple[str, ...]
    prefix: bool = False  # A single Han character: matches every bigram that starts with it.


def parse(query: str) -> list[Term]:
    """The terms of ``query``, at most ``MAX_TERMS``; a search parses its query once for itself and once per hit."""
    return list(_parse(query or ""))


@functools.lru_cache(maxsize=1024)
def _parse(query: str) -> tuple[Term, ...]:
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
    return tuple(terms[:MAX_TERMS])


# Back ends --------------------------------------------------------------------------------------------------------


_PG_OPERAND = re.compile(r"'((?:[^'\\]|''|\\.)*)'(:[*A-D]+)?")
_PG_LINK = re.compile(r"<(-|\d+)>")


@functools.lru_cache(maxsize=4096)
def _pg_parses(term: Term) -> tuple[str, ...]:
    """The term as PostgreSQL parses it under each configuration of ``ALL_CONFIGS``, as tsquery text ("" for
    none: only stop words). Configurations do not change while the server runs, so a term is parsed once."""
    with connection.cursor() as cursor:
        if term.prefix:
            cursor.execute("SELECT to_tsquery('simple', %s)::text", ["'" + term.words[0].replace("'", "''") + "':*"])
            return cursor.fetchone() * len(ALL_CONFIGS)
        text = " ".join(term.words)
        columns = ", ".join(f"phraseto_tsquery('{config}', %s)::text" for config in ALL_CONFIGS)
        cursor.execute(f"SELECT {columns}", [text] * len(ALL_CONFIGS))
        return tuple(cursor.fetchone())


def _unquote(lexeme: str) -> str:
    return re.sub(r"\\(.)", r"\1", lexeme.replace("''", "'"))


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _adjacent_pairs(parsed: str) -> list[str] | None:
    """The pair lexemes (see migration 0004) that a document matching the phrase ``parsed`` must hold: one per
    pair of adjacent words (``<->``); None when ``parsed`` is not a chain of plain words or has no such pair."""
    lexemes, links, pos = [], [], 0
    while pos < len(parsed):
        if parsed[pos] == " ":
            pos += 1
            continue
        match = (_PG_LINK if len(lexemes) > len(links) else _PG_OPERAND).match(parsed, pos)
        if match is None or (match.re is _PG_OPERAND and match.group(2)):
            return None  # an operator or a prefix: not a plain chain of words
        if match.re is _PG_OPERAND:
            lexemes.append(_unquote(match.group(1)))
        else:
            links.append(match.group(1))
        pos = match.end()
    if len(lexemes) != len(links) + 1:
        return None
    adjacent = zip(lexemes[:-1], lexemes[1:], links, strict=True)
    pairs = [_quote(f"{a} {b}") for a, b, link in adjacent if link in ("-", "1")]
    return pairs or None


@dataclasses.dataclass(frozen=True)
class PgQuery:
    """A search as PostgreSQL tsquery text: ``tsquery`` is what a document must match; ``pairs``, when set, is what
    its ``pairs`` column must then match, a far smaller set of candidates to check ``tsquery`` on."""

    tsquery: str
    pairs: str | None


def _pg_query(terms: list[Term]) -> PgQuery | None:
    """``q_english | q_french | ...`` where each q is the AND of the terms parsed under that configuration; the same
    q under two configurations is asked once (a word that stems alike in every language makes one q, not six).
    None when no configuration finds a word to search for (only stop words)."""
    parses = [_pg_parses(term) for term in terms]
    conjuncts: dict[str, list[str] | None] = {}
    for i in range(len(ALL_CONFIGS)):
        parts = [p[i] for p in parses if p[i]]
        if not parts:
            continue
        conjunct = " & ".join(f"( {part} )" for part in parts)
        if conjunct not in conjuncts:
            pairs = [pair for part in parts for pair in (_adjacent_pairs(part) or [])]
            conjuncts[conjunct] = pairs or None
    if not conjuncts:
        return None
    tsquery = " | ".join(f"( {conjunct} )" for conjunct in conjuncts)
    pairs = None
    if all(conjuncts.values()):
        pairs = " | ".join("( " + " & ".join(p) + " )" for p in conjuncts.values())
    return PgQuery(tsquery, pairs)


# The words' GIN index (migration 0007) is on this expression: ``tsv`` plus one lexeme per value of the filters a
# text search most often combines with its words, which no text yields ("=" and spaces never reach a lexeme). It must
# stay the migration's expression, character for character in meaning, or PostgreSQL no longer uses the index.
FILTER_TERMS = (
    "array_to_tsvector(ARRAY["
    "'=group ' || coalesce({table}.group_id::text, ''), '=language ' || {table}.language, "
    "'=channel ' || {table}.channel])"
)
TERMS = f"({{table}}.tsv || {FILTER_TERMS})"


def _pg_where(query: PgQuery | None, filter_terms: tuple[str, ...] = ()) -> tuple[str, list]:
    """The condition on a search document for ``query``, and for the filters given as ``filter_terms``.

    A phrase (a quoted phrase, a Chinese word) is looked up by its pairs of adjacent words: the GIN index on the words
    alone gives every document that holds all of them, tens of thousands for common words at a million documents, and
    PostgreSQL then reads each to check the words' positions (a second to find a phrase of two common words). The
    phrase itself is then checked with ``ts_match_vq``, the function behind ``@@``, which the planner never turns
    into a second index scan on the words. Otherwise the words and the filter terms are one condition on ``TERMS``:
    GIN walks the rarest of their lists and skips ahead in the others, where the AND of the word's bitmap with a
    filter index's read both in full (78,000 and 42,000 entries for a common word, a language and a group)."""
    table = SearchDocument._meta.db_table
    if query is None:
        return "FALSE", []
    filters = " & ".join(map(_quote, filter_terms))
    if query.pairs:
        where = f"{table}.pairs @@ %s::tsquery AND ts_match_vq({table}.tsv, %s::tsquery)"
        if not filters:
            return where, [query.pairs, query.tsquery]
        # The phrase's candidates (28,000 for a common Chinese word) are checked against the filters first, on their
        # lexemes alone, which need neither the tsvector read nor a second index that PostgreSQL would AND in full;
        # CASE keeps that order, which the planner would otherwise turn round (the filters' expression costs more).
        return (
            f"{table}.pairs @@ %s::tsquery AND CASE WHEN ts_match_vq({FILTER_TERMS.format(table=table)}, %s::tsquery) "
            f"THEN ts_match_vq({table}.tsv, %s::tsquery) ELSE FALSE END",
            [query.pairs, filters, query.tsquery],
        )
    return f"{TERMS.format(table=table)} @@ %s::tsquery", [" & ".join(filter(None, [f"( {query.tsquery} )", filters]))]


def _fts5_expression(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(phrase + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def _match(documents: QuerySet, terms: list[Term], *, ranked: bool, filter_terms: tuple[str, ...] = ()) -> QuerySet:
    """The documents that contain every term; with ``ranked``, each with a ``rank`` (higher is better).

    ``filter_terms`` (PostgreSQL): the filters of ``documents`` as lexemes of ``TERMS`` (see ``_filter_terms``)."""
    table = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        query = _pg_query(terms)
        where, params = _pg_where(query, filter_terms)
        documents = documents.extra(where=[where], params=params)
        if ranked:
            rank = f"ts_rank({table}.tsv, %s::tsquery)" if query else "0"
            documents = documents.extra(select={"rank": rank}, select_params=[query.tsquery] if query else [])
        return documents
    expression = _fts5_expression(terms)
    if ranked:
        return documents.extra(
            tables=["record_search_fts"],
            where=[f"record_search_fts.rowid = {table}.contribution_id", "record_search_fts MATCH %s"],
            params=[expression],
            # FTS5's rank is bm25, lower is better.
            select={"rank": "-record_search_fts.rank"},
        )
    fts = "SELECT rowid FROM record_search_fts WHERE record_search_fts MATCH %s"
    return documents.extra(where=[f"{table}.contribution_id IN ({fts})"], params=[expression])


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The contributions of ``queryset`` that contain every term of ``query`` (all of them when it has none)."""
    from django.db.models.expressions import RawSQL

    terms = parse(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        where, params = _pg_where(_pg_query(terms))
        sql = f"SELECT contribution_id FROM {SearchDocument._meta.db_table} WHERE {where}"
    else:
        sql, params = "SELECT rowid FROM record_search_fts WHERE record_search_fts MATCH %s", [_fts5_expression(terms)]
    return queryset.filter(pk__in=RawSQL(sql, params))


# Filters, sorting, facets -----------------------------------------------------------------------------------------

# A search never reads more than this many matches to count them, rank them or count their facets: beyond it the
# count is given as "more than", relevance is ranked among the first COUNT_CAP matches in the index's order (the
# order in which they were indexed) and the facets count those. A million contributions, a common word: the cost
# stays that of COUNT_CAP rows (10,000 cost 100 ms and more at a million contributions on two cores).
COUNT_CAP = 1_000


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


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def documents(consultation: Consultation, params: SearchParams, *, in_terms: bool = False) -> QuerySet:
    """The search documents of the consultation's public contributions that pass every filter but the text query.

    Mirrors ``Contribution.objects.public()`` on the documents' copies of consent, withdrawal and moderation. With
    ``in_terms``, the group, channel and language filters are left out: the text query asks for them (``TERMS``).
    """
    from concord.policy.models import CampaignMember, ContributionIssue, TagSource

    moderations = [m for m in Moderation.values if passes_moderation(m, consultation.premoderation)]
    docs = SearchDocument.objects.filter(consultation=consultation, listed=True, moderation__in=moderations)
    if in_terms:
        params = dataclasses.replace(params, group="", channel="", language="")
    if params.group:
        docs = docs.filter(group__slug=params.group)
    if params.channel:
        docs = docs.filter(channel=params.channel)
    if params.category:
        docs = docs.filter(entity__category__slug=params.category)
    if params.country:
        docs = docs.filter(entity__country=params.country.upper())
    if params.language:
        docs = docs.filter(language=params.language)
    if params.issue:
        tagged = ContributionIssue.objects.filter(issue__slug=params.issue).exclude(source=TagSource.REJECTED)
        docs = docs.filter(contribution_id__in=tagged.values("contribution_id"))
    members = CampaignMember.objects.values("contribution_id")
    if params.campaign == "any":
        docs = docs.filter(contribution_id__in=members)
    elif params.campaign == "none":
        docs = docs.exclude(contribution_id__in=members)
    elif params.campaign:
        docs = docs.filter(contribution_id__in=members.filter(campaign_id=params.campaign))
    if params.received_from:
        docs = docs.filter(received_at__gte=_day_start(params.received_from))
    # The calendar's last day has no next day to stop before: it leaves the period open at the end.
    if params.received_to and params.received_to < dt.date.max:
        docs = docs.filter(received_at__lt=_day_start(params.received_to + dt.timedelta(days=1)))
    return docs


def _filter_terms(params: SearchParams) -> tuple[str, ...]:
    """The filters of ``params`` that ``TERMS`` holds, as its lexemes, to ask of the words' index with the words.

    Asked of the index instead of the documents' columns: PostgreSQL would otherwise AND the words' bitmap with
    a filter index's, both read in full, however few documents the words and filters have in common."""
    from concord.stakeholders.models import StakeholderGroup

    terms = []
    if params.group:
        group_id = list(StakeholderGroup.objects.filter(slug=params.group).order_by().values_list("pk", flat=True))
        terms.append(f"=group {group_id[0] if group_id else 'unknown'}")  # a group id is digits
    if params.language:
        terms.append(f"=language {params.language}")
    if params.channel:
        terms.append(f"=channel {params.channel}")
    return tuple(terms)


@dataclasses.dataclass
class SearchResult:
    """One page of a search. ``count`` is exact up to ``COUNT_CAP``; beyond, ``count_exact`` is false."""

    hits: list[Contribution]  # in order; each with ``rank`` (None unless sorted by relevance)
    count: int
    count_exact: bool
    page: int
    page_size: int
    sort: str
    facets: dict[str, dict[str, int]] | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


ORDERS = {
    "newest": ("-received_at", "-contribution_id"),
    "oldest": ("received_at", "contribution_id"),
    "receipt": ("contribution__receipt_number",),
}


def search(
    consultation: Consultation, params: SearchParams, *, page: int = 1, page_size: int = 25, with_facets: bool = False
) -> SearchResult:
    """One page of the consultation's public contributions that match ``params``, in the order asked for.

    The matches are found, counted and ordered on the search documents alone; the page's contributions are then
    read through ``public_contributions``, so whatever the documents say, only a public contribution is shown.
    """
    from concord.contributions.access import public_contributions

    terms = parse(params.q)
    sort = params.effective_sort
    in_index = _filter_terms(params) if terms and connection.vendor == "postgresql" else ()
    docs = documents(consultation, params, in_terms=bool(in_index))
    matched = _match(docs, terms, ranked=False, filter_terms=in_index) if terms else docs
    offset = (page - 1) * page_size
    ranks: dict[int, float] = {}
    facet_counts = None
    with _planned_on_bitmaps(bool(terms)):
        if sort == "relevance":
            rows, count = _ranked_page(docs, terms, offset, page_size, in_index)
            ids = [pk for pk, _ in rows]
            ranks = dict(rows)
        else:
            ordered = matched.order_by(*ORDERS[sort]).values_list("contribution_id", flat=True)
            ids = list(ordered[offset : offset + page_size])
            count = matched.values("pk")[: COUNT_CAP + 1].count()
        if with_facets:
            facet_counts = facets(matched)
    count_exact = count <= COUNT_CAP
    count = min(count, COUNT_CAP)
    shown = public_contributions(consultation).order_by().in_bulk(ids)  # in the page's order, below
    hits = []
    for pk in ids:
        if pk in shown:
            shown[pk].rank = ranks.get(pk)
            hits.append(shown[pk])
    return SearchResult(hits, count, count_exact, page, page_size, sort, facet_counts)


@contextlib.contextmanager
def _planned_on_bitmaps(text_search: bool):
    """On PostgreSQL, plan a text search's queries with bitmap scans only, for the transaction of those queries alone.

    A common word matches a tenth of the rows and the OR over the configurations makes PostgreSQL overestimate it:
    it then prefers to read the table (or the time index) in order and test each row's tsvector, 0.2 to 1 s at a
    million rows, to a bitmap from the GIN index (measured in bench/search). The page's contributions are read
    afterwards, planned as usual (inside a caller's transaction the setting lasts until that transaction ends).
    ``work_mem`` holds a common word's bitmap (80,000 documents at a million) page by page: at the default 4 MB
    PostgreSQL made half its pages lossy and checked every row on them again, tsvector and all.
    """
    if connection.vendor != "postgresql" or not text_search:
        yield
        return
    # Inside a caller's transaction, SET LOCAL needs no block of its own (a savepoint would cost two queries).
    with contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL work_mem = '16MB'"
            )
        yield


# The documents of migration 0008's partial words' index: one in four, by a hash of the id, so spread over the whole
# record whatever the order contributions arrive in. It must stay the index's predicate, or PostgreSQL cannot use it.
SAMPLE = "hashint8({table}.contribution_id) & 3 = 0"


def _ranked_page(
    docs: QuerySet, terms: list[Term], offset: int, limit: int, filter_terms: tuple[str, ...] = ()
) -> tuple[list[tuple[int, float]], int]:
    """``([(contribution id, rank)], matches)`` for one page by relevance, ranked among the first COUNT_CAP + 1
    matches in the database, so that neither those rows nor their ranks travel to Python; ``matches`` is at most
    COUNT_CAP + 1.

    On PostgreSQL, words (not a phrase, which its pairs already make rare) are first looked up among one document in
    four (``SAMPLE``), a quarter of the index's work: a common word, whose full bitmap was half the search's time,
    finds more than COUNT_CAP matches there, and those are the ones ranked (the count, "more than COUNT_CAP", is
    the same). Fewer, and the search asks the whole index, as it always did: a quarter more work on a rare word."""
    ranked = _match(docs, terms, ranked=True, filter_terms=filter_terms)
    if connection.vendor == "postgresql" and (query := _pg_query(terms)) is not None and not query.pairs:
        table = SearchDocument._meta.db_table
        rows, count = _ranked_window(ranked.extra(where=[SAMPLE.format(table=table)]), offset, limit)
        if count > COUNT_CAP:
            return rows, count
    return _ranked_window(ranked, offset, limit)


def _ranked_window(ranked: QuerySet, offset: int, limit: int) -> tuple[list[tuple[int, float]], int]:
    window = ranked.values("contribution_id", "received_at", "rank")[: COUNT_CAP + 1]
    sql, params = window.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT contribution_id, rank, COUNT(*) OVER () FROM ({sql}) window_ "
            "ORDER BY rank DESC, received_at, contribution_id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
    if rows:
        return [(pk, rank) for pk, rank, _ in rows], rows[0][2]
    return [], window.count() if offset else 0


def facets(matched: QuerySet) -> dict[str, dict[str, int]]:
    """Counts per value of each filter over the matching documents (the first ``COUNT_CAP`` of them).

    One read of the matches for the five fields of the document, one query each for issues and campaigns."""
    from concord.policy.models import CampaignMember, ContributionIssue, TagSource
    from concord.stakeholders.models import Entity, StakeholderGroup

    rows = list(
        matched.order_by().values_list("group_id", "channel", "language", "entity_id", "contribution_id")[:COUNT_CAP]
    )
    groups = dict(StakeholderGroup.objects.values_list("id", "slug"))
    entities = {
        pk: (category, country)
        for pk, category, country in Entity.objects.filter(pk__in={row[3] for row in rows}).values_list(
            "id", "category__slug", "country"
        )
    }
    counters = {name: collections.Counter() for name in ("group", "channel", "category", "country", "language")}
    for group_id, channel, language, entity_id, _ in rows:
        category, country = entities.get(entity_id, ("", ""))
        counters["group"][groups.get(group_id, "")] += 1
        counters["channel"][channel] += 1
        counters["category"][category] += 1
        counters["country"][country] += 1
        counters["language"][language] += 1
    out = {
        name: {value: n for value, n in sorted(counter.items(), key=lambda item: (-item[1], item[0])) if value}
        for name, counter in counters.items()
    }
    ids = [row[4] for row in rows]  # a list: the documents' query cannot be a subquery (its SQL names its table)
    tags = (
        ContributionIssue.objects.filter(contribution_id__in=ids)
        .exclude(source=TagSource.REJECTED)
        .values_list("issue__slug")
        .annotate(n=Count("contribution", distinct=True))
        .order_by("-n", "issue__slug")
    )
    out["issue"] = dict(tags)
    in_campaign = CampaignMember.objects.filter(contribution_id__in=ids).count()
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


@functools.lru_cache(maxsize=256)
def _highlighter(query: str) -> re.Pattern | None:
    patterns = [p for p in map(_term_pattern, parse(query)) if p]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def snippet(text: str, query: str, width: int = 240) -> SafeString:
    """An HTML-escaped excerpt of ``text`` around the first match, every match wrapped in ``<mark>``."""
    text = " ".join((text or "").split())
    regex = _highlighter(query)
    first = regex.search(fold_aligned(text)) if regex else None
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
        folded = fold_aligned(excerpt)
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
    c = contribution
    withdrawn = "w" if c.withdrawn_at else ""
    return f"{c.version}:{c.consent}:{c.moderation}{withdrawn}:{len(c.extracted_text)}:{c.sha256[:16]}"


DOCUMENT_FIELDS = ["consultation", "group", "entity", "channel", "language", "received_at", "moderation", "listed"]


def document_fields(contribution: Contribution) -> dict:
    """The contribution's fields that the search document copies (see ``SearchDocument``)."""
    c = contribution
    return {
        "consultation_id": c.consultation_id,
        "group_id": c.group_id,
        "entity_id": c.entity_id,
        "channel": c.channel,
        "language": c.language,
        "received_at": c.received_at,
        **listing_fields(c),
    }


def listing_fields(contribution: Contribution) -> dict:
    """The document's copy of the gate (``public_q``) but for the consultation's moderation policy, which a search
    checks at query time."""
    c = contribution
    return {"moderation": c.moderation, "listed": c.consent != Consent.WITHHELD and c.withdrawn_at is None}


def update_listing(contribution: Contribution) -> None:
    """Bring the document's copy of the gate up to date at once, in the caller's transaction.

    The contribution services call it when moderation, consent or withdrawal change: search counts and facets are
    read from the documents alone, and the worker that reindexes may be busy for minutes (OCR), so a held or
    withdrawn contribution would be counted until then. The rest of the document follows in the background."""
    SearchDocument.objects.filter(contribution_id=contribution.pk).update(**listing_fields(contribution))
