"""The expression of the words' GIN indexes on PostgreSQL: ``tsv`` plus one lexeme per value of the filters a text
search most often combines with its words (migration 0007 explains why). Migrations 0007 and 0008 each build an index
on it, and a search uses the second only if both are on the same expression, so they take it from here rather than
each spelling it. Like the migrations, it is history: a new expression needs a new constant and a new migration.
``concord.record.search.TERMS`` must query the same expression (``tests/record/test_search.py`` checks the plans)."""

TERMS = (
    "(tsv || array_to_tsvector(ARRAY["
    "'=group ' || coalesce(group_id::text, ''), '=language ' || language, '=channel ' || channel]))"
)
