from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Position, Stance, StanceValue

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
