"""What the report editor accepts: typed forms, one per kind of change (views never read request.POST directly)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Distribution, Organ, ReportParagraph, Section


class ListTextarea(forms.Textarea):
    """Several textareas of one name (one per footnote) read back as a list."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])


class FootnotesField(forms.Field):
    widget = ListTextarea

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [" ".join(str(v).split()) for v in values if str(v).strip()]


class ParagraphForm(forms.Form):
    paragraph = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text"), required=False, strip=True, widget=forms.Textarea)
    footnotes = FootnotesField(label=_("Footnotes"), required=False)


class ActionForm(forms.Form):
    """A button on one paragraph: move it, remove it, restore it."""

    ACTIONS = [("up", _("Move up")), ("down", _("Move down")), ("remove", _("Remove")), ("restore", _("Restore"))]
    paragraph = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS)


class AddForm(forms.Form):
    section = forms.ChoiceField(label=_("Chapter"), choices=Section.choices)
    after = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Add"),
        choices=[(ReportParagraph.Kind.TEXT, _("a paragraph")), (ReportParagraph.Kind.HEADING, _("a subheading"))],
        initial=ReportParagraph.Kind.TEXT,
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
    footnotes = FootnotesField(label=_("Footnote"), required=False)


class SettingsForm(forms.Form):
    """The front matter. Session and agenda items are this language's text; the rest is the same in every one."""

    organs = forms.MultipleChoiceField(
        label=_("Organs"), choices=Organ.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    session = forms.CharField(label=_("Session"), required=False, max_length=200)
    agenda_items = forms.CharField(
        label=_("Agenda items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("One item per line, as in the provisional agenda."),
    )
    distribution = forms.ChoiceField(label=_("Distribution"), choices=Distribution.choices)
    symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=80)
    date_of_issue = forms.DateField(
        label=_("Date of issue"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    original_language = forms.ChoiceField(label=_("Original language"), choices=settings.LANGUAGES)


def rows_for(text: str) -> int:
    """A textarea as tall as its text (about 90 characters a line), within reason."""
    return max(3, min(30, len(text) // 90 + text.count("\n") + 2))
