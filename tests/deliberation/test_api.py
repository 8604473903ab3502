"""The public API's statements and opinion groups: public statements only, the same figures as the pages."""

import pytest
from django.urls import reverse

from concord.deliberation import services

from .conftest import DURING
from .test_results import TEXTS, conversation  # noqa: F401 (the two-camp fixture)

pytestmark = pytest.mark.django_db


def test_the_statements_carry_their_votes_by_group(phase, conversation, client):  # noqa: F811
    statements, voters = conversation
    services.submit_statement(voters[0][0], text="A zorblax idea.", language="en", now=DURING)
    services.translate_statement("alice", statements[6], "fr", "Le renforcement des capacités compte.")
    response = client.get(reverse("api:list_statements", kwargs={"slug": phase.consultation.slug}))
    assert response.status_code == 200
    rows = {row["number"]: row for row in response.json()}
    assert "zorblax" not in response.content.decode() and len(rows) == len(TEXTS)
    last = rows[statements[6].number]
    assert last["text"] == {"en": TEXTS[6], "fr": "Le renforcement des capacités compte."}
    assert last["votes"] == {"agree": 20, "disagree": 0, "pass": 0, "total": 20}
    assert last["classification"] == "shared"
    assert sorted(g["agree"] for g in last["opinion_groups"]) == [10, 10]
    government = next(g for g in rows[statements[1].number]["stakeholder_groups"] if g["group"] == "government")
    assert (government["agree"], government["state"]) == (10, "support")


def test_the_opinion_groups_say_who_is_in_them(phase, conversation, client):  # noqa: F811
    found = client.get(reverse("api:opinion_groups", kwargs={"slug": phase.consultation.slug})).json()
    assert found["participants"] == 20
    assert sorted(g["stakeholder_groups"][0]["group"] for g in found["groups"]) == ["civil-society", "government"]
    assert 7 in found["consensus_agree"]


def test_a_consultation_without_a_phase_is_a_404(consultation, client):
    response = client.get(reverse("api:list_statements", kwargs={"slug": consultation.slug}))
    assert response.status_code == 404 and response.json()["error"] == "unknown-consultation"
