"""The Markdown report shows what contributors and editors typed as text: HTML or Markdown in a name or a quote never
becomes markup in a Markdown viewer."""

import re

import pytest

from concord.reports import render
from concord.reports.models import ReportParagraph
from concord.reports.services import edit_paragraph, generate_report
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'
IMAGE = "![tracker](http://tracker.example/pixel.png)"


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        (SCRIPT, '\\<script\\>alert("x")\\</script\\>'),
        (IMAGE, "!\\[tracker\\](http://tracker.example/pixel.png)"),
        ("**bold** and _it_ and `code` ~~x~~", "\\*\\*bold\\*\\* and \\_it\\_ and \\`code\\` \\~\\~x\\~\\~"),
        ("# Not a heading\n- not a list\n> not a quote\n12. not a list", None),
        ("&lt;b&gt; stays as typed, & too", "\\&lt;b\\&gt; stays as typed, & too"),
        ("Interconnection costs (2010) must fall.", "Interconnection costs (2010) must fall."),
    ],
)
def test_markup_is_escaped(typed, escaped):
    expected = escaped or "\\# Not a heading\n\\- not a list\n\\> not a quote\n\\12. not a list"
    assert render.md_text(typed) == expected


def test_a_table_cell_keeps_its_row_together():
    assert render.md_text("A | B\nC", cell=True) == "A \\| B C"


def test_html_in_a_contributors_name_and_an_edited_paragraph_is_text_in_report_md(alice):
    consultation = make_consultation()
    make_contribution(consultation, make_entity(f"{SCRIPT} Fictional | Network"))
    draft = generate_report("test", consultation, "en")
    paragraph = draft.paragraphs.filter(kind=ReportParagraph.Kind.TEXT).first()
    edit_paragraph(alice, paragraph, f"A quote: {IMAGE} <img src=x onerror=alert(1)>")
    md = render.to_markdown(draft)
    assert not re.search(r"(?<!\\)<", md), "an unescaped < would open raw HTML"
    assert "![tracker]" not in md
    assert '\\<script\\>alert("x")\\</script\\> Fictional \\| Network |' in md
    assert "A quote: !\\[tracker\\](http://tracker.example/pixel.png) \\<img src=x onerror=alert(1)\\>" in md
