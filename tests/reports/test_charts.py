"""Charts in every script: the fonts come from fontconfig even when matplotlib's cache predates them, Arabic labels
are shaped and run right to left, and the site gets SVG that resizes."""

import base64
import logging
import re
import warnings

import pytest
from django.utils import translation

from concord.reports import charts, render
from concord.reports.services import generate_report
from tests.system import needs_noto_fonts

needs_noto = needs_noto_fonts()

SCRIPTS = ("Noto Sans CJK SC", "Noto Sans Arabic", "Noto Naskh Arabic")


@pytest.fixture
def stale_font_cache(monkeypatch):
    """Matplotlib's font list as on a machine where it was cached before the Noto fonts were installed."""
    from matplotlib import font_manager

    kept = [font for font in font_manager.fontManager.ttflist if font.name not in SCRIPTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", kept)
    font_manager.fontManager._findfont_cached.cache_clear()
    charts.families.cache_clear()
    yield
    font_manager.fontManager._findfont_cached.cache_clear()
    charts.families.cache_clear()


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@needs_noto
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "ar"])
def test_rendering_the_charts_prints_no_font_warning_even_with_a_stale_font_cache(stale_font_cache, demo, language):
    handler = Captured()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draft = generate_report("test", demo, language)
            ctx = render.context(draft)
    finally:
        logger.removeHandler(handler)
    messages = handler.messages + [str(w.message) for w in caught]
    assert not [m for m in messages if "findfont" in m or "missing from font" in m.lower() or "Glyph" in m], messages
    assert {"Noto Sans CJK SC", "Noto Sans Arabic"} <= set(charts.families())
    assert set(ctx["charts"]) == {"organization.chart", "issues.chart"} or set(ctx["charts"]) == {"organization.chart"}


@needs_noto
def test_fontconfig_names_the_files_of_each_script_s_family():
    for family in ("Noto Sans CJK SC", "Noto Sans Arabic"):
        files = charts.fontconfig_files(family)
        assert files and all(f.endswith((".ttf", ".ttc", ".otf", ".otc")) for f in files)
    assert charts.fontconfig_files("No Such Family 12345") == []


@needs_noto
def test_arabic_labels_are_drawn_joined_and_right_to_left():
    """What matplotlib draws for a label, glyph by glyph from left to right: the last letter first (right to left) and
    joined forms, not the letters' isolated forms, whether matplotlib shapes text itself or is given it shaped."""
    from matplotlib import _text_helpers, font_manager
    from matplotlib.ft2font import FT2Font

    charts.families()
    font = FT2Font(font_manager.findfont("Noto Sans Arabic"))
    label = "الحكومات"
    drawn = list(_text_helpers.layout(charts.shape(label), font))
    isolated = [font.get_char_index(ord(ch)) for ch in label]
    if charts.lays_out_complex_text():
        assert [item.char for item in drawn] == list(reversed(label))
    else:
        assert all("\ufe70" <= item.char <= "\ufeff" for item in drawn)
        assert drawn[-1].char in ("\ufe8d", "\ufe8e")  # alef, the first letter, drawn last (at the right)
    assert [item.glyph_index for item in drawn] != list(reversed(isolated))  # joined, not isolated letters
    assert charts.shape("Civil society") == "Civil society"


@pytest.mark.django_db
def test_the_site_shows_each_chart_as_svg_that_takes_its_container_s_width(demo):
    with translation.override("en"):
        html = render.to_html(generate_report("test", demo, "en"), standalone=False)
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert images and "image/png" not in html
    svg = base64.b64decode(images[0]).decode()
    tag = svg[svg.index("<svg ") : svg.index(">", svg.index("<svg "))]
    assert "viewBox" in tag and " width=" not in tag and " height=" not in tag
    assert "Figure I: Contributions by stakeholder group and channel" in html


def _text_sizes(svg: str) -> list[float]:
    """The size in points of each text matplotlib drew as outlines: its glyphs' scale times its 100 units an em."""
    return [
        float(scale) * 100
        for scale in re.findall(r'<g id="text_\d+">\s*(?:<!--.*?-->\s*)?<g transform="[^"]*scale\(([\d.]+) ', svg, re.S)
    ]


def _view_width(svg: str) -> float:
    return float(re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ', svg).group(1))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_site_offers_a_phone_a_narrow_chart_with_nine_point_text_and_prints_the_page_s(analysed_demo, language):
    draft = generate_report("test", analysed_demo, language)
    with translation.override(language):
        html = render.to_html(draft, standalone=False)
        printed = render._print_documents(render.context(draft), split=False)[0]
    phones = re.findall(r'<source media="\(max-width: 40em\)" srcset="data:image/svg\+xml;base64,([^"]+)">', html)
    pages = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert len(phones) == len(pages) == 2  # the groups and channels, the issues
    for phone, page in zip(phones, pages, strict=True):
        phone, page = base64.b64decode(phone).decode(), base64.b64decode(page).decode()
        # Under 300 points wide (the page's is over 400): a 366-pixel figure shows a point at 1.2 pixels or more.
        assert _view_width(phone) < 300 < 400 < _view_width(page)
        sizes = _text_sizes(phone)
        assert len(sizes) >= 8 and min(sizes) >= 9, sizes
        assert min(_text_sizes(page)) < 9
    assert "<picture>" not in printed and "<source" not in printed
