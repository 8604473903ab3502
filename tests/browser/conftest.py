"""Browser tests: Debian's chromium driven by Playwright against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

from tests import snapshot

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls here stay synchronous.
    # Restored afterwards: commands started as subprocesses later in this worker must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _committed_worlds():
    return {}


@pytest.fixture
def committed_world(request, transactional_db, settings, tmp_path_factory, _committed_worlds):
    """``world(key, build)``: the rows ``build()`` commits (reference data seeded first), and its value.

    The first test of a process that asks for ``key`` builds it through the services and keeps every table's rows
    and the stored files; the next ones, in the flushed database a transactional test starts from, get the same
    rows written back with their keys (``snapshot.restore``, a fraction of a second where loading the demo takes
    seconds). ``build`` returns plain values (keys, slugs, tokens), never model instances."""

    def world(key, build):
        media = Path(settings.MEDIA_ROOT)
        if key in _committed_worlds:
            rows, value, files = _committed_worlds[key]
            snapshot.restore(rows)
            shutil.copytree(files, media, dirs_exist_ok=True)
            return value
        request.getfixturevalue("reference_data")
        value = build()
        files = tmp_path_factory.mktemp(f"world-{key}")
        if media.exists():
            shutil.copytree(media, files, dirs_exist_ok=True)
        _committed_worlds[key] = (snapshot.dump(), value, files)
        return value

    return world


@pytest.fixture
def live_demo(committed_world):
    """The demo in a committed database, so the live server's thread sees it."""
    from concord.consultations.demo import DEMO_SLUG, load_demo
    from concord.consultations.models import Consultation

    committed_world("demo", lambda: load_demo().slug)
    return Consultation.objects.get(slug=DEMO_SLUG)
