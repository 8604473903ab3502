from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin, run_service_action

from . import services
from .models import Entity, EntityCategory, Invitation, InvitationCampaign, InvitationTemplate, StakeholderGroup


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: name, category, group, country, language, emails, and optionally id."),
    )


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ReadOnlyAdmin):
    """The groups are fixed by the WSIS process (their slugs are a contract): shown, not edited."""

    list_display = ["label", "slug", "position"]


@admin.register(EntityCategory)
class EntityCategoryAdmin(StakeholderGroupAdmin):
    list_display = ["label", "slug", "default_group", "position"]


@admin.register(Entity)
class EntityAdmin(ServiceAdmin):
    list_display = ["name", "kind", "category", "group", "country", "is_fictional"]
    list_filter = ["group", "category", "kind", "is_fictional"]
    search_fields = ["name"]
    list_select_related = ["category", "group"]
    fields = services.ENTITY_FIELDS

    change_list_template = "admin/stakeholders/entity/change_list.html"

    class Media:
        # Names and categories wrap, so the list fits beside the navigation and the filters.
        css = {"all": ["concord-admin.css"]}

    def get_urls(self):
        custom = [path("import/", self.admin_site.admin_view(self.import_view), name="stakeholders_entity_import")]
        return custom + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = services.import_entities(request.user, form.cleaned_data["file"].read())
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                self.message_user(request, report.summary(), messages.WARNING if report.rejected else messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "title": _("Import entities"),
        }
        return TemplateResponse(request, "admin/stakeholders/entity/import.html", context)

    def service_create(self, request, form):
        return services.create_entity(request.user, **form.cleaned_data)

    def service_update(self, request, obj, changes, form):
        return services.update_entity(request.user, obj, **changes)


@admin.register(InvitationTemplate)
class InvitationTemplateAdmin(ServiceAdmin):
    list_display = ["consultation", "language", "subject"]
    list_filter = ["consultation", "language"]
    fields = ["consultation", "language", "subject", "body"]

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        return services.save_invitation_template(request.user, data.pop("consultation"), **data)

    def service_update(self, request, obj, changes, form):
        data = {k: form.cleaned_data[k] for k in ("language", "subject", "body")}
        return services.save_invitation_template(request.user, obj.consultation, **data)


@admin.register(InvitationCampaign)
class InvitationCampaignAdmin(ServiceAdmin):
    list_display = ["name", "consultation", "launched_at"]
    fields = ["consultation", "name", "categories", "groups", "countries"]
    filter_horizontal = ["categories", "groups"]
    actions = ["launch"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else []

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        return services.create_campaign(request.user, data.pop("consultation"), **data)

    def service_update(self, request, obj, changes, form):
        return obj

    @admin.action(description=_("Launch: queue and send the invitations"), permissions=["change"])
    def launch(self, request, queryset):
        for campaign in queryset:
            report = services.launch_campaign(request.user, campaign)
            self.message_user(
                request,
                _("%(name)s: %(queued)d queued, %(already)d already invited, %(none)d without e-mail.")
                % {
                    "name": campaign.name,
                    "queued": report.queued,
                    "already": report.already_invited,
                    "none": report.without_email,
                },
            )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["entity", "consultation", "language", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["consultation", "state", "language", "campaign"]
    search_fields = ["entity__name"]
    list_select_related = ["entity", "consultation"]
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "token_hash"]
    exclude = ["token_hash"]
    actions = ["bounced", "requeue"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark as bounced"), permissions=["change"])
    def bounced(self, request, queryset):
        run_service_action(self, request, queryset, services.mark_bounced, _("%(count)d marked as bounced."))

    @admin.action(description=_("Send again"), permissions=["change"])
    def requeue(self, request, queryset):
        run_service_action(self, request, queryset, services.requeue_invitation, _("%(count)d queued again."))
