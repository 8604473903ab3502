from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from concord.contributions.models import Contribution
from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Position, PositionSuggestion, Stance, StanceValue

EDITABLE = ["slug", "kind", "statement", "original_language", "translations", "examples", "issues", "forums", "order"]


@admin.register(Position)
class PositionAdmin(ServiceAdmin):
    """The codebook: every save goes through the services and leaves an audit entry."""

    list_display = ["slug", "consultation", "kind", "order"]
    list_filter = ["consultation", "kind"]
    search_fields = ["slug", "statement"]
    filter_horizontal = ["issues", "forums"]
    fields = ["consultation", *EDITABLE]

    def get_readonly_fields(self, request, obj=None):
        # A position belongs to its consultation for good: its stances were found against that record.
        return ["consultation"] if obj else []

    def service_create(self, request, form):
        data = form.cleaned_data
        return services.create_position(
            request.user, data["consultation"], **{f: data[f] for f in EDITABLE if f in data}
        )

    def service_update(self, request, obj, changes, form):
        return services.update_position(request.user, obj, **changes)


class ReviewForm(forms.Form):
    stance = forms.ChoiceField(choices=StanceValue.choices)


@admin.register(Stance)
class StanceAdmin(ReadOnlyAdmin):
    """Stances found by the analysis; the secretariat confirms or corrects each in one click, from its evidence."""

    list_display = ["contribution", "position", "stance", "score", "source", "evidence_sentences"]
    list_filter = ["source", "stance", "position__consultation", "position"]

    class Media:
        # Slugs and evidence wrap, so the list fits beside the navigation and the filters.
        css = {"all": ["concord-admin.css"]}

    search_fields = ["contribution__receipt_number", "position__slug"]
    list_select_related = ["contribution", "position"]
    readonly_fields = ["contribution", "position", "stance", "score", "source", "confirmed_by", "confirmed_at"]
    fields = [*readonly_fields, "evidence_sentences", "review_buttons"]
    actions = ["confirm", "mark_support", "mark_oppose", "mark_neutral", "retrain"]

    def has_review_permission(self, request):
        # The rows stay read-only in their form (ReadOnlyAdmin); review changes them through the services.
        return request.user.has_perm("positions.change_stance")

    @admin.display(description=_("evidence"))
    def evidence_sentences(self, obj):
        return format_html_join("", '<blockquote dir="auto">{}</blockquote>', ((u["text"],) for u in obj.evidence))

    @admin.display(description=_("review"))
    def review_buttons(self, obj):
        url = reverse("admin:positions_stance_review", args=[obj.pk])
        buttons = format_html_join(
            " ",
            '<button type="submit" name="stance" value="{}" formaction="{}">{}</button>',
            ((value, url, label) for value, label in StanceValue.choices),
        )
        return format_html('<span class="review">{}</span>', buttons)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:object_id>/review/", review, name="positions_stance_review"), *super().get_urls()]

    def review_view(self, request, object_id):
        """One click from the evidence: the button's stance confirms the row (same) or corrects it (different)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_review_permission(request):
            raise PermissionDenied
        stance = get_object_or_404(Stance, pk=object_id)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Choose support, oppose or neutral."), messages.ERROR)
        else:
            services.correct_stance(request.user, stance, form.cleaned_data["stance"])
            self.message_user(request, _("%(stance)s: recorded.") % {"stance": stance}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:positions_stance_changelist"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read-only rows have no save button; the review buttons submit the page's form to the review URL.
        extra = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra)

    def _review(self, request, queryset, value=None):
        done = 0
        for stance in queryset.select_related("position", "contribution"):
            if value is None:
                services.confirm_stance(request.user, stance)
            else:
                services.correct_stance(request.user, stance, value)
            done += 1
        self.message_user(request, _("%d stances reviewed.") % done, messages.SUCCESS)

    @admin.action(description=_("Confirm the selected stances"), permissions=["review"])
    def confirm(self, request, queryset):
        self._review(request, queryset)

    @admin.action(description=_("Correct to: supports"), permissions=["review"])
    def mark_support(self, request, queryset):
        self._review(request, queryset, StanceValue.SUPPORT)

    @admin.action(description=_("Correct to: opposes"), permissions=["review"])
    def mark_oppose(self, request, queryset):
        self._review(request, queryset, StanceValue.OPPOSE)

    @admin.action(description=_("Correct to: neutral"), permissions=["review"])
    def mark_neutral(self, request, queryset):
        self._review(request, queryset, StanceValue.NEUTRAL)

    @admin.action(description=_("Retrain on reviewed stances and read the consultation again"), permissions=["review"])
    def retrain(self, request, queryset):
        from .analysis import analyse_stances

        consultations = {s.position.consultation for s in queryset.select_related("position__consultation")}
        for consultation in consultations:
            result = analyse_stances(request.user, consultation)
            gain = result.get("improvement")
            if gain:
                text = _(
                    "%(c)s: retrained on %(n)d reviewed stances; macro F1 (support, oppose) %(a).2f → %(b).2f."
                ) % {
                    "c": consultation,
                    "n": gain["examples"],
                    "a": gain["zero_shot_f1"],
                    "b": gain["trained_f1"],
                }
            else:
                text = _("%s: read again (fewer than four reviewed contributions to measure a gain).") % consultation
            self.message_user(request, text, messages.SUCCESS)


@admin.register(PositionSuggestion)
class PositionSuggestionAdmin(ReadOnlyAdmin):
    """Proposals the codebook lacks, found by the analysis run: the secretariat promotes them or dismisses them.
    Staff only, and only for those who may edit the codebook, since promoting one adds to it."""

    list_display = ["sentence", "size", "groups_behind", "language_list", "status", "decision_buttons"]
    list_filter = ["consultation", "dismissed", ("promoted_to", admin.EmptyFieldListFilter)]
    search_fields = ["representative"]
    readonly_fields = ["consultation", "sentence", "size", "groups_behind", "language_list", "status", "created_at"]
    fields = [*readonly_fields, "decision_buttons"]
    actions = ["promote", "dismiss"]

    def _may_decide(self, request):
        return request.user.is_staff and request.user.has_perm("positions.change_position")

    def has_view_permission(self, request, obj=None):
        return self._may_decide(request)

    def has_module_permission(self, request):
        return self._may_decide(request) or super().has_module_permission(request)

    def has_decide_permission(self, request):
        return self._may_decide(request)

    def get_queryset(self, request):
        members = Prefetch("members", queryset=Contribution.objects.select_related("group").only("id", "group"))
        return super().get_queryset(request).select_related("promoted_to").prefetch_related(members)

    @admin.display(description=_("representative sentence"))
    def sentence(self, obj):
        return format_html('<blockquote dir="auto" lang="{}">{}</blockquote>', obj.language, obj.representative)

    @admin.display(description=_("stakeholder groups"))
    def groups_behind(self, obj):
        # Read from the members each time, so that a contribution whose group was corrected counts where it is now.
        counts = Counter(str(m.group) for m in obj.members.all())
        return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @admin.display(description=_("languages"))
    def language_list(self, obj):
        return ", ".join(obj.languages)

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.promoted_to_id:
            return _("promoted to %s") % obj.promoted_to.slug
        return _("dismissed") if obj.dismissed else _("open")

    @admin.display(description=_("decision"))
    def decision_buttons(self, obj):
        if not obj or not obj.is_open:
            return ""
        return format_html(
            '<button type="submit" formaction="{}">{}</button> <button type="submit" formaction="{}">{}</button>',
            reverse("admin:positions_positionsuggestion_promote", args=[obj.pk]),
            _("Promote to codebook"),
            reverse("admin:positions_positionsuggestion_dismiss", args=[obj.pk]),
            _("Dismiss"),
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        # Two fixed words, not one "<decision>" segment, which would also catch the admin's own "<id>/change/".
        return [
            path(
                "<int:object_id>/promote/", decide, {"decision": "promote"}, name="positions_positionsuggestion_promote"
            ),
            path(
                "<int:object_id>/dismiss/", decide, {"decision": "dismiss"}, name="positions_positionsuggestion_dismiss"
            ),
            *super().get_urls(),
        ]

    def _decide(self, request, suggestion, decision) -> bool:
        try:
            if decision == "promote":
                position = services.promote_suggestion(request.user, suggestion)
                self.message_user(request, _("Added to the codebook as %s.") % position.slug, messages.SUCCESS)
            else:
                services.dismiss_suggestion(request.user, suggestion)
                self.message_user(request, _("Dismissed: %s") % suggestion, messages.SUCCESS)
        except ValidationError as error:
            self.message_user(request, f"{suggestion}: {' '.join(error.messages)}", messages.ERROR)
            return False
        return True

    def decide_view(self, request, object_id, decision):
        """One click from the list: promote or dismiss this suggestion."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_decide_permission(request):
            raise PermissionDenied
        suggestion = get_object_or_404(PositionSuggestion, pk=object_id)
        self._decide(request, suggestion, decision)
        return HttpResponseRedirect(reverse("admin:positions_positionsuggestion_changelist"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read-only rows have no save button; the decision buttons submit the page's form to their own URL.
        extra = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra)

    @admin.action(description=_("Promote to codebook"), permissions=["decide"])
    def promote(self, request, queryset):
        for suggestion in queryset:
            self._decide(request, suggestion, "promote")

    @admin.action(description=_("Dismiss"), permissions=["decide"])
    def dismiss(self, request, queryset):
        for suggestion in queryset:
            self._decide(request, suggestion, "dismiss")
