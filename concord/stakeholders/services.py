"""Every write to stakeholder groups, categories and entities."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core import audit

from .models import Entity, EntityCategory, StakeholderGroup, normalize_name

ENTITY_FIELDS = ["kind", "name", "country", "category", "group", "is_fictional"]


@transaction.atomic
def create_entity(
    actor,
    *,
    name: str,
    category: EntityCategory,
    group: StakeholderGroup | None = None,
    kind: str = Entity.Kind.ORGANIZATION,
    country: str = "",
    is_fictional: bool = False,
) -> Entity:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("An entity needs a name."))
    group = group or category.default_group
    if group is None:
        raise ValidationError(_("Choose the stakeholder group of this entity."))
    entity = Entity(
        name=name,
        normalized_name=normalize_name(name),
        category=category,
        group=group,
        kind=kind,
        country=country,
        is_fictional=is_fictional,
    )
    entity.full_clean()
    entity.save()
    audit.log_create(actor, "entity.create", entity)
    return entity


@transaction.atomic
def update_entity(actor, entity: Entity, **changes) -> Entity:
    unknown = set(changes) - set(ENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(entity)
    for field, value in changes.items():
        setattr(entity, field, value)
    entity.normalized_name = normalize_name(entity.name)
    entity.full_clean()
    entity.save()
    delta = audit.diff(before, audit.snapshot(entity))
    if delta:
        audit.log(actor, "entity.update", entity, delta)
    return entity


def find_or_create_entity(
    actor,
    *,
    name: str,
    category: EntityCategory,
    group: StakeholderGroup,
    kind: str = Entity.Kind.ORGANIZATION,
    country: str = "",
) -> Entity:
    """The entity with this name (ignoring case, accents and spacing), country, kind and group, or a new one."""
    existing = (
        Entity.objects.filter(
            normalized_name=normalize_name(" ".join(name.split())), country=country, kind=kind, group=group
        )
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    return create_entity(actor, name=name, category=category, group=group, kind=kind, country=country)
