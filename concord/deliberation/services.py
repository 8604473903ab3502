"""Every write to the statements phase: the phase, statements and their moderation, voters, and votes."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import audit

from . import opinions
from .access import hash_page_key
from .models import (
    LANGUAGE_CODES,
    Phase,
    Statement,
    StatementModeration,
    StatementSource,
    Vote,
    VoteEvent,
    Voter,
    VoterKind,
    VoteValue,
)

PHASE_FIELDS = ["opens_at", "closes_at", "allow_public", "allow_statements"]
MAX_STATEMENT_LENGTH = 400  # Pol.is keeps comments short (140 then 400 characters): one idea to vote on.


@transaction.atomic
def open_phase(
    actor, consultation, *, opens_at=None, closes_at=None, allow_public: bool = False, allow_statements: bool = True
) -> Phase:
    """Give a consultation its statements phase; by default over the consultation's own period."""
    phase = Phase(
        consultation=consultation,
        opens_at=opens_at or consultation.opens_at,
        closes_at=closes_at or consultation.closes_at,
        allow_public=allow_public,
        allow_statements=allow_statements,
    )
    phase.full_clean()
    phase.save()
    audit.log(actor, "deliberation.phase.open", phase, audit.diff({}, audit.snapshot(phase)))
    return phase


@transaction.atomic
def update_phase(actor, phase: Phase, **changes) -> Phase:
    unknown = set(changes) - set(PHASE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    audit.apply_changes(actor, "deliberation.phase.update", phase, changes, PHASE_FIELDS)
    return phase


def _next_number(phase: Phase, field: str) -> int:
    # One conditional update: on PostgreSQL the row stays locked until commit, so numbers never repeat.
    Phase.objects.filter(pk=phase.pk).update(**{field: F(field) + 1})
    return Phase.objects.filter(pk=phase.pk).values_list(field, flat=True).get()


def _clean_text(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError(_("Write the statement."))
    if len(text) > MAX_STATEMENT_LENGTH:
        raise ValidationError(_("A statement is one idea in at most %(n)d characters.") % {"n": MAX_STATEMENT_LENGTH})
    return text


@transaction.atomic
def add_statement(
    actor,
    phase: Phase,
    *,
    text: str,
    original_language: str = "en",
    translations: Mapping | None = None,
    source: str = StatementSource.SECRETARIAT,
    author: Voter | None = None,
    position=None,
    contribution=None,
    evidence: tuple[int, int] | None = None,
    is_meta: bool = False,
    moderation: str | None = None,
    number: int | None = None,
    created_at=None,
) -> Statement:
    """Add a statement. The secretariat's are accepted as written; a participant's waits for moderation."""
    if moderation is None:
        moderation = (
            StatementModeration.PENDING if source == StatementSource.PARTICIPANT else StatementModeration.ACCEPTED
        )
    statement = Statement(
        phase=phase,
        number=number if number is not None else _next_number(phase, "last_statement_number"),
        text=text if source == StatementSource.IMPORTED else _clean_text(text),
        original_language=original_language,
        translations=dict(translations or {}),
        source=source,
        author=author,
        position=position,
        contribution=contribution,
        evidence_start=evidence[0] if evidence else None,
        evidence_end=evidence[1] if evidence else None,
        is_meta=is_meta,
        moderation=moderation,
        created_at=created_at or timezone.now(),
    )
    statement.full_clean()
    statement.save()
    audit.log(actor, "deliberation.statement.add", statement, audit.diff({}, audit.snapshot(statement)))
    return statement


def submit_statement(voter: Voter, *, text: str, language: str, now=None) -> Statement:
    """A participant's own statement, for moderation; while the phase is open and allows it."""
    phase = voter.phase
    now = now or timezone.now()
    if not phase.allow_statements:
        raise ValidationError(_("This phase takes no statements from participants."))
    if not phase.is_open_at(now):
        raise ValidationError(_("The statements phase is not open."))
    return add_statement(
        f"voter:{voter.number}",
        phase,
        text=text,
        original_language=language,
        source=StatementSource.PARTICIPANT,
        author=voter,
        created_at=now,
    )


@transaction.atomic
def moderate_statement(actor, statement: Statement, decision: str, reason: str = "") -> Statement:
    """Accept a statement (it is shown and voted on) or moderate it out (its votes no longer count)."""
    if decision not in StatementModeration.values:
        raise ValidationError(_("Unknown moderation decision: %s") % decision)
    changes = {"moderation": decision, "moderation_reason": reason}
    audit.apply_changes(actor, "deliberation.statement.moderate", statement, changes, list(changes))
    _results_changed(statement.phase_id)
    return statement


STATEMENT_FIELDS = ["text", "original_language", "translations", "is_meta"]


@transaction.atomic
def update_statement(actor, statement: Statement, **changes) -> Statement:
    """Edit a statement's text, language, translations or meta flag (its votes are kept)."""
    unknown = set(changes) - set(STATEMENT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    if "text" in changes:
        changes["text"] = _clean_text(changes["text"])
    audit.apply_changes(actor, "deliberation.statement.update", statement, changes, STATEMENT_FIELDS)
    return statement


@transaction.atomic
def translate_statement(actor, statement: Statement, language: str, text: str) -> Statement:
    """Store the statement in another language (shown to readers of that language)."""
    translations = {**(statement.translations or {}), language: {"text": _clean_text(text)}}
    audit.apply_changes(actor, "deliberation.statement.translate", statement, {"translations": translations})
    return statement


@transaction.atomic
def seed_statements_from_positions(actor, consultation) -> list[Statement]:
    """One statement per position of the consultation's codebook, with its translations, in codebook order:
    the secretariat's one click. Positions already seeded are skipped, so seeding twice changes nothing."""
    from concord.positions.models import Position

    phase = Phase.objects.get(consultation=consultation)
    seeded = set(phase.statements.exclude(position=None).values_list("position_id", flat=True))
    created = []
    for position in Position.objects.filter(consultation=consultation).order_by("order", "slug"):
        if position.pk in seeded:
            continue
        translations = {
            code: {"text": fields["statement"]}
            for code, fields in (position.translations or {}).items()
            if fields.get("statement")
        }
        created.append(
            add_statement(
                actor,
                phase,
                text=position.statement,
                original_language=position.original_language,
                translations=translations,
                source=StatementSource.POSITION,
                position=position,
            )
        )
    return created


@transaction.atomic
def seed_statement_from_evidence(actor, stance, index: int) -> Statement:
    """The secretariat's one click on an evidence sentence of a stance: the sentence becomes a statement of the
    consultation's phase, linked to its position, its contribution and where it was read. Only a public
    contribution's sentence may become one (the statement is shown to everyone); a sentence already made a statement
    gives that statement again, so a second click changes nothing."""
    position = stance.position
    phase = Phase.objects.filter(consultation_id=position.consultation_id).first()
    if phase is None:
        raise ValidationError(_("This consultation has no statements phase."))
    evidence = stance.evidence or []
    if not 0 <= index < len(evidence):
        raise ValidationError(_("This stance has no such evidence sentence."))
    sentence = evidence[index]
    contribution = stance.contribution
    if not contribution.is_public:
        raise ValidationError(_("Only a public contribution's sentence can become a statement: everyone reads them."))
    span = (sentence.get("start"), sentence.get("end"))
    existing = phase.statements.filter(
        contribution=contribution, evidence_start=span[0], evidence_end=span[1], source=StatementSource.EVIDENCE
    ).first()
    if existing is not None:
        return existing
    # A contribution's language may be one of the six or another ("other"): a statement is written in one of the six.
    language = contribution.language if contribution.language in LANGUAGE_CODES else "en"
    return add_statement(
        actor,
        phase,
        text=sentence["text"],
        original_language=language,
        source=StatementSource.EVIDENCE,
        position=position,
        contribution=contribution,
        evidence=span if None not in span else None,
    )


def _new_key(voter: Voter) -> str:
    token = secrets.token_urlsafe(24)
    voter.token_hash = hash_page_key(token)
    return token


@transaction.atomic
def register_voter(actor, phase: Phase, *, entity, person_name: str = "") -> tuple[Voter, str]:
    """Register a representative of an entity, in the entity's stakeholder group. Returns the voter and the key
    of their voting page, given once; only its hash is stored."""
    if entity.group_id not in {g.id for g in phase.consultation.ordered_groups()}:
        raise ValidationError(
            _("This consultation does not hear the group “%(group)s”.") % {"group": entity.group.label}
        )
    voter = Voter(
        phase=phase,
        number=_next_number(phase, "last_voter_number"),
        kind=VoterKind.REPRESENTATIVE,
        entity=entity,
        group_id=entity.group_id,
        person_name=" ".join(person_name.split()),
    )
    token = _new_key(voter)
    voter.save()
    audit.log(actor, "deliberation.voter.register", voter, audit.diff({}, audit.snapshot(voter, ["entity", "group"])))
    return voter, token


def _voter_for(phase: Phase, link: str, source, *, entity, group_id, person_name: str = "") -> Voter:
    """The voter a personal link of another channel stands for (``link`` names the field: ``invitation`` or
    ``participant``): made on first use, the same voter afterwards."""
    existing = Voter.objects.select_related("group", "entity").filter(**{link: source}).first()
    if existing is not None:
        existing.phase = phase
        return existing
    try:
        with transaction.atomic():
            voter = Voter.objects.create(
                phase=phase,
                number=_next_number(phase, "last_voter_number"),
                kind=VoterKind.REPRESENTATIVE,
                entity=entity,
                group_id=group_id,
                person_name=person_name,
                **{link: source},
            )
            audit.log(link, f"deliberation.voter.{link}", voter, {"entity": [None, entity.pk]})
            return voter
    except IntegrityError:
        # The same link opened twice at once: the other request made the voter.
        return Voter.objects.select_related("group", "entity").get(**{link: source})


def voter_for_invitation(phase: Phase, invitation) -> Voter:
    """The voter an invitation's personal link stands for: the invited entity, in its group. The link is the
    entity's key here as on the written form."""
    return _voter_for(phase, "invitation", invitation, entity=invitation.entity, group_id=invitation.entity.group_id)


def voter_for_participant(phase: Phase, participant) -> Voter:
    """The voter a meeting participant's page key stands for: the person, their entity and the group they were
    registered in (as on the speakers list)."""
    return _voter_for(
        phase,
        "participant",
        participant,
        entity=participant.entity,
        group_id=participant.group_id,
        person_name=participant.person_name,
    )


@transaction.atomic
def join_as_public(phase: Phase, *, now=None) -> tuple[Voter, str]:
    """A member of the public taking part where the phase allows it: a voter with no entity and no group, whose
    key the browser session keeps."""
    if not phase.allow_public:
        raise ValidationError(_("Only the invited entities' representatives vote in this consultation."))
    voter = Voter(phase=phase, number=_next_number(phase, "last_voter_number"), kind=VoterKind.PUBLIC)
    token = _new_key(voter)
    voter.save()
    return voter, token


def cast_vote(voter: Voter, statement: Statement, value: int, *, now=None) -> Vote:
    """Record a vote: it replaces the voter's earlier vote on the statement, and the history keeps both.

    No audit entry per vote: the vote history is the record, one row per vote cast, with its time.
    """
    now = now or timezone.now()
    if value not in VoteValue.values:
        raise ValidationError(_("A vote is agree (1), disagree (-1) or pass (0)."))
    if statement.phase_id != voter.phase_id:
        raise ValidationError(_("This statement belongs to another consultation."))
    if not voter.phase.is_open_at(now):
        raise ValidationError(_("The statements phase is not open."))
    vote = record_vote(voter, statement, value, now=now)
    _results_changed(voter.phase_id)
    return vote


def _results_changed(phase_id: int) -> None:
    """The opinion groups are computed again in the background once the change commits, never in this request."""
    transaction.on_commit(lambda: opinions.schedule_refresh(phase_id))


@transaction.atomic
def record_vote(voter: Voter, statement: Statement, value: int, *, now) -> Vote:
    """``cast_vote`` without the period check: for imports of votes cast elsewhere, at their own time."""
    VoteEvent.objects.create(statement=statement, voter=voter, value=value, voted_at=now)
    vote = Vote(voter=voter, statement=statement, value=value, group_id=voter.group_id, voted_at=now)
    # One statement whether the vote is new or replaces one (ON CONFLICT ... DO UPDATE on PostgreSQL and SQLite):
    # a double tap racing itself cannot fail on the unique constraint.
    Vote.objects.bulk_create(
        [vote], update_conflicts=True, unique_fields=["voter", "statement"], update_fields=["value", "voted_at"]
    )
    return vote
