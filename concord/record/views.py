"""The public pages: consultations, their distribution table, the record and each contribution."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from concord.consultations.access import access_consultation_by_slug
from concord.consultations.models import Consultation
from concord.consultations.tables import distribution_table
from concord.consultations.tables import render as render_table
from concord.contributions.access import access_contribution_by_receipt, public_contributions
from concord.contributions.models import Attachment
from concord.contributions.views import accepting

from .forms import RecordFilterForm

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
        "now": now,
    }
    return render(request, "record/consultation.html", context)


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
    }
    return render(request, "record/record.html", context, status=status)


@require_GET
def contribution_detail(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    contribution = access_contribution_by_receipt(request.user, consultation, receipt)
    attachments = Attachment.objects.filter(version__contribution=contribution, version__number=contribution.version)
    context = {"consultation": consultation, "contribution": contribution, "attachments": attachments}
    return render(request, "record/contribution.html", context)
