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

from ._vendor_sql import vendor_sql

# A loop over an array indexed by position: twice as fast as the same pairs found with a join or a window in SQL,
# which is what the update of a large table costs.
PAIRS_FUNCTION = """CREATE FUNCTION record_search_pairs(v tsvector) RETURNS tsvector AS $$
    DECLARE
        at_position text[];
        entry record;
        p integer;
        pairs text[] := '{}';
    BEGIN
        FOR entry IN SELECT lexeme, positions FROM unnest(v) LOOP
            CONTINUE WHEN entry.positions IS NULL;
            FOREACH p IN ARRAY entry.positions LOOP
                at_position[p] := entry.lexeme;
            END LOOP;
        END LOOP;
        IF at_position IS NULL THEN
            RETURN ''::tsvector;
        END IF;
        FOR p IN array_lower(at_position, 1) .. array_upper(at_position, 1) - 1 LOOP
            IF at_position[p] IS NOT NULL AND at_position[p + 1] IS NOT NULL THEN
                pairs := pairs || (at_position[p] || ' ' || at_position[p + 1]);
            END IF;
        END LOOP;
        RETURN array_to_tsvector(pairs);  -- sorted, each pair once
    END $$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE"""

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


class Migration(migrations.Migration):
    dependencies = [("record", "0003_search_document_filters")]

    operations = [vendor_sql({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN})]
