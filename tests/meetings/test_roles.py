"""Who may do what, and when: chair, secretariat, registered participant, public."""

import pytest
from django.test import Client
from django.urls import reverse

from concord.meetings import services
from concord.meetings.models import TurnState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clients(chuck, sam, carol):
    # "staff": a staff account that holds no secretariat role; staff status alone opens nothing.
    stan = UserFactory(username="stan", is_staff=True)
    return {
        "chair": _client(chuck),
        "secretariat": _client(sam),
        "staff": _client(stan),
        "registered": _client(carol),
        "public": _client(),
    }


# (page, role) -> expected status for GET
PAGE_MATRIX = {
    ("display", "public"): 200,
    ("display", "registered"): 200,
    ("live", "public"): 200,
    ("detail", "public"): 200,
    ("chair", "chair"): 200,
    ("chair", "secretariat"): 403,
    ("chair", "staff"): 403,
    ("chair", "registered"): 403,
    ("chair", "public"): 302,  # to the login page
    ("record", "secretariat"): 200,
    ("record", "chair"): 403,
    ("record", "staff"): 403,
    ("record", "public"): 302,
    ("minutes", "secretariat"): 200,
    ("minutes", "chair"): 200,
    ("minutes", "staff"): 404,
    ("minutes", "public"): 404,  # until published
}


@pytest.mark.parametrize(("page", "role"), list(PAGE_MATRIX))
def test_page_access(meeting, clients, page, role):
    url = reverse(f"meetings:{page}", kwargs={"pk": meeting.pk})
    params = {"wait": "0"} if page == "live" else {}
    assert clients[role].get(url, params).status_code == PAGE_MATRIX[(page, role)]


def test_published_minutes_are_public(meeting, clients, sam):
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    assert clients["public"].post(url).status_code == 403
    assert clients["chair"].post(url).status_code == 403
    assert clients["staff"].post(url).status_code == 403
    assert clients["secretariat"].post(url).status_code == 302
    assert clients["public"].get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"), [("chair", 302), ("secretariat", 403), ("registered", 403), ("public", 302)]
)
def test_only_the_chair_runs_the_floor(meeting, clients, role, expected):
    url = reverse("meetings:chair", kwargs={"pk": meeting.pk})
    response = clients[role].post(url, {"action": "open"})
    assert response.status_code == expected
    meeting.refresh_from_db()
    assert meeting.debate_is_open is (role == "chair")


@pytest.mark.parametrize("moment", ["before-debate", "debate-open", "debate-closed"])
def test_a_registered_participant_requests_the_floor_only_while_the_list_is_open(meeting, speakers, moment):
    if moment != "before-debate":
        services.open_debate("chair", meeting)
    if moment == "debate-closed":
        services.close_debate("chair", meeting)
    participant = speakers[0]
    url = reverse("meetings:floor", kwargs={"pk": meeting.pk, "token": participant.token})
    response = Client().post(url, {"action": "request", "kind": "intervention"})
    if moment == "debate-open":
        assert response.status_code == 302
        assert participant.turns.get().state == TurnState.WAITING
    else:
        assert response.status_code == 409
        assert not participant.turns.exists()


def test_a_wrong_participant_key_is_not_found(meeting, speakers):
    url = reverse("meetings:floor", kwargs={"pk": meeting.pk, "token": "guess"})
    assert Client().get(url).status_code == 404


def test_a_participant_withdraws_only_their_own_request(meeting, speakers):
    services.open_debate("chair", meeting)
    mine = services.request_floor(speakers[0])
    theirs = services.request_floor(speakers[1])
    url = reverse("meetings:floor", kwargs={"pk": meeting.pk, "token": speakers[0].token})
    assert Client().post(url, {"action": "withdraw", "turn": theirs.pk}).status_code == 404
    assert Client().post(url, {"action": "withdraw", "turn": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == TurnState.WITHDRAWN


def test_the_secretariat_records_a_turn_from_an_uploaded_transcript(meeting, speakers, sam, clients):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.open_debate("chair", meeting)
    turn = services.request_floor(speakers[1])
    services.give_floor("chair", meeting)
    services.end_turn("chair", meeting)
    url = reverse("meetings:record", kwargs={"pk": meeting.pk})
    transcript = SimpleUploadedFile("t.txt", b"Transcription fictive.")
    response = clients["secretariat"].post(url, {"turn": turn.pk, "language": "fr", "transcript": transcript})
    assert response.status_code == 302, response.content.decode()[:2000]
    turn.refresh_from_db()
    assert turn.contribution.text == "Transcription fictive."
    assert turn.contribution.channel == "intervention"
