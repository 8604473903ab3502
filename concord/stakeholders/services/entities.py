"""Creating, updating and finding registry entities, one at a time."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_countries import countries

from concord.core import audit

from ..models import Entity, EntityCategory, StakeholderGroup, normalize_name

ENTITY_FIELDS = ["kind", "name", "names", "country", "category", "group", "is_fictional"]


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
    names: dict[str, str] | None = None,
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
        names=clean_names(names or {}),
    )
    # The country is checked with django-countries' own code lookup: the field's choice check rebuilds the list of
    # some 250 translated country names at every call, most of the cost of an import or of a first contribution.
    # Category and group arrive as rows already read: asking the database whether they exist would cost two queries.
    entity.full_clean(exclude=["country", "category", "group"])
    if country and country not in countries:
        raise ValidationError({"country": _("Value %(value)r is not a valid choice.") % {"value": country}})
    entity.save()
    audit.log_create(actor, "entity.create", entity)
    return entity


@transaction.atomic
def update_entity(actor, entity: Entity, **changes) -> Entity:
    unknown = set(changes) - set(ENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "names" in changes:
        changes["names"] = clean_names(changes["names"] or {})
    delta = audit.apply_changes(actor, "entity.update", entity, changes, derive=_normalize)
    if "name" in delta:
        # The sealed record seals each contribution with its entity's name: the new name is sealed in this
        # transaction, or `concord verify` would report every contribution of the entity as changed.
        from concord.record.services import seal_entity

        seal_entity(entity)
    return entity


def clean_names(names: dict) -> dict[str, str]:
    """An entity's names in other languages, keyed by the site's language codes, spaces tidied, empty ones left
    out."""
    if not isinstance(names, dict):
        raise ValidationError({"names": _("Give the names as an object of language code to name.")})
    languages = {code for code, _label in settings.LANGUAGES}
    unknown = sorted(set(names) - languages)
    if unknown:
        raise ValidationError(
            {"names": _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}}
        )
    cleaned = {}
    for code, value in names.items():
        if not isinstance(value, str):
            raise ValidationError({"names": _("Each name must be text.")})
        value = " ".join(value.split())
        if value:
            cleaned[code] = value
    return cleaned


def _normalize(entity: Entity) -> None:
    entity.normalized_name = normalize_name(entity.name)


@transaction.atomic
def find_or_create_entity(
    actor,
    *,
    name: str,
    category: EntityCategory,
    group: StakeholderGroup,
    kind: str = Entity.Kind.ORGANIZATION,
    country: str = "",
) -> Entity:
    """The entity with this name (ignoring case, accents and spacing), country, kind and group, or a new one.

    Race-free: two first submissions of one new organisation at the same moment create one entity. The lookup and
    the creation run in one transaction that holds a lock on the key (see ``_lock_entity_key``), so the second
    waits for the first to commit and then finds its entity."""
    key = normalize_name(" ".join(name.split()))
    _lock_entity_key(key, country, kind, group.pk)
    existing = Entity.objects.filter(normalized_name=key, country=country, kind=kind, group=group)
    existing = existing.order_by("id").first()
    if existing is not None:
        return existing
    return create_entity(actor, name=name, category=category, group=group, kind=kind, country=country)


def _lock_entity_key(normalized_name: str, country: str, kind: str, group_id: int) -> None:
    """Serialise the find-or-create of one key until the transaction ends.

    PostgreSQL: a transaction-level advisory lock on a 64-bit hash of the key (other keys never wait; a hash
    collision only makes two unrelated creations wait for each other). Registry rows that are the same organisation
    may already exist twice (the admin and the registry import create entities as told), so a unique constraint is
    not an option. SQLite: Concord opens its transactions with ``BEGIN IMMEDIATE`` (``transaction_mode`` in
    settings), which takes the database's write lock before the lookup; nothing more is needed."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(
        "\x1f".join(["stakeholders.entity", normalized_name, country, kind, str(group_id)]).encode(), digest_size=8
    ).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])
