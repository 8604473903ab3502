"""Statements and votes through the services: one vote per participant and statement, every vote kept with its
time, the stakeholder group carried, moderation, seeding from the codebook, invitations as voters."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from concord.deliberation import services
from concord.deliberation.access import public_statements
from concord.deliberation.models import (
    Statement,
    StatementModeration,
    StatementSource,
    Vote,
    VoteEvent,
    Voter,
    VoterKind,
)
from concord.positions.services import create_position
from concord.stakeholders.models import Invitation, InvitationCampaign
from tests.factories import CLOSES, make_entity

from .conftest import DURING

pytestmark = pytest.mark.django_db


def test_a_new_vote_replaces_the_old_and_the_history_keeps_both(frozen, statements, representatives):
    voter, _key = representatives[0]
    first = statements[0]
    services.cast_vote(voter, first, 1, now=DURING)
    services.cast_vote(voter, first, -1, now=DURING + dt.timedelta(minutes=5))
    assert list(Vote.objects.filter(voter=voter).values_list("value", flat=True)) == [-1]
    history = list(VoteEvent.objects.filter(voter=voter).order_by("voted_at").values_list("value", "voted_at"))
    assert history == [(1, DURING), (-1, DURING + dt.timedelta(minutes=5))]


def test_a_vote_carries_the_voters_stakeholder_group(frozen, statements, representatives):
    voter, _key = representatives[2]
    services.cast_vote(voter, statements[1], 0)
    assert Vote.objects.get(voter=voter).group.slug == "civil-society"


def test_votes_are_refused_outside_the_phase(statements, representatives):
    voter, _key = representatives[0]
    with pytest.raises(ValidationError):
        services.cast_vote(voter, statements[0], 1, now=CLOSES + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.cast_vote(voter, statements[0], 2, now=DURING)
    assert not VoteEvent.objects.exists()


def test_a_participants_statement_waits_for_moderation(consultation, phase, representatives):
    voter, _key = representatives[0]
    statement = services.submit_statement(
        voter, text="  Spam filters   should be   shared. ", language="fr", now=DURING
    )
    assert statement.text == "Spam filters should be shared."
    assert statement.moderation == StatementModeration.PENDING and statement.source == StatementSource.PARTICIPANT
    assert statement not in public_statements(phase)
    services.moderate_statement("alice", statement, StatementModeration.ACCEPTED)
    assert statement in public_statements(phase)
    services.moderate_statement("alice", statement, StatementModeration.REJECTED, "Off topic.")
    assert statement not in public_statements(phase)


def test_without_premoderation_a_pending_statement_is_public(consultation, phase, representatives):
    from concord.consultations.services import update_consultation

    update_consultation("alice", consultation, premoderation=False)
    statement = services.submit_statement(representatives[0][0], text="Open data helps.", language="en", now=DURING)
    assert statement in public_statements(phase)


def test_statements_are_seeded_from_the_codebook_once(consultation, phase):
    create_position(
        "alice",
        consultation,
        slug="new-body",
        statement="A new body should be created.",
        translations={"fr": {"statement": "Un nouvel organe devrait être créé."}},
    )
    create_position("alice", consultation, slug="igf", statement="The IGF should be strengthened.", order=5)
    created = services.seed_statements_from_positions("alice", consultation)
    assert [s.text for s in created] == ["A new body should be created.", "The IGF should be strengthened."]
    assert created[0].text_in("fr") == ("Un nouvel organe devrait être créé.", "fr")
    assert created[0].text_in("ru") == ("A new body should be created.", "en")
    assert all(s.moderation == StatementModeration.ACCEPTED for s in created)
    assert services.seed_statements_from_positions("alice", consultation) == []
    assert Statement.objects.filter(phase=phase).count() == 2


def test_voter_numbers_follow_one_another(phase, representatives):
    assert [v.number for v, _key in representatives] == [1, 2, 3]
    public, _key = services.join_as_public(phase)
    assert public.number == 4 and public.kind == VoterKind.PUBLIC and public.group is None


def test_the_public_joins_only_where_the_phase_allows_it(phase):
    services.update_phase("alice", phase, allow_public=False)
    with pytest.raises(ValidationError):
        services.join_as_public(phase)


def test_a_representative_of_a_group_the_consultation_does_not_hear_is_refused(phase):
    with pytest.raises(ValidationError):
        services.register_voter("alice", phase, entity=make_entity(group="technical-academic"))


def test_an_invitation_stands_for_its_entity_once(consultation, phase):
    entity = make_entity(group="private-sector")
    campaign = InvitationCampaign.objects.create(consultation=consultation, name="Business")
    invitation = Invitation.objects.create(consultation=consultation, campaign=campaign, entity=entity, language="en")
    first = services.voter_for_invitation(phase, invitation)
    again = services.voter_for_invitation(phase, invitation)
    assert first == again and first.group.slug == "private-sector" and first.entity == entity
    assert Voter.objects.filter(phase=phase).count() == 1
