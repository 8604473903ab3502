"""The analysis library is Django-free: its tests must not open a database. `make test` runs them on SQLite only
(their results cannot depend on the database), so a test here that asked for one would escape PostgreSQL."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(item.fixturenames)
        if "tests/analysis/" in str(item.fspath) and uses_db:
            raise pytest.UsageError(f"{item.nodeid}: tests/analysis must not use the database (see its conftest)")
