"""Submitting through the JSON API: the same service and checks as the form, with tokens and a rate limit."""

import base64
import datetime as dt
import json

import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from concord.api.services import issue_api_token, revoke_api_token, token_for
from concord.contributions.models import Contribution, Source
from tests.contributions import files
from tests.factories import OPENS, make_consultation, make_entity

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
TEXT = "Los costos de interconexión internacional siguen siendo demasiado altos para los países en desarrollo."


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def cooperatives():
    return make_entity("Fictional Federation of Cooperatives", group="civil-society", country="MX")


@pytest.fixture
def token(alice, consultation, cooperatives):
    return issue_api_token(
        alice, "Fictional Federation of Cooperatives", entity=cooperatives, consultations=[consultation]
    )[1]


def payload(**changes):
    return {
        "submitter": {
            "kind": "organization",
            "name": "Fictional Federation of Cooperatives",
            "category": "ecosoc-ngo",
            "group": "civil-society",
            "country": "MX",
            "email": "api@cooperatives.example",
        },
        "text": TEXT,
    } | changes


def post(client, consultation, body, token, **headers):
    with time_machine.travel(DURING, tick=False):
        return client.post(
            f"/api/v1/consultations/{consultation.slug}/contributions",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", **headers},
        )


def test_a_submission_returns_its_receipt(client, consultation, token):
    pdf = files.pdf("Contribución ficticia sobre el comercio electrónico.", "es")
    body = payload(files=[{"name": "nota.pdf", "content_base64": base64.b64encode(pdf).decode()}])
    response = post(client, consultation, body, token, **{"Idempotency-Key": "abc"})
    assert response.status_code == 201
    contribution = Contribution.objects.get()
    assert response.json() == {
        "receipt": contribution.receipt_number,
        "sha256": contribution.sha256,
        "received_at": "2030-03-06T00:00:00Z",
        "status": "pending",
    }
    assert (contribution.source, contribution.language) == (Source.API, "es")
    assert contribution.versions.get().attachments.get().name == "nota.pdf"


def test_a_retry_with_the_same_key_returns_the_same_receipt(client, consultation, token):
    first = post(client, consultation, payload(), token, **{"Idempotency-Key": "same"})
    again = post(client, consultation, payload(), token, **{"Idempotency-Key": "same"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (payload(text=""), "empty"),
        (payload(files=[{"name": "x.pdf", "content_base64": "%%%"}]), "invalid"),
        (
            payload(files=[{"name": "x.exe", "content_base64": base64.b64encode(b"MZ" + b"\0" * 300).decode()}]),
            "unsupported-type",
        ),  # noqa: E501
    ],
)
def test_bad_input_gets_a_coded_error(client, consultation, token, body, code):
    response = post(client, consultation, body, token)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert Contribution.objects.count() == 0


def test_a_malformed_body_is_refused(client, consultation, token):
    response = post(client, consultation, {"text": TEXT}, token)
    assert response.status_code == 422


def test_without_a_valid_token_nothing_is_accepted(client, consultation, alice, token):
    assert post(client, consultation, payload(), "not-a-token").status_code == 401
    revoke_api_token(alice, token_for(token))
    assert post(client, consultation, payload(), token).status_code == 401
    assert Contribution.objects.count() == 0


def test_an_unknown_consultation_is_404(client, token):
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            "/api/v1/consultations/nope/contributions",
            payload(),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 404


def test_submissions_are_rate_limited_per_token(client, consultation, token, settings):
    from django.core.cache import cache

    cache.clear()
    statuses = {
        post(client, consultation, payload(), token, **{"Idempotency-Key": str(i)}).status_code for i in range(125)
    }
    assert 429 in statuses
    cache.clear()


def served(method, path, body=b"", **headers):
    """A request through the application the servers run (concord.wsgi), not the test client's full chain."""
    from concord.wsgi import application

    environ = RequestFactory().generic(method, path, body, content_type="application/json", **headers).environ
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=status, headers=dict(response_headers))

    # As the test client does: the test's transaction must survive the request's signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with time_machine.travel(DURING, tick=False):
            answer["body"] = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer


def test_the_server_takes_api_submissions_through_the_short_middleware_chain(consultation, token):
    path = f"/api/v1/consultations/{consultation.slug}/contributions"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "wsgi", "HTTP_ACCEPT_LANGUAGE": "fr"}
    answer = served("POST", path, json.dumps(payload()).encode(), **auth)
    assert answer["status"] == "201 Created"
    assert json.loads(answer["body"])["receipt"] == Contribution.objects.get().receipt_number
    # No session, CSRF or frame headers on the API; still the client's language.
    assert "Set-Cookie" not in answer["headers"] and "X-Frame-Options" not in answer["headers"]
    assert answer["headers"]["Content-Language"] == "fr"
    refused = served("POST", path, json.dumps(payload(text="")).encode(), **auth | {"HTTP_IDEMPOTENCY_KEY": "x"})
    assert json.loads(refused["body"])["error"] == "empty"
    assert "vide" in json.loads(refused["body"])["message"]


def test_the_server_keeps_the_site_middleware_for_pages():
    answer = served("GET", "/en/")
    assert answer["headers"]["X-Frame-Options"] == "DENY"


def test_control_characters_never_reach_the_database(client, consultation, token):
    """The API takes any string: a NUL in the address is refused with its code, one in the name is dropped before
    the name is compared with the token's organisation's."""
    submitter = payload()["submitter"]
    refused = post(client, consultation, payload(submitter=submitter | {"email": "api\x00@coop.example"}), token)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid-email"
    accepted = post(
        client,
        consultation,
        payload(submitter=submitter | {"name": "Fictional\x00 Federation of Cooperatives\x07"}),
        token,
    )
    assert accepted.status_code == 201
    assert Contribution.objects.get().entity.name == "Fictional Federation of Cooperatives"
