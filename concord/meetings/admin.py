from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from concord.consultations.forms import TranslationsMixin, field_name, lines, translation_fields
from concord.consultations.models import LANGUAGE_CODES
from concord.core.admin_utils import ReadOnlyInline, ServiceAdmin, run_service_action

from . import services
from .models import AgendaItem, Meeting, Participant


class BaseMeetingForm(TranslationsMixin, forms.ModelForm):
    """The meeting's title, place and agenda in every language, beside the originals."""

    text_fields = Meeting.TRANSLATED_FIELDS
    list_fields = ("agenda",)

    class Meta:
        model = Meeting
        fields = ["consultation", "title", "date", "place", "chair", "speaking_time_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        if not meeting.pk:
            return
        items = list(meeting.agenda_items.all())
        for code, entry in (meeting.translations or {}).items():
            for field in Meeting.TRANSLATED_FIELDS:
                self.initial[field_name(field, code)] = entry.get(field, "")
        for code in LANGUAGE_CODES:
            titles = [(i.translations or {}).get(code, {}).get("title", "") for i in items]
            if any(titles):
                self.initial[field_name("agenda", code)] = "\n".join(titles).rstrip("\n")
        self.show_originals(
            {"title": meeting.title, "place": meeting.place, "agenda": " / ".join(i.title for i in items)}
        )

    def original_language(self) -> str:
        consultation = self.cleaned_data.get("consultation") if hasattr(self, "cleaned_data") else None
        consultation = consultation or getattr(self.instance, "consultation", None)
        return consultation.original_language if consultation else ""

    def clean(self):
        cleaned = super().clean()
        self.clean_translations(cleaned)
        count = self.instance.agenda_items.count() if self.instance.pk else 0
        for code in LANGUAGE_CODES:
            name = field_name("agenda", code)
            if len(lines(cleaned.get(name, ""))) > count:
                self.add_error(name, _("One line per agenda item, in the same order: there are more lines than items."))
        return cleaned


MeetingForm = type(
    "MeetingForm",
    (BaseMeetingForm,),
    translation_fields(
        {"title": Meeting._meta.get_field("title").verbose_name, "place": Meeting._meta.get_field("place").verbose_name}
        | {"agenda": _("Agenda (one item per line, in order)")},
        {"title": 300, "place": 300},
        ("agenda",),
    ),
)


class AgendaItemInline(ReadOnlyInline, admin.TabularInline):
    model = AgendaItem
    fields = ["position", "starts_at", "ends_at", "kind", "title"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    form = MeetingForm
    list_display = ["title", "consultation", "date", "place"]
    list_filter = ["consultation"]
    inlines = [AgendaItemInline]

    def get_fieldsets(self, request, obj=None):
        """The meeting in its original language, then one fieldset per other language (the agenda's titles
        translate once the agenda exists)."""
        original = obj.consultation.original_language if obj else None
        fieldsets = [(None, {"fields": ["consultation", "title", "date", "place", "chair", "speaking_time_seconds"]})]
        for code, name in settings.LANGUAGES:
            if code == original:
                continue
            names = self.form.language_fields(code)
            fieldsets.append((name, {"fields": names if obj else names[:-1]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["consultation"] if obj else []

    def service_create(self, request, form):
        data = {f: form.cleaned_data[f] for f in BaseMeetingForm.Meta.fields if f in form.cleaned_data}
        meeting = services.create_meeting(
            request.user, data.pop("consultation"), **{k: data[k] for k in ("title", "date", "place") if k in data}
        )
        rest = {k: v for k, v in data.items() if k not in {"title", "date", "place"}}
        if rest:
            services.update_meeting(request.user, meeting, **rest)
        self._write_translations(request, meeting, form)
        return meeting

    def service_update(self, request, obj, changes, form):
        form.pop_translation_changes(changes)
        if changes:
            services.update_meeting(request.user, obj, **changes)
        self._write_translations(request, obj, form)
        return obj

    @staticmethod
    def _write_translations(request, meeting, form) -> None:
        for code, texts in form.changed_translations().items():
            services.translate_meeting(request.user, meeting, code, **texts)
        for code, titles in form.changed_lists("agenda").items():
            services.translate_agenda(request.user, meeting, code, titles)


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
