"""The back end's full-text index over ``record_searchdocument.body``, kept in step by triggers.

PostgreSQL: a ``tsv`` column computed with the row's own configuration (english, french, ...), a GIN index on it.
SQLite: an FTS5 table with external content (the search documents), porter + unicode61 without diacritics.
Chinese needs no tokenizer of its own on either: runs of Han characters are indexed as character bigrams
(``concord.record.search.bigrams``), which both back ends then treat as words.
"""

from django.db import migrations

from ._vendor_sql import vendor_sql

POSTGRES_UP = [
    "ALTER TABLE record_searchdocument ADD COLUMN tsv tsvector",
    """CREATE FUNCTION record_searchdocument_tsv() RETURNS trigger AS $$
    BEGIN
        NEW.tsv := to_tsvector(NEW.config::regconfig, NEW.body);
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER record_searchdocument_tsv BEFORE INSERT OR UPDATE OF config, body ON record_searchdocument
    FOR EACH ROW EXECUTE FUNCTION record_searchdocument_tsv()""",
    "CREATE INDEX record_searchdocument_tsv_idx ON record_searchdocument USING gin (tsv)",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS record_searchdocument_tsv ON record_searchdocument",
    "DROP FUNCTION IF EXISTS record_searchdocument_tsv()",
    "ALTER TABLE record_searchdocument DROP COLUMN IF EXISTS tsv",
]
SQLITE_UP = [
    """CREATE VIRTUAL TABLE record_search_fts USING fts5(
        body, content='record_searchdocument', content_rowid='contribution_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER record_search_fts_ai AFTER INSERT ON record_searchdocument BEGIN
        INSERT INTO record_search_fts(rowid, body) VALUES (new.contribution_id, new.body);
    END""",
    """CREATE TRIGGER record_search_fts_ad AFTER DELETE ON record_searchdocument BEGIN
        INSERT INTO record_search_fts(record_search_fts, rowid, body) VALUES ('delete', old.contribution_id, old.body);
    END""",
    """CREATE TRIGGER record_search_fts_au AFTER UPDATE ON record_searchdocument BEGIN
        INSERT INTO record_search_fts(record_search_fts, rowid, body) VALUES ('delete', old.contribution_id, old.body);
        INSERT INTO record_search_fts(rowid, body) VALUES (new.contribution_id, new.body);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS record_search_fts_ai",
    "DROP TRIGGER IF EXISTS record_search_fts_ad",
    "DROP TRIGGER IF EXISTS record_search_fts_au",
    "DROP TABLE IF EXISTS record_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("record", "0001_search_index_and_seal")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP},
            {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN},
        ),
    ]
