"""The public, read-only API: consultations, their contributions, the distribution table and search.

What it returns is what the public record shows (``public_contributions``): a withheld contribution does not exist
here, an anonymous one has no entity name. Rate limited per client address (``CONCORD_API_READ_RATE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from concord.consultations.models import Consultation
from concord.consultations.tables import distribution_table
from concord.contributions.access import public_contributions
from concord.core.net import client_ip
from concord.record import exports, search, services
from concord.record.presenters import facet_labels

DEFAULT_READ_RATE = "600/m"
MAX_PAGE = 10_000
# Counting every match of a common word over a million contributions costs more than the page itself.
COUNT_CAP = search.COUNT_CAP
TAGS = ["public record"]


class ReadThrottle(AnonRateThrottle):
    """Per client address; the rate (``CONCORD_API_READ_RATE``, default 600/m) is read at each request."""

    def __init__(self):
        super().__init__(DEFAULT_READ_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "CONCORD_API_READ_RATE", DEFAULT_READ_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        # ninja reads X-Forwarded-For whole, which any client may write: take the address the proxies vouch for.
        return client_ip(request)


router = Router(tags=TAGS, throttle=[ReadThrottle()])


class ErrorOut(Schema):
    error: str
    message: str


class SealOut(Schema):
    entries: int
    head_sha256: str | None
    head_sealed_at: dt.datetime | None


class ConsultationOut(Schema):
    slug: str
    title: str
    status: str
    mandate_reference: str
    report_symbol: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    languages: list[str]
    url: str
    seal: SealOut


class ConsultationDetailOut(ConsultationOut):
    mandate: str
    description: str
    questions: list[str]


class TableRowOut(Schema):
    group: str
    label: str
    written: int
    presentation: int
    intervention: int
    total: int


class TableOut(Schema):
    consultation: str
    channels: list[str]
    rows: list[TableRowOut]
    total: dict[str, int]
    written_or_oral: int
    debate_participants: int


class AnswerOut(Schema):
    question: str
    answer: str


class FileOut(Schema):
    name: str
    sha256: str
    size: int
    mime_type: str
    url: str


class ContributionOut(Schema):
    id: str
    receipt_number: str
    url: str
    consultation: str
    channel: str
    group: str
    category: str
    entity_kind: str
    entity_name: str = Field(description="Empty when the contributor chose to be published anonymously.")
    anonymous: bool
    country: str
    language: str
    received_at: dt.datetime
    is_late: bool
    version: int
    title: str
    text: str
    answers: list[AnswerOut]
    extracted_text: str
    sha256: str
    files: list[FileOut]
    issues: str
    campaign: str
    campaign_canonical: str
    seal_position: int | None
    seal_sha256: str


class ContributionPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ContributionOut]


class HitOut(Schema):
    contribution: ContributionOut
    snippet: str = Field(description="An HTML-escaped excerpt; matches are wrapped in <mark>.")
    rank: float | None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int = Field(description=f"Number of matches, exact up to {COUNT_CAP:,}; see count_exact.")
    count_exact: bool
    page: int
    page_size: int
    pages: int
    sort: str
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]] | None


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=100)


class SearchQuery(PageQuery):
    q: str = Field("", max_length=200, description='Words (all must match) or "a phrase".')
    group: str = Field("", max_length=50)
    channel: str = Field("", max_length=20)
    category: str = Field("", max_length=50)
    country: str = Field("", max_length=2)
    language: str = Field("", max_length=10)
    issue: str = Field("", max_length=50)
    campaign: str = Field("", max_length=20, pattern=r"^(|any|none|[0-9]{1,18})$")
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    sort: Literal["", "relevance", "newest", "oldest", "receipt"] = ""
    facets: bool = False


def _clean(value: str) -> str:
    # NUL cannot reach PostgreSQL; nothing legitimate contains it.
    return value.replace("\x00", "")


def _consultation(slug: str) -> Consultation | None:
    return Consultation.objects.published().filter(slug=_clean(slug)).first()


def _not_found(slug: str):
    return Status(404, {"error": "unknown-consultation", "message": f"No published consultation {slug!r}."})


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _seal(consultation: Consultation) -> dict:
    head = services.head(consultation)
    return {
        "entries": head.position if head else 0,
        "head_sha256": head.entry_sha256 if head else None,
        "head_sealed_at": head.sealed_at if head else None,
    }


def _consultation_out(request: HttpRequest, consultation: Consultation) -> dict:
    with translation.override("en"):
        url = reverse("record:consultation", kwargs={"slug": consultation.slug})
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "status": consultation.status,
        "mandate_reference": consultation.mandate_reference,
        "report_symbol": consultation.report_symbol,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "languages": list(consultation.languages),
        "url": _base_url(request) + url,
        "seal": _seal(consultation),
    }


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


@router.get("/consultations", response=list[ConsultationOut], summary="Published consultations")
def list_consultations(request: HttpRequest):
    return [_consultation_out(request, c) for c in Consultation.objects.published().order_by("-opens_at")]


@router.get(
    "/consultations/{slug}",
    response={200: ConsultationDetailOut, 404: ErrorOut},
    summary="One consultation, with its guiding questions and the head of its sealed record",
)
def get_consultation(request: HttpRequest, slug: str):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    return {
        **_consultation_out(request, consultation),
        "mandate": consultation.mandate,
        "description": consultation.description,
        "questions": [q.text for q in consultation.questions.all()],
    }


@router.get(
    "/consultations/{slug}/table",
    response={200: TableOut, 404: ErrorOut},
    summary="The distribution table: contributions by stakeholder group and channel, computed from the records",
)
def get_table(request: HttpRequest, slug: str):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    table = distribution_table(consultation)
    return {
        **table.as_dict(),
        "written_or_oral": table.written_or_oral,
        "debate_participants": table.debate_participants,
    }


def list_contributions(request: HttpRequest, slug: str, paging: Query[PageQuery]):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    queryset = public_contributions(consultation).order_by("received_at", "id")
    count = queryset.count()
    start = (paging.page - 1) * paging.page_size
    chunk = list(queryset[start : start + paging.page_size])
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": _pages(count, paging.page_size),
        "results": list(exports.rows_for(consultation, chunk, _base_url(request))),
    }


@router.get(
    "/consultations/{slug}/contributions/{receipt}",
    response={200: ContributionOut, 404: ErrorOut},
    summary="One published contribution, by receipt number",
)
def get_contribution(request: HttpRequest, slug: str, receipt: str):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    contribution = public_contributions(consultation).filter(receipt_number=_clean(receipt)).first()
    if contribution is None:
        return Status(404, {"error": "unknown-contribution", "message": f"No published contribution {receipt!r}."})
    return next(exports.rows_for(consultation, [contribution], _base_url(request)))


@router.get(
    "/consultations/{slug}/search",
    response={200: SearchOut, 404: ErrorOut},
    summary="Full-text search of the published contributions, with filters, sorting and facet counts",
    description=(
        "Every word must match, in any of the six languages (stemmed per language); quote a phrase. "
        "Chinese is matched by character bigrams. `facets=true` adds counts per filter value. A search reads at "
        f"most {COUNT_CAP:,} matches: beyond them `count_exact` is false, relevance is ranked among the first "
        f"{COUNT_CAP:,} matches found and the facets count those."
    ),
)
def search_contributions(request: HttpRequest, slug: str, query: Query[SearchQuery]):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    data = {k: (_clean(v) if isinstance(v, str) else v) for k, v in query.dict().items()}
    page, page_size, want_facets = data.pop("page"), data.pop("page_size"), data.pop("facets")
    params = search.SearchParams(**data)
    found = search.search(consultation, params, page=page, page_size=page_size, with_facets=want_facets)
    rows = exports.rows_for(consultation, found.hits, _base_url(request))
    results = [
        {
            "contribution": row,
            "snippet": str(search.snippet(search.display_text(c), params.q)),
            "rank": float(c.rank) if c.rank is not None else None,
        }
        for c, row in zip(found.hits, rows, strict=True)
    ]
    facets = None
    if found.facets is not None:
        labels = facet_labels(found.facets)
        facets = {
            name: [{"value": v, "label": labels.get(name, {}).get(v, v), "count": n} for v, n in values.items()]
            for name, values in found.facets.items()
        }
    return {
        "count": found.count,
        "count_exact": found.count_exact,
        "page": page,
        "page_size": page_size,
        "pages": _pages(found.count, page_size),
        "sort": found.sort,
        "results": results,
        "facets": facets,
    }


def register(api) -> None:
    """Add the public endpoints to ``api``. The list of contributions shares its path with the authenticated
    submission (POST), so it joins the API's own router: Django resolves a path to one view only."""
    api.add_router("", router)
    # Imported here: the positions API reuses this module's throttle and error schema.
    from concord.positions.api import router as positions_router

    api.add_router("", positions_router)
    from concord.deliberation.api import router as deliberation_router

    api.add_router("", deliberation_router)
    api.get(
        "/consultations/{slug}/contributions",
        response={200: ContributionPage, 404: ErrorOut},
        summary="The published contributions, oldest first, a page at a time",
        tags=TAGS,
        throttle=[ReadThrottle()],
    )(list_contributions)
