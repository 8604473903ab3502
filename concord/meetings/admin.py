from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyInline, ServiceAdmin, run_service_action

from . import services
from .models import AgendaItem, Meeting, Participant


class AgendaItemInline(ReadOnlyInline, admin.TabularInline):
    model = AgendaItem
    fields = ["position", "starts_at", "ends_at", "kind", "title"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ["title", "consultation", "date", "place"]
    list_filter = ["consultation"]
    fields = ["consultation", "title", "date", "place", "chair", "speaking_time_seconds"]
    inlines = [AgendaItemInline]

    def get_readonly_fields(self, request, obj=None):
        return ["consultation"] if obj else []

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        return services.create_meeting(request.user, data.pop("consultation"), **data)

    def service_update(self, request, obj, changes, form):
        return services.update_meeting(request.user, obj, **changes)


@admin.register(Participant)
class ParticipantAdmin(ServiceAdmin):
    list_display = ["person_name", "entity", "group", "meeting", "designated", "floor_link"]
    list_filter = ["meeting", "group", "designated"]
    search_fields = ["person_name", "entity__name"]
    list_select_related = ["entity", "group", "meeting"]
    autocomplete_fields = ["entity"]
    fields = ["meeting", "entity", "person_name", "email", "designated"]
    actions = ["schedule_presentation"]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting", "entity"] if obj else []

    @admin.display(description=_("personal page"))
    def floor_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("meetings:floor", kwargs={"pk": obj.meeting_id, "token": obj.token})
        return format_html('<a href="{}">{}</a>', url, _("request the floor"))

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        return services.register_participant(request.user, data.pop("meeting"), **data)

    def service_update(self, request, obj, changes, form):
        return services.update_participant(request.user, obj, **changes)

    @admin.action(description=_("Add to the presentations slot list"), permissions=["change"])
    def schedule_presentation(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda actor, p: services.schedule_presentation(actor, p),
            _("%(count)d presentations scheduled."),
        )
