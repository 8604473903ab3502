"""SQLite: read what a text search checks on each match from an index, not from the document's row.

FTS5 gives the matches by rowid; for each, SQLite then looks up the document by ``contribution_id`` (its primary
key, but a ``bigint`` one, so not the table's rowid) and checks consultation, moderation and the filters, columns
stored after ``body``: reading them walks the body's overflow pages. This index holds them all (only for listed
documents), three times as fast at 1,000 matches. PostgreSQL reads the matches by their GIN bitmap: nothing to do.
Like the FTS5 triggers (see 0003), it is SQL the model does not know: a migration that rebuilds the table on SQLite
must create it again.
"""

from django.db import migrations

from ._vendor_sql import vendor_sql

SQLITE_UP = [
    "CREATE INDEX search_doc_listed_lookup_idx ON record_searchdocument "
    "(contribution_id, consultation_id, moderation, received_at, group_id, language, channel, listed) WHERE listed"
]
SQLITE_DOWN = ["DROP INDEX IF EXISTS search_doc_listed_lookup_idx"]


class Migration(migrations.Migration):
    dependencies = [("record", "0005_search_covering_indexes")]

    operations = [vendor_sql({"sqlite": SQLITE_UP}, {"sqlite": SQLITE_DOWN})]
