"""Factories for test data. Every entity they make is fictional."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from concord.consultations.services import create_consultation, publish_consultation
from concord.contributions.models import Channel, Source
from concord.contributions.services import record_contribution
from concord.meetings.services import create_meeting
from concord.stakeholders.models import EntityCategory, StakeholderGroup
from concord.stakeholders.services import create_entity

UTC = dt.UTC
OPENS = dt.datetime(2030, 3, 1, tzinfo=UTC)
CLOSES = dt.datetime(2030, 6, 30, 23, 59, tzinfo=UTC)


# Every factory user's password, for tests that log in through a form.
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


_COUNTER = iter(range(1, 10**9))


def make_entity(name=None, *, category="ecosoc-ngo", group=None, kind="organization", country="KE"):
    category_obj = EntityCategory.objects.get(slug=category)
    group_obj = StakeholderGroup.objects.get(slug=group) if group else None
    return create_entity(
        "test",
        name=name or f"Fictional Entity {next(_COUNTER)}",
        category=category_obj,
        group=group_obj,
        kind=kind,
        country=country,
        is_fictional=True,
    )


def make_consultation(
    slug=None,
    *,
    groups=("government", "international-organization", "civil-society", "private-sector"),
    opens_at=OPENS,
    closes_at=CLOSES,
    published=True,
    languages=("ar", "zh-hans", "en", "fr", "ru", "es"),
    questions=("Which issues are not adequately addressed?",),
):
    consultation = create_consultation(
        "test",
        slug=slug or f"test-consultation-{next(_COUNTER)}",
        title="A fictional consultation",
        mandate_reference="Fictional resolution 1/1",
        opens_at=opens_at,
        closes_at=closes_at,
        receipt_prefix="TST",
        group_slugs=list(groups),
        languages=list(languages),
        questions=list(questions),
    )
    if published:
        publish_consultation("test", consultation, when=opens_at - dt.timedelta(days=10))
    return consultation


def make_meeting(consultation, date=None):
    return create_meeting(
        "test",
        consultation,
        title="Fictional meeting",
        date=date or consultation.closes_at.date(),
        place="Online",
    )


def make_contribution(consultation, entity=None, *, channel=Channel.WRITTEN, language="en", text=None, **kwargs):
    entity = entity or make_entity()
    received = kwargs.pop("received_at", consultation.opens_at + dt.timedelta(days=1))
    meeting = kwargs.pop("meeting", None)
    if channel != Channel.WRITTEN and meeting is None:
        meeting = consultation.meetings.first() or make_meeting(consultation)
    return record_contribution(
        "test",
        consultation,
        entity=entity,
        channel=channel,
        language=language,
        text=text or "A fictional contribution about interconnection costs.",
        source=kwargs.pop("source", Source.STAFF if channel == Channel.WRITTEN else Source.MEETING),
        received_at=received,
        meeting=meeting,
        now=kwargs.pop("now", received),
        **kwargs,
    )
