from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Campaign, ContributionIssue, Forum, IssueForum, PolicyIssue, TagSource


@admin.register(PolicyIssue)
class PolicyIssueAdmin(ServiceAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    fields = ["slug", "name", "position", "names", "definitions", "seed_terms"]

    def service_create(self, request, form):
        return services.create_issue(request.user, **{f: form.cleaned_data[f] for f in self.fields})

    def service_update(self, request, obj, changes, form):
        return services.update_issue(request.user, obj, **changes)


@admin.register(Forum)
class ForumAdmin(ServiceAdmin):
    list_display = ["name", "slug", "paragraphs"]
    fields = ["slug", "name", "names", "reasoning", "paragraphs", "position"]

    def service_create(self, request, form):
        return services.create_forum(request.user, **{f: form.cleaned_data[f] for f in self.fields})

    def service_update(self, request, obj, changes, form):
        return services.update_forum(request.user, obj, **changes)


@admin.register(IssueForum)
class IssueForumAdmin(ServiceAdmin):
    list_display = ["issue", "forum", "paragraphs"]
    list_filter = ["forum"]
    fields = ["issue", "forum", "reasoning", "paragraphs"]

    def service_create(self, request, form):
        data = form.cleaned_data
        return services.link_forum(
            request.user, data["issue"], data["forum"], reasoning=data["reasoning"], paragraphs=data["paragraphs"]
        )

    def service_update(self, request, obj, changes, form):
        data = form.cleaned_data
        return services.link_forum(
            request.user, data["issue"], data["forum"], reasoning=data["reasoning"], paragraphs=data["paragraphs"]
        )


@admin.register(ContributionIssue)
class ContributionIssueAdmin(ReadOnlyAdmin):
    """Tags per contribution; the secretariat confirms or rejects them (through the services) and retrains."""

    list_display = ["contribution", "issue", "score", "source"]
    list_filter = ["source", "issue", "contribution__consultation"]

    class Media:
        # Long issue names wrap, so the list fits beside the navigation and the filters.
        css = {"all": ["concord-admin.css"]}

    search_fields = ["contribution__receipt_number"]
    list_select_related = ["contribution", "issue"]
    actions = ["confirm", "reject", "retrain"]

    def has_review_permission(self, request):
        # The rows stay read-only in their form (ReadOnlyAdmin); the actions change them through the services.
        return request.user.has_perm("policy.change_contributionissue")

    def _apply(self, request, queryset, keep):
        by_contribution: dict = {}
        for tag in queryset.select_related("contribution", "issue"):
            by_contribution.setdefault(tag.contribution, set()).add(tag.issue.slug)
        for contribution, slugs in by_contribution.items():
            current = set(contribution.issues.exclude(source=TagSource.REJECTED).values_list("issue__slug", flat=True))
            services.set_contribution_issues(request.user, contribution, sorted(keep(current, slugs)))
        return len(by_contribution)

    @admin.action(description=_("Confirm the selected tags"), permissions=["review"])
    def confirm(self, request, queryset):
        count = self._apply(request, queryset, lambda current, chosen: current | chosen)
        self.message_user(request, _("Tags confirmed on %d contributions.") % count, messages.SUCCESS)

    @admin.action(description=_("Reject the selected tags"), permissions=["review"])
    def reject(self, request, queryset):
        count = self._apply(request, queryset, lambda current, chosen: current - chosen)
        self.message_user(request, _("Tags rejected on %d contributions.") % count, messages.SUCCESS)

    @admin.action(description=_("Retrain on confirmed tags and re-tag the consultation"), permissions=["review"])
    def retrain(self, request, queryset):
        from .analysis import analyse_consultation

        consultations = {tag.contribution.consultation for tag in queryset.select_related("contribution__consultation")}
        for consultation in consultations:
            result = analyse_consultation(request.user, consultation)
            gain = result.get("improvement")
            if gain:
                text = _("%(c)s: retrained on %(n)d reviewed contributions; micro F1 %(a).2f → %(b).2f.") % {
                    "c": consultation,
                    "n": gain["examples"],
                    "a": gain["zero_shot_f1"],
                    "b": gain["trained_f1"],
                }
            else:
                text = _("%s: re-tagged (no reviewed contributions yet).") % consultation
            self.message_user(request, text, messages.SUCCESS)


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["canonical", "consultation", "size"]
    list_filter = ["consultation"]
    readonly_fields = ["consultation", "canonical", "canonical_text", "size"]
