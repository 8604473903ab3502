"""Index only the listed documents, with what a search without words filters, sorts and counts on, so that its page
and its capped count are read from the index alone (an index-only scan on PostgreSQL), never from the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("contributions", "0001_initial"),
        ("record", "0004_search_word_pairs"),
        ("stakeholders", "0003_contacts_and_invitations"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchdocument",
            name="search_doc_time_idx",
        ),
        migrations.RemoveIndex(
            model_name="searchdocument",
            name="search_doc_filter_idx",
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                condition=models.Q(("listed", True)),
                fields=["consultation", "received_at", "contribution", "group", "language", "moderation", "listed"],
                name="search_doc_listed_time_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                condition=models.Q(("listed", True)),
                fields=["consultation", "language", "group", "received_at", "contribution", "moderation", "listed"],
                name="search_doc_listed_filter_idx",
            ),
        ),
    ]
