"""The demo invites a fictional registry in the proportions of 2010, so its outreach figures are real-shaped."""

import pytest

from concord.stakeholders import demo as registry
from concord.stakeholders.models import Entity, Invitation, InvitationState
from concord.stakeholders.outreach import outreach

pytestmark = pytest.mark.django_db


def test_the_demo_invites_as_many_as_2010_and_its_contributors_responded(demo):
    figures = outreach(demo)
    by_group = {row.key: row for row in figures.by_group}
    # Paragraph 8: about 150 international organisations and 3,500 civil-society and private-sector entities.
    assert by_group["international-organization"].invited == 150
    assert by_group["civil-society"].invited + by_group["private-sector"].invited == 3500
    assert by_group["government"].invited == 194
    contributors = set(demo.contributions.counted().values_list("entity_id", flat=True))
    invited_contributors = Invitation.objects.filter(consultation=demo, entity_id__in=contributors).count()
    assert figures.responded == invited_contributors > 50
    assert 0 < figures.bounced < figures.invited * 0.05
    # Nothing was e-mailed: the campaign is recorded as sent in 2010.
    assert (
        not Invitation.objects.filter(consultation=demo)
        .exclude(state__in=[InvitationState.SENT, InvitationState.BOUNCED])
        .exists()
    )
    assert set(Invitation.objects.filter(consultation=demo).values_list("sent_at", flat=True)) == {demo.opens_at}


def test_the_generated_registry_is_fictional_and_the_same_every_time():
    first, second = registry.registry_rows([]), registry.registry_rows([])
    assert first == second
    assert len(first) == sum(registry.INVITED.values())
    assert all(row["emails"].endswith(".example") for row in first)
    assert len({(row["name"], row["country"]) for row in first}) == len(first)


def test_every_demo_entity_stays_fictional(demo):
    assert not Entity.objects.filter(is_fictional=False).exists()


def test_the_demo_speakers_are_named_by_function_without_repeating_their_entity(demo):
    from concord.meetings.models import Participant

    names = set(Participant.objects.filter(meeting__consultation=demo).values_list("person_name", flat=True))
    assert names == {"Designated representative", "Representative"}
