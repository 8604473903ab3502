"""The secretariat's side of the statements phase: every change through the services, each action permission-checked."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Phase, Statement, StatementModeration, StatementSource, Voter

PHASE_FIELDS = ["opens_at", "closes_at", "allow_public", "allow_statements"]
STATEMENT_FIELDS = ["text", "original_language", "translations", "is_meta"]


@admin.register(Phase)
class PhaseAdmin(ServiceAdmin):
    list_display = ["consultation", "opens_at", "closes_at", "allow_public", "allow_statements"]
    fields = ["consultation", *PHASE_FIELDS]
    actions = ["seed_from_positions"]

    def get_readonly_fields(self, request, obj=None):
        return ["consultation"] if obj else []

    def service_create(self, request, form):
        data = form.cleaned_data
        return services.open_phase(request.user, data["consultation"], **{f: data[f] for f in PHASE_FIELDS})

    def service_update(self, request, obj, changes, form):
        return services.update_phase(request.user, obj, **changes)

    def has_seed_permission(self, request):
        return request.user.has_perm("deliberation.add_statement")

    @admin.action(description=_("Add a statement for each position of the codebook"), permissions=["seed"])
    def seed_from_positions(self, request, queryset):
        for phase in queryset.select_related("consultation"):
            created = services.seed_statements_from_positions(request.user, phase.consultation)
            self.message_user(
                request,
                _("%(consultation)s: %(n)d statements added from the codebook.")
                % {"consultation": phase.consultation, "n": len(created)},
                messages.SUCCESS,
            )


@admin.register(Statement)
class StatementAdmin(ServiceAdmin):
    """Statements: the secretariat's own, and participants' awaiting moderation (filter by moderation)."""

    list_display = ["number", "text", "phase", "source", "moderation", "is_meta"]
    list_filter = ["moderation", "source", "phase"]
    search_fields = ["text"]
    fields = ["phase", *STATEMENT_FIELDS]
    actions = ["accept", "moderate_out"]

    def get_readonly_fields(self, request, obj=None):
        return ["phase"] if obj else []

    def service_create(self, request, form):
        data = form.cleaned_data
        return services.add_statement(
            request.user, data["phase"], source=StatementSource.SECRETARIAT, **{f: data[f] for f in STATEMENT_FIELDS}
        )

    def service_update(self, request, obj, changes, form):
        return services.update_statement(request.user, obj, **changes)

    def has_moderate_permission(self, request):
        return request.user.has_perm("deliberation.change_statement")

    def _moderate(self, request, queryset, decision):
        for statement in queryset:
            services.moderate_statement(request.user, statement, decision)
        self.message_user(request, _("%d statements moderated.") % queryset.count(), messages.SUCCESS)

    @admin.action(description=_("Accept the selected statements"), permissions=["moderate"])
    def accept(self, request, queryset):
        self._moderate(request, queryset, StatementModeration.ACCEPTED)

    @admin.action(description=_("Moderate out the selected statements"), permissions=["moderate"])
    def moderate_out(self, request, queryset):
        self._moderate(request, queryset, StatementModeration.REJECTED)


@admin.register(Voter)
class VoterAdmin(ReadOnlyAdmin):
    """Who votes (registered with `concord deliberation register`, through an invitation's link, or the public)."""

    list_display = ["number", "phase", "kind", "entity", "group", "created_at"]
    list_filter = ["kind", "group", "phase"]
    search_fields = ["entity__name", "person_name"]
    fields = ["phase", "number", "kind", "entity", "group", "person_name", "created_at"]
    readonly_fields = fields
