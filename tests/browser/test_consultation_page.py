"""The consultation page in a real browser, in English and Arabic."""

import pytest

from concord.consultations.demo import DEMO_SLUG


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
