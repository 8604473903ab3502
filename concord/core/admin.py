from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by service functions, never by hand."""

    list_display = ["at", "actor_label", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor_label", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


# The secretariat's workbench, not a stock "Django administration" (the index lists what waits, admin_home.py).
admin.site.site_header = _("Concord secretariat")
admin.site.site_title = _("Concord secretariat")
admin.site.index_title = _("What waits for the secretariat")
