"""Participants' page keys: only their SHA-256 is stored; the key is handed over once, and can be renewed."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from concord.core.audit import entries_for
from concord.meetings import services
from concord.meetings.models import Participant
from tests.factories import make_consultation, make_entity, make_meeting

pytestmark = pytest.mark.django_db


def page(meeting, token):
    return reverse("meetings:floor", kwargs={"pk": meeting.pk, "token": token})


def stored_values(participant) -> list[str]:
    row = Participant.objects.filter(pk=participant.pk).values().get()
    return [str(v) for v in row.values()]


def test_registration_hands_the_key_over_once_and_stores_only_its_hash(meeting, speakers):
    participant = speakers[0]
    assert participant.token
    assert participant.token not in stored_values(participant)
    assert (
        Participant.objects.get(pk=participant.pk).token_hash == hashlib.sha256(participant.token.encode()).hexdigest()
    )
    assert participant.token not in str(list(entries_for(participant).values_list("changes", flat=True)))
    assert Client().get(page(meeting, participant.token)).status_code == 200


def test_the_stored_hash_does_not_open_the_page(meeting, speakers):
    stored = Participant.objects.get(pk=speakers[0].pk).token_hash
    assert Client().get(page(meeting, stored)).status_code == 404


def test_a_new_key_replaces_the_old_one(meeting, speakers):
    old = speakers[0].token
    new = services.renew_participant_key("secretariat", speakers[0])
    assert new != old
    assert Client().get(page(meeting, old)).status_code == 404
    assert Client().get(page(meeting, new)).status_code == 200
    entry = entries_for(speakers[0]).get(action="participant.renew_key")
    assert new not in str(entry.changes)


def test_the_admin_shows_the_link_once_at_registration_and_renews_links(alice_client, meeting):
    entity = make_entity("Fictional Open Net", category="ecosoc-ngo")
    response = alice_client.post(
        "/admin/meetings/participant/add/",
        {"meeting": meeting.pk, "entity": entity.pk, "person_name": "Ana Ficticia", "email": ""},
        follow=True,
    )
    participant = Participant.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    token = next(m for m in shown if "shown this once" in m).split(f"/meetings/{meeting.pk}/floor/")[1].split("/")[0]
    assert hashlib.sha256(token.encode()).hexdigest() == participant.token_hash
    listing = alice_client.get("/admin/meetings/participant/").content.decode()
    assert token not in listing and "/floor/" not in listing

    response = alice_client.post(
        "/admin/meetings/participant/",
        {"action": "renew_page_keys", "_selected_action": [participant.pk]},
        follow=True,
    )
    renewed = next(str(m) for m in response.context["messages"] if "shown this once" in str(m))
    new = renewed.split(f"/meetings/{meeting.pk}/floor/")[1].split("/")[0]
    assert new != token
    assert Client().get(page(meeting, new)).status_code == 200
    assert Client().get(page(meeting, token)).status_code == 404


@pytest.mark.django_db(transaction=True)  # Migrates the schema back and forth.
def test_the_migration_hashes_the_keys_of_existing_participants(reference_data):
    before, after = ("meetings", "0002_participants_and_speakers_list"), ("meetings", "0003_hash_participant_tokens")
    meeting = make_meeting(make_consultation())
    entity = make_entity("Fictional Open Net", category="ecosoc-ngo")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state(before).apps
        OldParticipant = old_apps.get_model("meetings", "Participant")
        OldParticipant.objects.create(
            meeting_id=meeting.pk, entity_id=entity.pk, group_id=entity.group_id, person_name="Ana", token="old-key-1"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after])
        # Then on to the latest state, which the models below read (later migrations add columns).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    participant = Participant.objects.get()
    assert participant.token_hash == hashlib.sha256(b"old-key-1").hexdigest()
    assert Client().get(page(meeting, "old-key-1")).status_code == 200
