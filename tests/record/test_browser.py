"""The consultation page in a real browser (Debian's chromium through Playwright), in English and Arabic."""

import importlib
import os
import shutil

import pytest

from concord.consultations.demo import DEMO_SLUG

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls here stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_demo(transactional_db):
    """The demo in a committed database, so the live server's thread sees it.

    A transactional test flushes the tables afterwards, seeded reference rows included, so the data migration's
    (idempotent) seed runs again first.
    """
    from django.apps import apps

    from concord.consultations.demo import load_demo

    seed = importlib.import_module("concord.stakeholders.migrations.0002_seed_groups_and_categories").seed
    seed(apps, None)
    return load_demo()


def table_cells(page, group):
    return page.locator(f'#distribution-table tr[data-group="{group}"] td').all_inner_texts()


@pytest.mark.parametrize(
    ("lang", "direction", "government", "heading"),
    [("en", "ltr", "Governments", "Stakeholder group"), ("ar", "rtl", "الحكومات", "مجموعة أصحاب المصلحة")],
)
def test_the_consultation_page_shows_the_table_in_the_right_direction(
    live_demo, live_server, browser, lang, direction, government, heading
):
    page = browser.new_page()
    page.goto(f"{live_server.url}/{lang}/consultations/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert table_cells(page, "government") == ["11", "13", "8", "32"]
    assert table_cells(page, "total") == ["59", "26", "13", "98"]
    assert page.locator('#distribution-table tr[data-group="government"] th').inner_text() == government
    assert page.locator("#distribution-table thead th").first.inner_text() == heading
    # In right-to-left pages the group column is on the right of the numbers.
    first_header = page.locator("#distribution-table thead th").first.bounding_box()
    last_header = page.locator("#distribution-table thead th").last.bounding_box()
    assert (first_header["x"] > last_header["x"]) == (direction == "rtl")
    page.close()


def test_the_language_switcher_keeps_the_page_and_is_keyboard_usable(live_demo, live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/en/consultations/{DEMO_SLUG}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.locator('nav.languages a[hreflang="fr"]').click()
    page.wait_for_url(f"**/fr/consultations/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.close()
