from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core import formats
from concord.core.admin_utils import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, run_service_action

from . import services, storage
from .forms import ModerationForm, MultipleFileField, read_uploads
from .models import Attachment, Channel, Consent, Contribution, ContributionVersion, Moderation, ModerationQueue, Source
from .submission import Submitter

RECORD_FIELDS = [
    "consultation",
    "entity",
    "channel",
    "language",
    "title",
    "text",
    "received_at",
    "source",
    "consent",
    "meeting",
    "attached_files",
]
DETAIL_FIELDS = [
    "receipt_number",
    "consultation",
    "entity",
    "group",
    "channel",
    "language_shown",
    "language_confidence",
    "title",
    "text",
    "answers_shown",
    "files",
    "extracted_text",
    "received_at",
    "is_late",
    "source",
    "consent",
    "contact_email",
    "moderation",
    "moderation_reason",
    "withdrawn_at",
    "version",
    "sha256",
    "meeting",
    "created_at",
]


class ContributionEntryForm(forms.ModelForm):
    """A letter or e-mail as it arrived: its text, its files (a scan, an attachment), or both."""

    attached_files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("The letter's scan or the e-mail's attachments: their text is extracted in the background."),
    )

    class Meta:
        model = Contribution
        fields = RECORD_FIELDS[:-1]


class ModerationActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    fields = ["name", "kind", "mime_type", "size", "sha256", "extraction_status", "extraction_note"]
    readonly_fields = fields


def _language_name(code: str) -> str:
    """A contribution's language by its name; a code outside the six (say ``other``) as it is."""
    return str(dict(settings.LANGUAGES).get(code, code)) if code else "-"


def _answers_html(answers) -> str:
    return render_to_string("admin/contributions/_answers.html", {"answers": answers})


class LanguageFilter(admin.SimpleListFilter):
    """The six languages by name, not their codes; a contribution whose language is not known yet (only files,
    still being read) has its own choice."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [*settings.LANGUAGES, ("-", _("Not known yet"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "-":
            return queryset.filter(language="")
        return queryset.filter(language=value) if value else queryset


class VersionInline(ReadOnlyInline, admin.StackedInline):
    model = ContributionVersion
    fields = ["number", "created_at", "title", "text", "answers_shown", "version_files", "sha256"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("attachments")

    def has_view_permission(self, request, obj=None):
        # A version is part of its contribution: whoever may see the contribution sees what it said before (the
        # roles grant no permission on versions of their own, so a moderator saw none).
        return request.user.has_perm("contributions.view_contribution")

    @admin.display(description=_("answers to the guiding questions"))
    def answers_shown(self, obj):
        return _answers_html(obj.answers)

    @admin.display(description=_("files"))
    def version_files(self, obj):
        # Names and sizes only: the current version's files are downloadable above, an earlier one's are in the
        # store under the same SHA-256.
        rows = [(attachment, None) for attachment in obj.attachments.all()]
        return render_to_string("admin/contributions/_files.html", {"rows": rows})


@admin.register(Contribution)
class ContributionAdmin(ServiceAdmin):
    """The secretariat records what arrived by e-mail, letter or at the meeting, and moderates what arrived online.

    A recorded contribution is not edited here: contributors amend (every version is kept); the secretariat
    changes its moderation and publication with the actions, each with a reason.
    """

    # Six columns fit a 1,280-pixel screen beside the navigation and the filters in the six languages (ten did not:
    # 1,561 px in English): the group under the entity's name; how a contribution arrived, its author's publication
    # choice and lateness are filters, and on its page.
    list_display = ["receipt_number", "entity_and_group", "channel", "language_shown", "received_on", "moderation"]
    list_filter = ["consultation", "moderation", "group", "channel", LanguageFilter, "source", "consent", "is_late"]
    search_fields = ["receipt_number", "entity__name", "title", "text", "contact_email"]
    list_select_related = ["entity", "group"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["entity"]
    action_form = ModerationActionForm
    form = ContributionEntryForm
    actions = ["publish", "hold", "reject", "publish_named", "publish_anonymous", "withhold"]
    inlines = [VersionInline]

    def has_moderate_permission(self, request):
        return request.user.has_perm("contributions.moderate_contribution")

    @admin.display(description=_("answers to the guiding questions"))
    def answers_shown(self, obj):
        return _answers_html(obj.answers)

    @admin.display(description=_("language"), ordering="language")
    def language_shown(self, obj):
        return _language_name(obj.language)

    @admin.display(description=_("entity"), ordering="entity__name")
    def entity_and_group(self, obj):
        return format_html('{}<br><span class="concord-group">{}</span>', obj.entity or "-", obj.group.label)

    @admin.display(description=_("received at"), ordering="received_at")
    def received_on(self, obj):
        """The day, as the public pages write it; a late contribution says so (the time is on its page)."""
        day = formats.un_date(timezone.localtime(obj.received_at), get_language())
        return f"{day} ({_('late')})" if obj.is_late else day

    class Media:
        # Names and labels wrap, so the list fits beside the navigation and the filters.
        css = {"all": ["concord-admin.css"]}

    @admin.display(description=_("files"))
    def files(self, obj):
        attachments = Attachment.objects.filter(version__contribution=obj, version__number=obj.version)
        rows = [(attachment, self._file_url(obj, attachment)) for attachment in attachments]
        return render_to_string("admin/contributions/_files.html", {"rows": rows})

    def _file_url(self, obj, attachment):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return reverse(f"admin:{prefix}_file", args=[obj.pk, attachment.pk])

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(
                "<path:object_id>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name=f"{prefix}_moderate",
            ),
            path(
                "<path:object_id>/file/<int:attachment_id>/",
                self.admin_site.admin_view(self.file_view),
                name=f"{prefix}_file",
            ),
        ]
        return own + super().get_urls()

    def file_view(self, request, object_id, attachment_id):
        """An attached file for the secretariat, whatever its publication: staff who may see files only."""
        if not request.user.has_perm("contributions.view_attachment"):
            raise PermissionDenied
        attachment = get_object_or_404(Attachment, pk=attachment_id, version__contribution_id=object_id)
        try:
            original = storage.path_for(attachment.sha256).open("rb")
        except (OSError, ValueError) as exc:
            raise Http404(_("The store no longer holds this file: run concord verify.")) from exc
        response = FileResponse(
            original, as_attachment=True, filename=attachment.name, content_type=attachment.mime_type
        )
        # Never rendered by the browser inside the admin's origin: a contributor's HTML or SVG stays inert.
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response

    def moderate_view(self, request, object_id):
        return _moderate_one(self, request, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A recorded contribution is shown, never edited here: no Save button that would save nothing.
        extra_context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        if self.has_moderate_permission(request):
            extra_context["moderation_form"] = ModerationForm()
            prefix = f"{self.opts.app_label}_{self.opts.model_name}"
            extra_context["moderate_url"] = reverse(f"admin:{prefix}_moderate", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            # The six languages to choose from, not a code to type; a letter's is read from its text.
            return forms.ChoiceField(
                label=capfirst(db_field.verbose_name),
                choices=[("", "---------"), *settings.LANGUAGES],
                required=False,
                help_text=_("Detected from the text for a written contribution; chosen here for a meeting's."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        return [VersionInline] if obj else []

    def get_fields(self, request, obj=None):
        return RECORD_FIELDS if obj is None else DETAIL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else DETAIL_FIELDS

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        consultation = data.pop("consultation")
        uploads = read_uploads(data.pop("attached_files", []))
        if data["channel"] == Channel.WRITTEN:
            # A letter or e-mail goes through the written channel's own checks, exactly as the form and the CLI.
            entity = data["entity"]
            submitter = Submitter(
                kind=entity.kind,
                name=entity.name,
                category=entity.category.slug,
                group=entity.group.slug,
                country=str(entity.country or ""),
            )
            return services.submit_written_contribution(
                request.user,
                consultation,
                submitter=submitter,
                title=data["title"],
                text=data["text"],
                consent=data["consent"],
                source=data["source"] if data["source"] in (Source.EMAIL, Source.STAFF) else Source.STAFF,
                received_at=data["received_at"],
                uploads=uploads,
            ).contribution
        if uploads:
            raise ValidationError(_("Files are attached to written contributions only."))
        if not data["language"]:
            raise ValidationError(_("Choose the language the presentation or intervention was given in."))
        return services.record_contribution(request.user, consultation, **data)

    def service_update(self, request, obj, changes, form):
        return obj

    def _moderate(self, request, queryset, decision, message):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        if not reason.strip() and decision in services.REASON_REQUIRED:
            self.message_user(request, _("Give a reason to hold or reject a contribution."), messages.ERROR)
            return
        run_service_action(
            self,
            request,
            queryset,
            lambda user, obj: services.moderate_contribution(user, obj, decision, reason),
            message,
        )

    @admin.action(description=_("Publish"), permissions=["moderate"])
    def publish(self, request, queryset):
        self._moderate(request, queryset, "publish", _("%(count)d published."))

    @admin.action(description=_("Hold (with a reason)"), permissions=["moderate"])
    def hold(self, request, queryset):
        self._moderate(request, queryset, "hold", _("%(count)d held."))

    @admin.action(description=_("Reject as spam (with a reason)"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject", _("%(count)d rejected as spam."))

    def _consent_action(self, request, queryset, consent, message):
        run_service_action(self, request, queryset, lambda user, obj: services.set_consent(user, obj, consent), message)

    @admin.action(description=_("Publish with the contributor's name"), permissions=["moderate"])
    def publish_named(self, request, queryset):
        self._consent_action(request, queryset, Consent.NAMED, _("%(count)d published with name."))

    @admin.action(description=_("Publish anonymously"), permissions=["moderate"])
    def publish_anonymous(self, request, queryset):
        self._consent_action(request, queryset, Consent.ANONYMOUS, _("%(count)d published anonymously."))

    @admin.action(description=_("Withhold from publication"), permissions=["moderate"])
    def withhold(self, request, queryset):
        self._consent_action(request, queryset, Consent.WITHHELD, _("%(count)d withheld."))


@admin.register(ModerationQueue)
class ModerationQueueAdmin(ContributionAdmin):
    """New contributions received online, oldest first."""

    list_display = ["receipt_number", "entity", "group", "language_shown", "received_at", "is_late", "title"]
    list_filter = ["consultation", "group", LanguageFilter, "is_late"]
    actions = ["publish", "hold", "reject"]
    ordering = ["received_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(moderation=Moderation.PENDING, withdrawn_at__isnull=True)

    def has_add_permission(self, request):
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "size", "extraction_status", "version"]
    # By consultation: the secretariat's home links to one consultation's failed extractions.
    list_filter = ["kind", "extraction_status", "version__contribution__consultation"]
    search_fields = ["name", "sha256", "version__contribution__receipt_number"]
    readonly_fields = [f.name for f in Attachment._meta.fields]


def _moderate_one(modeladmin, request, object_id):
    """Publish, hold or reject the item on screen, then go on to the next one waiting in its consultation."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not modeladmin.has_moderate_permission(request):
        raise PermissionDenied
    contribution = get_object_or_404(Contribution, pk=object_id)
    prefix = f"{modeladmin.opts.app_label}_{modeladmin.opts.model_name}"
    here = reverse(f"admin:{prefix}_change", args=[contribution.pk])
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            modeladmin.message_user(request, " ".join(errors), messages.ERROR)
        return HttpResponseRedirect(here)
    decision = form.cleaned_data["decision"]
    try:
        services.moderate_contribution(request.user, contribution, decision, form.cleaned_data["reason"])
    except ValidationError as exc:
        modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return HttpResponseRedirect(here)
    done = {"publish": _("%s published."), "hold": _("%s held."), "reject": _("%s rejected as spam.")}[decision]
    modeladmin.message_user(request, done % contribution.receipt_number, messages.SUCCESS)
    waiting = (
        Contribution.objects.filter(
            consultation_id=contribution.consultation_id, moderation=Moderation.PENDING, withdrawn_at__isnull=True
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    queue = "admin:contributions_moderationqueue_%s"
    if waiting is None:
        return HttpResponseRedirect(reverse(queue % "changelist"))
    return HttpResponseRedirect(reverse(queue % "change", args=[waiting]))
