"""Keep only the SHA-256 of each invitation's personal link key, like contributors' and API tokens.

Links already sent keep working: their key's hash is stored, then the clear column is dropped. Invitations not sent
yet get their key when they are sent. Reversing cannot bring the old keys back (only their hashes are kept): it
gives each invitation a new key, which no e-mail carries."""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Invitation = apps.get_model("stakeholders", "Invitation")
    invitations = list(Invitation.objects.only("pk", "token"))
    for invitation in invitations:
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
    Invitation.objects.bulk_update(invitations, ["token_hash"], batch_size=500)


def give_new_tokens(apps, schema_editor):
    Invitation = apps.get_model("stakeholders", "Invitation")
    invitations = list(Invitation.objects.only("pk"))
    for invitation in invitations:
        invitation.token = secrets.token_urlsafe(24)
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
    Invitation.objects.bulk_update(invitations, ["token", "token_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_entity_key_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="token",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(hash_tokens, give_new_tokens),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RemoveField(model_name="invitation", name="token"),
    ]
