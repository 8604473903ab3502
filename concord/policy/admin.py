from django.contrib import admin

from .models import PolicyIssue


@admin.register(PolicyIssue)
class PolicyIssueAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]

    # Shown, not edited, until the taxonomy gets its editing services (analysis issue).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
