from django.contrib import admin

from concord.core.admin_utils import ServiceAdmin

from . import services
from .models import AgendaItem, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "starts_at", "ends_at", "kind", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ["title", "consultation", "date", "place"]
    list_filter = ["consultation"]
    fields = ["consultation", "title", "date", "place"]
    inlines = [AgendaItemInline]

    def get_readonly_fields(self, request, obj=None):
        return ["consultation"] if obj else []

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        return services.create_meeting(request.user, data.pop("consultation"), **data)

    def service_update(self, request, obj, changes, form):
        return services.update_meeting(request.user, obj, **changes)
