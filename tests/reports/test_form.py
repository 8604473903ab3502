"""The report in the form of a UN document, read back from each format: front matter as the secretariat set it,
titled table, footnotes, paragraphs numbered across the document, coverage of the synthesis."""

import datetime
import io
import re

import docx
import pytest
from pypdf import PdfReader

from concord.contributions.models import Contribution
from concord.reports import render
from concord.reports.models import ReportParagraph
from concord.reports.services import add_paragraph, edit_paragraph, generate_report, update_report_settings
from tests.system import needs_noto_fonts

pytestmark = pytest.mark.django_db
NOTE = "Source: a fictional register of forums, consulted by the secretariat."
ADDED_NOTE = "A note the secretariat added to its own paragraph."


@pytest.fixture
def front(alice, demo):
    update_report_settings(
        alice,
        demo,
        organs=["general-assembly", "ecosoc"],
        session="Sixty-sixth session",
        agenda_items="Item 17 of the preliminary list (fictional for this test)",
        distribution="general",
        symbol="A/00/111-E/0000/222",
        original_language="en",
        date_of_issue=datetime.date(2011, 5, 4),
    )
    return demo


@pytest.fixture
def draft(alice, front):
    draft = generate_report("test", front, "en")
    paragraph = draft.paragraphs.get(key="organization.channels")
    edit_paragraph(alice, paragraph, paragraph.text, [NOTE])
    add_paragraph(alice, draft, "conclusions", "The secretariat's own conclusion (fictional).", footnotes=[ADDED_NOTE])
    return draft


FRONT_EN = [
    "United Nations",
    "A/00/111-E/0000/222",
    "General Assembly",
    "Economic and Social Council",
    "Sixty-sixth session",
    "Item 17 of the preliminary list (fictional for this test)",
    "Distr.: General",
    "4 May 2011",
    "Original: English",
]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_docx_has_the_front_matter_a_titled_table_and_real_footnotes(draft):
    document = docx.Document(io.BytesIO(render.to_docx(draft)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    for field in FRONT_EN:
        assert field in text, field
    # The front matter comes before the title, the date is the secretariat's (not the day it was generated).
    assert text.index("Original: English") < text.index(draft.consultation.title)
    # The table's title is the paragraph just before the table in the document's body.
    body = document.element.body
    table = body.index(document.tables[0]._tbl)
    assert body[table - 1].xpath("string(.)") == "Table: Contributions by stakeholder group and channel"
    notes = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/footnotes")][0]
    blob = notes.blob.decode()
    assert NOTE in blob and ADDED_NOTE in blob
    # Paragraph numbers run across the chapters: 1, 2, 3 ... with no restart.
    numbers = [int(m.group(1)) for p in paragraphs if (m := re.match(r"(\d+)\. ", p))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 5


@needs_noto_fonts()
def test_the_pdf_has_the_front_matter_the_table_title_and_footnotes_at_the_foot_of_the_page(draft):
    reader = PdfReader(io.BytesIO(render.to_pdf(draft)))
    first = flat(reader.pages[0].extract_text())
    for field in FRONT_EN:
        assert field in first, field
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Table: Contributions by stakeholder group and channel" in text
    assert NOTE in text and ADDED_NOTE in text
    # The symbol heads every page, as on a UN document, not only the first.
    assert len(reader.pages) > 1 and all("A/00/111-E/0000/222" in page.extract_text() for page in reader.pages)


def test_html_and_markdown_have_numbered_footnotes_linked_both_ways(draft):
    html = render.to_html(draft)
    for field in FRONT_EN:
        assert field in html, field
    assert "<caption>Table: Contributions by stakeholder group and channel</caption>" in html
    notes = re.findall(r'<li id="fn-(\d+)" value="\d+">([^<]*) <a href="#fnref-\1"', html)
    assert [text for _n, text in notes] == [NOTE, ADDED_NOTE]
    assert all(f'<a href="#fn-{n}" id="fnref-{n}">{n}</a>' in html for n, _text in notes)

    md = render.to_markdown(draft)
    assert re.search(r"\[\^1\]", md.split("[^1]:")[0])  # the call, before its text
    assert f"[^1]: {NOTE}" in md and f"[^2]: {ADDED_NOTE}" in md
    assert "**Table: Contributions by stakeholder group and channel**" in md
    for field in FRONT_EN:
        assert render.md_text(field) in md, field


def test_only_the_original_says_original_and_a_translation_says_it_is_one(front):
    fr = render.to_html(generate_report("test", front, "fr"))
    assert "Original" not in re.sub(r"<[^>]+>", " ", fr.split("<h1>")[0])
    assert "anglais" in fr.split("<h1>")[0]  # "translated from English", in French
    assert "4 mai 2011" in fr
    en = render.to_markdown(generate_report("test", front, "en"))
    assert "Original: English" in en


def test_coverage_lists_the_contributions_the_synthesis_does_not_cite(draft):
    ctx = render.context(draft)
    cited = {
        r for s in ctx["sections"] if s["key"] in render.SYNTHESIS for i in s["items"] for r in i.paragraph.sources
    }
    public = set(
        Contribution.objects.filter(consultation=draft.consultation).public().values_list("receipt_number", flat=True)
    )
    uncited = sorted(public - cited)
    assert ctx["coverage"]["uncited"] == uncited and ctx["coverage"]["cited"] == len(public & cited)
    lines = render.coverage_lines(ctx)
    assert f"cite {len(public & cited)} of the {len(public)} public contributions" in lines[0]
    if uncited:
        assert render.receipt_ranges(uncited) in lines[1]
    # The annex says, for each contribution, which paragraphs cite it ("—" for none).
    md = render.to_markdown(draft)
    row = next(line for line in md.splitlines() if line.startswith(f"| {render.md_text(sorted(public)[0])} |"))
    numbers = ctx["cited_in"].get(sorted(public)[0])
    assert row.endswith(f"| {', '.join(map(str, numbers)) if numbers else '—'} |")


def test_a_removed_paragraph_is_in_no_format(alice, draft):
    from concord.reports.services import remove_paragraph

    paragraph = draft.paragraphs.get(key="organization.debate")
    remove_paragraph(alice, paragraph)
    assert paragraph.generated_text[:40] not in render.to_markdown(draft)
    assert ReportParagraph.objects.filter(pk=paragraph.pk, removed=True).exists()


def _pdf_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


@needs_noto_fonts()
@pytest.mark.parametrize(
    "language, family, sample", [("zh-hans", "CJK-SC", "联合国"), ("ar", "Naskh-Arabic", "الأمم المتحدة")]
)
def test_the_pdf_lays_each_script_out_in_its_noto_font(front, language, family, sample):
    """WeasyPrint finds the fonts through fontconfig: the front matter's words in the report's script come back
    from the PDF, set in that script's Noto font."""
    pdf = render.to_pdf(generate_report("test", front, language))
    assert any(family in font for font in _pdf_fonts(pdf))
    assert sample in flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
