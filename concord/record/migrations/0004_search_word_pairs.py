"""PostgreSQL: index each document's pairs of adjacent words, so that a phrase is found without reading every
document that holds its words.

A phrase query (``'internet' <-> 'govern'``, a Chinese word's bigrams) cannot be answered by the GIN index on
``tsv``, which knows which documents hold each word but not where: PostgreSQL reads every document that holds all
the words to check their positions, tens of thousands for common words at a million documents. ``pairs`` holds one
lexeme per pair of adjacent positions in ``tsv`` (``'internet govern'``), computed from ``tsv`` itself, so that it
agrees with the phrase check whatever the configuration, stop words or position limits; its GIN index gives the few
documents where the words are adjacent (``concord.record.search``). SQLite's FTS5 index holds positions already.

On a large table the update is the cost: the words' GIN index is dropped for it and built again afterwards.
"""

from django.db import migrations

PAIRS_FUNCTION = """CREATE FUNCTION record_search_pairs(v tsvector) RETURNS tsvector AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) a
    JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) b ON b.pos = a.pos + 1
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE"""

TRIGGER_FUNCTION = """CREATE OR REPLACE FUNCTION record_searchdocument_tsv() RETURNS trigger AS $$
    BEGIN
        NEW.tsv := to_tsvector(NEW.config::regconfig, NEW.body);
        NEW.pairs := record_search_pairs(NEW.tsv);
        RETURN NEW;
    END $$ LANGUAGE plpgsql"""

OLD_TRIGGER_FUNCTION = """CREATE OR REPLACE FUNCTION record_searchdocument_tsv() RETURNS trigger AS $$
    BEGIN
        NEW.tsv := to_tsvector(NEW.config::regconfig, NEW.body);
        RETURN NEW;
    END $$ LANGUAGE plpgsql"""

POSTGRES_UP = [
    "ALTER TABLE record_searchdocument ADD COLUMN pairs tsvector",
    PAIRS_FUNCTION,
    TRIGGER_FUNCTION,
    "SET LOCAL maintenance_work_mem = '256MB'",
    "DROP INDEX IF EXISTS record_searchdocument_tsv_idx",
    "UPDATE record_searchdocument SET pairs = record_search_pairs(tsv)",
    "CREATE INDEX record_searchdocument_tsv_idx ON record_searchdocument USING gin (tsv)",
    "CREATE INDEX record_searchdocument_pairs_idx ON record_searchdocument USING gin (pairs)",
    "ANALYZE record_searchdocument",
]
POSTGRES_DOWN = [
    OLD_TRIGGER_FUNCTION,
    "DROP INDEX IF EXISTS record_searchdocument_pairs_idx",
    "ALTER TABLE record_searchdocument DROP COLUMN IF EXISTS pairs",
    "DROP FUNCTION IF EXISTS record_search_pairs(tsvector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("record", "0003_search_document_filters")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
