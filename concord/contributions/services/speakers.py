"""Who speaks in a written submission: the submitter as typed, checked, and the registry entity it designates."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils.translation import gettext as _
from django_countries import countries

from concord.consultations.models import Consultation
from concord.core.refcache import ProcessCache
from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup, normalize_name
from concord.stakeholders.services import find_or_create_entity

from ..models import Contribution
from ..submission import Submitter, clean_text
from .common import refuse

# Reference rows every written submission reads: a change reaches the other server processes within
# REFERENCE_TTL seconds.
REFERENCE_TTL = 2
_categories = ProcessCache(REFERENCE_TTL, ["stakeholders.EntityCategory", "stakeholders.StakeholderGroup"])
_heard_groups = ProcessCache(
    REFERENCE_TTL, ["consultations.Consultation", "consultations.ConsultationGroup", "stakeholders.StakeholderGroup"]
)


EMAIL_MAX = Contribution._meta.get_field("contact_email").max_length
NAME_MAX = Entity._meta.get_field("name").max_length


def _clean_submitter(submitter: Submitter) -> Submitter:
    """The submitter as typed, minus control characters (a NUL would fail in the database, not here); the
    e-mail address, when given, must be one (the API takes any string)."""
    fields = {f.name: clean_text(getattr(submitter, f.name)) for f in dataclasses.fields(submitter)}
    cleaned = dataclasses.replace(submitter, **fields)
    if submitter.email:
        try:
            validate_email(submitter.email)
        except ValidationError:
            raise refuse(_("This is not an e-mail address: %s") % cleaned.email, "invalid-email") from None
        # RFC 5321 allows no longer path (254 characters), and the column holds no more: refused here, not by the
        # database (PostgreSQL would fail the whole submission).
        if len(cleaned.email) > EMAIL_MAX:
            raise refuse(
                _("An e-mail address has at most %(max)d characters; this one has %(length)d.")
                % {"max": EMAIL_MAX, "length": len(cleaned.email)},
                "invalid-email",
            )
    return cleaned


@dataclasses.dataclass(frozen=True)
class _Speaker:
    """The entity a submitter designates, checked, not yet looked up."""

    name: str
    country: str
    kind: str
    category: EntityCategory
    group: StakeholderGroup
    # An entity designated by the client's credentials (an API token's), not by the name typed.
    entity: Entity | None = None

    def find_or_create(self, actor) -> Entity:
        if self.entity is not None:
            return self.entity
        return find_or_create_entity(
            actor, name=self.name, category=self.category, group=self.group, kind=self.kind, country=self.country
        )

    def lookup_sql(self) -> tuple[str, list]:
        """``find_or_create_entity``'s match, as SQL for the submission's statement to find an existing entity."""
        table = connection.ops.quote_name(Entity._meta.db_table)
        if self.entity is not None:
            return f"SELECT id FROM {table} WHERE id = %s", [self.entity.pk]
        return (
            f"SELECT id FROM {table} WHERE normalized_name = %s AND country = %s AND kind = %s AND group_id = %s"
            " ORDER BY id LIMIT 1",
            [normalize_name(self.name), self.country, self.kind, self.group.pk],
        )


def _bound_speaker(consultation: Consultation, entity: Entity, submitter: Submitter) -> _Speaker:
    """The entity the client's credentials speak for. A body that names another one is refused: a token issued to
    one organisation never speaks in another's name."""
    named = " ".join(submitter.name.split())
    if named and normalize_name(named) != normalize_name(entity.name):
        raise refuse(
            _("These credentials submit for “%(entity)s” only; the submission names “%(named)s”.")
            % {"entity": entity.name, "named": named},
            "entity-mismatch",
        )
    heard = _heard_groups.get(consultation.pk, lambda: {g.slug: g for g in consultation.ordered_groups()})
    if entity.group.slug not in heard:
        raise refuse(
            _("This consultation does not hear the stakeholder group “%(group)s”.") % {"group": entity.group.slug},
            "unknown-group",
        )
    return _Speaker(entity.name, entity.country.code or "", entity.kind, entity.category, entity.group, entity=entity)


def _resolve_submitter(consultation: Consultation, submitter: Submitter) -> _Speaker:
    name = " ".join(clean_text(submitter.name).split())
    if not name:
        raise refuse(_("Give the name of your organization, or your own name."), "missing-name")
    # The form caps the name; the command and any other caller must be refused here, not by PostgreSQL.
    if len(name) > NAME_MAX:
        raise refuse(
            _("A name has at most %(max)d characters; this one has %(length)d.")
            % {"max": NAME_MAX, "length": len(name)},
            "name-too-long",
        )
    if submitter.country and submitter.country not in countries:
        raise refuse(_("Unknown country code: %s") % submitter.country, "invalid")
    if submitter.kind == Entity.Kind.INDIVIDUAL:
        category_slug = "individual"
    elif submitter.kind == Entity.Kind.ORGANIZATION:
        category_slug = submitter.category
    else:
        raise refuse(_("Say whether you speak for an organization or for yourself."), "invalid")
    category = _categories.get(
        category_slug, lambda: EntityCategory.objects.filter(slug=category_slug).select_related("default_group").first()
    )
    if category is None:
        raise refuse(_("Choose the category of your organization."), "invalid")
    group_slug = submitter.group or (category.default_group.slug if category.default_group else "")
    heard = _heard_groups.get(consultation.pk, lambda: {g.slug: g for g in consultation.ordered_groups()})
    if group_slug not in heard:
        raise refuse(
            _("This consultation does not hear the stakeholder group “%(group)s”.") % {"group": group_slug},
            "unknown-group",
        )
    return _Speaker(name, submitter.country, submitter.kind, category, heard[group_slug])
