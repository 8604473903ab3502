"""The voting page without JavaScript: plain GET and POST, one statement at a time with the count left, for a
representative's personal link, an invitation's link and the public's session."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from concord.deliberation import services
from concord.deliberation.models import StatementModeration, Vote, VoteEvent, Voter, VoterKind
from concord.stakeholders.models import Invitation, InvitationCampaign
from concord.stakeholders.services import hash_invitation_key
from tests.factories import make_entity

pytestmark = pytest.mark.django_db


def _shown(response) -> tuple[str | None, int | None]:
    """The statement the page asks about (its hidden id) and the count it says is left."""
    html = response.content.decode()
    statement = re.search(r'name="statement" value="(\d+)"', html)
    left = re.search(r"(\d+) statements? left", html)
    return (statement.group(1) if statement else None), (int(left.group(1)) if left else None)


def test_a_representative_votes_through_every_statement_with_plain_posts(frozen, statements, representatives):
    voter, key = representatives[0]
    url = reverse("deliberation:vote-key", kwargs={"slug": voter.phase.consultation.slug, "token": key})
    client = Client()
    seen = []
    for expected_left, value in zip([3, 2, 1], ["1", "-1", "0"], strict=True):
        page = client.get(url)
        ballot = page.content.decode().split('<article class="ballot">')[1].split("</article>")[0]
        assert page.status_code == 200 and "<script" not in ballot and '<form method="post"' in ballot
        statement, left = _shown(page)
        assert left == expected_left
        seen.append(int(statement))
        response = client.post(url, {"statement": statement, "value": value})
        assert response.status_code == 302 and response["Location"] == url  # post/redirect/get
    assert sorted(seen) == [s.pk for s in statements]  # each once, in Pol.is's drawn order
    done = client.get(url)
    assert _shown(done) == (None, None) and "You have voted on every statement" in done.content.decode()
    assert dict(Vote.objects.filter(voter=voter).values_list("statement_id", "value")) == dict(
        zip(seen, [1, -1, 0], strict=True)
    )


def test_a_wrong_key_opens_nothing(phase, client):
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": "not-the-key"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"statement": 1, "value": 1}).status_code == 404


def test_an_invitation_link_opens_the_entitys_ballot(frozen, consultation, phase, statements, client):
    entity = make_entity(group="international-organization")
    campaign = InvitationCampaign.objects.create(consultation=consultation, name="IGOs")
    Invitation.objects.create(
        consultation=consultation, campaign=campaign, entity=entity, language="en", token_hash=hash_invitation_key("k1")
    )
    url = reverse("deliberation:vote-key", kwargs={"slug": consultation.slug, "token": "k1"})
    assert entity.name in client.get(url).content.decode()
    client.post(url, {"statement": statements[0].pk, "value": "1"})
    vote = Vote.objects.get()
    assert vote.voter.entity == entity and vote.group.slug == "international-organization"


def test_the_public_votes_from_its_session(frozen, phase, statements):
    url = reverse("deliberation:vote", kwargs={"slug": phase.consultation.slug})
    client = Client()
    page = client.get(url)
    shown, left = _shown(page)
    assert shown in {str(s.pk) for s in statements} and left == 3
    assert not Voter.objects.exists()  # looking creates nobody
    client.post(url, {"statement": statements[0].pk, "value": "1"})
    client.post(url, {"statement": statements[0].pk, "value": "-1"})  # a change of mind replaces the vote
    shown, left = _shown(client.get(url))
    assert shown in {str(statements[1].pk), str(statements[2].pk)} and left == 2
    voter = Voter.objects.get()
    assert voter.kind == VoterKind.PUBLIC and voter.group is None
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    assert VoteEvent.objects.count() == 2
    # Another browser is another participant.
    other = Client()
    other.post(url, {"statement": statements[0].pk, "value": "0"})
    assert Voter.objects.count() == 2


def test_where_only_representatives_vote_the_public_page_says_so(frozen, phase, statements, client):
    services.update_phase("alice", phase, allow_public=False)
    url = reverse("deliberation:vote", kwargs={"slug": phase.consultation.slug})
    page = client.get(url)
    assert "personal link" in page.content.decode() and _shown(page) == (None, None)
    client.post(url, {"statement": statements[0].pk, "value": "1"})
    assert not Vote.objects.exists()


def test_a_statement_awaiting_moderation_is_neither_shown_nor_voted_on(frozen, phase, statements, representatives):
    voter, key = representatives[0]
    pending = services.submit_statement(voter, text="A zorblax statement nobody read yet.", language="en")
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    for statement in statements:
        client.post(url, {"statement": statement.pk, "value": "1"})
    page = client.get(url)
    assert "zorblax" not in page.content.decode() and _shown(page) == (None, None)
    assert client.post(url, {"statement": pending.pk, "value": "1"}).status_code == 404
    services.moderate_statement("alice", pending, StatementModeration.ACCEPTED)
    assert _shown(client.get(url)) == (str(pending.pk), 1)


def test_a_participant_writes_a_statement_for_moderation(frozen, phase, representatives):
    voter, key = representatives[2]
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    response = client.post(url, {"action": "statement", "text": "Privacy needs a global forum.", "language": "es"})
    assert response.status_code == 302
    statement = phase.statements.get()
    assert (statement.author, statement.original_language, statement.moderation) == (voter, "es", "pending")
    assert "received" in client.get(response["Location"]).content.decode()
    assert client.post(url, {"action": "statement", "text": "", "language": "es"}).status_code == 400


def test_a_vote_costs_its_two_writes_and_the_next_statement_one_read(
    frozen, phase, statements, representatives, django_assert_num_queries, lasting_caches
):
    voter, key = representatives[0]
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    client.get(url)  # the phase, the voter and the statements are in this process's caches from here on
    with django_assert_num_queries(1):  # the statements this voter has voted on
        client.get(url)
    # The vote event and the current vote, in one transaction (a savepoint inside the test's); no computation.
    with django_assert_num_queries(4):
        assert client.post(url, {"statement": statements[0].pk, "value": "1"}).status_code == 302
    for extra in range(20):
        services.add_statement("alice", phase, text=f"Statement {extra}.")
    client.get(url)  # the new statements, read once
    with django_assert_num_queries(4):
        assert client.post(url, {"statement": statements[1].pk, "value": "1"}).status_code == 302
    with django_assert_num_queries(1):
        assert _shown(client.get(url))[1] == 21


def test_the_public_page_reads_the_session_besides(
    frozen, phase, statements, django_assert_num_queries, lasting_caches
):
    url = reverse("deliberation:vote", kwargs={"slug": phase.consultation.slug})
    client = Client()
    client.post(url, {"statement": statements[0].pk, "value": "1"})
    client.get(url)
    with django_assert_num_queries(2):  # the session, the statements voted on
        client.get(url)


def test_a_meeting_participants_page_key_opens_their_ballot(frozen, consultation, phase, statements, client):
    from concord.meetings.services import register_participant
    from tests.factories import make_meeting

    entity = make_entity(group="private-sector")
    participant = register_participant("alice", make_meeting(consultation), entity=entity, person_name="Ana Example")
    url = reverse("deliberation:vote-key", kwargs={"slug": consultation.slug, "token": participant.token})
    assert entity.name in client.get(url).content.decode()
    client.post(url, {"statement": statements[0].pk, "value": "-1"})
    client.post(url, {"statement": statements[1].pk, "value": "1"})
    voter = Voter.objects.get()
    assert (voter.participant, voter.entity, voter.group.slug) == (participant, entity, "private-sector")
    assert Vote.objects.filter(voter=voter).count() == 2


def test_the_pages_script_votes_in_one_request_and_gets_the_next_statement(
    frozen, phase, statements, representatives, django_assert_num_queries, lasting_caches
):
    voter, key = representatives[0]
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    assert "deliberation/ballot.js" in client.get(url).content.decode()
    with django_assert_num_queries(5):  # the vote's writes, then the statements voted on
        answer = client.post(url, {"statement": statements[0].pk, "value": "-1"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    following = next(s for s in statements if s.pk == answer.json()["statement"]["id"])
    assert following != statements[0]
    assert answer.json() == {
        "statement": {"id": following.pk, "number": following.number, "text": following.text, "language": "en"},
        "left": 2,
        "left_text": "2 statements left.",
    }
    assert Vote.objects.get(voter=voter).value == -1
    assert _shown(client.get(url))[0] == str(following.pk)  # the page shows the same one
    client.post(url, {"statement": following.pk, "value": "1"}, HTTP_ACCEPT="application/json")
    last_one = next(s for s in statements[1:] if s != following)
    last = client.post(url, {"statement": last_one.pk, "value": "0"}, HTTP_ACCEPT="application/json")
    assert last.json() == {"statement": None, "left": 0}
    refused = client.post(url, {"statement": statements[0].pk, "value": "7"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and refused.json()["error"]


def test_votes_beyond_the_rate_are_refused_with_the_wait_and_the_earlier_ones_kept(
    frozen, phase, statements, representatives, settings
):
    settings.CONCORD_VOTE_RATE = "2/m"
    voter, key = representatives[0]
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    for statement in statements[:2]:
        assert client.post(url, {"statement": statement.pk, "value": "1"}).status_code == 302
    refused = client.post(url, {"statement": statements[2].pk, "value": "1"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Too many votes in a short time" in html and "earlier votes are kept" in html
    assert _shown(refused) == (str(statements[2].pk), 1)  # the statement is still there to vote on later
    answer = client.post(url, {"statement": statements[2].pk, "value": "1"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 429 and answer.json()["retry_after"] == int(refused["Retry-After"])
    assert Vote.objects.filter(voter=voter).count() == 2 and VoteEvent.objects.count() == 2


def test_the_public_joins_at_most_at_the_rate_of_its_address(frozen, phase, statements, settings):
    settings.CONCORD_VOTE_JOIN_RATE_IP = "1/h"
    url = reverse("deliberation:vote", kwargs={"slug": phase.consultation.slug})
    first, second = Client(), Client()
    assert first.post(url, {"statement": statements[0].pk, "value": "1"}).status_code == 302
    refused = second.post(url, {"statement": statements[0].pk, "value": "1"})
    assert refused.status_code == 429 and "started voting from your network" in refused.content.decode()
    assert Voter.objects.count() == 1
    # The one who joined goes on voting: the join limit counts newcomers only.
    assert first.post(url, {"statement": statements[1].pk, "value": "-1"}).status_code == 302
    assert Vote.objects.count() == 2
