"""Copy onto each search document what search filters, sorts and checks visibility on, so that a search reads
one table. The copies are filled from the contributions here; the record's upkeep keeps them in step."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

backend_index = importlib.import_module("concord.record.migrations.0002_search_backend_index")

COLUMNS = {
    "consultation_id": "c.consultation_id",
    "group_id": "c.group_id",
    "entity_id": "c.entity_id",
    "channel": "c.channel",
    "language": "c.language",
    "received_at": "c.received_at",
    "moderation": "c.moderation",
    "listed": "(c.consent <> 'withheld' AND c.withdrawn_at IS NULL)",
}


def fill(apps, schema_editor):
    table, source = "record_searchdocument", "contributions_contribution"
    if schema_editor.connection.vendor == "postgresql":
        assignments = ", ".join(f"{column} = {value}" for column, value in COLUMNS.items())
        schema_editor.execute(f"UPDATE {table} SET {assignments} FROM {source} c WHERE c.id = {table}.contribution_id")
    else:
        assignments = ", ".join(
            f"{column} = (SELECT {value} FROM {source} c WHERE c.id = {table}.contribution_id)"
            for column, value in COLUMNS.items()
        )
        schema_editor.execute(f"UPDATE {table} SET {assignments}")


def restore_sqlite_triggers(apps, schema_editor):
    """SQLite adds a column by rebuilding the table, which drops the triggers that feed FTS5: put them back."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in backend_index.SQLITE_UP[1:]:  # the triggers; the FTS5 table itself survives
        schema_editor.execute(sql)
    schema_editor.execute("INSERT INTO record_search_fts(record_search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("contributions", "0001_initial"),
        ("record", "0002_search_backend_index"),
        ("stakeholders", "0003_contacts_and_invitations"),
    ]

    operations = [
        # Unapplying drops the new columns, which rebuilds the table on SQLite again: the triggers come back last.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="searchdocument",
            name="channel",
            field=models.CharField(default="", max_length=20, verbose_name="channel"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="consultation",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="consultations.consultation",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="entity",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stakeholders.entity"
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="group",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="stakeholders.stakeholdergroup",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(default="", max_length=10, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="listed",
            field=models.BooleanField(default=False, verbose_name="listed"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="moderation",
            field=models.CharField(default="", max_length=20, verbose_name="moderation"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="received_at",
            field=models.DateTimeField(null=True, verbose_name="received at"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["consultation", "received_at"], name="search_doc_time_idx"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["consultation", "language", "group", "received_at"], name="search_doc_filter_idx"
            ),
        ),
    ]
