"""Tables laid out in chromium: the Chinese record keeps its words whole on a desktop and on a phone, and the
admin's tag, stance, contribution and entity lists fit a 1,280-pixel screen beside the navigation and the filters, in
six languages."""

import pytest

from concord.consultations.demo import DEMO_SLUG
from concord.policy.models import PolicyIssue
from concord.policy.services import save_analysis
from concord.positions import services as positions
from concord.positions.models import Position, Stance, StanceValue
from tests.browser.staff import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The lines of a cell's text as laid out: the number of visible characters on each, by the top of each one's box.
LINES = """cell => {
  const lines = new Map();
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.textContent.length; i++) {
      if (!node.textContent[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width) continue;
      const top = Math.round(box.top);
      lines.set(top, (lines.get(top) || 0) + 1);
    }
  }
  return [...lines.values()];
}"""
# Cells (matching the selector) whose text reads one character per line: two lines or more, none holding two.
ONE_CHARACTER_PER_LINE = f"""selector => [...document.querySelectorAll(selector)]
  .filter(cell => {{ const lines = ({LINES})(cell); return lines.length > 1 && Math.max(...lines) === 1; }})
  .map(cell => cell.textContent.trim().slice(0, 40))"""
# Cells whose text takes more than one line.
ONE_LINE = f"""selector => [...document.querySelectorAll(selector)]
  .filter(cell => ({LINES})(cell).length > 1).map(cell => cell.textContent.trim())"""
SHORT_CELLS = "table.record td.group, table.record td.channel, table.record td.language, table.record td.received"

WIDTHS = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chinese_record_keeps_its_words_whole(live_demo, live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/zh-hans/consultations/{DEMO_SLUG}/record/")
    assert page.locator("table.record tbody tr").count() >= 10
    # On a phone the header row is there for screen readers only (one pixel wide): the cards name each value.
    cells = "table.record th, table.record td" if width > 390 else "table.record td"
    assert page.evaluate(ONE_CHARACTER_PER_LINE, cells) == []
    # A group, a channel, a language and a date each read on one line ("利益攸关方群体", "2010年9月2日").
    rows = page.locator("table.record tbody tr").count()
    assert page.locator(SHORT_CELLS).count() == 4 * rows
    assert page.evaluate(ONE_LINE, SHORT_CELLS) == []
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client == width
    table = page.locator("table.record")
    if width == 390:
        # A card per contribution, its values beside their column's names: nothing scrolls sideways.
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
        assert page.locator("table.record thead").evaluate("h => h.getBoundingClientRect().width") <= 1
        assert page.locator("table.record tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "grid"
    else:
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
        assert page.evaluate(ONE_LINE, "table.record thead th") == []
    page.close()


def _tags_and_stances(consultation):
    """Every issue tagged on a few contributions and a stance on every position, two sentences of each quoted, one
    confirmed and one corrected: the longest names, slugs and labels the two lists can show."""
    contributions = list(consultation.contributions.order_by("received_at", "pk")[:6])
    slugs = list(PolicyIssue.objects.values_list("slug", flat=True))
    save_analysis(
        "test",
        consultation,
        tags={c.pk: {"scores": dict.fromkeys(slugs, 0.8531), "issues": slugs} for c in contributions},
    )
    values = [StanceValue.SUPPORT, StanceValue.OPPOSE, StanceValue.NEUTRAL]
    results = {}
    for index, contribution in enumerate(contributions):
        text = contribution.text or ""
        sentences = [s for s in text.split(". ") if s][:2] or [text]
        evidence, start = [], 0
        for sentence in sentences:
            evidence.append({"text": sentence, "start": start, "end": start + len(sentence)})
            start += len(sentence) + 2
        results[contribution.pk] = [
            {"position": p.slug, "stance": values[(index + n) % 3], "score": 0.9808, "evidence": evidence}
            for n, p in enumerate(Position.objects.filter(consultation=consultation))
        ]
    positions.save_stances("test", consultation, results)
    stances = list(Stance.objects.order_by("pk")[:2])
    positions.confirm_stance(None, stances[0])
    positions.correct_stance(None, stances[1], StanceValue.NEUTRAL)


def _staff_page(browser, live_server, language):
    """A 1,280-pixel page in ``language``, logged in as a superuser."""
    UserFactory(username="alice", is_staff=True, is_superuser=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    log_in(page, live_server.url, "alice")
    return context, page


def _assert_the_list_fits(page, url, language):
    """An admin list with its rows, beside the navigation and the filters, neither the page nor the list scrolling
    sideways, no cell one character a line."""
    page.goto(url)
    assert page.locator("#result_list tbody tr").count() >= 20, url
    assert page.locator("#changelist-filter").is_visible() and page.locator("#nav-sidebar").is_visible()
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client, f"{url} in {language}: the page scrolls sideways ({scroll} > {client})"
    box = page.locator("#changelist .results").evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert box[0] <= box[1], f"{url} in {language}: the list scrolls sideways inside its box ({box})"
    cramped = page.evaluate(ONE_CHARACTER_PER_LINE, "#result_list th, #result_list td")
    assert cramped == [], f"{url} in {language}: {cramped}"


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "zh-hans", "ar"])
def test_the_admins_tag_and_stance_lists_fit_a_1280_pixel_screen(live_demo, live_server, browser, language):
    _tags_and_stances(live_demo)
    context, page = _staff_page(browser, live_server, language)
    for path in ("/admin/policy/contributionissue/", "/admin/positions/stance/"):
        _assert_the_list_fits(page, live_server.url + path, language)
    context.close()


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "zh-hans", "ar"])
def test_the_admins_contribution_and_entity_lists_fit_a_1280_pixel_screen(live_demo, live_server, browser, language):
    # Before: 1,561 and 852 px wide in English, scrolled inside their box beside the navigation and the filters.
    context, page = _staff_page(browser, live_server, language)
    for path in ("/admin/contributions/contribution/", "/admin/stakeholders/entity/"):
        _assert_the_list_fits(page, live_server.url + path, language)
    # The group moved under the entity's name: still on every row.
    page.goto(live_server.url + "/admin/contributions/contribution/")
    rows = page.locator("#result_list tbody tr").count()
    assert page.locator("#result_list td.field-entity_and_group .concord-group").count() == rows
    context.close()


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_the_figures_by_group_are_cards_on_a_phone(live_demo, live_server, browser, language):
    # Before: the issue and position tables scrolled inside their box (770 and 642 px at 390 in English), a position
    # one or two words a line, an issue one Chinese character a line; a scrolled table's caption was cut at the box.
    _tags_and_stances(live_demo)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{language}/consultations/{DEMO_SLUG}/")
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client == 390
    tables = page.locator("table.cards-on-phone")
    assert tables.count() >= 2  # the issues, and the positions of at least one kind
    for index in range(tables.count()):
        table = tables.nth(index)
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), table.get_attribute("id")
        assert table.locator("thead").evaluate("h => h.getBoundingClientRect().width") <= 1
        cells = table.locator("tbody td")
        # Every value is named: its column's heading, on the card.
        assert cells.count() > 0 and all(
            label for label in cells.evaluate_all("tds => tds.map(td => td.dataset.label)")
        )
    assert page.evaluate(ONE_CHARACTER_PER_LINE, "table.cards-on-phone tbody th, table.cards-on-phone tbody td") == []
    # Captions of tables that still scroll stay inside the screen.
    captions = page.evaluate(
        "() => [...document.querySelectorAll('main table > caption')].map(c => c.getBoundingClientRect().right)"
    )
    assert captions and max(captions) <= 390
    page.close()


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_the_meetings_speakers_are_cards_on_a_phone(live_demo, live_server, browser, language):
    # Before: the presentations scrolled inside their box in English (the group cut at "Governmen"), the minutes in
    # all three (636 px in English), and a Chinese group read one character a line ("各/国/政/府").
    from concord.meetings.models import Meeting

    meeting = Meeting.objects.get(consultation=live_demo)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for path, table in (
        (f"meetings/{meeting.pk}/", "table.slots"),
        (f"meetings/{meeting.pk}/minutes/", "table.minutes-table"),
    ):
        page.goto(f"{live_server.url}/{language}/{path}")
        scroll, client = page.evaluate(WIDTHS)
        assert scroll <= client == 390, path
        assert page.locator(f"{table} tbody tr").count() >= 10, path
        assert page.locator(table).evaluate("t => t.scrollWidth <= t.clientWidth"), path
        assert page.locator(f"{table} tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
        assert page.evaluate(ONE_CHARACTER_PER_LINE, f"{table} tbody td") == [], path
    page.close()


def test_the_records_filters_and_the_language_links_are_tall_enough_to_tap(live_demo, live_server, browser):
    # Before: 22 px high each at 390 px (the filters' selects at the browser's small default size).
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ar/consultations/{DEMO_SLUG}/record/")
    targets = "() => [...document.querySelectorAll('.filters select, .languages a')]"
    heights = page.evaluate(targets + ".map(e => e.getBoundingClientRect().height)")
    assert len(heights) >= 8 and min(heights) >= 28, heights
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client == 390
    page.close()


def test_the_chinese_reports_annex_keeps_receipts_and_groups_whole_on_a_phone(live_demo, live_server, browser):
    # Before: a receipt number on three lines ("EC2010-" / "I-" / "000001"); keeping it whole then squeezed a group
    # and a channel to one character a line ("各/国/政/府"). The annex scrolls inside its own box, the page does not.
    from concord.reports.services import generate_report

    generate_report(None, live_demo, "zh-hans")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/zh-hans/consultations/{DEMO_SLUG}/report/")
    assert page.locator("table.annex tbody tr").count() >= 90
    assert page.evaluate(ONE_CHARACTER_PER_LINE, "table.annex th, table.annex td") == []
    assert page.evaluate(ONE_LINE, "table.annex td:first-child") == []
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client == 390
    page.close()


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_the_staff_login_and_admin_pages_do_not_scroll_sideways_on_a_phone(live_demo, live_server, browser, language):
    # The admin's own lists scroll inside their box on a phone, as Django's admin lays them out; the page does not.
    UserFactory(username="alice", is_staff=True, is_superuser=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    scroll, client = page.evaluate(WIDTHS)
    assert scroll <= client == 390, "login"
    log_in(page, live_server.url, "alice")
    for path in (
        f"/admin/consultations/consultation/{live_demo.pk}/change/",
        "/admin/contributions/contribution/",
        "/admin/stakeholders/entity/",
    ):
        page.goto(live_server.url + path)
        scroll, client = page.evaluate(WIDTHS)
        assert scroll <= client == 390, f"{path} in {language}: {scroll} > {client}"
    context.close()
