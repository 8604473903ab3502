"""Every write to meetings: agendas, registration, the speakers list, the record and the minutes."""

import datetime
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.consultations.models import LANGUAGE_CODES, Consultation
from concord.consultations.services import with_texts
from concord.contributions.models import Channel, Source
from concord.contributions.services import record_contribution
from concord.core import audit
from concord.stakeholders.models import Entity

from . import floor
from .access import hash_page_key
from .models import AgendaItem, Meeting, Participant, Turn, TurnKind, TurnState

MEETING_FIELDS = {"title", "date", "place", "chair", "speaking_time_seconds"}


@transaction.atomic
def create_meeting(
    actor,
    consultation: Consultation,
    *,
    title: str,
    date: datetime.date,
    place: str,
    agenda: Sequence[dict] = (),
    translations: dict | None = None,
) -> Meeting:
    """Create a meeting; ``agenda`` items are dicts with ``title``, ``kind``, ``starts_at``, ``ends_at`` and
    optionally ``translations`` (``{"fr": {"title": ...}}``), as is the meeting's own ``translations``."""
    meeting = Meeting(
        consultation=consultation, title=title, date=date, place=place, translations=dict(translations or {})
    )
    meeting.full_clean()
    meeting.save()
    _write_agenda(meeting, agenda)
    changes = audit.diff({}, audit.snapshot(meeting))
    changes["agenda"] = [None, [i["title"] for i in agenda]]
    audit.log(actor, "meeting.create", meeting, changes)
    return meeting


def _write_agenda(meeting: Meeting, agenda: Sequence[dict]) -> None:
    items = []
    for position, item in enumerate(agenda):
        starts, ends = item.get("starts_at"), item.get("ends_at")
        if starts and ends and ends <= starts:
            raise ValidationError(_("An agenda item must end after it starts: %s") % item["title"])
        items.append(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=item["title"],
                kind=item.get("kind", AgendaItem.Kind.OTHER),
                starts_at=starts,
                ends_at=ends,
                translations=dict(item.get("translations") or {}),
            )
        )
    for item in items:
        item.clean()
    AgendaItem.objects.bulk_create(items)


@transaction.atomic
def update_meeting(actor, meeting: Meeting, **changes) -> Meeting:
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if audit.apply_changes(actor, "meeting.update", meeting, changes):
        _bump(meeting)
    return meeting


@transaction.atomic
def set_agenda(actor, meeting: Meeting, agenda: Sequence[dict]) -> Meeting:
    """Replace the agenda (timed items, in order). An item given without translations keeps those of the item of
    the same title it replaces: retiming the agenda does not lose its languages."""
    existing = list(meeting.agenda_items.all())
    before = [i.title for i in existing]
    kept = {i.title: i.translations for i in existing}
    agenda = [{**item, "translations": item.get("translations") or kept.get(item["title"], {})} for item in agenda]
    meeting.agenda_items.all().delete()
    _write_agenda(meeting, agenda)
    audit.log(actor, "meeting.agenda", meeting, {"agenda": [before, [i["title"] for i in agenda]]})
    return meeting


@transaction.atomic
def translate_meeting(actor, meeting: Meeting, language: str, **texts: str) -> Meeting:
    """The meeting's title and place in ``language``; an empty text removes it (the original then shows)."""
    unknown = set(texts) - set(Meeting.TRANSLATED_FIELDS)
    if unknown:
        raise ValueError(f"not translated: {sorted(unknown)}")
    _check_language(meeting, language)
    translations = with_texts(meeting.translations, language, texts)
    if audit.apply_changes(
        actor, "meeting.translate", meeting, {"translations": translations}, fields=["translations"]
    ):
        _bump(meeting)
    return meeting


@transaction.atomic
def translate_agenda(actor, meeting: Meeting, language: str, titles: Sequence[str]) -> Meeting:
    """The agenda items' titles in ``language``, one per item in order; an empty title leaves that item in the
    original. Audited once with every item's old and new title."""
    _check_language(meeting, language)
    items = list(meeting.agenda_items.all())
    if len(titles) > len(items):
        raise ValidationError(_("One line per agenda item, in the same order: there are more lines than items."))
    titles = list(titles) + [""] * (len(items) - len(titles))
    old, new = [], []
    for item, title in zip(items, titles, strict=True):
        translations = with_texts(item.translations, language, {"title": title})
        old.append((item.translations or {}).get(language, {}).get("title", ""))
        new.append(translations.get(language, {}).get("title", ""))
        if translations != (item.translations or {}):
            item.translations = translations
            item.save(update_fields=["translations"])
    if old != new:
        audit.log(actor, "meeting.agenda.translate", meeting, {f"agenda.{language}": [old, new]})
        _bump(meeting)
    return meeting


def _check_language(meeting: Meeting, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Unknown language codes: %s") % language)
    if language == meeting.consultation.original_language:
        raise ValidationError(_("This is the consultation's original language: edit the meeting's texts instead."))


def _bump(meeting: Meeting) -> None:
    """A new version of the floor: live pages see it within their polling interval."""
    Meeting.objects.filter(pk=meeting.pk).update(floor_version=F("floor_version") + 1)
    meeting.refresh_from_db(fields=["floor_version"])
    version = meeting.floor_version
    transaction.on_commit(lambda: floor.publish_version(meeting.pk, version))


# -- Registration ----------------------------------------------------------------------------------------------


@transaction.atomic
def register_participant(
    actor, meeting: Meeting, *, entity: Entity, person_name: str, email: str = "", designated: bool = False
) -> Participant:
    """Register a person speaking for an entity. The participant's page key is made here and returned once, as
    ``participant.token`` of the object returned; only its hash is stored."""
    person_name = " ".join(person_name.split())
    if not person_name:
        raise ValidationError(_("Give the name of the person."))
    if entity.group_id not in {g.id for g in meeting.consultation.ordered_groups()}:
        raise ValidationError(
            _("This consultation does not hear the group “%(group)s”.") % {"group": entity.group.label}
        )
    if Participant.objects.filter(meeting=meeting, entity=entity, person_name=person_name).exists():
        raise ValidationError(_("This person is already registered for this entity."))
    participant = Participant(
        meeting=meeting,
        entity=entity,
        person_name=person_name,
        group_id=entity.group_id,
        email=email,
        designated=designated,
    )
    token = _new_page_key(participant)
    participant.full_clean()
    participant.save()
    audit.log(actor, "participant.register", participant, audit.diff({}, audit.snapshot(participant, _PUBLIC)))
    participant.token = token
    return participant


def _new_page_key(participant: Participant) -> str:
    """A new key for the participant's page: its hash is set on ``participant``, the key is returned to be handed
    over once (``participant.token`` after registration) and is never stored."""
    token = secrets.token_urlsafe(18)
    participant.token_hash = hash_page_key(token)
    return token


@transaction.atomic
def renew_participant_key(actor, participant: Participant) -> str:
    """Give a participant a new page key (the old link stops working); returns it, to be handed over once."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    token = _new_page_key(participant)
    participant.save(update_fields=["token_hash"])
    # The audit says that the key changed, never what it is.
    audit.log(actor, "participant.renew_key", participant, {})
    return token


_PUBLIC = ["meeting", "entity", "person_name", "group", "email", "designated"]


@transaction.atomic
def update_participant(actor, participant: Participant, **changes) -> Participant:
    unknown = set(changes) - {"person_name", "email", "designated"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    audit.apply_changes(actor, "participant.update", participant, changes, _PUBLIC)
    return participant


@transaction.atomic
def schedule_presentation(actor, participant: Participant, *, planned_seconds: int | None = None, now=None) -> Turn:
    """Add a designated representative's presentation at the end of the slot list."""
    if not participant.designated:
        raise ValidationError(_("Presentations are made by the designated representatives of each group."))
    meeting = participant.meeting
    last = meeting.turns.filter(kind=TurnKind.PRESENTATION).order_by("-position").first()
    turn = Turn.objects.create(
        meeting=meeting,
        participant=participant,
        kind=TurnKind.PRESENTATION,
        position=(last.position + 1) if last else 1,
        planned_seconds=planned_seconds,
        requested_at=now or timezone.now(),
    )
    audit.log_create(actor, "turn.schedule", turn)
    _bump(meeting)
    return turn


# -- The floor -------------------------------------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    # One writer at a time on a meeting's floor (row lock on PostgreSQL; SQLite's write lock does the same).
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def open_debate(actor, meeting: Meeting, *, now=None) -> Meeting:
    meeting = _locked(meeting)
    if meeting.debate_is_open:
        return meeting
    before = audit.snapshot(meeting, ["debate_opened_at", "debate_closed_at"])
    meeting.debate_opened_at, meeting.debate_closed_at = now or timezone.now(), None
    meeting.save(update_fields=["debate_opened_at", "debate_closed_at"])
    audit.log(actor, "meeting.debate-open", meeting, audit.diff(before, audit.snapshot(meeting, list(before))))
    _bump(meeting)
    return meeting


@transaction.atomic
def close_debate(actor, meeting: Meeting, *, now=None) -> Meeting:
    """Close the speakers list: the current speaker finishes, waiting requests lapse."""
    meeting = _locked(meeting)
    if not meeting.debate_is_open:
        raise ValidationError(_("The open debate is not open."))
    now = now or timezone.now()
    _end_current(actor, meeting, now)
    meeting.turns.filter(state=TurnState.WAITING).exclude(kind=TurnKind.PRESENTATION).update(state=TurnState.WITHDRAWN)
    before = audit.snapshot(meeting, ["debate_closed_at"])
    meeting.debate_closed_at = now
    meeting.save(update_fields=["debate_closed_at"])
    audit.log(actor, "meeting.debate-close", meeting, audit.diff(before, audit.snapshot(meeting, list(before))))
    _bump(meeting)
    return meeting


@transaction.atomic
def request_floor(participant: Participant, kind: str = TurnKind.INTERVENTION, *, now=None) -> Turn:
    """A registered participant asks for the floor; a point of order goes before every intervention."""
    meeting = _locked(participant.meeting)
    if kind not in {TurnKind.INTERVENTION, TurnKind.POINT_OF_ORDER}:
        raise ValidationError(_("Ask for an intervention or raise a point of order."))
    if not meeting.debate_is_open:
        raise ValidationError(_("The speakers list is not open."))
    existing = participant.turns.filter(kind=kind, state__in=[TurnState.WAITING, TurnState.SPEAKING]).first()
    if existing is not None:
        return existing
    turn = Turn.objects.create(meeting=meeting, participant=participant, kind=kind, requested_at=now or timezone.now())
    audit.log_create(f"participant:{participant.pk}", "turn.request", turn)
    _bump(meeting)
    return turn


@transaction.atomic
def withdraw_turn(actor, turn: Turn) -> Turn:
    """A participant withdraws a request, or the chair strikes it from the list."""
    _locked(turn.meeting)
    turn.refresh_from_db()
    if turn.state != TurnState.WAITING:
        raise ValidationError(_("Only a waiting request can be withdrawn."))
    turn.state = TurnState.WITHDRAWN
    turn.save(update_fields=["state"])
    audit.log(actor, "turn.withdraw", turn, {"state": [TurnState.WAITING, TurnState.WITHDRAWN]})
    _bump(turn.meeting)
    return turn


def _end_current(actor, meeting: Meeting, now) -> Turn | None:
    current = meeting.turns.filter(state=TurnState.SPEAKING).first()
    if current is not None:
        current.state, current.ended_at = TurnState.DONE, now
        current.save(update_fields=["state", "ended_at"])
        audit.log(
            actor,
            "turn.end",
            current,
            {"state": [TurnState.SPEAKING, TurnState.DONE], "ended_at": [None, now.isoformat()]},
        )
    return current


@transaction.atomic
def give_floor(actor, meeting: Meeting, turn: Turn | None = None, *, now=None) -> Turn | None:
    """End the current turn and give the floor to ``turn``, or to the next in the queue; None when nobody waits."""
    meeting = _locked(meeting)
    now = now or timezone.now()
    if turn is None:
        waiting = floor.queue(meeting)
        turn = waiting[0] if waiting else None
    else:
        turn.refresh_from_db()
        if turn.meeting_id != meeting.pk or turn.state != TurnState.WAITING:
            raise ValidationError(_("This speaker is not waiting for the floor."))
    _end_current(actor, meeting, now)
    if turn is not None:
        turn.state, turn.started_at = TurnState.SPEAKING, now
        turn.save(update_fields=["state", "started_at"])
        audit.log(
            actor,
            "turn.start",
            turn,
            {"state": [TurnState.WAITING, TurnState.SPEAKING], "started_at": [None, now.isoformat()]},
        )
    _bump(meeting)
    return turn


@transaction.atomic
def end_turn(actor, meeting: Meeting, *, now=None) -> Turn | None:
    meeting = _locked(meeting)
    ended = _end_current(actor, meeting, now or timezone.now())
    if ended is not None:
        _bump(meeting)
    return ended


# -- The record ------------------------------------------------------------------------------------------------

TURN_CHANNELS = {TurnKind.PRESENTATION: Channel.PRESENTATION, TurnKind.INTERVENTION: Channel.INTERVENTION}


@transaction.atomic
def record_turn(actor, turn: Turn, *, text: str, language: str, title: str = "", now=None):
    """Make a presentation or intervention a contribution on its channel, with its receipt number."""
    turn = (
        Turn.objects.select_for_update().select_related("meeting__consultation", "participant__entity").get(pk=turn.pk)
    )
    if turn.kind not in TURN_CHANNELS:
        raise ValidationError(_("Points of order are in the minutes, not in the record of contributions."))
    if turn.state != TurnState.DONE:
        raise ValidationError(_("Record a turn once the speaker has finished."))
    if turn.contribution_id is not None:
        raise ValidationError(_("This turn is already recorded as %s.") % turn.contribution.receipt_number)
    contribution = record_contribution(
        actor,
        turn.meeting.consultation,
        entity=turn.participant.entity,
        channel=TURN_CHANNELS[turn.kind],
        language=language,
        title=title,
        text=text,
        source=Source.MEETING,
        received_at=turn.started_at,
        meeting=turn.meeting,
        now=now,
    )
    turn.contribution = contribution
    turn.save(update_fields=["contribution"])
    audit.log(actor, "turn.record", turn, {"contribution": [None, contribution.pk]})
    return contribution


@transaction.atomic
def publish_minutes(actor, meeting: Meeting, *, now=None) -> Meeting:
    if meeting.turns.filter(state=TurnState.SPEAKING).exists():
        raise ValidationError(_("Someone still has the floor."))
    before = audit.snapshot(meeting, ["minutes_published_at"])
    meeting.minutes_published_at = now or timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    audit.log(actor, "meeting.minutes", meeting, audit.diff(before, audit.snapshot(meeting, list(before))))
    return meeting
