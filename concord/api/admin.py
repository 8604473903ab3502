from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceAdmin):
    list_display = ["label", "prefix", "entity", "consultation_list", "created_by", "created_at", "revoked_at"]
    list_select_related = ["entity", "created_by"]
    fields = ["label", "entity", "consultations"]
    autocomplete_fields = ["entity"]
    filter_horizontal = ["consultations"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("consultations")

    def get_readonly_fields(self, request, obj=None):
        return ["label"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Nullable only for tokens issued before the binding: every token is issued, and edited, with one.
        form.base_fields["entity"].required = True
        return form

    @admin.display(description=_("consultations"))
    def consultation_list(self, obj):
        return ", ".join(c.slug for c in obj.consultations.all())

    def service_create(self, request, form):
        token, raw = services.issue_api_token(
            request.user,
            form.cleaned_data["label"],
            entity=form.cleaned_data["entity"],
            consultations=form.cleaned_data["consultations"],
        )
        self.message_user(
            request,
            _("The token is shown this once; give it to its holder: %(token)s") % {"token": raw},
            messages.WARNING,
        )
        return token

    def service_update(self, request, obj, changes, form):
        return services.bind_api_token(
            request.user,
            obj,
            entity=form.cleaned_data["entity"],
            consultations=form.cleaned_data["consultations"],
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        run_service_action(self, request, queryset, services.revoke_api_token, _("%(count)d revoked."))
