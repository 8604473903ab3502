from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
    list_display = ["person_name", "entity", "group", "meeting", "designated"]
    list_filter = ["meeting", "group", "designated"]
    search_fields = ["person_name", "entity__name"]
    list_select_related = ["entity", "group", "meeting"]
    autocomplete_fields = ["entity"]
    fields = ["meeting", "entity", "person_name", "email", "designated"]
    actions = ["schedule_presentation", "renew_page_keys"]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting", "entity"] if obj else []

    def _show_page_links(self, request, links: list[tuple[Participant, str]]) -> None:
        """The participants' personal page links, shown this once: only their keys' hashes are stored."""
        items = format_html_join(
            "", '<li>{}: <a href="{}">{}</a></li>', ((p, url, request.build_absolute_uri(url)) for p, url in links)
        )
        self.message_user(
            request,
            format_html(
                "{}<ul>{}</ul>",
                _("Personal page links, shown this once: hand each to its participant."),
                items,
            ),
            messages.WARNING,
        )

    @staticmethod
    def _page_url(participant: Participant, token: str) -> str:
        return reverse("meetings:floor", kwargs={"pk": participant.meeting_id, "token": token})

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        participant = services.register_participant(request.user, data.pop("meeting"), **data)
        self._show_page_links(request, [(participant, self._page_url(participant, participant.token))])
        return participant

    @admin.action(description=_("Give new personal page links (the old ones stop working)"), permissions=["change"])
    def renew_page_keys(self, request, queryset):
        links = []
        for participant in queryset.select_related("entity"):
            token = services.renew_participant_key(request.user, participant)
            links.append((participant, self._page_url(participant, token)))
        self._show_page_links(request, links)

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
