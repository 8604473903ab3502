"""The report's charts on a phone, in chromium at 390 x 844: the page shows the phone's chart (a narrow SVG), and
every text of it (labels, ticks, legend, axis title) is drawn at 9 CSS pixels or more, in English, Arabic and
Chinese. The page's chart (the PDF's) scaled to a phone's width has text of about 4 pixels."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG, load_demo
from concord.reports.services import generate_report

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("en", "ar", "zh-hans")
SMALLEST = 9  # CSS pixels

# Each text of the SVG an <img> shows (its currentSrc: the <source> the browser chose), measured where it is drawn:
# the SVG is put inline, as wide as the <img>, and each text group of matplotlib's ("text_N", its glyphs drawn as
# outlines) is measured. The font size is the vertical scale of the glyphs' group on the screen (turned text
# included) times matplotlib's 100 units an em; the box is the text's bounding box (a digit is 0.7 em high).
MEASURE = """img => {
  const src = img.currentSrc;
  const bytes = Uint8Array.from(atob(src.slice(src.indexOf(',') + 1)), c => c.charCodeAt(0));
  const svg = new TextDecoder().decode(bytes);
  const box = document.createElement('div');
  box.style.cssText = `position: absolute; left: 0; top: 0; width: ${img.getBoundingClientRect().width}px`;
  box.innerHTML = svg.slice(svg.indexOf('<svg'));
  box.querySelector('svg').style.cssText = 'display: block; width: 100%; height: auto';
  document.body.append(box);
  const texts = [...box.querySelectorAll('g[id^="text_"]')].map(g => {
    const glyphs = g.querySelector('g[transform]');
    const rect = g.getBoundingClientRect();
    return {
      text: g.firstChild && g.firstChild.nextSibling && g.firstChild.nextSibling.nodeType === 8
        ? g.firstChild.nextSibling.textContent.trim() : '',
      size: glyphs ? Math.hypot(glyphs.getScreenCTM().c, glyphs.getScreenCTM().d) * 100 : 0,
      height: rect.height,
      width: rect.width,
    };
  }).filter(t => t.width > 0);
  box.remove();
  return {phone: img.closest('picture') !== null && src !== img.src, width: img.getBoundingClientRect().width, texts};
}"""


def _build():
    demo = load_demo()
    # Analysed, as a secretariat's would be: its issues tagged, so the report has its second chart.
    call_command("analyze", "run", demo.slug, verbosity=0)
    for language in LANGUAGES:
        generate_report(None, demo, language)
    return demo.slug


@pytest.fixture
def reports(committed_world):
    """The analysed demo with its report in three languages (built once per process, see ``committed_world``)."""
    return committed_world("report-charts", _build)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_charts_read_at_nine_pixels_or_more_on_a_phone(reports, live_server, browser, language):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    with translation.override(language):
        page.goto(live_server.url + reverse("reports:report", kwargs={"slug": DEMO_SLUG}))
    figures = page.locator("figure.chart img")
    assert figures.count() == 2  # the groups and channels, the issues
    for index in range(figures.count()):
        image = figures.nth(index)
        image.scroll_into_view_if_needed()
        measured = image.evaluate(MEASURE)
        assert measured["phone"], "the phone is shown the page's chart"
        texts = measured["texts"]
        # Ticks, a legend entry per group or channel, a label per row, the axis title.
        assert len(texts) >= 8, texts
        small = [t for t in texts if t["size"] < SMALLEST or t["height"] < 0.7 * SMALLEST]
        assert not small, f"{language}, chart {index + 1}, {measured['width']:.0f} px wide: {small}"
        if os.environ.get("CONCORD_SCREENSHOTS"):
            folder = Path(os.environ["CONCORD_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            image.screenshot(path=str(folder / f"chart-{language}-{index + 1}.png"))
            sizes = sorted(t["size"] for t in texts)
            if index == 0:
                image.evaluate("i => i.closest('figure').scrollIntoView()")
                page.screenshot(path=str(folder / f"page-{language}.png"))
            print(language, index + 1, f"{measured['width']:.0f} px", f"font {sizes[0]:.1f}-{sizes[-1]:.1f} px")
    page.close()


def test_a_wide_screen_keeps_the_pages_chart(reports, live_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with translation.override("en"):
        page.goto(live_server.url + reverse("reports:report", kwargs={"slug": DEMO_SLUG}))
    chosen = page.locator("figure.chart img").evaluate_all("images => images.map(i => i.currentSrc === i.src)")
    assert chosen == [True, True]
    page.close()
