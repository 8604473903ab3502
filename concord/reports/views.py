"""The report on the site: read it (public once the consultation is reported), edit it (the secretariat)."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from concord.consultations.access import access_consultation_by_slug
from concord.consultations.models import Status
from concord.core.roles import can, require

from . import render as renderers
from . import services
from .forms import ActionForm, AddForm, ParagraphForm, SettingsForm, rows_for
from .generate import localized
from .models import ReportDraft, ReportParagraph, ReportSettings, Section

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


def _draft_for(request, slug) -> ReportDraft:
    consultation = access_consultation_by_slug(request.user, slug)
    if consultation.status != Status.REPORTED and not can(request.user, "reports.view_reportdraft"):
        raise Http404("The report is not published yet")
    draft = ReportDraft.objects.filter(consultation=consultation, language=get_language()).first()
    if draft is None:
        # Drafting one is a write: only for those who may edit the report, not for every reader of drafts.
        if not can(request.user, "reports.edit_report"):
            raise Http404("No report in this language yet")
        draft = services.generate_report(request.user, consultation, get_language())
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


class StepForm(forms.Form):
    """Which of the editor's forms was sent."""

    # Without a step, the paragraph's text (the editor's first form, and what older pages sent).
    step = forms.ChoiceField(
        choices=[(s, s) for s in ("regenerate", "paragraph", "action", "add", "settings")],
        widget=forms.HiddenInput,
        required=False,
    )


def _apply(request, draft: ReportDraft, step: str):
    """Perform one change through the services; return the anchor to show after it, or the form with errors."""
    user = request.user
    if step == "regenerate":
        services.generate_report(user, draft.consultation, draft.language)
        return "top"
    if step == "settings":
        form = SettingsForm(request.POST, prefix="settings")
        if not form.is_valid():
            return form
        services.update_report_settings(user, draft.consultation, language=draft.language, **form.cleaned_data)
        return "front-matter"
    if step == "add":
        form = AddForm(request.POST, prefix="add")
        if not form.is_valid():
            return form
        data = form.cleaned_data
        after = get_object_or_404(ReportParagraph, pk=data["after"], draft=draft) if data["after"] else None
        paragraph = services.add_paragraph(
            user, draft, data["section"], data["text"], after=after, kind=data["kind"], footnotes=data["footnotes"]
        )
        return f"p{paragraph.pk}"
    form = (ParagraphForm if step == "paragraph" else ActionForm)(request.POST)
    if not form.is_valid():
        return form
    paragraph = get_object_or_404(ReportParagraph, pk=form.cleaned_data["paragraph"], draft=draft)
    if step == "paragraph":
        services.edit_paragraph(user, paragraph, form.cleaned_data["text"], form.cleaned_data["footnotes"])
        return f"p{paragraph.pk}"
    action = form.cleaned_data["action"]
    if action in ("up", "down"):
        services.move_paragraph(user, paragraph, -1 if action == "up" else 1)
    elif action == "remove":
        services.remove_paragraph(user, paragraph)
        return f"section-{paragraph.section}"
    else:
        services.restore_paragraph(user, paragraph)
    return f"p{paragraph.pk}"


class EditorItem:
    """One paragraph as the editor shows it: a label a person reads, not the internal key; a textarea as tall as
    its text; the number the paragraph has in the document."""

    def __init__(self, paragraph: ReportParagraph, number: int | None, letter: str):
        self.paragraph = paragraph
        self.number = number
        self.letter = letter
        self.rows = rows_for(paragraph.text)
        self.editable = paragraph.kind in (ReportParagraph.Kind.TEXT, ReportParagraph.Kind.HEADING)
        self.notes = [(note, rows_for(note)) for note in paragraph.notes]


def _editor_sections(draft: ReportDraft) -> list[dict]:
    """Every chapter, even an empty one (the secretariat may write it), with its paragraphs numbered as printed."""
    paragraphs = sorted(draft.paragraphs.all(), key=lambda p: (services.SECTION_ORDER[p.section], p.position, p.pk))
    sections = {value: {"key": value, "title": label, "items": []} for value, label in Section.choices}
    number, letters, current = 0, 0, None
    for paragraph in paragraphs:
        if paragraph.section != current:
            current, letters = paragraph.section, 0
        shown = None
        letter = ""
        if not paragraph.removed:
            if paragraph.kind == ReportParagraph.Kind.HEADING:
                letters += 1
                letter = renderers.LETTERS[(letters - 1) % len(renderers.LETTERS)]
            elif paragraph.kind == ReportParagraph.Kind.TEXT and paragraph.section != Section.SUMMARY:
                number += 1
                shown = number
        sections[paragraph.section]["items"].append(EditorItem(paragraph, shown, letter))
    return list(sections.values())


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat edits, adds, moves and removes paragraphs, subheadings and footnotes, sets the front matter,
    and regenerates the draft from the records (its edits are kept). Plain forms: it works without JavaScript."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    require(request.user, "reports.edit_report")
    draft = _draft_for(request, slug)
    error, invalid = None, None
    if request.method == "POST":
        step = StepForm(request.POST)
        if not step.is_valid():
            error = " ".join(e for errors in step.errors.values() for e in errors)
        else:
            try:
                result = _apply(request, draft, step.cleaned_data["step"] or "paragraph")
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if isinstance(result, str):
                    return redirect(f"{request.path}#{result}")
                invalid = result
                error = " ".join(e for errors in result.errors.values() for e in errors)
    report_settings = services.settings_for(draft.consultation)
    settings_form = (
        invalid
        if isinstance(invalid, SettingsForm)
        else SettingsForm(prefix="settings", initial=_settings_initial(report_settings, draft.language))
    )
    context = {
        "consultation": draft.consultation,
        "draft": draft,
        "sections": _editor_sections(draft),
        "settings_form": settings_form,
        "settings_saved": report_settings.pk is not None,
        "add_kinds": AddForm.base_fields["kind"].choices,
        "error": error,
    }
    return render(request, "reports/edit.html", context, status=400 if error else 200)


def _settings_initial(report_settings: ReportSettings, language: str) -> dict:
    initial = {field: getattr(report_settings, field) for field in services.SETTINGS_FIELDS}
    for field in ReportSettings.TRANSLATED_FIELDS:
        initial[field] = report_settings.text_in(field, language)
    return initial
