from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyInline, ServiceAdmin

from . import services
from .models import Organ, ReportDraft, ReportParagraph, ReportSettings


class ParagraphInline(ReadOnlyInline, admin.TabularInline):
    model = ReportParagraph
    fields = ["position", "section", "kind", "edited_at", "sources_changed", "written_by_hand", "removed"]
    readonly_fields = fields


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    """Drafts are generated and edited on the site (the edit page, linked from each consultation); here they are
    listed."""

    list_display = ["consultation", "language", "generated_at"]
    list_filter = ["language"]
    readonly_fields = ["consultation", "language", "generated_at"]
    inlines = [ParagraphInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportSettingsForm(forms.ModelForm):
    organs = forms.MultipleChoiceField(
        label=_("Organs"), choices=Organ.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportSettings
        fields = ["consultation", *services.SETTINGS_FIELDS, "translations"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(ServiceAdmin):
    """The front matter in every language at once (the editor sets it one language at a time)."""

    form = ReportSettingsForm
    list_display = ["consultation", "symbol", "date_of_issue", "original_language"]

    def get_readonly_fields(self, request, obj=None):
        return ["consultation"] if obj else []

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("reports.edit_report")

    has_add_permission = has_change_permission

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.view_reportdraft")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, form):
        data = form.cleaned_data
        values = {field: data[field] for field in services.SETTINGS_FIELDS}
        report_settings = services.update_report_settings(request.user, data["consultation"], **values)
        return services.update_report_translations(request.user, report_settings, data.get("translations") or {})

    def service_update(self, request, obj, changes, form):
        translations = changes.pop("translations", None)
        values = {field: changes[field] for field in services.SETTINGS_FIELDS if field in changes}
        if values:
            obj = services.update_report_settings(request.user, obj.consultation, **values)
        if translations is not None:
            obj = services.update_report_translations(request.user, obj, translations)
        return obj
