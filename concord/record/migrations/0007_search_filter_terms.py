"""PostgreSQL: put the values of the filters a text search most often combines with its words into the words'
GIN index, so that a word with filters is one lookup in one index.

A word with filters (``internet``, group ``government``, language ``fr``) was the AND of two bitmaps: the word's
documents from the GIN index on ``tsv`` (78,000 at a million documents) and the filter's from a btree index
(42,000), each read in full. The index is now on ``tsv`` plus one lexeme per filter value (``=group 3``,
``=language fr``, ``=channel written``), which no text can yield (the parser never puts ``=`` or a space in a
lexeme), so the search asks for ``'internet' & '=group 3' & '=language fr'`` and GIN walks the rarest list,
skipping ahead in the others. The terms are the index's expression, not a column: nothing to fill, no rewrite of
the table. The new index answers a word alone as well, so the index on ``tsv`` alone goes.

The expression must stay the one ``concord.record.search.TERMS`` queries, or PostgreSQL no longer uses the index
(``tests/record/test_search.py`` checks the plan).
"""

from django.db import migrations

from ._search_terms import TERMS
from ._vendor_sql import vendor_sql

POSTGRES_UP = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    f"CREATE INDEX record_searchdocument_terms_idx ON record_searchdocument USING gin ({TERMS})",
    "DROP INDEX IF EXISTS record_searchdocument_tsv_idx",
    # The planner estimates a search's matches from the statistics of the index's expression.
    "ANALYZE record_searchdocument",
]
POSTGRES_DOWN = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX IF NOT EXISTS record_searchdocument_tsv_idx ON record_searchdocument USING gin (tsv)",
    "DROP INDEX IF EXISTS record_searchdocument_terms_idx",
]


class Migration(migrations.Migration):
    dependencies = [("record", "0006_search_sqlite_lookup_index")]

    operations = [vendor_sql({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN})]
