"""Writes to the secretariat's roles: the groups kept in step with ``roles.py``, and who holds which."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from . import audit
from .roles import CUSTOM_PERMISSIONS, ROLES, Role


def _permission_key(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


@transaction.atomic
def sync_roles(actor="system", using: str = DEFAULT_DB_ALIAS) -> list[Group]:
    """Create the custom permissions and one group per role, each group holding exactly its role's permissions.

    Safe to run again: it runs after every ``migrate``. A permission named in ``roles.py`` that does not exist is a
    mistake in the code, refused with ImproperlyConfigured rather than a group that silently grants less."""
    labels = {name.split(".")[0] for role in ROLES.values() for name in role.permissions}
    labels |= {app_label for app_label, *_rest in CUSTOM_PERMISSIONS}
    # The apps' own post_migrate handlers may not have run yet (core migrates before them): create their content
    # types and model permissions first. Both are no-ops when the rows exist.
    for label in sorted(labels):
        config = apps.get_app_config(label)
        create_contenttypes(config, verbosity=0, using=using)
        create_permissions(config, verbosity=0, using=using)
    for app_label, model, codename, name in CUSTOM_PERMISSIONS:
        content_type = ContentType.objects.db_manager(using).get_by_natural_key(app_label, model)
        Permission.objects.using(using).update_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
    known = {
        _permission_key(p): p
        for p in Permission.objects.using(using)
        .select_related("content_type")
        .filter(content_type__app_label__in=labels)
    }
    groups = []
    for role in ROLES.values():
        missing = sorted(set(role.permissions) - set(known))
        if missing:
            raise ImproperlyConfigured(f"Role {role.key!r} names unknown permissions: {', '.join(missing)}")
        group, _created = Group.objects.using(using).get_or_create(name=role.group)
        before = sorted(_permission_key(p) for p in group.permissions.select_related("content_type"))
        after = sorted(set(role.permissions))
        if before != after:
            group.permissions.set([known[name] for name in after])
            audit.log(actor, "role.sync", group, {"permissions": [before, after]})
        groups.append(group)
    return groups


def _role(key: str) -> Role:
    try:
        return ROLES[key]
    except KeyError:
        raise ValidationError(
            _("Unknown role %(role)s; the roles are: %(roles)s."), params={"role": key, "roles": ", ".join(ROLES)}
        ) from None


@transaction.atomic
def grant_role(actor, user, key: str):
    """Give a user a secretariat role. The account becomes staff, so that it may log in to the admin."""
    role = _role(key)
    group = Group.objects.filter(name=role.group).first() or next(g for g in sync_roles(actor) if g.name == role.group)
    before = {"is_staff": user.is_staff, "roles": sorted(user.groups.values_list("name", flat=True))}
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    after = {"is_staff": True, "roles": sorted(user.groups.values_list("name", flat=True))}
    audit.log(actor, "role.grant", user, audit.diff(before, after))
    return user


@transaction.atomic
def revoke_role(actor, user, key: str):
    """Take a role back. The account stays staff: with no role left it may log in and do nothing."""
    role = _role(key)
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.remove(*Group.objects.filter(name=role.group))
    after = sorted(user.groups.values_list("name", flat=True))
    audit.log(actor, "role.revoke", user, {"roles": [before, after]})
    return user
