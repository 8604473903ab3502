from django.contrib import admin

from concord.core.admin_utils import ServiceAdmin

from . import services
from .models import Entity, EntityCategory, StakeholderGroup


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(admin.ModelAdmin):
    """The groups are fixed by the WSIS process (their slugs are a contract): shown, not edited."""

    list_display = ["label", "slug", "position"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EntityCategory)
class EntityCategoryAdmin(StakeholderGroupAdmin):
    list_display = ["label", "slug", "default_group", "position"]


@admin.register(Entity)
class EntityAdmin(ServiceAdmin):
    list_display = ["name", "kind", "category", "group", "country", "is_fictional"]
    list_filter = ["group", "category", "kind", "is_fictional"]
    search_fields = ["name"]
    list_select_related = ["category", "group"]
    fields = services.ENTITY_FIELDS

    def service_create(self, request, form):
        return services.create_entity(request.user, **form.cleaned_data)

    def service_update(self, request, obj, changes, form):
        return services.update_entity(request.user, obj, **changes)
