"""The positions table and its evidence page in a browser: no serious accessibility violation, right to left in
Arabic, and each figure leads to its sentences."""

import pytest

from concord.consultations.demo import DEMO_SLUG
from concord.positions import services


@pytest.fixture
def stances(live_demo):
    """Five governments put the new body forward (stances saved through the service, without running the
    detector, which a browser test does not need)."""
    contributions = list(live_demo.contributions.public().filter(group__slug="government").order_by("received_at")[:5])
    results = {
        c.pk: [
            {
                "position": "intergovernmental-body",
                "stance": "support",
                "score": 0.9,
                "evidence": [{"text": c.text[:80], "start": 0, "end": 80}],
            }
        ]
        for c in contributions
    }
    services.save_stances("test", live_demo, results)
    return contributions


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("ar", "rtl")])
def test_positions_read_accessibly_and_lead_to_their_evidence(live_server, browser, stances, lang, direction):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto(f"{live_server.url}/{lang}/consultations/{DEMO_SLUG}/")
    table = page.locator("#positions-by-group")
    assert table.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#positions-by-group')).direction") == direction
    failures = []
    for _ in range(2):
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                failures.append(f"{page.url}: {violation['id']} {[n['target'] for n in violation['nodes']][:3]}")
        if "/positions/" in page.url:
            break
        page.locator('#positions-by-group td[data-group="government"] a.support').click()
        page.wait_for_url("**/positions/intergovernmental-body/**")
    assert page.locator("li[data-receipt]").count() == len(stances)
    page.close()
    assert not failures, "\n".join(failures)
