"""The report on the site: read it (public once the consultation is reported), edit it (the secretariat)."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from concord.consultations.access import access_consultation_by_slug
from concord.consultations.models import Status
from concord.core.roles import can, require

from . import render as renderers
from .generate import localized
from .models import ReportDraft, ReportParagraph
from .services import edit_paragraph, generate_report

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


class ParagraphForm(forms.Form):
    paragraph = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}))


def _draft_for(request, slug) -> ReportDraft:
    consultation = access_consultation_by_slug(request.user, slug)
    if consultation.status != Status.REPORTED and not can(request.user, "reports.view_reportdraft"):
        raise Http404("The report is not published yet")
    draft = ReportDraft.objects.filter(consultation=consultation, language=get_language()).first()
    if draft is None:
        # Drafting one is a write: only for those who may edit the report, not for every reader of drafts.
        if not can(request.user, "reports.edit_report"):
            raise Http404("No report in this language yet")
        draft = generate_report(request.user, consultation, get_language())
    return draft


@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    draft = _draft_for(request, slug)
    body = renderers.to_html(draft, standalone=False)
    title, _language, _mark = localized(draft.consultation, "title")
    context = {"consultation": draft.consultation, "title": title, "draft": draft, "body": body}
    return render(request, "reports/page.html", context)


@require_GET
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format")
    draft = _draft_for(request, slug)
    data = renderers.RENDERERS[fmt](draft)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{draft.consultation.slug}-{draft.language}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat edits any paragraph's text, and regenerates the draft from the records (edits are kept)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    require(request.user, "reports.edit_report")
    draft = _draft_for(request, slug)
    error = None
    if request.method == "POST":
        if "regenerate" in request.POST:
            generate_report(request.user, draft.consultation, draft.language)
            return redirect(request.path + "?regenerated=1")
        form = ParagraphForm(request.POST)
        if form.is_valid():
            paragraph = get_object_or_404(ReportParagraph, pk=form.cleaned_data["paragraph"], draft=draft)
            try:
                edit_paragraph(request.user, paragraph, form.cleaned_data["text"])
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect(f"{request.path}#p{paragraph.pk}")
    paragraphs = draft.paragraphs.filter(kind=ReportParagraph.Kind.TEXT).order_by("position")
    context = {"consultation": draft.consultation, "draft": draft, "paragraphs": paragraphs, "error": error}
    return render(request, "reports/edit.html", context, status=400 if error else 200)
