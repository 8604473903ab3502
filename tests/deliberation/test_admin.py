"""The secretariat's side: seeding from the codebook and moderating statements, each behind its permission, through
the services (audit entries), by the roles that hold them."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from concord.core.audit import entries_for
from concord.core.roles import ROLES
from concord.deliberation import services
from concord.deliberation.models import StatementModeration
from concord.positions.services import create_position
from tests.factories import UserFactory

from .conftest import DURING

pytestmark = pytest.mark.django_db


def staff_client(*permissions, role=None):
    user = UserFactory(username="dave", is_staff=True)
    for codename in permissions:
        app, code = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=code))
    if role:
        user.groups.add(Group.objects.get(name=ROLES[role].group))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def pending(phase, representatives):
    return services.submit_statement(representatives[0][0], text="A zorblax idea.", language="en", now=DURING)


def test_moderating_needs_the_permission_to_change_statements(pending):
    url = reverse("admin:deliberation_statement_changelist")
    _, client = staff_client("deliberation.view_statement")
    client.post(url, {"action": "accept", helpers.ACTION_CHECKBOX_NAME: [pending.pk]})
    pending.refresh_from_db()
    assert pending.moderation == StatementModeration.PENDING
    _, client = staff_client(role="moderator")
    client.post(url, {"action": "accept", helpers.ACTION_CHECKBOX_NAME: [pending.pk]})
    pending.refresh_from_db()
    assert pending.moderation == StatementModeration.ACCEPTED
    assert entries_for(pending).filter(action="deliberation.statement.moderate").exists()


def test_seeding_from_the_codebook_is_one_admin_action(consultation, phase):
    create_position("alice", consultation, slug="new-body", statement="A new body should be created.")
    url = reverse("admin:deliberation_phase_changelist")
    _, client = staff_client(role="read-only-staff")
    client.post(url, {"action": "seed_from_positions", helpers.ACTION_CHECKBOX_NAME: [phase.pk]})
    assert not phase.statements.exists()
    _, client = staff_client(role="consultation-manager")
    client.post(url, {"action": "seed_from_positions", helpers.ACTION_CHECKBOX_NAME: [phase.pk]})
    assert list(phase.statements.values_list("text", flat=True)) == ["A new body should be created."]


def test_the_admin_lists_load_for_the_secretariat(alice_client, phase, statements, representatives):
    for name in ("phase", "statement", "voter"):
        assert alice_client.get(reverse(f"admin:deliberation_{name}_changelist")).status_code == 200
    assert alice_client.get(reverse("admin:deliberation_statement_change", args=[statements[0].pk])).status_code == 200
