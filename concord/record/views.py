"""The public pages: consultations, their distribution table, the record and each contribution."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from concord.consultations.access import access_consultation_by_slug
from concord.consultations.models import Consultation, Status
from concord.consultations.tables import distribution_table
from concord.consultations.tables import render as render_table
from concord.contributions.access import access_contribution_by_receipt, public_contributions
from concord.contributions.models import Attachment
from concord.contributions.views import accepting
from concord.policy.selectors import analysis_summary
from concord.reports.models import ReportDraft

from . import exports, search, services
from .forms import RecordFilterForm, SearchForm, issue_name
from .presenters import ResultsPage, facet_labels

TABLE_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "md": "text/markdown"}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.published().order_by("-opens_at")
    return render(request, "record/home.html", {"consultations": consultations, "now": timezone.now()})


@require_GET
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    now = timezone.now()
    context = {
        "consultation": consultation,
        "accepting": accepting(consultation, now),
        "questions": consultation.questions.all(),
        "meetings": consultation.meetings.prefetch_related("agenda_items"),
        "table": distribution_table(consultation),
        "analysis": analysis_summary(consultation),
        "seal_head": services.head(consultation),
        "now": now,
        "report_public": _report_public(consultation),
    }
    return render(request, "record/consultation.html", context)


def _report_public(consultation: Consultation) -> bool:
    """Whether anyone may read the report in this language (what reports.views lets the public see): the
    consultation is reported and a draft exists; a link to a page that answers 404 would be worse than none."""
    if consultation.status != Status.REPORTED:
        return False
    return ReportDraft.objects.filter(consultation=consultation, language=get_language()).exists()


@require_GET
def consultation_table(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in TABLE_CONTENT_TYPES:
        raise Http404("Unknown format")
    consultation = access_consultation_by_slug(request.user, slug)
    body = render_table(distribution_table(consultation), fmt)
    return HttpResponse(body, content_type=TABLE_CONTENT_TYPES[fmt])


@require_GET
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    form = RecordFilterForm(consultation, request.GET)
    contributions = public_contributions(consultation).order_by("received_at", "id")
    status = 200
    if form.is_valid():
        contributions = form.filter(contributions)
        page_number = form.cleaned_data.get("page") or 1
    else:
        status = 400
        contributions = contributions.none()
        page_number = 1
    paginator = Paginator(contributions, settings.CONCORD_PAGE_SIZE)
    if page_number > paginator.num_pages:
        raise Http404("No such page")
    page = paginator.page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "consultation": consultation,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # The head of the sealed chain, with the record it seals: a reader keeps it to compare later.
        "seal_head": services.head(consultation),
    }
    return render(request, "record/record.html", context, status=status)


@require_GET
def contribution_detail(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    contribution = access_contribution_by_receipt(request.user, consultation, receipt)
    attachments = Attachment.objects.filter(version__contribution=contribution, version__number=contribution.version)
    context = {
        "consultation": consultation,
        "contribution": contribution,
        "attachments": attachments,
        **_analysis(contribution),
        "seal": contribution.seal_entries.order_by("-position").first(),
    }
    return render(request, "record/contribution.html", context)


def _analysis(contribution) -> dict:
    """The contribution's issues and campaign, once the analysis has run (read-only)."""
    from django.utils.translation import get_language

    from concord.policy.models import CampaignMember, ContributionIssue, TagSource
    from concord.policy.selectors import public_campaigns

    language = get_language() or "en"
    tags = (
        ContributionIssue.objects.filter(contribution=contribution)
        .exclude(source=TagSource.REJECTED)
        .select_related("issue")
        .order_by("issue__position", "issue__slug")
    )
    membership = list(CampaignMember.objects.filter(contribution=contribution).values_list("campaign_id", flat=True))
    # The campaign as the public sees it: its public members and representative, never the stored canonical one.
    campaign = next(iter(public_campaigns(campaign_ids=membership).values()), None) if membership else None
    return {
        "issues": [{"slug": t.issue.slug, "name": issue_name(t.issue, language)} for t in tags],
        "campaign": campaign,
    }


@require_GET
def search_view(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    form = SearchForm(consultation, request.GET)
    status = 200
    if form.is_valid():
        params = form.params()
        page_number = form.cleaned_data.get("page") or 1
    else:
        status, params, page_number = 400, search.SearchParams(), 1
    if status == 200:
        found = search.search(
            consultation, params, page=page_number, page_size=settings.CONCORD_PAGE_SIZE, with_facets=True
        )
    else:
        found = search.SearchResult([], 0, True, 1, settings.CONCORD_PAGE_SIZE, params.effective_sort, {})
    if page_number > found.pages:
        raise Http404("No such page")
    page = ResultsPage(found)
    hits = [{"contribution": c, "snippet": search.snippet(search.display_text(c), params.q)} for c in found.hits]
    counts = found.facets or {}
    labels = facet_labels(counts)
    query = request.GET.copy()
    query.pop("page", None)
    facet_list = []
    for name in ("group", "channel", "category", "country", "language", "issue", "campaign"):
        items = []
        for value, count in counts.get(name, {}).items():
            link = query.copy()
            link[name] = value
            items.append(
                {
                    "value": value,
                    "label": labels[name].get(value, value),
                    "count": count,
                    "query": link.urlencode(),
                    "active": request.GET.get(name) == value,
                }
            )
        if items:
            facet_list.append({"name": name, "label": form.fields[name].label, "items": items})
    context = {
        "consultation": consultation,
        "form": form,
        "page": page,
        "hits": hits,
        "facets": facet_list,
        "query": query.urlencode(),
        "params": params,
    }
    return render(request, "record/search.html", context, status=status)


@require_GET
def data_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    context = {
        "consultation": consultation,
        "fields": exports.FIELDS,
        "csv_note": exports.CSV_NOTE,
        "formats": [f for f in exports.FORMATS if f != "parquet" or exports.parquet_available()],
        "seal_head": services.head(consultation),
        "licence": exports.licence(),
    }
    return render(request, "record/data.html", context)


@require_GET
def data_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    base_url = request.build_absolute_uri("/").rstrip("/")
    filename = f"{consultation.slug}-contributions.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(consultation, base_url), content_type=exports.FORMATS[fmt])
    elif fmt == "jsonl":
        response = StreamingHttpResponse(exports.jsonl_lines(consultation, base_url), content_type=exports.FORMATS[fmt])
    elif fmt == "parquet" and exports.parquet_available():
        response = HttpResponse(exports.parquet_bytes(consultation, base_url), content_type=exports.FORMATS[fmt])
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def data_metadata(request: HttpRequest, slug: str) -> JsonResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(exports.metadata(consultation, base_url), json_dumps_params={"ensure_ascii": False})
