"""The codebook is edited in the admin through the services; a stance is confirmed or corrected in one click."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from concord.core.audit import entries_for
from concord.positions import services
from concord.positions.models import Position, Stance, StanceSource
from tests.factories import UserFactory, make_contribution, make_entity

from .conftest import stance_row


@pytest.fixture
def stance(consultation, position, contribution):
    services.save_stances("test", consultation, {contribution.pk: [stance_row("new-body", "support")]})
    return Stance.objects.get()


def staff_client(*permissions):
    user = UserFactory(username="dave", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return user, client


def test_the_codebook_and_stances_load_for_the_secretariat(alice_client, stance):
    for name in ("position", "stance"):
        assert alice_client.get(reverse(f"admin:positions_{name}_changelist")).status_code == 200
    page = alice_client.get(reverse("admin:positions_stance_change", args=[stance.pk])).content.decode()
    # The evidence and the review buttons, on one page.
    assert "We call for a new body." in page
    assert f'formaction="{reverse("admin:positions_stance_review", args=[stance.pk])}"' in page


def test_adding_a_position_in_the_admin_goes_through_the_service(alice, alice_client, consultation):
    response = alice_client.post(
        reverse("admin:positions_position_add"),
        {
            "consultation": consultation.pk,
            "slug": "cstd-group",
            "kind": "proposal",
            "statement": "The CSTD should set up a working group.",
            "original_language": "en",
            "translations": "{}",
            "examples": "[]",
            "order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    position = Position.objects.get(slug="cstd-group")
    assert entries_for(position).get().action == "positions.position.create"
    assert entries_for(position).get().actor == alice


def test_changing_a_position_in_the_admin_logs_the_diff(alice_client, position):
    url = reverse("admin:positions_position_change", args=[position.pk])
    data = {
        "slug": "new-body",
        "kind": "proposal",
        "statement": "A new body, please.",
        "original_language": "en",
        "translations": '{"fr": {"statement": "Un nouvel organe, svp."}}',
        "examples": "[]",
        "order": 0,
    }
    assert alice_client.post(url, data).status_code == 302
    entry = entries_for(position).get(action="positions.position.update")
    assert entry.changes["statement"][1] == "A new body, please."


def test_one_click_corrects_a_stance_from_its_evidence(alice, alice_client, stance):
    response = alice_client.post(reverse("admin:positions_stance_review", args=[stance.pk]), {"stance": "oppose"})
    assert response.status_code == 302
    stance.refresh_from_db()
    assert (stance.stance, stance.source, stance.confirmed_by) == ("oppose", StanceSource.CORRECTED, alice)
    assert entries_for(stance).get().action == "positions.stance.correct"


def test_one_click_on_the_same_stance_confirms_it(alice_client, stance):
    alice_client.post(reverse("admin:positions_stance_review", args=[stance.pk]), {"stance": "support"})
    stance.refresh_from_db()
    assert (stance.stance, stance.source) == ("support", StanceSource.CONFIRMED)


def test_reviewing_needs_the_permission_to_change_stances(stance):
    _, client = staff_client("view_stance")
    response = client.post(reverse("admin:positions_stance_review", args=[stance.pk]), {"stance": "oppose"})
    assert response.status_code == 403
    changelist = client.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "confirm", helpers.ACTION_CHECKBOX_NAME: [stance.pk]},
    )
    assert changelist.status_code in (200, 302)
    stance.refresh_from_db()
    assert stance.source == StanceSource.AUTOMATIC

    _, client = staff_client("view_stance", "change_stance")
    client.post(reverse("admin:positions_stance_review", args=[stance.pk]), {"stance": "oppose"})
    stance.refresh_from_db()
    assert stance.source == StanceSource.CORRECTED


def test_the_review_url_refuses_get_and_unknown_stances(alice_client, stance):
    url = reverse("admin:positions_stance_review", args=[stance.pk])
    assert alice_client.get(url).status_code == 405
    alice_client.post(url, {"stance": "maybe"})
    stance.refresh_from_db()
    assert stance.source == StanceSource.AUTOMATIC


def test_the_confirm_action_reviews_every_selected_stance(alice, alice_client, consultation, position, stance):
    other = make_contribution(consultation, make_entity(group="civil-society"), text="We oppose a new body.")
    services.save_stances(
        "test",
        consultation,
        {stance.contribution_id: [stance_row("new-body")], other.pk: [stance_row("new-body", "oppose")]},
    )
    ids = list(Stance.objects.values_list("pk", flat=True))
    response = alice_client.post(
        reverse("admin:positions_stance_changelist"), {"action": "confirm", helpers.ACTION_CHECKBOX_NAME: ids}
    )
    assert response.status_code == 302
    assert set(Stance.objects.values_list("source", flat=True)) == {StanceSource.CONFIRMED}
    assert set(Stance.objects.values_list("confirmed_by", flat=True)) == {alice.pk}
