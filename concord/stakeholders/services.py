"""Every write to stakeholder groups, categories and entities."""

import dataclasses
import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from concord.core import audit

from . import importing, invitations
from .models import (
    Entity,
    EntityCategory,
    EntityContact,
    Invitation,
    InvitationCampaign,
    InvitationState,
    InvitationTemplate,
    StakeholderGroup,
    normalize_name,
)

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
    delta = audit.apply_changes(actor, "entity.update", entity, changes, derive=_normalize)
    if "name" in delta:
        # The sealed record seals each contribution with its entity's name: the new name is sealed in this
        # transaction, or `concord verify` would report every contribution of the entity as changed.
        from concord.record.services import seal_entity

        seal_entity(entity)
    return entity


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


# -- Registry import -------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[importing.Rejected] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(rejected)d rejected.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }


def _save_contact(actor, entity: Entity, contact: EntityContact | None, *, external_id, language, emails) -> bool:
    if contact is None:
        contact = EntityContact(entity=entity, external_id=external_id, language=language, emails=emails)
        contact.full_clean(exclude=["entity"], validate_unique=False)
        contact.save()
        audit.log_create(actor, "entity.contact", contact)
        return True
    before = audit.snapshot(contact, ["external_id", "language", "emails"])
    contact.external_id = external_id or contact.external_id
    contact.language = language or contact.language
    contact.emails = emails or contact.emails
    delta = audit.diff(before, audit.snapshot(contact, ["external_id", "language", "emails"]))
    if delta:
        contact.save()
        audit.log(actor, "entity.contact", contact, delta)
    return bool(delta)


IMPORT_BATCH = 1000


@transaction.atomic
def import_entities(actor, data: bytes | str, *, is_fictional: bool = False) -> ImportReport:
    """Create or update registry entities from a CSV file (see ``importing``); rejected rows change nothing.

    A row matches an existing entity by its stable identifier when it has one, else by its normalised name and
    country; a match is updated in place, so importing the same file twice changes nothing the second time.

    Written in bulk, ``IMPORT_BATCH`` rows at a time, with one audit entry per batch that lists every row it created
    or changed and the field-level diff of each (a registry of 100,000 entities is minutes one row at a time).
    ``is_fictional`` marks the entities it creates as fictional (the demo's registry).
    """
    parsed = importing.parse(data)
    report = ImportReport(rejected=list(parsed.rejected))
    contacts_by_id = {
        c.external_id: c
        for c in EntityContact.objects.filter(
            external_id__in=[r.external_id for r in parsed.rows if r.external_id]
        ).select_related("entity")
    }
    by_key: dict[tuple[str, str], Entity] = {}
    normalized = {r.name: normalize_name(r.name) for r in parsed.rows}
    for entity in Entity.objects.filter(normalized_name__in=set(normalized.values())).order_by("-id"):
        by_key[(entity.normalized_name, entity.country)] = entity
    contacts_by_entity = {
        c.entity_id: c for c in EntityContact.objects.filter(entity_id__in=[e.id for e in by_key.values()])
    }
    for start in range(0, len(parsed.rows), IMPORT_BATCH):
        _import_batch(
            actor,
            parsed.rows[start : start + IMPORT_BATCH],
            normalized,
            report,
            contacts_by_id,
            by_key,
            contacts_by_entity,
            is_fictional,
        )
    report.rejected.sort(key=lambda r: r.line)
    return report


def _insert_returning_ids(model, columns: list[str], rows: list[tuple]) -> list[int]:
    """A multi-row INSERT ... RETURNING id (SQLite >= 3.35 and PostgreSQL): the registry import's hot path, where
    the ORM's per-field preparation of bulk_create cost more than the database's own work."""
    if not rows:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids = []
    # SQLite allows 32,766 parameters a statement; PostgreSQL 65,535.
    step = max(1, 30000 // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([per_row] * len(chunk))} RETURNING id"
            cursor.execute(sql, [value for row in chunk for value in row])
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _import_batch(
    actor, rows, normalized, report, contacts_by_id, by_key, contacts_by_entity, is_fictional=False
) -> None:
    """One batch of ``import_entities``: ``by_key`` maps a key to its stored entity, or to the line of this file
    that created it."""
    new: list[tuple[importing.Row, str]] = []
    changed_entities: dict[int, Entity] = {}
    changed_contacts: dict[int, EntityContact] = {}
    logged: list[dict] = []
    for row in rows:
        key = (normalized[row.name], row.country)
        contact = contacts_by_id.get(row.external_id) if row.external_id else None
        entity = contact.entity if contact else by_key.get(key)
        if isinstance(entity, int):
            report.rejected.append(importing.Rejected(row.line, _("Same name and country as line %d.") % entity))
            continue
        if entity is not None and contact is None:
            contact = contacts_by_entity.get(entity.id)
            if row.external_id and contact is not None and contact.external_id not in ("", row.external_id):
                report.rejected.append(
                    importing.Rejected(
                        row.line,
                        _("Same name and country as the registry entity with identifier “%s”.") % contact.external_id,
                    )
                )
                continue
        if entity is None:
            # Parsing already rejected a second row with this key or identifier in the same file.
            new.append((row, key[0]))
            report.created += 1
            continue
        # Plain comparisons, not model snapshots: on a re-import almost every row is unchanged.
        current = {
            "name": entity.name,
            "category_id": entity.category_id,
            "group_id": entity.group_id,
            "country": entity.__dict__["country"],
        }
        wanted = {"name": row.name, "category_id": row.category.pk, "group_id": row.group.pk, "country": row.country}
        delta = {k: [current[k], wanted[k]] for k in current if current[k] != wanted[k]}
        if delta:
            entity.name, entity.normalized_name = row.name, key[0]
            entity.category, entity.group, entity.country = row.category, row.group, row.country
            changed_entities[entity.pk] = entity
        if contact is None:
            contact = EntityContact(entity=entity)
            before = {}
        else:
            before = {"external_id": contact.external_id, "language": contact.language, "emails": contact.emails}
        # An empty cell keeps what was known.
        after = {
            "external_id": row.external_id or contact.external_id,
            "language": row.language or contact.language,
            "emails": row.emails or contact.emails,
        }
        contact_delta = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if contact_delta:
            contact.external_id, contact.language, contact.emails = after.values()
            changed_contacts[entity.pk] = contact
        if delta or contact_delta:
            report.updated += 1
            logged.append({"line": row.line, "entity": entity.pk, "updated": {**delta, **contact_delta}})
        else:
            report.unchanged += 1

    now = timezone.now()
    entity_ids = _insert_returning_ids(
        Entity,
        ["kind", "name", "normalized_name", "country", "category_id", "group_id", "is_fictional", "created_at"],
        [
            (Entity.Kind.ORGANIZATION, row.name, name, row.country, row.category.pk, row.group.pk, is_fictional, now)
            for row, name in new
        ],
    )
    _insert_returning_ids(
        EntityContact,
        ["entity_id", "external_id", "language", "emails", "updated_at"],
        [
            (entity_id, row.external_id, row.language, json.dumps(row.emails), now)
            for (row, _normalized), entity_id in zip(new, entity_ids, strict=True)
        ],
    )
    for (row, normalized), entity_id in zip(new, entity_ids, strict=True):
        # A later row with the same name and country (but another identifier) is refused, as it would be against
        # a stored entity.
        by_key[(normalized, row.country)] = row.line
        created = {
            "name": row.name,
            "category": row.category.slug,
            "group": row.group.slug,
            "country": row.country,
        }
        contact_fields = {"external_id": row.external_id, "language": row.language, "emails": row.emails}
        logged.append(
            {"line": row.line, "entity": entity_id, "created": created | {k: v for k, v in contact_fields.items() if v}}
        )
    Entity.objects.bulk_update(
        list(changed_entities.values()), ["name", "normalized_name", "category", "group", "country"], batch_size=500
    )
    stored = [c for c in changed_contacts.values() if c.pk is not None]
    EntityContact.objects.bulk_create([c for c in changed_contacts.values() if c.pk is None])
    EntityContact.objects.bulk_update(stored, ["external_id", "language", "emails"], batch_size=500)
    if logged:
        logged.sort(key=lambda item: item["line"])
        entities = [item["entity"] for item in logged]
        entry = audit.unsaved_entry(actor, "entity.import", Entity(pk=min(entities), name=""), {"rows": logged})
        entry.target_id = f"{min(entities)}-{max(entities)}"
        entry.target_repr = _("Registry import, lines %(first)d to %(last)d: %(rows)d entities") % {
            "first": logged[0]["line"],
            "last": logged[-1]["line"],
            "rows": len(logged),
        }
        entry.save(force_insert=True)


# -- Invitation campaigns --------------------------------------------------------------------------------------

MAX_SEND_ATTEMPTS = 3


@transaction.atomic
def save_invitation_template(actor, consultation, *, language: str, subject: str, body: str) -> InvitationTemplate:
    """Create or replace the consultation's invitation text in one language."""
    if language not in consultation.languages:
        raise ValidationError(_("This consultation does not use the language “%s”.") % language)
    invitations.check_placeholders(subject)
    invitations.check_placeholders(body)
    template = InvitationTemplate.objects.filter(consultation=consultation, language=language).first()
    before = audit.snapshot(template) if template else {}
    template = template or InvitationTemplate(consultation=consultation, language=language)
    template.subject, template.body = subject.strip(), body
    template.full_clean()
    template.save()
    delta = audit.diff(before, audit.snapshot(template))
    if delta:
        audit.log(actor, "invitation.template", template, delta)
    return template


@transaction.atomic
def create_campaign(actor, consultation, *, name: str, categories=(), groups=(), countries=()) -> InvitationCampaign:
    countries = sorted({c.upper() for c in countries})
    campaign = InvitationCampaign(consultation=consultation, name=name, countries=countries)
    campaign.full_clean()
    campaign.save()
    campaign.categories.set(categories)
    campaign.groups.set(groups)
    changes = audit.diff({}, audit.snapshot(campaign))
    changes["categories"] = [None, sorted(c.slug for c in categories)]
    changes["groups"] = [None, sorted(g.slug for g in groups)]
    audit.log(actor, "campaign.create", campaign, changes)
    return campaign


def campaign_selection(campaign: InvitationCampaign):
    """The registry entities a campaign selects: every listed dimension must match (an empty one matches all)."""
    entities = Entity.objects.filter(group__in=[g.id for g in campaign.consultation.ordered_groups()])
    category_ids = list(campaign.categories.values_list("id", flat=True))
    group_ids = list(campaign.groups.values_list("id", flat=True))
    if category_ids:
        entities = entities.filter(category_id__in=category_ids)
    if group_ids:
        entities = entities.filter(group_id__in=group_ids)
    if campaign.countries:
        entities = entities.filter(country__in=campaign.countries)
    return entities


@dataclass
class LaunchReport:
    queued: int
    already_invited: int
    without_email: int


def _new_invitations(campaign: InvitationCampaign) -> tuple[list[Invitation], int, int]:
    """One unsaved invitation per entity the campaign selects that has an address and no invitation to this
    consultation yet; with how many were already invited and how many have no address."""
    consultation = campaign.consultation
    selected = campaign_selection(campaign).select_related("contact")
    invited = set(Invitation.objects.filter(consultation=consultation).values_list("entity_id", flat=True))
    languages = consultation.languages or ["en"]
    fallback = "en" if "en" in languages else languages[0]
    new, without_email, already = [], 0, 0
    for entity in selected:
        if entity.id in invited:
            already += 1
            continue
        contact = getattr(entity, "contact", None)
        if contact is None or not contact.emails:
            without_email += 1
            continue
        new.append(
            Invitation(
                consultation=consultation,
                campaign=campaign,
                entity=entity,
                emails=contact.emails,
                language=contact.language if contact.language in languages else fallback,
            )
        )
    return new, already, without_email


@transaction.atomic
def record_sent_campaign(actor, campaign: InvitationCampaign, *, sent_at, bounced=frozenset()) -> LaunchReport:
    """Record a campaign that another system already sent (a past consultation's mail merge, say): one invitation
    per selected entity with an address, stored as sent at ``sent_at``, or bounced for the entity ids in
    ``bounced``. Nothing is e-mailed; one audit entry lists the counts."""
    new, already, without_email = _new_invitations(campaign)
    for invitation in new:
        invitation.attempts = 1
        invitation.sent_at = sent_at
        if invitation.entity_id in bounced:
            invitation.state, invitation.bounced_at = InvitationState.BOUNCED, sent_at
        else:
            invitation.state = InvitationState.SENT
    Invitation.objects.bulk_create(new, batch_size=1000)
    campaign.launched_at = campaign.launched_at or sent_at
    campaign.save(update_fields=["launched_at"])
    states = Counter(invitation.state for invitation in new)
    changes = {"launched_at": [None, sent_at.isoformat()], "recorded": [None, dict(sorted(states.items()))]}
    audit.log(actor, "campaign.record", campaign, changes)
    return LaunchReport(queued=len(new), already_invited=already, without_email=without_email)


@transaction.atomic
def launch_campaign(actor, campaign: InvitationCampaign, *, now=None) -> LaunchReport:
    """Queue one invitation per selected entity with an e-mail address, then send them in the background.

    Entities already invited to this consultation (by another campaign) are not invited twice.
    """
    from .tasks import send_invitations

    now = now or timezone.now()
    new, already, without_email = _new_invitations(campaign)
    Invitation.objects.bulk_create(new, batch_size=500)
    before = audit.snapshot(campaign, ["launched_at"])
    campaign.launched_at = campaign.launched_at or now
    campaign.save(update_fields=["launched_at"])
    changes = audit.diff(before, audit.snapshot(campaign, ["launched_at"]))
    changes["queued"] = [None, len(new)]
    audit.log(actor, "campaign.launch", campaign, changes)
    if new:
        transaction.on_commit(lambda: send_invitations.enqueue(campaign.id))
    return LaunchReport(queued=len(new), already_invited=already, without_email=without_email)


def claim_invitation(invitation_id: int, attempts: int, token_hash: str) -> bool:
    """Take a queued invitation for one send attempt, with the hash of the key its e-mail will carry (committed
    before the e-mail leaves, so that the link works as soon as it arrives; a retry sends a new key, and an e-mail
    that was never sent leaves no working link behind). False when another worker took it first."""
    return bool(
        Invitation.objects.filter(pk=invitation_id, state=InvitationState.QUEUED, attempts=attempts).update(
            attempts=attempts + 1, token_hash=token_hash
        )
    )


def new_invitation_key() -> tuple[str, str]:
    """A personal link's key and its hash; only the hash is stored."""
    token = secrets.token_urlsafe(24)
    return token, hash_invitation_key(token)


def hash_invitation_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def record_send(invitation: Invitation, *, error: str = "", now=None) -> Invitation:
    """The outcome of one send attempt: sent, queued again for a retry, or failed after the last attempt."""
    before = audit.snapshot(invitation, ["state", "sent_at", "last_error"])
    if error:
        invitation.last_error = error[:2000]
        if invitation.attempts >= MAX_SEND_ATTEMPTS:
            invitation.state = InvitationState.FAILED
    else:
        invitation.state = InvitationState.SENT
        invitation.sent_at = now or timezone.now()
        invitation.last_error = ""
    invitation.save(update_fields=["state", "sent_at", "last_error"])
    audit.log("system", "invitation.send", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    return invitation


@transaction.atomic
def mark_bounced(actor, invitation: Invitation, reason: str = "", *, now=None) -> Invitation:
    """A delivery failure reported after sending (a bounce message, a wrong address)."""
    if invitation.state not in {InvitationState.SENT, InvitationState.BOUNCED}:
        raise ValidationError(_("Only a sent invitation can bounce."))
    before = audit.snapshot(invitation, ["state", "bounced_at", "last_error"])
    invitation.state = InvitationState.BOUNCED
    invitation.bounced_at = invitation.bounced_at or now or timezone.now()
    invitation.last_error = reason or invitation.last_error
    invitation.save(update_fields=["state", "bounced_at", "last_error"])
    audit.log(actor, "invitation.bounce", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    return invitation


@transaction.atomic
def requeue_invitation(actor, invitation: Invitation) -> Invitation:
    """Send a failed or bounced invitation again (after correcting the address in the registry)."""
    if invitation.state not in {InvitationState.FAILED, InvitationState.BOUNCED}:
        raise ValidationError(_("Only a failed or bounced invitation can be sent again."))
    from .tasks import send_invitations

    before = audit.snapshot(invitation, ["state", "attempts", "emails"])
    contact = EntityContact.objects.filter(entity=invitation.entity).first()
    invitation.emails = contact.emails if contact and contact.emails else invitation.emails
    invitation.state, invitation.attempts = InvitationState.QUEUED, 0
    invitation.save(update_fields=["state", "attempts", "emails"])
    audit.log(actor, "invitation.requeue", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    transaction.on_commit(lambda: send_invitations.enqueue(invitation.campaign_id))
    return invitation
