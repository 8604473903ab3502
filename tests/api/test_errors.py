"""The JSON API answers every error in JSON, whatever raised it: unknown paths, wrong methods, bodies over the
limit, refusals and failures."""

import json

import pytest
from django.test import Client

from concord.api import public
from concord.api.services import issue_api_token
from tests.factories import make_consultation, make_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    """A client that answers 500 like the server would, instead of raising the view's exception in the test."""
    return Client(raise_request_exception=False)


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def token(alice, consultation):
    entity = make_entity("Fictional Federation of Cooperatives", group="civil-society")
    return issue_api_token(alice, "test", entity=entity, consultations=[consultation])[1]


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def test_an_unknown_path_under_the_api_is_a_json_404(quiet_client):
    response = quiet_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["error"] == "not-found"


def test_a_method_the_path_does_not_take_is_a_json_405_that_lists_the_allowed_ones(quiet_client, consultation):
    response = quiet_client.put(f"/api/v1/consultations/{consultation.slug}/contributions")
    assert response.status_code == 405
    assert error_of(response)["error"] == "method-not-allowed"
    assert "POST" in response["Allow"].split(", ")


def test_a_body_over_the_limit_is_a_json_413(quiet_client, consultation, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"submitter": {"email": "a@example.org"}, "text": "x" * (1024 * 1024 + 1)})
    response = quiet_client.post(
        f"/api/v1/consultations/{consultation.slug}/contributions",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert error_of(response) == {
        "error": "too-large",
        "message": "The request body is larger than the limit of 1 MB; send fewer or smaller files.",
    }


def test_a_failure_inside_an_operation_is_a_json_500_and_is_logged(quiet_client, monkeypatch, caplog):
    def broken(slug):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(public, "_consultation", broken)
    response = quiet_client.get("/api/v1/consultations/anything")
    assert response.status_code == 500
    assert error_of(response)["error"] == "server-error"
    assert "the database went away" not in response.content.decode()
    assert any(record.exc_info and record.name == "django.request" for record in caplog.records)


def test_a_refusal_that_escapes_an_operation_is_a_json_400(quiet_client, monkeypatch):
    from django.core.exceptions import ValidationError

    def refusing(slug):
        raise ValidationError("Not like this.", code="invalid")

    monkeypatch.setattr(public, "_consultation", refusing)
    response = quiet_client.get("/api/v1/consultations/anything")
    assert (response.status_code, error_of(response)) == (400, {"error": "invalid", "message": "Not like this."})


def test_html_pages_keep_their_html_errors(quiet_client):
    response = quiet_client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_server_answers_in_json_through_the_apis_short_middleware_chain(consultation):
    from tests.api.test_submit import served

    unknown = served("GET", "/api/v1/no-such-thing")
    assert unknown["status"].startswith("404") and json.loads(unknown["body"])["error"] == "not-found"
    wrong = served("DELETE", f"/api/v1/consultations/{consultation.slug}/contributions")
    assert wrong["status"].startswith("405") and json.loads(wrong["body"])["error"] == "method-not-allowed"
