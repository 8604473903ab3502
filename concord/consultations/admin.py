from django import forms
from django.contrib import admin
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action
from concord.stakeholders.models import StakeholderGroup

from . import services
from .models import LANGUAGE_CODES, TRANSLATED_FIELDS, Consultation


def _translation_fields() -> dict[str, forms.Field]:
    """A title and a mandate field per language, declared on the form so that the admin lays them out."""
    from django.conf import settings

    title, mandate = (capfirst(Consultation._meta.get_field(f).verbose_name) for f in TRANSLATED_FIELDS)
    fields = {}
    for code, name in settings.LANGUAGES:
        fields[f"title_{code}"] = forms.CharField(
            label=format_lazy("{} ({})", title, name), required=False, max_length=300
        )
        fields[f"mandate_{code}"] = forms.CharField(
            label=format_lazy("{} ({})", mandate, name),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Leave empty in the original language, and where no translation is entered yet."),
        )
    return fields


class BaseConsultationForm(forms.ModelForm):
    """Groups, questions and translations are edited here and written by the services with the rest."""

    group_slugs = forms.MultipleChoiceField(
        label=_("Stakeholder groups"), widget=forms.CheckboxSelectMultiple, help_text=_("Rows of the table.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Accepted languages"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    questions_text = forms.CharField(
        label=_("Guiding questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question per line, in order."),
    )

    class Meta:
        model = Consultation
        fields = ["slug", *services.EDITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["languages"].choices = list(settings.LANGUAGES)
        self.fields["group_slugs"].choices = [(g.slug, g.label) for g in StakeholderGroup.objects.all()]
        if self.instance.pk:
            self.initial["group_slugs"] = [g.slug for g in self.instance.ordered_groups()]
            self.initial["questions_text"] = "\n".join(q.text for q in self.instance.questions.all())
            self.fields["slug"].disabled = True
            for code, entry in (self.instance.translations or {}).items():
                for field in TRANSLATED_FIELDS:
                    self.initial[f"{field}_{code}"] = entry.get(field, "")
        else:
            self.initial.setdefault("languages", LANGUAGE_CODES)

    def clean_group_slugs(self):
        # The consultation's order is the canonical order of the groups.
        chosen = set(self.cleaned_data["group_slugs"])
        return [g.slug for g in StakeholderGroup.objects.all() if g.slug in chosen]

    def questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("questions_text", "").splitlines() if line.strip()]

    def changed_translations(self) -> dict[str, dict[str, str]]:
        """``{language: {field: text}}`` for each language whose title or mandate the form changed."""
        changed: dict[str, dict[str, str]] = {}
        for name in self.changed_data:
            field, _sep, code = name.partition("_")
            if field in TRANSLATED_FIELDS and code in LANGUAGE_CODES:
                changed.setdefault(code, {})[field] = self.cleaned_data.get(name, "")
        return changed


ConsultationForm = type("ConsultationForm", (BaseConsultationForm,), _translation_fields())


@admin.register(Consultation)
class ConsultationAdmin(ServiceAdmin):
    form = ConsultationForm
    list_display = ["title", "slug", "status_label", "opens_at", "closes_at", "published_at", "reported_at"]
    list_filter = ["published_at", "reported_at"]
    search_fields = ["title", "slug", "mandate_reference"]
    readonly_fields = ["published_at", "reported_at", "created_at"]
    actions = ["publish", "close_now", "mark_reported"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.status_label

    def service_create(self, request, form):
        data = form.cleaned_data
        fields = {f: data[f] for f in services.EDITABLE_FIELDS if f in data}
        consultation = services.create_consultation(
            request.user,
            slug=data["slug"],
            group_slugs=data["group_slugs"],
            questions=form.questions(),
            **fields,
        )
        for code, texts in form.changed_translations().items():
            services.translate_consultation(request.user, consultation, code, **texts)
        return consultation

    def service_update(self, request, obj, changes, form):
        group_slugs = changes.pop("group_slugs", None)
        questions_changed = changes.pop("questions_text", None) is not None
        changes.pop("slug", None)
        translations = form.changed_translations()
        for code, texts in translations.items():
            for field in texts:
                changes.pop(f"{field}_{code}", None)
        services.update_consultation(request.user, obj, **changes)
        if group_slugs is not None:
            services.set_groups(request.user, obj, group_slugs)
        if questions_changed:
            services.set_questions(request.user, obj, form.questions())
        for code, texts in translations.items():
            services.translate_consultation(request.user, obj, code, **texts)
        return obj

    @admin.action(description=_("Publish the selected consultations"), permissions=["change"])
    def publish(self, request, queryset):
        run_service_action(self, request, queryset, services.publish_consultation, _("%(count)d published."))

    @admin.action(description=_("Close the selected consultations now"), permissions=["change"])
    def close_now(self, request, queryset):
        run_service_action(self, request, queryset, services.close_consultation, _("%(count)d closed."))

    @admin.action(description=_("Mark the selected consultations as reported"), permissions=["change"])
    def mark_reported(self, request, queryset):
        run_service_action(self, request, queryset, services.mark_reported, _("%(count)d marked as reported."))
