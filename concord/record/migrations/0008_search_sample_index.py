"""PostgreSQL: a second words' index over one document in four, from which a search for a common word takes the
matches it ranks.

A search ranks at most ``COUNT_CAP`` + 1 matches (see ``concord.record.search``), but GIN gives all of a word's
matches at once, as a bitmap built, sorted and read in full: 78,000 for a common word at a million documents, about
half of the search's time. For a word that common, the matches among one document in four are plenty (19,000), and
this partial index gives them for a quarter of the work; a search falls back to the whole index when the quarter
holds too few. The quarter is chosen by a hash of the id, not by the id modulo four, which would follow any period in
the order contributions arrive in (the benchmark's languages come round in turn: a modulo left three of six out).
Same expression as migration 0007's index, so no rewrite of the table.
"""

from django.db import migrations

from ._search_terms import TERMS
from ._vendor_sql import vendor_sql

POSTGRES_UP = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    f"CREATE INDEX record_searchdocument_sample_idx ON record_searchdocument USING gin ({TERMS}) "
    "WHERE hashint8(contribution_id) & 3 = 0",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS record_searchdocument_sample_idx"]


class Migration(migrations.Migration):
    dependencies = [("record", "0007_search_filter_terms")]

    operations = [vendor_sql({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN})]
