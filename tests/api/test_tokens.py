"""API tokens are issued for one organisation and some consultations, and speak only for them."""

import io

import pytest
from django.core.management import CommandError, call_command

from concord.api.models import ApiToken
from concord.api.services import bind_api_token, issue_api_token, token_for
from concord.contributions.models import Contribution
from concord.core.audit import entries_for
from tests.api.test_submit import payload, post
from tests.factories import make_consultation, make_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def cooperatives():
    return make_entity("Fictional Federation of Cooperatives", group="civil-society", country="MX")


@pytest.fixture
def token(alice, consultation, cooperatives):
    return issue_api_token(alice, "Cooperatives", entity=cooperatives, consultations=[consultation])[1]


def test_a_token_is_refused_for_a_consultation_it_was_not_issued_for(client, consultation, token):
    other = make_consultation()
    response = post(client, other, payload(), token)
    assert response.status_code == 403
    assert response.json()["error"] == "token-not-for-consultation"
    assert not Contribution.objects.exists()
    assert post(client, consultation, payload(), token).status_code == 201


def test_a_token_never_submits_in_the_name_of_another_existing_organisation(client, consultation, token):
    arcadia = make_entity("Republic of Arcadia", category="member-state", group="government", country="GR")
    body = payload(
        submitter=payload()["submitter"] | {"name": "Republic of Arcadia", "group": "government"},
        text="The Republic of Arcadia withdraws its support for every proposal of this consultation.",
    )
    response = post(client, consultation, body, token)
    assert response.status_code == 422
    assert response.json()["error"] == "entity-mismatch"
    assert "Fictional Federation of Cooperatives" in response.json()["message"]
    assert not Contribution.objects.filter(entity=arcadia).exists()
    assert not Contribution.objects.exists()


def test_the_submission_is_in_the_tokens_organisation_whatever_else_the_body_says(
    client, consultation, token, cooperatives
):
    body = payload(submitter={"email": "api@cooperatives.example", "group": "private-sector", "category": "business"})
    response = post(client, consultation, body, token)
    assert response.status_code == 201
    contribution = Contribution.objects.get()
    assert contribution.entity == cooperatives
    assert contribution.group.slug == "civil-society"
    # A name written differently (case, accents, spaces) is the same organisation.
    spelled = payload(submitter=payload()["submitter"] | {"name": "  fictional  FEDERATION of cooperatives"})
    assert post(client, consultation, spelled, token).status_code == 201
    assert set(Contribution.objects.values_list("entity", flat=True)) == {cooperatives.pk}


def test_a_token_issued_before_tokens_were_bound_submits_nothing(client, consultation, token):
    ApiToken.objects.update(entity=None)
    response = post(client, consultation, payload(), token)
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_issuing_refuses_a_token_without_an_organisation_or_a_consultation(alice, consultation, cooperatives):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        issue_api_token(alice, "x", entity=None, consultations=[consultation])
    with pytest.raises(ValidationError):
        issue_api_token(alice, "x", entity=cooperatives, consultations=[])
    assert not ApiToken.objects.exists()


def test_rebinding_is_audited_and_reaches_the_next_request(client, alice, consultation, cooperatives, token):
    other = make_consultation()
    assert post(client, other, payload(), token).status_code == 403  # Also caches the token.
    bind_api_token(alice, token_for(token), entity=cooperatives, consultations=[consultation, other])
    assert post(client, other, payload(), token).status_code == 201
    entry = entries_for(ApiToken.objects.get()).get(action="apitoken.bind")
    assert entry.changes == {"consultations": [[consultation.slug], sorted([consultation.slug, other.slug])]}
    assert entries_for(ApiToken.objects.get()).get(action="apitoken.issue").changes["entity_id"] == [
        None,
        cooperatives.pk,
    ]


def test_the_command_issues_a_token_for_an_entity_named_or_numbered_and_its_consultations(
    client, consultation, cooperatives
):
    other = make_consultation()
    out = io.StringIO()
    call_command(
        "issue_api_token",
        "Cooperatives' office",
        "--entity",
        "fictional federation of cooperatives",
        "--consultation",
        consultation.slug,
        "--consultation",
        other.slug,
        stdout=out,
    )
    raw = out.getvalue().strip()
    issued = token_for(raw)
    assert issued.entity == cooperatives
    assert set(issued.consultations.all()) == {consultation, other}
    assert post(client, consultation, payload(), raw).status_code == 201

    out = io.StringIO()
    call_command("issue_api_token", "By id", "--entity", str(cooperatives.pk), "--consultation", other.slug, stdout=out)
    assert token_for(out.getvalue().strip()).entity == cooperatives


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity", "Nobody at all", "--consultation", "SLUG"], "No entity"),
        (["--entity", "Fictional Federation of Cooperatives", "--consultation", "nope"], "No consultation"),
    ],
)
def test_the_command_refuses_an_unknown_entity_or_consultation(consultation, cooperatives, args, message):
    args = [consultation.slug if a == "SLUG" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("issue_api_token", "label", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_command_requires_an_entity_and_a_consultation(consultation):
    with pytest.raises(CommandError):
        call_command("issue_api_token", "label", "--consultation", consultation.slug, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("issue_api_token", "label", "--entity", "1", stdout=io.StringIO())


def test_the_admin_issues_and_rebinds_tokens_through_the_services(alice_client, consultation, cooperatives):
    other = make_consultation()
    response = alice_client.post(
        "/admin/api/apitoken/add/",
        {"label": "Cooperatives", "entity": cooperatives.pk, "consultations": [consultation.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = ApiToken.objects.get()
    assert (token.entity, list(token.consultations.all())) == (cooperatives, [consultation])
    assert entries_for(token).filter(action="apitoken.issue").exists()

    listing = alice_client.get("/admin/api/apitoken/").content.decode()
    assert "Fictional Federation of Cooperatives" in listing and consultation.slug in listing

    response = alice_client.post(
        f"/admin/api/apitoken/{token.pk}/change/",
        {"entity": cooperatives.pk, "consultations": [consultation.pk, other.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(token.consultations.all()) == {consultation, other}
    assert entries_for(token).filter(action="apitoken.bind").exists()

    refused = alice_client.post("/admin/api/apitoken/add/", {"label": "No entity", "consultations": [other.pk]})
    assert refused.status_code == 200
    assert ApiToken.objects.count() == 1
