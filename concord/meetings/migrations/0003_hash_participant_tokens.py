"""Keep only the SHA-256 of each participant's page key, like contributors' and API tokens.

Existing keys keep working: their hash is stored, then the clear column is dropped. Reversing cannot bring the old
keys back (only their hashes are kept): it gives each participant a new key, to be handed over again."""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Participant = apps.get_model("meetings", "Participant")
    participants = list(Participant.objects.only("pk", "token"))
    for participant in participants:
        participant.token_hash = hashlib.sha256(participant.token.encode()).hexdigest()
    Participant.objects.bulk_update(participants, ["token_hash"], batch_size=500)


def give_new_tokens(apps, schema_editor):
    Participant = apps.get_model("meetings", "Participant")
    participants = list(Participant.objects.only("pk"))
    for participant in participants:
        participant.token = secrets.token_urlsafe(18)
        participant.token_hash = hashlib.sha256(participant.token.encode()).hexdigest()
    Participant.objects.bulk_update(participants, ["token", "token_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_participants_and_speakers_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="token_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="participant",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(hash_tokens, give_new_tokens),
        migrations.AlterField(
            model_name="participant",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveField(model_name="participant", name="token"),
    ]
