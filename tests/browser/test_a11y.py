"""Accessibility: axe finds no serious or critical violation on the public pages, in English and Arabic."""

import pytest

from concord.consultations.demo import DEMO_SLUG

PAGES = [
    "/",
    "/consultations/{slug}/",
    "/consultations/{slug}/record/",
    "/consultations/{slug}/search/?q=internet",
    "/consultations/{slug}/record/{receipt}/",
    "/consultations/{slug}/data/",
]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_public_pages_have_no_serious_accessibility_violation(live_demo, live_server, browser, lang):
    from axe_playwright_python.sync_playwright import Axe

    receipt = live_demo.contributions.public().order_by("received_at").first().receipt_number
    axe = Axe()
    page = browser.new_page()
    failures = []
    for path in PAGES:
        address = f"{live_server.url}/{lang}{path.format(slug=DEMO_SLUG, receipt=receipt)}"
        page.goto(address)
        results = axe.run(page)
        assert results.response["passes"], f"axe did not run on {address}"
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                failures.append(f"{address}: {violation['id']} ({violation['impact']}) {targets}")
    page.close()
    assert not failures, "\n".join(failures)
