"""The secretariat's forms for a consultation, with each text in every language side by side.

A translated text is a form field named ``<field>_<language>`` (``title_fr``, ``mandate_reference_zh-hans``); a
list (questions, agenda items) is one line per item, in the original's order. The admin lays out one fieldset per
language, each field showing the original it translates.
"""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from concord.stakeholders.models import StakeholderGroup

from .models import LANGUAGE_CODES, TRANSLATED_FIELDS, Consultation
from .services import EDITABLE_FIELDS

# Fields written on several lines in every language.
_MULTILINE = {"mandate", "description", "questions", "agenda"}


def field_name(field: str, code: str) -> str:
    return f"{field}_{code}"


def split_field_name(name: str) -> tuple[str, str]:
    """``("mandate_reference", "fr")`` from ``"mandate_reference_fr"``; codes hold no underscore."""
    field, _sep, code = name.rpartition("_")
    return field, code


def translation_fields(
    labels: dict[str, object], max_lengths: dict[str, int], list_fields: tuple[str, ...] = ()
) -> dict[str, forms.Field]:
    """One optional field per translated text and language, declared on the form class so the admin lays it out."""
    fields: dict[str, forms.Field] = {}
    for code, language in settings.LANGUAGES:
        for field, label in labels.items():
            kwargs = {"label": format_lazy("{} ({})", label, language), "required": False}
            if field in list_fields:
                # A leading blank line is an item not translated yet: keep it.
                kwargs["strip"] = False
            # As wide as the original's fields: the translator compares line lengths with them.
            if field in _MULTILINE:
                kwargs["widget"] = forms.Textarea(
                    attrs={
                        "rows": 6 if field in ("mandate", "description") else 4,
                        "lang": code,
                        "dir": "auto",
                        "class": "vLargeTextField",
                    }
                )
            else:
                kwargs["max_length"] = max_lengths.get(field, 300)
                kwargs["widget"] = forms.TextInput(attrs={"lang": code, "dir": "auto", "class": "vLargeTextField"})
            fields[field_name(field, code)] = forms.CharField(**kwargs)
    return fields


def lines(text: str) -> list[str]:
    """The lines of a one-item-per-line text, blank lines kept in the middle (an item not translated yet)."""
    return [line.strip() for line in (text or "").rstrip().splitlines()]


class TranslationsMixin:
    """What every form with per-language fields shares: reading them in and out, refusing the original language."""

    #: Texts translated one per field (``{"fr": {"title": ...}}``) and lists translated one line per item.
    text_fields: tuple[str, ...] = ()
    list_fields: tuple[str, ...] = ()

    def original_language(self) -> str:
        raise NotImplementedError

    @classmethod
    def language_fields(cls, code: str) -> list[str]:
        return [field_name(f, code) for f in (*cls.text_fields, *cls.list_fields)]

    def show_originals(self, originals: dict[str, str]) -> None:
        """Put the original text under each translation field: the translator works side by side with it."""
        for code in LANGUAGE_CODES:
            for field, original in originals.items():
                name = field_name(field, code)
                if name in self.fields and original:
                    shown = original if len(original) <= 400 else original[:400] + "…"
                    # Isolated in its language: an English original under an Arabic label read right to left.
                    self.fields[name].help_text = format_html(
                        '{}: <bdi lang="{}" dir="auto">{}</bdi>', _("Original"), self.original_language(), shown
                    )

    def clean_translations(self, cleaned: dict) -> None:
        """Translations into the original language are refused: that text is edited in the original's fields."""
        original = cleaned.get("original_language") or self.original_language()
        for name in self.language_fields(original):
            if (cleaned.get(name) or "").strip():
                self.add_error(name, _("This is the original language: write this text in the fields above."))

    def changed_translations(self) -> dict[str, dict[str, str]]:
        """``{language: {field: text}}`` for each language whose texts (not lists) the form changed."""
        changed: dict[str, dict[str, str]] = {}
        for name in self.changed_data:
            field, code = split_field_name(name)
            if field in self.text_fields and code in LANGUAGE_CODES:
                changed.setdefault(code, {})[field] = self.cleaned_data.get(name, "")
        return changed

    def changed_lists(self, field: str) -> dict[str, list[str]]:
        """``{language: [line, ...]}`` for each language whose list ``field`` the form changed."""
        return {
            code: lines(self.cleaned_data.get(field_name(field, code), ""))
            for code in LANGUAGE_CODES
            if field_name(field, code) in self.changed_data
        }

    def pop_translation_changes(self, changes: dict) -> None:
        """Take the per-language fields out of a model-field change set: they are written by their own service."""
        for name in list(changes):
            field, code = split_field_name(name)
            if code in LANGUAGE_CODES and field in (*self.text_fields, *self.list_fields):
                changes.pop(name)


def _consultation_labels() -> dict[str, object]:
    labels = {f: capfirst(Consultation._meta.get_field(f).verbose_name) for f in TRANSLATED_FIELDS}
    labels["questions"] = _("Guiding questions")
    return labels


class BaseConsultationForm(TranslationsMixin, forms.ModelForm):
    """Groups, questions and translations are edited here and written by the services with the rest."""

    text_fields = TRANSLATED_FIELDS
    list_fields = ("questions",)

    group_slugs = forms.MultipleChoiceField(
        label=_("Stakeholder groups"), widget=forms.CheckboxSelectMultiple, help_text=_("Rows of the table.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Accepted languages"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    questions_text = forms.CharField(
        label=_("Guiding questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=_("One question per line, in order."),
    )

    class Meta:
        model = Consultation
        fields = ["slug", *EDITABLE_FIELDS]
        # A title or mandate reference runs to 300 characters: the admin's default input shows some 30.
        widgets = {
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "mandate_reference": forms.TextInput(attrs={"class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = list(settings.LANGUAGES)
        self.fields["group_slugs"].choices = [(g.slug, g.label) for g in StakeholderGroup.objects.all()]
        # The model's help speaks of "the texts above"; here the original's texts are in a fieldset below.
        self.fields["original_language"].help_text = _(
            "The language of the texts under “Texts in the original language”, of the guiding questions and of the "
            "meetings' texts."
        )
        # The original's texts are in its own language, whatever the admin's: each field takes its direction from its
        # text (an English mandate in the Arabic admin otherwise ended "?mechanisms").
        for name in (*TRANSLATED_FIELDS, "questions_text"):
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "auto"
        consultation = self.instance
        if consultation.pk:
            questions = list(consultation.questions.all())
            self.initial["group_slugs"] = [g.slug for g in consultation.ordered_groups()]
            self.initial["questions_text"] = "\n".join(q.text for q in questions)
            self.fields["slug"].disabled = True
            for code, entry in (consultation.translations or {}).items():
                for field in TRANSLATED_FIELDS:
                    self.initial[field_name(field, code)] = entry.get(field, "")
            for code in LANGUAGE_CODES:
                texts = [(q.translations or {}).get(code, {}).get("text", "") for q in questions]
                if any(texts):
                    self.initial[field_name("questions", code)] = "\n".join(texts).rstrip("\n")
            originals = {f: getattr(consultation, f) for f in TRANSLATED_FIELDS}
            originals["questions"] = " / ".join(q.text for q in questions)
            self.show_originals(originals)
        else:
            self.initial.setdefault("languages", LANGUAGE_CODES)

    def original_language(self) -> str:
        return self.instance.original_language

    def clean_group_slugs(self):
        # The consultation's order is the canonical order of the groups.
        chosen = set(self.cleaned_data["group_slugs"])
        return [g.slug for g in StakeholderGroup.objects.all() if g.slug in chosen]

    def clean(self):
        cleaned = super().clean()
        self.clean_translations(cleaned)
        count = len(self.questions())
        for code in LANGUAGE_CODES:
            name = field_name("questions", code)
            if len(lines(cleaned.get(name, ""))) > count:
                self.add_error(name, _("One line per guiding question, in the same order: there are more lines."))
        return cleaned

    def questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("questions_text", "").splitlines() if line.strip()]


ConsultationForm = type(
    "ConsultationForm",
    (BaseConsultationForm,),
    translation_fields(_consultation_labels(), {"title": 300, "mandate_reference": 300}, ("questions",)),
)
