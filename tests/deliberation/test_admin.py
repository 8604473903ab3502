"""The secretariat's side: seeding from the codebook and moderating statements, each behind its permission, through
the services (audit entries), by the roles that hold them."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
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


def test_an_evidence_sentence_becomes_a_statement_in_one_click(consultation, phase):
    from concord.contributions.models import Consent
    from concord.positions.models import Stance
    from concord.positions.services import save_stances
    from tests.factories import make_contribution, make_entity

    create_position("alice", consultation, slug="new-body", statement="A new body should be created.")
    public = make_contribution(consultation, make_entity(group="government"), text="We call for a new body.")
    withheld = make_contribution(
        consultation, make_entity(group="civil-society"), text="A zorblax body.", consent=Consent.WITHHELD
    )
    assert public.is_public and not withheld.is_public

    def row(text):
        return [
            {"position": "new-body", "stance": "support", "evidence": [{"text": text, "start": 0, "end": len(text)}]}
        ]

    save_stances(
        "alice", consultation, {public.pk: row("We call for a new body."), withheld.pk: row("A zorblax body.")}
    )
    stance = Stance.objects.get(contribution=public)
    url = reverse("admin:deliberation_statement_from_evidence")
    _, reader = staff_client(role="read-only-staff")
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"stance": stance.pk, "index": 0}).status_code == 403
    _, manager = staff_client(role="consultation-manager")
    page = manager.get(url).content.decode()
    assert "We call for a new body." in page and "zorblax" not in page
    assert manager.post(url, {"stance": stance.pk, "index": 0}).status_code == 302
    manager.post(url, {"stance": stance.pk, "index": 0})  # a second click changes nothing
    statement = phase.statements.get()
    assert (statement.text, statement.source, statement.position.slug, statement.contribution) == (
        "We call for a new body.",
        "evidence",
        "new-body",
        public,
    )
    assert (statement.evidence_start, statement.evidence_end) == (0, 23)
    assert entries_for(statement).filter(action="deliberation.statement.add").exists()
    assert "Statement 1" in manager.get(url).content.decode()
    hidden = Stance.objects.get(contribution=withheld)
    manager.post(url, {"stance": hidden.pk, "index": 0})
    assert phase.statements.count() == 1
    with pytest.raises(ValidationError, match="public contribution"):
        services.seed_statement_from_evidence("alice", hidden, 0)
