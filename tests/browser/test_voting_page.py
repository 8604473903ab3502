"""The voting page on a 390-pixel phone in Debian's chromium: it fits the screen, it reads without serious
accessibility violations, and a vote goes through with the script turned off, the count going down, and with it
on, in place; the results page takes a new result from its event stream."""

import pytest
from django.utils import timezone

from concord.deliberation import opinions, services
from concord.deliberation.models import Voter
from tests.factories import make_consultation, make_entity

WIDTH = 390


@pytest.fixture
def ballot(reference_data):
    """An open consultation with a statements phase, three statements (one in Arabic), and a representative."""
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now - timezone.timedelta(days=1), closes_at=now + timezone.timedelta(days=30)
    )
    phase = services.open_phase("test", consultation, allow_public=True)
    services.add_statement("test", phase, text="A new intergovernmental body should be created within the UN system.")
    services.add_statement("test", phase, text="ينبغي تعزيز منتدى إدارة الإنترنت.", original_language="ar")
    services.add_statement("test", phase, text="Capacity building for developing countries matters.")
    _voter, key = services.register_voter("test", phase, entity=make_entity(group="government"), person_name="Dana")
    return consultation, key


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_voting_page_fits_a_phone_and_works_without_script(live_server, browser, ballot, lang):
    from axe_playwright_python.sync_playwright import Axe

    consultation, key = ballot
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{lang}/consultations/{consultation.slug}/vote/{key}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        buttons = page.locator(".vote-form button")
        assert buttons.count() == 3
        box = buttons.first.bounding_box()
        assert box["height"] >= 44  # a thumb's target
        first = page.locator(".statement-text").inner_text()
        left = page.locator(".left").inner_text()
        buttons.first.click()
        page.wait_for_load_state()
        assert page.locator(".statement-text").inner_text() != first
        assert page.locator(".left").inner_text() != left
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    finally:
        context.close()
    page = browser.new_page(viewport={"width": WIDTH, "height": 844})
    try:
        page.goto(f"{live_server.url}/{lang}/consultations/{consultation.slug}/vote/{key}/")
        serious = [
            f"{v['id']} {[n['target'] for n in v['nodes']][:3]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not serious, "\n".join(serious)
        # With the script, the vote goes by fetch and the next statement replaces the shown one in place.
        first, left, address = (
            page.locator(".statement-text").inner_text(),
            page.locator(".left").inner_text(),
            page.url,
        )
        page.locator(".vote-form button").first.click()
        page.wait_for_function("(first) => document.querySelector('.statement-text').innerText !== first", arg=first)
        assert page.locator(".left").inner_text() != left and page.url == address
        page.goto(f"{live_server.url}/{lang}/consultations/{consultation.slug}/statements/")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        # A new result reaches the open page by its event stream: the page reads itself again, no reload.
        shown = page.get_attribute("[data-live-results]", "data-version")
        page.evaluate("window.notReloaded = true")
        voter = Voter.objects.get()
        for statement in voter.phase.statements.all():
            services.cast_vote(voter, statement, -1)
        opinions.refresh(voter.phase)
        page.wait_for_function(
            "(v) => document.querySelector('[data-live-results]').getAttribute('data-version') !== v",
            arg=shown,
            timeout=15000,
        )
        assert page.evaluate("window.notReloaded === true")
        serious = [
            f"{v['id']} {[n['target'] for n in v['nodes']][:3]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not serious, "\n".join(serious)
    finally:
        page.close()
