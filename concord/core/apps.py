from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using, **kwargs):
    # A partial migrate (say, contenttypes alone on an empty database) also ends here: wait for the tables.
    tables = set(connections[using].introspection.table_names())
    if not {"auth_group", "auth_permission", "django_content_type", "core_auditentry"} <= tables:
        return
    from .services import sync_roles

    sync_roles("migrate", using=using)


class CoreConfig(AppConfig):
    name = "concord.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Once per migrate (this app's signal); the roles' groups follow roles.py after every deployment.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="concord.core.sync_roles")
