"""Every write to meetings and their agendas."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.consultations.models import Consultation
from concord.core import audit

from .models import AgendaItem, Meeting


@transaction.atomic
def create_meeting(
    actor,
    consultation: Consultation,
    *,
    title: str,
    date: datetime.date,
    place: str,
    agenda: Sequence[dict] = (),
) -> Meeting:
    """Create a meeting; ``agenda`` items are dicts with ``title``, ``kind``, ``starts_at``, ``ends_at``."""
    meeting = Meeting(consultation=consultation, title=title, date=date, place=place)
    meeting.full_clean()
    meeting.save()
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
            )
        )
    AgendaItem.objects.bulk_create(items)
    changes = audit.diff({}, audit.snapshot(meeting))
    changes["agenda"] = [None, [i.title for i in items]]
    audit.log(actor, "meeting.create", meeting, changes)
    return meeting


@transaction.atomic
def update_meeting(actor, meeting: Meeting, **changes) -> Meeting:
    unknown = set(changes) - {"title", "date", "place"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(meeting)
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.full_clean()
    meeting.save()
    delta = audit.diff(before, audit.snapshot(meeting))
    if delta:
        audit.log(actor, "meeting.update", meeting, delta)
    return meeting
