"""The API's OpenAPI schema: a committed snapshot that fails on drift, and a schemathesis run on the reads."""

import json
import os
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from concord.api.api import api
from concord.record import services

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
