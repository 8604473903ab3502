from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action
from concord.stakeholders.models import StakeholderGroup

from . import services
from .models import LANGUAGE_CODES, Consultation


class ConsultationForm(forms.ModelForm):
    """Groups and questions are edited here and written by the services with the rest."""

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
        else:
            self.initial.setdefault("languages", LANGUAGE_CODES)

    def clean_group_slugs(self):
        # The consultation's order is the canonical order of the groups.
        chosen = set(self.cleaned_data["group_slugs"])
        return [g.slug for g in StakeholderGroup.objects.all() if g.slug in chosen]

    def questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("questions_text", "").splitlines() if line.strip()]


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
        fields = {f: data[f] for f in services.EDITABLE_FIELDS if f in data and f != "report_symbol"}
        return services.create_consultation(
            request.user,
            slug=data["slug"],
            group_slugs=data["group_slugs"],
            questions=form.questions(),
            **fields,
        )

    def service_update(self, request, obj, changes, form):
        group_slugs = changes.pop("group_slugs", None)
        questions_changed = changes.pop("questions_text", None) is not None
        changes.pop("slug", None)
        services.update_consultation(request.user, obj, **changes)
        if group_slugs is not None:
            services.set_groups(request.user, obj, group_slugs)
        if questions_changed:
            services.set_questions(request.user, obj, form.questions())
        return obj

    @admin.action(description=_("Publish the selected consultations"))
    def publish(self, request, queryset):
        run_service_action(self, request, queryset, services.publish_consultation, _("%(count)d published."))

    @admin.action(description=_("Close the selected consultations now"))
    def close_now(self, request, queryset):
        run_service_action(self, request, queryset, services.close_consultation, _("%(count)d closed."))

    @admin.action(description=_("Mark the selected consultations as reported"))
    def mark_reported(self, request, queryset):
        run_service_action(self, request, queryset, services.mark_reported, _("%(count)d marked as reported."))
