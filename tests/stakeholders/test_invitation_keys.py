"""Invitations' personal link keys: made when the e-mail is sent, only ever in that e-mail; the database keeps the
SHA-256."""

import hashlib
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from concord.core.audit import AuditEntry
from concord.stakeholders import services
from concord.stakeholders.models import Entity, Invitation, InvitationState, StakeholderGroup
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

REGISTRY = """id,name,category,group,country,language,emails
N1,Fictional Open Net,ecosoc-ngo,,KE,en,a@open.example
N3,Fictional Chip Makers,business,,TV,zh-hans,d@chips.example
"""


@pytest.fixture
def registry(settings):
    settings.CONCORD_INVITATIONS_PER_SECOND = 0
    settings.CONCORD_BASE_URL = "https://concord.example"
    services.import_entities("test", REGISTRY)


def launch(consultation, group: str, capture) -> None:
    campaign = services.create_campaign(
        "test", consultation, name="Campaign", groups=[StakeholderGroup.objects.get(slug=group)]
    )
    with capture(execute=True):
        services.launch_campaign("test", campaign)


def link_in(message) -> str:
    return next(word for word in message.body.split() if word.startswith("https://concord.example/"))


def test_only_the_hash_of_the_key_in_the_e_mail_is_stored(registry, client, django_capture_on_commit_callbacks):
    launch(make_consultation(), "civil-society", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    path = urlsplit(link_in(message)).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(Invitation.objects.values().get().values()))
    assert token not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert client.get(path).status_code == 302
    assert client.get(path.replace(token, invitation.token_hash)).status_code == 404


def test_an_invitation_not_sent_yet_has_no_working_key(registry, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    campaign = services.create_campaign(
        "test", make_consultation(), name="Campaign", groups=[StakeholderGroup.objects.get(slug="civil-society")]
    )
    services.launch_campaign("test", campaign)
    assert Invitation.objects.get().token_hash is None


def test_a_retry_sends_a_new_key_and_the_unsent_one_opens_nothing(
    registry, client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    keys = []
    real = EmailBackend.send_messages

    def first_fails(self, messages):
        keys.append(link_in(messages[0]))
        if len(keys) == 1:
            raise OSError("relay refused")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", first_fails)
    launch(make_consultation(), "private-sector", django_capture_on_commit_callbacks)
    assert Invitation.objects.get().state == InvitationState.SENT
    assert len(keys) == 2 and keys[0] != keys[1]
    assert client.get(urlsplit(keys[0]).path).status_code == 404
    assert client.get(urlsplit(keys[1]).path).status_code == 302


@pytest.mark.django_db(transaction=True)  # Migrates the schema back and forth.
def test_the_migration_hashes_the_keys_of_existing_invitations(reference_data, client, settings):
    settings.CONCORD_BASE_URL = "https://concord.example"
    before, after = ("stakeholders", "0004_entity_key_index"), ("stakeholders", "0005_hash_invitation_tokens")
    services.import_entities("test", REGISTRY)
    consultation = make_consultation()
    campaign = services.create_campaign("test", consultation, name="Campaign")
    entity = Entity.objects.get(name="Fictional Open Net")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        OldInvitation = executor.loader.project_state(before).apps.get_model("stakeholders", "Invitation")
        OldInvitation.objects.create(
            consultation_id=consultation.pk,
            campaign_id=campaign.pk,
            entity_id=entity.pk,
            emails=["a@open.example"],
            language="en",
            token="old-key-1",
            state=InvitationState.SENT,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after])
        # Then on to the latest schema, which the request below (and every later test) reads.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Invitation.objects.get().token_hash == hashlib.sha256(b"old-key-1").hexdigest()
    assert client.get("/en/invitations/old-key-1/").status_code == 302
