from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceAdmin):
    list_display = ["label", "prefix", "created_by", "created_at", "revoked_at"]
    fields = ["label"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["label"] if obj else []

    def service_create(self, request, form):
        token, raw = services.issue_api_token(request.user, form.cleaned_data["label"])
        self.message_user(
            request,
            _("The token is shown this once; give it to its holder: %(token)s") % {"token": raw},
            messages.WARNING,
        )
        return token

    def service_update(self, request, obj, changes, form):
        return obj

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        run_service_action(self, request, queryset, services.revoke_api_token, _("%(count)d revoked."))
