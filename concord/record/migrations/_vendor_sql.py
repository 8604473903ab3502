"""SQL that the search's migrations run on one database vendor only (triggers, FTS5, GIN expressions, partial
indexes: what the models cannot say). A module of the migrations package that is not a migration (the loader skips
names that begin with ``_``); like the migrations, it must keep working for the ones already written."""

from django.db import migrations


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def vendor_sql(up: dict[str, list[str]], down: dict[str, list[str]]) -> migrations.RunPython:
    """An operation that runs ``up[vendor]`` (``down[vendor]`` when reversed) in order; nothing on other vendors."""
    return migrations.RunPython(_run(up), _run(down))
