"""Recording contributions: receipt numbers, the group snapshot and the checks every channel shares."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from concord.contributions.models import Channel, Consent, Source
from concord.contributions.services import record_contribution, set_consent
from concord.core.audit import entries_for
from concord.stakeholders.models import StakeholderGroup
from concord.stakeholders.services import update_entity
from tests.factories import CLOSES, OPENS, make_consultation, make_contribution, make_entity, make_meeting

pytestmark = pytest.mark.django_db


def test_receipt_numbers_count_per_channel():
    consultation = make_consultation()
    first = make_contribution(consultation)
    second = make_contribution(consultation)
    spoken = make_contribution(consultation, channel=Channel.PRESENTATION)
    assert [first.receipt_number, second.receipt_number] == ["TST-W-000001", "TST-W-000002"]
    assert spoken.receipt_number == "TST-P-000001"


def test_the_group_is_kept_as_it_was_when_the_entity_contributed(alice):
    consultation = make_consultation()
    entity = make_entity(category="business")
    contribution = make_contribution(consultation, entity)
    update_entity(alice, entity, group=StakeholderGroup.objects.get(slug="civil-society"))
    contribution.refresh_from_db()
    assert contribution.group.slug == "private-sector"


def test_recording_is_audited():
    contribution = make_contribution(make_consultation())
    entry = entries_for(contribution).get()
    assert entry.action == "contribution.record"
    assert entry.changes["receipt_number"] == [None, contribution.receipt_number]


def test_it_refuses_a_group_the_consultation_does_not_hear():
    consultation = make_consultation(groups=("government",))
    with pytest.raises(ValidationError, match="does not hear"):
        make_contribution(consultation, make_entity(category="business"))


def test_it_refuses_a_language_the_consultation_does_not_accept():
    consultation = make_consultation(languages=("en", "fr"))
    with pytest.raises(ValidationError, match="does not accept"):
        make_contribution(consultation, language="ru")


def test_it_refuses_an_empty_contribution():
    with pytest.raises(ValidationError, match="needs a text"):
        make_contribution(make_consultation(), text="   ")


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [(OPENS - dt.timedelta(minutes=1), False), (OPENS + dt.timedelta(days=1), True), (CLOSES, False)],
)
def test_the_web_channel_is_open_only_during_the_period(moment, accepted):
    consultation = make_consultation()
    entity = make_entity()

    def submit():
        return record_contribution(
            None, consultation, entity=entity, channel=Channel.WRITTEN, language="en", text="Fictional text."
        )

    with time_machine.travel(moment, tick=False):
        if accepted:
            assert submit().source == Source.WEB
        else:
            with pytest.raises(ValidationError, match="not open"):
                submit()


def test_a_draft_consultation_takes_no_contribution():
    consultation = make_consultation(published=False)
    with pytest.raises(ValidationError, match="not published"):
        make_contribution(consultation)


def test_meeting_channels_need_a_meeting_of_the_consultation():
    consultation = make_consultation()
    other_meeting = make_meeting(make_consultation())
    with pytest.raises(ValidationError, match="belong to a meeting"):
        make_contribution(consultation, channel=Channel.INTERVENTION, meeting=other_meeting)


def test_a_failed_recording_gives_its_receipt_number_back():
    consultation = make_consultation(languages=("en",))
    with pytest.raises(ValidationError):
        make_contribution(consultation, language="fr")
    assert make_contribution(consultation).receipt_number == "TST-W-000001"


def test_consent_changes_are_audited(alice):
    contribution = make_contribution(make_consultation())
    set_consent(alice, contribution, Consent.ANONYMOUS)
    entry = entries_for(contribution).get(action="contribution.consent")
    assert entry.changes == {"consent": ["named", "anonymous"]}
    assert entry.actor == alice
