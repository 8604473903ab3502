"""The API's OpenAPI schema: a committed snapshot that fails on drift, and schemathesis runs on the reads and the
submissions."""

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest
import schemathesis
import time_machine
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from concord.api.api import api
from concord.api.services import issue_api_token
from concord.record import services
from tests.factories import OPENS, make_consultation, make_entity

SNAPSHOT = Path(__file__).resolve().parents[2] / "concord" / "api" / "openapi.json"


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def test_the_committed_openapi_snapshot_matches_the_code():
    schema = current_schema()
    if os.environ.get("CONCORD_UPDATE_OPENAPI") == "1":
        SNAPSHOT.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    committed = json.loads(SNAPSHOT.read_text())
    assert schema == committed, (
        "The API changed: review the difference, then run "
        "`CONCORD_UPDATE_OPENAPI=1 .venv/bin/pytest tests/api/test_schema.py` and commit concord/api/openapi.json"
    )


schema = schemathesis.openapi.from_dict(current_schema()).include(method="GET")


@pytest.fixture
def record(demo, settings):
    settings.CONCORD_API_READ_RATE = "100000/m"
    cache.clear()
    services.rebuild_index("test", demo)
    services.seal_consultation(demo)
    return demo


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_public_api_never_fails_with_a_server_error(case, record, client):
    slug = (case.path_parameters or {}).get("slug")
    # Half of the time, ask about the demo so that the generator reaches past the 404.
    if slug is not None and slug != record.slug and len(str(case.query)) % 2 == 0:
        case.path_parameters["slug"] = record.slug
    # Django's test client, not a raw WSGI call: it keeps the test's database connection open.
    response = client.get(case.formatted_path, case.query or {})
    assert response.status_code < 500, (case.formatted_path, case.query, response.content[:500])


# The submission API, fuzzed with a valid token while the consultation is open: whatever the body, a refusal (4xx)
# or a receipt, never a server error; and a retry of the same request with the same Idempotency-Key gets the same
# receipt back (the one step of state that matters to a client that times out and sends again).
submissions = schemathesis.openapi.from_dict(current_schema()).include(method="POST")
DURING = OPENS + dt.timedelta(days=5)


@pytest.fixture
def submitting(alice):
    consultation = make_consultation()
    entity = make_entity("Fictional Federation of Cooperatives", group="civil-society")
    token = issue_api_token(alice, "fuzz", entity=entity, consultations=[consultation])[1]
    return consultation, token


@pytest.mark.django_db
@submissions.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_submission_api_never_fails_with_a_server_error(case, submitting, client):
    consultation, token = submitting
    # The per-token throttle is built at import with its rate: start each example with nothing counted.
    cache.clear()
    case.path_parameters["slug"] = consultation.slug
    # Half of the time, an address, a consent and a text that pass, so that the generated rest (names, answers,
    # files, odd characters) reaches the service instead of stopping at the first check.
    submitter = case.body.get("submitter") if isinstance(case.body, dict) else None
    if isinstance(submitter, dict) and len(str(case.body)) % 2 == 0:
        submitter["email"] = "fuzz@cooperatives.example"
        case.body["consent"] = "named"
        case.body["text"] = f"Interconnection costs must fall. {case.body.get('text', '')}"[:5000]
    try:
        body = json.dumps(case.body)
    except (TypeError, ValueError):
        body = str(case.body)  # what a broken client would send: the API must refuse it as JSON
    headers = {
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    with time_machine.travel(DURING, tick=False):
        first = client.post(case.formatted_path, body, content_type="application/json", headers=headers)
        again = client.post(case.formatted_path, body, content_type="application/json", headers=headers)
    assert first.status_code < 500, (body[:500], first.content[:500])
    assert again.status_code < 500, (body[:500], again.content[:500])
    if first.status_code == 201:
        assert again.status_code == 200 and again.json() == first.json()
