"""Idempotency keys of API submissions are the token's own, bound to the body they first came with, never cut."""

import pytest

from concord.api.services import issue_api_token
from concord.contributions.models import Contribution
from tests.api.test_submit import TEXT, payload, post
from tests.factories import make_consultation, make_entity

pytestmark = pytest.mark.django_db

OTHER_TEXT = "Las tarifas de interconexión deben bajar en los países menos adelantados, y pronto."


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def cooperatives():
    return make_entity("Fictional Federation of Cooperatives", group="civil-society", country="MX")


def token_for_entity(alice, entity, consultation) -> str:
    return issue_api_token(alice, entity.name, entity=entity, consultations=[consultation])[1]


@pytest.fixture
def token(alice, consultation, cooperatives):
    return token_for_entity(alice, cooperatives, consultation)


def test_the_same_key_with_another_body_is_a_conflict_not_the_first_receipt(client, consultation, token):
    first = post(client, consultation, payload(), token, **{"Idempotency-Key": "k-1"})
    again = post(client, consultation, payload(text=OTHER_TEXT), token, **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["error"] == "idempotency-conflict"
    assert "different content" in again.json()["message"]
    assert first.json()["receipt"] not in again.content.decode()
    assert list(Contribution.objects.values_list("text", flat=True)) == [TEXT]


def test_a_body_that_now_fails_the_checks_is_still_a_conflict_not_the_first_receipt(client, consultation, token):
    post(client, consultation, payload(), token, **{"Idempotency-Key": "k-1"})
    again = post(client, consultation, payload(text=""), token, **{"Idempotency-Key": "k-1"})
    assert again.status_code == 409


def test_another_token_with_the_same_key_makes_its_own_contribution(client, alice, consultation, token):
    other_entity = make_entity("Fictional Guild of Translators", group="civil-society", country="CL")
    other = token_for_entity(alice, other_entity, consultation)
    first = post(client, consultation, payload(), token, **{"Idempotency-Key": "1"})
    second = post(
        client,
        consultation,
        payload(text=OTHER_TEXT, submitter=payload()["submitter"] | {"name": other_entity.name}),
        other,
        **{"Idempotency-Key": "1"},
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["receipt"] != second.json()["receipt"]
    theirs = Contribution.objects.get(receipt_number=second.json()["receipt"])
    assert (theirs.text, theirs.entity) == (OTHER_TEXT, other_entity)
    assert second.json()["status"] == "pending"


def test_keys_are_never_cut_so_long_keys_that_differ_late_do_not_collide(client, consultation, token):
    first = post(client, consultation, payload(), token, **{"Idempotency-Key": "k" * 150 + "A"})
    second = post(client, consultation, payload(text=OTHER_TEXT), token, **{"Idempotency-Key": "k" * 150 + "B"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert Contribution.objects.count() == 2
    assert Contribution.objects.get(text=OTHER_TEXT).idempotency_key == "k" * 150 + "B"


def test_a_key_longer_than_the_limit_is_refused_not_cut(client, consultation, token):
    longest = post(client, consultation, payload(), token, **{"Idempotency-Key": "k" * 200})
    too_long = post(client, consultation, payload(text=OTHER_TEXT), token, **{"Idempotency-Key": "k" * 201})
    assert longest.status_code == 201
    assert too_long.status_code == 422
    assert too_long.json()["error"] == "idempotency-key-too-long"
    assert "200" in too_long.json()["message"]
    assert Contribution.objects.count() == 1


def test_a_key_with_characters_outside_printable_ascii_is_refused(client, consultation, token):
    response = post(client, consultation, payload(), token, **{"Idempotency-Key": "clé\u202e"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid-idempotency-key"
    assert Contribution.objects.count() == 0


def test_a_title_longer_than_the_limit_is_refused_not_cut(client, consultation, token):
    response = post(client, consultation, payload(title="T" * 5000), token)
    assert response.status_code == 422
    assert response.json() == {
        "error": "title-too-long",
        "message": "The title is longer than 300 characters; shorten it.",
    }
    assert Contribution.objects.count() == 0
    assert post(client, consultation, payload(title="T" * 300), token).status_code == 201
