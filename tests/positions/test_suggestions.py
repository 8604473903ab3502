"""Issue 15, point 5: proposals nobody put in the codebook are found across languages and offered to the
secretariat, who promotes them to the codebook or dismisses them (staff only)."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from concord.core.audit import entries_for
from concord.positions import services
from concord.positions.models import Kind, Position, PositionSuggestion
from tests.factories import UserFactory, make_contribution, make_entity

FUND_EN = "We propose an international fund for cybersecurity training in developing countries."
FUND_FR = "Nous proposons un fonds international pour la formation à la cybersécurité dans les pays en développement."


@pytest.fixture
def members(consultation, position):
    """Two contributions, one English, one French, calling for the same thing; the codebook has only the new body."""
    return [
        make_contribution(consultation, make_entity(group="government"), language="en", text=FUND_EN),
        make_contribution(consultation, make_entity(group="civil-society"), language="fr", text=FUND_FR),
        make_contribution(
            consultation, make_entity(group="private-sector"), text="Interconnection costs remain high in Africa."
        ),
    ]


@pytest.fixture
def suggestion(consultation, members):
    services.save_suggestions(
        "test",
        consultation,
        [
            {
                "representative": FUND_EN,
                "language": "en",
                "size": 2,
                "members": [members[0].pk, members[1].pk],
                "languages": ["en", "fr"],
            }
        ],
    )
    return PositionSuggestion.objects.get()


def staff_client(*permissions):
    user = UserFactory(username="dave", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return user, client


def test_the_analysis_run_suggests_the_proposal_the_codebook_lacks_across_languages(consultation, members):
    call_command("analyze", "run", consultation.slug, verbosity=0)

    suggestion = PositionSuggestion.objects.get(consultation=consultation)
    assert suggestion.size == 2
    assert suggestion.languages == ["en", "fr"]
    assert set(suggestion.members.values_list("pk", flat=True)) == {members[0].pk, members[1].pk}
    assert suggestion.representative in (FUND_EN, FUND_FR)
    assert suggestion.language == ("en" if suggestion.representative == FUND_EN else "fr")
    assert entries_for(consultation).filter(action="positions.suggestions.save").exists()

    # A second run replaces the open suggestion instead of adding a copy.
    call_command("analyze", "run", consultation.slug, verbosity=0)
    assert PositionSuggestion.objects.filter(consultation=consultation).count() == 1


def test_the_secretariat_sees_the_sentence_its_size_and_the_groups_behind_it(alice_client, suggestion):
    page = alice_client.get(reverse("admin:positions_positionsuggestion_changelist")).content.decode()
    assert FUND_EN in page
    for member in suggestion.members.select_related("group"):
        assert f"{member.group} (1)" in page
    assert "en, fr" in page
    assert reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]) in page


def test_promoting_adds_the_sentence_to_the_codebook_with_an_audit_entry(alice, alice_client, suggestion):
    response = alice_client.post(reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]))
    assert response.status_code == 302

    suggestion.refresh_from_db()
    position = suggestion.promoted_to
    assert position.slug == "we-propose-an-international-fund-for-cybersecurity-training"
    assert (position.kind, position.statement, position.original_language) == (Kind.PROPOSAL, FUND_EN, "en")
    assert entries_for(position).get().action == "positions.position.create"
    assert entries_for(position).get().actor == alice
    assert entries_for(suggestion).get().action == "positions.suggestion.promote"
    # Once promoted it is decided: a second click adds nothing.
    alice_client.post(reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]))
    assert Position.objects.filter(statement=FUND_EN).count() == 1


def test_a_promoted_suggestion_survives_the_next_run_and_is_not_suggested_again(consultation, suggestion, alice):
    services.promote_suggestion(alice, suggestion)
    call_command("analyze", "run", consultation.slug, verbosity=0)
    # The codebook now covers the fund: nothing open is left, and the promoted record is kept.
    suggestion.refresh_from_db()
    assert list(PositionSuggestion.objects.values_list("pk", flat=True)) == [suggestion.pk]
    assert suggestion.promoted_to is not None


@pytest.mark.parametrize("permissions", [(), ("view_position", "change_stance")])
def test_staff_who_may_not_edit_the_codebook_can_neither_see_nor_promote(suggestion, permissions):
    _user, client = staff_client(*permissions)
    assert client.get(reverse("admin:positions_positionsuggestion_changelist")).status_code == 403
    response = client.post(reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("admin:positions_positionsuggestion_changelist"),
        {"action": "promote", helpers.ACTION_CHECKBOX_NAME: [suggestion.pk]},
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.is_open
    assert not Position.objects.filter(statement=FUND_EN).exists()


def test_an_account_without_staff_is_sent_to_the_login(carol, suggestion):
    client = Client()
    client.force_login(carol)
    response = client.post(reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    suggestion.refresh_from_db()
    assert suggestion.is_open


def test_staff_with_the_codebook_permission_may_promote(suggestion):
    user, client = staff_client("change_position")
    assert client.get(reverse("admin:positions_positionsuggestion_changelist")).status_code == 200
    client.post(reverse("admin:positions_positionsuggestion_promote", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert entries_for(suggestion.promoted_to).get().actor == user


def test_dismissing_keeps_the_suggestion_out_of_later_runs(alice, alice_client, consultation, suggestion):
    response = alice_client.post(
        reverse("admin:positions_positionsuggestion_changelist"),
        {"action": "dismiss", helpers.ACTION_CHECKBOX_NAME: [suggestion.pk]},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.dismissed and suggestion.promoted_to is None
    assert entries_for(suggestion).get().action == "positions.suggestion.dismiss"
    assert not Position.objects.filter(statement=FUND_EN).exists()

    call_command("analyze", "run", consultation.slug, verbosity=0)
    # The same two contributions are not offered again; the dismissed record stays.
    assert list(PositionSuggestion.objects.values_list("pk", "dismissed")) == [(suggestion.pk, True)]
