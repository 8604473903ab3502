"""The public page behind each figure of the positions table: the contributions and their sentences."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from concord.consultations.access import access_consultation_by_slug

from . import exports, selectors
from .access import access_position_by_slug
from .forms import EvidenceFilterForm


@require_GET
def position_evidence(request: HttpRequest, slug: str, position: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    position_obj = access_position_by_slug(request.user, consultation, position)
    form = EvidenceFilterForm(consultation, request.GET)
    status = 200
    if form.is_valid():
        rows = selectors.evidence(
            consultation,
            position_obj,
            group=form.cleaned_data.get("group") or None,
            stance=form.cleaned_data.get("stance") or None,
        )
    else:
        status = 400
        rows = selectors.evidence(consultation, position_obj).none()
    statement, statement_language = position_obj.statement_in(get_language() or "en")
    context = {
        "consultation": consultation,
        "position": position_obj,
        "statement": statement,
        "statement_language": statement_language,
        "form": form,
        "stances": list(rows),
    }
    return render(request, "positions/evidence.html", context, status=status)


@require_GET
def stances_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The open data file of the published contributions' stances (see the data page's dictionary)."""
    consultation = access_consultation_by_slug(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404("Unknown format")
    lines = exports.csv_lines(consultation) if fmt == "csv" else exports.jsonl_lines(consultation)
    response = StreamingHttpResponse(lines, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-stances.{fmt}"'
    return response
