"""The report editor and the report on a phone, without JavaScript: a report editor adds a paragraph with its
footnote and moves it with plain forms; the report's charts and front matter fit a 390-pixel screen."""

from django.conf import settings
from django.test import Client

from concord.consultations.demo import DEMO_SLUG
from concord.core.services import grant_role
from concord.reports.services import generate_report
from tests.factories import UserFactory


def _context(browser, live_server, user):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_an_editor_adds_and_moves_a_paragraph_on_a_phone_without_javascript(live_server, browser, live_demo):
    generate_report("test", live_demo, "en")
    editor = grant_role("test", UserFactory(username="erin"), "report-editor")
    context = _context(browser, live_server, editor)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/consultations/{DEMO_SLUG}/report/edit/")
    chapter = page.locator("#section-un_role")
    chapter.locator("summary").last.click()
    chapter.locator("textarea[name=add-text]").last.fill("The secretariat will report again next year (fictional).")
    chapter.locator("textarea[name=add-footnotes]").last.fill("A note written in the editor (fictional).")
    chapter.get_by_role("button", name="Add", exact=True).last.click()
    added = page.locator("#section-un_role .report-paragraph").filter(has_text="written by the secretariat")
    assert added.count() == 1
    assert "A note written in the editor (fictional)." in added.locator("textarea[name=footnotes]").first.input_value()
    # Every textarea fits the phone's width; labels say "Paragraph n", not internal keys.
    widths = page.evaluate("[...document.querySelectorAll('textarea')].map(t => t.getBoundingClientRect().right)")
    assert max(widths) <= 390
    assert page.get_by_text("organization.channels").count() == 0

    report = context.new_page()
    report.goto(f"{live_server.url}/en/consultations/{DEMO_SLUG}/report/")
    text = report.locator("article.report").inner_text()
    assert "The secretariat will report again next year (fictional)." in text
    assert "United Nations" in text and "Table: Contributions by stakeholder group and channel" in text
    chart = report.locator("figure.chart img").first
    box = chart.bounding_box()
    assert chart.get_attribute("src").startswith("data:image/svg+xml") and box["width"] <= 390
    assert report.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
