"""The secretariat's side of the statements phase: every change through the services, each action permission-checked."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from concord.contributions.models import public_q
from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin
from concord.positions.models import Position, Stance

from . import services
from .models import Phase, Statement, StatementModeration, StatementSource, Voter

PHASE_FIELDS = ["opens_at", "closes_at", "allow_public", "allow_statements"]
EVIDENCE_SHOWN = 300  # stances listed at once on the evidence page; the position filter reaches the rest
STATEMENT_FIELDS = ["text", "original_language", "translations", "is_meta"]


class EvidenceForm(forms.Form):
    stance = forms.IntegerField(min_value=1)
    index = forms.IntegerField(min_value=0)


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

    def get_urls(self):
        view = self.admin_site.admin_view(self.from_evidence_view)
        return [path("from-evidence/", view, name="deliberation_statement_from_evidence"), *super().get_urls()]

    def from_evidence_view(self, request):
        """The evidence sentences of public contributions, by position, each made a statement in one click."""
        if not request.user.has_perm("deliberation.add_statement"):
            raise PermissionDenied
        here = reverse("admin:deliberation_statement_from_evidence")
        if request.method == "POST":
            form = EvidenceForm(request.POST)
            if form.is_valid():
                stance = get_object_or_404(
                    Stance.objects.select_related("position", "contribution__consultation"),
                    pk=form.cleaned_data["stance"],
                )
                try:
                    statement = services.seed_statement_from_evidence(request.user, stance, form.cleaned_data["index"])
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("Statement %(n)d: %(text)s") % {"n": statement.number, "text": statement.text},
                        messages.SUCCESS,
                    )
            return HttpResponseRedirect(f"{here}?position={stance.position_id}" if form.is_valid() else here)
        positions = list(
            Position.objects.filter(consultation__deliberation__isnull=False)
            .select_related("consultation")
            .order_by("consultation__slug", "order", "slug")
        )
        chosen = request.GET.get("position", "")
        chosen = int(chosen) if chosen.isdigit() else None
        stances = (
            Stance.objects.filter(position__in=[p for p in positions if chosen in (None, p.pk)])
            .filter(public_q("contribution__"))
            .exclude(evidence=[])
            .select_related("position", "contribution")
            .order_by("position__consultation_id", "position__order", "position__slug", "-score", "pk")[:EVIDENCE_SHOWN]
        )
        made = {
            (s.contribution_id, s.evidence_start, s.evidence_end): s
            for s in Statement.objects.filter(source=StatementSource.EVIDENCE)
        }
        sentences: dict = {}
        for stance in stances:
            for index, sentence in enumerate(stance.evidence):
                key = (stance.contribution_id, sentence.get("start"), sentence.get("end"))
                row = {"stance": stance, "index": index, "text": sentence["text"], "statement": made.get(key)}
                sentences.setdefault(stance.position, []).append(row)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Statements from evidence sentences"),
            "opts": self.model._meta,
            "positions": positions,
            "chosen": chosen,
            "sentences": list(sentences.items()),
        }
        return TemplateResponse(request, "admin/deliberation/statement/from_evidence.html", context)

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
