import json
import uuid

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from concord.consultations.models import Consultation
from concord.stakeholders.models import EntityCategory

from . import idempotency
from .models import Consent
from .services import REASON_REQUIRED
from .submission import Submitter, Upload

# Where a refusal of the service is shown on the form; codes not listed go to the top of the form.
ERROR_FIELDS = {
    "empty-file": "files",
    "file-too-large": "files",
    "too-many-files": "files",
    "unsupported-type": "files",
    "corrupt-file": "files",
    "encrypted-pdf": "files",
    "zip-bomb": "files",
    "unsupported-language": "text",
    "text-too-long": "text",
    "missing-email": "email",
    "invalid-email": "email",
    "unknown-group": "group",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def read_uploads(files) -> list[Upload]:
    return [Upload(name=f.name, data=f.read()) for f in files]


def _question_label(question) -> str:
    """The question in the reader's language where the secretariat entered it; an untranslated one keeps its own
    language and direction (an English question on an Arabic form read "?...mechanisms" from the right)."""
    language = get_language() or settings.LANGUAGE_CODE
    text, written_in = question.text_in(language)
    if written_in == language:
        return text
    return format_html('<bdi lang="{}" dir="auto">{}</bdi>', written_in, text)


class ContributionTextForm(forms.Form):
    """What is said: a title, a free text, answers to the guiding questions, files."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Your contribution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("Write freely, answer the questions below, attach files, or all three."),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, RTF, text, HTML, Markdown, spreadsheets, slides or scans."),
    )

    def __init__(self, consultation: Consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.id}"] = forms.CharField(
                label=_question_label(question), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
            )
        self.fields["files"].help_text = _(
            "Up to %(count)d files of at most %(mb)d MB each: PDF, Word, OpenDocument, RTF, text, HTML, Markdown, "
            "spreadsheets, slides or scans."
        ) % {"count": settings.CONCORD_MAX_FILES, "mb": settings.CONCORD_MAX_FILE_BYTES // (1024 * 1024)}

    def answer_fields(self):
        return [self[f"answer_{q.id}"] for q in self.questions]

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.CONCORD_MAX_FILES:
            raise forms.ValidationError(
                _("At most %(max)d files can be attached.") % {"max": settings.CONCORD_MAX_FILES}, code="too-many-files"
            )
        for upload in files:
            # Refuse before reading an oversized file into memory; the service checks again.
            if upload.size > settings.CONCORD_MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than the limit of %(mb)d MB.")
                    % {"name": upload.name, "mb": settings.CONCORD_MAX_FILE_BYTES // (1024 * 1024)},
                    code="file-too-large",
                )
        return files

    def answers(self) -> list[dict]:
        return [{"question_id": q.id, "answer": self.cleaned_data.get(f"answer_{q.id}", "")} for q in self.questions]

    def uploads(self) -> list[Upload]:
        return read_uploads(self.cleaned_data.get("files", []))

    def add_service_error(self, exc, code: str) -> None:
        field = ERROR_FIELDS.get(code)
        self.add_error(field if field in self.fields else None, exc.messages)


class SubmissionForm(ContributionTextForm):
    """The public form: who speaks, how to reach them, what they say, and how it may be published."""

    speaks_for = forms.ChoiceField(
        label=_("You are contributing"),
        choices=[("organization", _("on behalf of an organization")), ("individual", _("for yourself"))],
        widget=forms.RadioSelect,
        initial="organization",
    )
    organization_name = forms.CharField(label=_("Name of the organization"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Category of the organization"), required=False)
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        help_text=_("Only when the category of the organization does not already say it."),
    )
    person_name = forms.CharField(label=_("Your name"), max_length=300, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    email = forms.EmailField(
        max_length=254,  # the address column's size (Django's form field would take 320)
        label=_("Contact e-mail"),
        help_text=_("For your receipt and the secretariat's questions. Never published."),
    )
    consent = forms.ChoiceField(
        label=_("Publication"),
        choices=Consent.choices,
        widget=forms.RadioSelect,
        initial=Consent.NAMED,
        help_text=_(
            "Anonymous publication shows only the category, group and country. Unpublished contributions are "
            "counted and analysed, never shown."
        ),
    )
    # Explicit and unticked by default: what is kept and published is said just above it (the privacy notice).
    agree = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my contribution is kept and published as chosen above."),
        required=True,
        error_messages={"required": _("Tick this box to send your contribution: nothing is received without it.")},
    )
    # Checked in ``clean``: a hidden field's own errors are not shown next to it, so a refusal must be the form's.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, strip=True)

    field_order = ["speaks_for", "organization_name", "category", "group", "person_name", "country", "email"]

    def __init__(self, consultation: Consultation, *args, **kwargs):
        super().__init__(consultation, *args, **kwargs)
        categories = list(EntityCategory.objects.exclude(slug="individual").select_related("default_group"))
        self.fields["category"].choices = [("", "—")] + [(c.slug, c.label) for c in categories]
        heard = consultation.ordered_groups()
        self.fields["group"].choices = [("", "—")] + [(g.slug, g.label) for g in heard]
        # The group a category implies (a Member State speaks for a government): not asked again.
        self.implied_groups = {
            c.slug: c.default_group.slug for c in categories if c.default_group and c.default_group in heard
        }
        self.fields["country"].choices = [("", "—"), *list(countries)]

    def clean(self):
        data = super().clean()
        try:
            data["idempotency_key"] = idempotency.clean_key(data.get("idempotency_key"))
        except forms.ValidationError:
            # Only an altered page sends such a key; the service would refuse it too, in terms meant for the API.
            self.add_error(None, _("This form was altered or is out of date: open the form again and send it."))
        if data.get("speaks_for") == "organization":
            if data.get("category") and not data.get("group"):
                data["group"] = self.implied_groups.get(data["category"], "")
            for name in ("organization_name", "category", "group"):
                if not data.get(name) and not (name == "group" and not data.get("category")):
                    self.add_error(name, _("Required when you contribute on behalf of an organization."))
        elif data.get("speaks_for") == "individual" and not data.get("person_name"):
            self.add_error("person_name", _("Give your name (it is published only if you choose so)."))
        return data

    def implied_groups_json(self) -> str:
        return json.dumps(self.implied_groups)

    def resend_as_new(self) -> None:
        """After this form's key was used for a different content: a fresh key, so that sending it again makes a
        new contribution, and a message saying what happened."""
        self.data = self.data.copy()
        self.data["idempotency_key"] = uuid.uuid4().hex
        self.add_error(
            None,
            _(
                "This form was already sent, with a different content, and that contribution was received. "
                "To send this text as another contribution, send the form again."
            ),
        )

    def submitter(self) -> Submitter:
        data = self.cleaned_data
        if data["speaks_for"] == "individual":
            return Submitter(
                kind="individual", name=data["person_name"], country=data.get("country", ""), email=data["email"]
            )
        return Submitter(
            kind="organization",
            name=data["organization_name"],
            category=data["category"],
            group=data["group"],
            country=data.get("country", ""),
            email=data["email"],
        )


class AmendForm(ContributionTextForm):
    keep_files = forms.BooleanField(label=_("Keep the files already sent"), required=False, initial=True)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, withdraw my contribution"))


class ModerationForm(forms.Form):
    """One click on a moderation item: publish, hold or reject, with a reason where the contributor may ask why."""

    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("hold", _("Hold")), ("reject", _("Reject as spam"))]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in REASON_REQUIRED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason to hold or reject a contribution."))
        return cleaned
