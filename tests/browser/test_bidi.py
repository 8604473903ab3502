"""English inside Arabic pages, in a real browser: isolated, so it keeps its own order and leaves the Arabic line's
order alone ("Which ...?" never shows as "?Which ...", an agenda never reads "10:30–10:00")."""

import pytest

from concord.consultations.demo import ACTOR, DEMO_SLUG
from concord.consultations.services import translate_questions
from concord.contributions.access import public_contributions
from concord.stakeholders.services import update_entity

pytestmark = pytest.mark.django_db(transaction=True)

# The left edge of the first and of the last visible character of an element's text, as laid out.
CHAR_EDGES = """el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (walker.currentNode.textContent.trim()) nodes.push(walker.currentNode);
  const edge = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    return range.getBoundingClientRect().left;
  };
  const first = nodes[0], last = nodes[nodes.length - 1];
  const start = first.textContent.length - first.textContent.trimStart().length;
  return [edge(first, start), edge(last, last.textContent.trimEnd().length - 1)];
}"""


def char_edges(locator) -> tuple[float, float]:
    first, last = locator.evaluate(CHAR_EDGES)
    return first, last


def test_an_untranslated_english_question_keeps_its_question_mark_at_its_end(live_demo, live_server, browser):
    # The secretariat has not translated the first question into Arabic: the English original shows, marked.
    questions = list(live_demo.questions.all())
    arabic = [q.text_in("ar")[0] for q in questions]
    translate_questions(ACTOR, live_demo, "ar", ["", *arabic[1:]])
    page = browser.new_page()
    page.goto(f"{live_server.url}/ar/consultations/{DEMO_SLUG}/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    english = page.locator("ol.questions li").first
    assert english.get_attribute("lang") == "en"
    assert english.inner_text().startswith("Which international public policy issues")
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"
    first, last = char_edges(english)
    assert first < last, "the English question runs right to left: its '?' comes first"
    # The translated questions read right to left, as the page does.
    second = page.locator("ol.questions li").nth(1)
    assert second.evaluate("el => getComputedStyle(el).direction") == "rtl"
    first, last = char_edges(second)
    assert first > last
    page.close()


def test_agenda_times_read_from_start_to_end_in_arabic(live_demo, live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/ar/consultations/{DEMO_SLUG}/")
    opening = page.locator("ol.agenda li").first
    assert "الافتتاح" in opening.inner_text()
    starts, ends = opening.locator("time").all()
    assert (starts.inner_text(), ends.inner_text()) == ("10:00", "10:30")
    assert starts.bounding_box()["x"] < ends.bounding_box()["x"], "the range shows as 10:30–10:00"
    page.close()


def test_a_contributors_name_keeps_its_order_inside_an_arabic_line(live_demo, live_server, browser):
    # A name that ends with punctuation is what an unisolated right-to-left line scrambles ("(ONI) Open Net").
    first_named = next(
        c
        for c in public_contributions(live_demo).order_by("received_at", "id").select_related("entity")
        if c.shows_name
    )
    update_entity(ACTOR, first_named.entity, name="Open Net Initiative (ONI)")
    page = browser.new_page()
    page.goto(f"{live_server.url}/ar/consultations/{DEMO_SLUG}/record/")
    name = page.locator("table.record bdi", has_text="Open Net Initiative (ONI)")
    assert name.count() == 1, "the name is not isolated"
    assert name.evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"
    first, last = char_edges(name)
    assert first < last, "the English name is laid out right to left"
    box = name.bounding_box()
    # "(ONI)" stays at the right end of the name: its closing parenthesis is the name's rightmost character.
    assert last > box["x"] + box["width"] - 20
    page.close()
