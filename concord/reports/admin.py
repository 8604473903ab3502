from django.contrib import admin

from concord.core.admin_utils import ReadOnlyInline

from .models import ReportDraft, ReportParagraph


class ParagraphInline(ReadOnlyInline, admin.TabularInline):
    model = ReportParagraph
    fields = ["position", "section", "key", "kind", "edited_at", "sources_changed"]
    readonly_fields = fields


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    """Drafts are generated and edited on the site (the edit page); here they are listed."""

    list_display = ["consultation", "language", "generated_at"]
    list_filter = ["language"]
    readonly_fields = ["consultation", "language", "generated_at"]
    inlines = [ParagraphInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
