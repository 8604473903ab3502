"""The demo: the 2010 open consultation on enhanced cooperation (report A/66/77-E/2011/103).

The consultation's metadata is real and sourced from the report. The contributing entities and their texts are
fictional (``demo_data.json``): they reproduce the report's distribution table exactly without putting words in
the mouth of any real government, organisation or person.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from concord.contributions.models import Channel, Consent, Source
from concord.contributions.services import record_contribution
from concord.deliberation import demo as deliberation_demo
from concord.meetings import services as meetings
from concord.meetings.models import AgendaItem, Meeting, TurnKind
from concord.meetings.services import create_meeting
from concord.positions.codebook import DEMO_CODEBOOK, load_codebook, read_codebook
from concord.stakeholders.demo import load_invitations
from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup
from concord.stakeholders.services import create_entity

from .demo_translations import translate_demo, translate_rehearsal
from .models import Consultation
from .services import create_consultation, mark_reported, publish_consultation

DEMO_SLUG = "enhanced-cooperation-2010"
REHEARSAL_SLUG = "rehearsal"
DATA_PATH = Path(__file__).with_name("demo_data.json")
ACTOR = "demo"
UTC = dt.UTC

METADATA = {
    "slug": DEMO_SLUG,
    "title": "Open consultations on enhanced cooperation on international public policy issues pertaining to "
    "the Internet",
    "mandate_reference": "ECOSOC resolution 2010/2",
    "mandate": "The Economic and Social Council, in its resolution 2010/2, invited the Secretary-General to "
    "convene, before the end of 2010, open and inclusive consultations involving all Member States and all "
    "other stakeholders on the process towards enhanced cooperation, and asked that the outcome be "
    "transmitted through the Council to the General Assembly at its sixty-sixth session. "
    "(Summary of report A/66/77-E/2011/103, paragraph 6.)",
    "description": "The consultations were held by the Under-Secretary-General for Economic and Social Affairs "
    "on behalf of the Secretary-General over four months, September to December 2010. About 150 international "
    "organizations and 3,500 civil society and private sector entities were invited to contribute, in writing at "
    "any time during the period, or at a meeting in New York on 14 December 2010.\n\n"
    "Demo data: the consultation's metadata follows report A/66/77-E/2011/103; every contributing entity and "
    "every text in this demo is fictional. The counts reproduce the report's table.",
    "languages": ["ar", "zh-hans", "en", "fr", "ru", "es"],
    "opens_at": dt.datetime(2010, 9, 1, tzinfo=UTC),
    "closes_at": dt.datetime(2010, 12, 31, 23, 59, 59, tzinfo=UTC),
    "receipt_prefix": "EC2010",
    "group_slugs": ["government", "international-organization", "civil-society", "private-sector"],
    # Report A/66/77-E/2011/103, paragraph 9 and summary.
    "questions": [
        "Which international public policy issues pertaining to the Internet are not adequately addressed by "
        "current mechanisms?",
        "Which specific processes should be favoured to enhance international cooperation on these issues?",
        "What role can the United Nations and other entities play in facilitating enhanced cooperation?",
    ],
}
PUBLISHED_AT = dt.datetime(2010, 8, 25, tzinfo=UTC)
REPORTED_AT = dt.datetime(2011, 5, 4, tzinfo=UTC)
REPORT_SYMBOL = "A/66/77-E/2011/103"
MEETING = {
    "title": "Open consultation meeting on enhanced cooperation",
    "date": dt.date(2010, 12, 14),
    "place": "United Nations Headquarters, New York",
    # Illustrative timings: the report gives the order of business, not the clock.
    "agenda": [
        {
            "title": "Opening",
            "kind": AgendaItem.Kind.OPENING,
            "starts_at": dt.time(10),
            "ends_at": dt.time(10, 30),
        },
        {
            "title": "Presentations by designated representatives of the stakeholder groups",
            "kind": AgendaItem.Kind.PRESENTATIONS,
            "starts_at": dt.time(10, 30),
            "ends_at": dt.time(16),
        },
        {
            "title": "Open debate",
            "kind": AgendaItem.Kind.OPEN_DEBATE,
            "starts_at": dt.time(16),
            "ends_at": dt.time(17, 30),
        },
        {
            "title": "Closing",
            "kind": AgendaItem.Kind.CLOSING,
            "starts_at": dt.time(17, 30),
            "ends_at": dt.time(18),
        },
    ],
}
# A few individuals chose not to be named, and one not to be published: the record shows the consent choices.
CONSENT_OVERRIDES = {"anonymous": 2, "withheld": 1}


def demo_data() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


def _received_times(count: int, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Deterministic times spread over [start, end): the written channel was open the whole period."""
    span = (end - start).total_seconds()
    return [start + dt.timedelta(seconds=int(span * (i + 0.5) / count)) for i in range(count)]


def _consents(contributions: list[dict], entities: dict) -> list[str]:
    consents = [Consent.NAMED.value] * len(contributions)
    individual_written = [
        i
        for i, c in enumerate(contributions)
        if c["channel"] == Channel.WRITTEN and entities[c["entity"]]["kind"] == "individual"
    ]
    wanted = [Consent.ANONYMOUS] * CONSENT_OVERRIDES["anonymous"] + [Consent.WITHHELD] * CONSENT_OVERRIDES["withheld"]
    for index, consent in zip(individual_written, wanted, strict=False):
        consents[index] = consent.value
    return consents


@transaction.atomic
def load_demo() -> Consultation | None:
    """Load the demo consultation; returns None when it is already there (loading twice changes nothing)."""
    if Consultation.objects.filter(slug=DEMO_SLUG).exists():
        return None
    data = demo_data()
    groups = {g.slug: g for g in StakeholderGroup.objects.all()}
    categories = {c.slug: c for c in EntityCategory.objects.all()}
    entity_rows = {row["key"]: row for row in data["entities"]}
    entities = {
        key: create_entity(
            ACTOR,
            name=row["name"],
            kind=row["kind"],
            category=categories[row["category"]],
            group=groups[row["group"]],
            country=row["country"],
            is_fictional=True,
            names=row.get("names") or {},
        )
        for key, row in entity_rows.items()
    }

    consultation = create_consultation(ACTOR, **METADATA)
    publish_consultation(ACTOR, consultation, when=PUBLISHED_AT)
    meeting = create_meeting(ACTOR, consultation, **MEETING)
    translate_demo(ACTOR, consultation, meeting)

    contributions = data["contributions"]
    consents = _consents(contributions, entity_rows)
    written = [i for i, c in enumerate(contributions) if c["channel"] == Channel.WRITTEN]
    times = dict(zip(written, _received_times(len(written), METADATA["opens_at"], METADATA["closes_at"]), strict=True))
    slots = {
        Channel.PRESENTATION: (
            dt.datetime(2010, 12, 14, 10, 30, tzinfo=UTC),
            dt.datetime(2010, 12, 14, 16, tzinfo=UTC),
        ),
        Channel.INTERVENTION: (
            dt.datetime(2010, 12, 14, 16, tzinfo=UTC),
            dt.datetime(2010, 12, 14, 17, 30, tzinfo=UTC),
        ),
    }
    for channel, (start, end) in slots.items():
        spoken = [i for i, c in enumerate(contributions) if c["channel"] == channel]
        times.update(zip(spoken, _received_times(len(spoken), start, end), strict=True))

    # Record in the order received, so receipt numbers (one sequence per channel) follow time as in 2010.
    for index in sorted(written, key=lambda i: times[i]):
        item = contributions[index]
        record_contribution(
            ACTOR,
            consultation,
            entity=entities[item["entity"]],
            channel=item["channel"],
            language=item["lang"],
            title=item["title"],
            text=item["text"],
            source=Source.EMAIL,
            received_at=times[index],
            consent=consents[index],
            now=times[index],
        )
    spoken = sorted((i for i, c in enumerate(contributions) if c["channel"] != Channel.WRITTEN), key=lambda i: times[i])
    _replay_meeting(meeting, [(contributions[i], times[i]) for i in spoken], entities, end=slots)
    load_invitations(ACTOR, consultation, list(entities.values()), sent_at=METADATA["opens_at"])
    # The positions the report describes (paragraphs 13-38), for `concord analyze run` to read the record against.
    load_codebook(ACTOR, consultation, read_codebook(DEMO_CODEBOOK))
    mark_reported(ACTOR, consultation, symbol=REPORT_SYMBOL, when=REPORTED_AT)
    return consultation


def _register_representative(meeting: Meeting, entity: Entity, designated: bool):
    """A demo speaker, named by function only: the entities are fictional and no person is invented."""
    return meetings.register_participant(
        ACTOR,
        meeting,
        entity=entity,
        # The pages write "name, entity": a function, not "Representative of X" (which read "..., X, X").
        person_name="Designated representative" if designated else "Representative",
        designated=designated,
    )


def _replay_meeting(meeting: Meeting, spoken: list[tuple[dict, dt.datetime]], entities: dict, end: dict) -> None:
    """The meeting of 14 December 2010 through the floor's own services, so its programme, slot list, minutes and
    record are what a chair would have produced: designated representatives present in the slot list, the debate
    opens, each speaker asks for and gets the floor, each turn is recorded as a contribution with its receipt,
    and the minutes are published."""
    participants = {}

    def participant(key: str, designated: bool):
        if key not in participants:
            entity = entities[key]
            participants[key] = _register_representative(meeting, entity, designated)
        return participants[key]

    presentations = [(item, at) for item, at in spoken if item["channel"] == Channel.PRESENTATION]
    interventions = [(item, at) for item, at in spoken if item["channel"] == Channel.INTERVENTION]
    turns = []
    ends = [at for _item, at in presentations[1:]] + [end[Channel.PRESENTATION][1]]
    for (item, at), until in zip(presentations, ends, strict=True):
        turn = meetings.schedule_presentation(
            ACTOR,
            participant(item["entity"], True),
            planned_seconds=int((until - at).total_seconds()),
            now=end[Channel.PRESENTATION][0],
        )
        turns.append((turn, item, at))
    for turn, _item, at in turns:
        meetings.give_floor(ACTOR, meeting, turn, now=at)
    meetings.end_turn(ACTOR, meeting, now=end[Channel.PRESENTATION][1])
    meetings.open_debate(ACTOR, meeting, now=end[Channel.INTERVENTION][0])
    for item, at in interventions:
        turn = meetings.request_floor(participant(item["entity"], False), TurnKind.INTERVENTION, now=at)
        meetings.give_floor(ACTOR, meeting, turn, now=at)
        turns.append((turn, item, at))
    meetings.close_debate(ACTOR, meeting, now=end[Channel.INTERVENTION][1])
    for turn, item, at in turns:
        meetings.record_turn(ACTOR, turn, text=item["text"], language=item["lang"], title=item["title"], now=at)
    meetings.publish_minutes(ACTOR, meeting, now=end[Channel.INTERVENTION][1])


# -- The rehearsal: an open, fictional consultation whose meeting anyone can run on `make run` -------------------

REHEARSAL_DAYS_OPEN = 90
REHEARSAL_SPEAKERS = [
    # (entity key in demo_data.json, designated representative of its group)
    ("onrc", True),
    ("arcadia", False),
    ("nordvalk", False),
    ("irtf", False),
]


@transaction.atomic
def load_rehearsal(now: dt.datetime | None = None) -> Consultation | None:
    """A fictional consultation open from now for ``REHEARSAL_DAYS_OPEN`` days, with a meeting today whose floor
    is not yet used: one designated representative in the slot list and three more registered participants. It
    is where one tries the written form and runs a meeting by hand (docs/meetings.md); None when already there."""
    if Consultation.objects.filter(slug=REHEARSAL_SLUG).exists():
        return None
    now = now or timezone.now()
    consultation = create_consultation(
        ACTOR,
        slug=REHEARSAL_SLUG,
        title="Rehearsal: a fictional open consultation",
        mandate_reference="Demonstration",
        mandate="A consultation for trying Concord: submit a written contribution, run the meeting's speakers "
        "list, record the turns and publish the minutes. Nothing here is real.",
        description="Everything in this consultation is fictional; it is loaded beside the 2010 demo so that the "
        "written channel and the meeting can be tried while a consultation is open.",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=REHEARSAL_DAYS_OPEN),
        receipt_prefix="REH",
        group_slugs=METADATA["group_slugs"],
        questions=METADATA["questions"],
    )
    publish_consultation(ACTOR, consultation, when=now)
    meeting = create_meeting(
        ACTOR,
        consultation,
        title="Rehearsal meeting",
        date=timezone.localdate(now),
        place="Anywhere",
        agenda=[
            {"title": "Presentations", "kind": AgendaItem.Kind.PRESENTATIONS},
            {"title": "Open debate", "kind": AgendaItem.Kind.OPEN_DEBATE},
        ],
    )
    meetings.update_meeting(ACTOR, meeting, speaking_time_seconds=180)
    translate_rehearsal(ACTOR, consultation, meeting)
    rows = {row["key"]: row for row in demo_data()["entities"]}
    for key, designated in REHEARSAL_SPEAKERS:
        entity = Entity.objects.get(name=rows[key]["name"], is_fictional=True)
        participant = _register_representative(meeting, entity, designated)
        if designated:
            meetings.schedule_presentation(ACTOR, participant, planned_seconds=300, now=now)
    deliberation_demo.load_statements(consultation, now)
    return consultation
