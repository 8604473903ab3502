from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action

from . import services
from .forms import ConsultationForm
from .models import Consultation

_SETTINGS = [
    "slug",
    "original_language",
    "languages",
    "group_slugs",
    "opens_at",
    "closes_at",
    "receipt_prefix",
    "report_symbol",
    "allow_late",
    "premoderation",
]
_ORIGINAL_TEXTS = ["title", "mandate_reference", "mandate", "description", "questions_text"]


@admin.register(Consultation)
class ConsultationAdmin(ServiceAdmin):
    form = ConsultationForm
    list_display = ["title", "slug", "status_label", "opens_at", "closes_at", "published_at", "reported_at"]
    list_filter = ["published_at", "reported_at"]
    search_fields = ["title", "slug", "mandate_reference"]
    readonly_fields = ["published_at", "reported_at", "created_at"]
    actions = ["publish", "close_now", "mark_reported"]

    class Media:
        css = {"all": ["concord-admin.css"]}
        js = ["consultations/admin-translations.js"]

    def get_fieldsets(self, request, obj=None):
        """The settings, the texts in the original language, then one fieldset per other language with the same
        texts, each field showing the original it translates.

        The add form has every language's fieldset, that of the original language chosen hidden (by its script, as
        the choice changes): hiding it on the server would hide the refusal of a text typed there."""
        original = obj.original_language if obj else None
        chosen = request.POST.get("original_language") or Consultation._meta.get_field("original_language").default
        fieldsets = [
            (None, {"fields": _SETTINGS}),
            (_("Texts in the original language"), {"fields": _ORIGINAL_TEXTS}),
        ]
        for code, name in settings.LANGUAGES:
            if code == original:
                continue
            fields = self.form.language_fields(code)
            classes = ["concord-translation", f"concord-translation-{code}"]
            if obj is None and code == chosen and not any(request.POST.get(f, "").strip() for f in fields):
                classes.append("hidden")
            fieldsets.append((name, {"fields": fields, "classes": classes}))
        if obj:
            fieldsets.append((_("Record"), {"fields": self.readonly_fields}))
        return fieldsets

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
        self._write_translations(request, consultation, form)
        return consultation

    def service_update(self, request, obj, changes, form):
        group_slugs = changes.pop("group_slugs", None)
        questions_changed = changes.pop("questions_text", None) is not None
        changes.pop("slug", None)
        form.pop_translation_changes(changes)
        services.update_consultation(request.user, obj, **changes)
        if group_slugs is not None:
            services.set_groups(request.user, obj, group_slugs)
        if questions_changed:
            services.set_questions(request.user, obj, form.questions())
        self._write_translations(request, obj, form)
        return obj

    @staticmethod
    def _write_translations(request, consultation, form) -> None:
        for code, texts in form.changed_translations().items():
            services.translate_consultation(request.user, consultation, code, **texts)
        for code, texts in form.changed_lists("questions").items():
            services.translate_questions(request.user, consultation, code, texts)

    @admin.action(description=_("Publish the selected consultations"), permissions=["change"])
    def publish(self, request, queryset):
        run_service_action(self, request, queryset, services.publish_consultation, _("%(count)d published."))

    @admin.action(description=_("Close the selected consultations now"), permissions=["change"])
    def close_now(self, request, queryset):
        run_service_action(self, request, queryset, services.close_consultation, _("%(count)d closed."))

    @admin.action(description=_("Mark the selected consultations as reported"), permissions=["change"])
    def mark_reported(self, request, queryset):
        run_service_action(self, request, queryset, services.mark_reported, _("%(count)d marked as reported."))
