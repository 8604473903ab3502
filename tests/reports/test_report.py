"""The synthesis report: computed from the records, traceable, editable, in every format and language."""

import io
import re

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import Contribution
from concord.contributions.services import moderate_contribution
from concord.core.audit import entries_for
from concord.reports import render
from concord.reports.models import ReportParagraph
from concord.reports.services import edit_paragraph, generate_report

pytestmark = pytest.mark.django_db
TABLE = [
    ["Governments", "11", "13", "8", "32"],
    ["International organizations", "7", "1", "0", "8"],
    ["Civil society", "32", "7", "3", "42"],
    ["Private sector", "9", "5", "2", "16"],
    ["Total", "59", "26", "13", "98"],
]


@pytest.fixture
def analysed(analysed_demo):
    return analysed_demo


@pytest.fixture
def draft(analysed):
    return generate_report("test", analysed, "en")


def receipts(consultation) -> list[str]:
    """What the annex lists: the public contributions (the demo withholds one, which the table still counts)."""
    public = Contribution.objects.filter(consultation=consultation).public()
    assert public.count() < Contribution.objects.filter(consultation=consultation).count()
    return sorted(public.values_list("receipt_number", flat=True))


def test_every_format_has_the_computed_table_counts_and_every_receipt(draft):
    document = docx.Document(io.BytesIO(render.to_docx(draft)))
    table, annex = document.tables[0], document.tables[1]
    assert [[cell.text for cell in row.cells] for row in table.rows][1:] == TABLE
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A total of 85 written or oral contributions were received" in text
    assert "13 participants took the floor in the open debate" in text
    assert sorted(row.cells[0].text for row in annex.rows[1:]) == receipts(draft.consultation)
    # Real footnotes: a footnotes part with one note per cited paragraph.
    footnotes = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/footnotes")]
    assert footnotes and footnotes[0].blob.count(b"<w:footnote ") >= 3

    reader = PdfReader(io.BytesIO(render.to_pdf(draft)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "A total of 85 written or oral contributions were received" in flat
    assert "13 participants took the floor" in flat
    assert re.search(r"Governments\s+11\s+13\s+8\s+32", text)
    assert re.search(r"Total\s+59\s+26\s+13\s+98", text)
    annex = flat[flat.index("Annex: Contributions received") :]
    assert printed_annex_receipts(annex) == receipts(draft.consultation)

    md = render.to_markdown(draft)
    numbers = [int(m) for m in re.findall(r"^(\d+)\. ", md, re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    issue = draft.paragraphs.filter(key__startswith="issue.").first()
    assert issue.sources and all(r.startswith("EC2010-") for r in issue.sources)
    # Coverage counts the synthesis's citations among the 97 public contributions (the withheld one is not listed).
    assert re.search(r"Coverage: the paragraphs of chapters .* cite \d+ of the 97 public contributions", md)


def test_arabic_is_right_to_left_and_chinese_has_real_glyphs(analysed):
    draft = generate_report("test", analysed, "ar")
    html = render.to_html(draft)
    assert '<html lang="ar" dir="rtl">' in html
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render.to_pdf(draft))).pages)
    assert "الحكومات" in text
    assert "المجتمع المدني" in text
    pages = PdfReader(io.BytesIO(render.to_pdf(generate_report("test", analysed, "zh-hans")))).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "各国政府" in text or "民间社会" in text or "国际组织" in text


def test_regenerating_keeps_an_edit_and_flags_changed_sources(alice, draft):
    paragraph = draft.paragraphs.filter(key__startswith="issue.").order_by("position").first()
    edit_paragraph(alice, paragraph, "The secretariat's own summary of this issue.")
    assert entries_for(paragraph).get(action="report.edit").actor == alice
    generate_report(alice, draft.consultation, "en")
    paragraph.refresh_from_db()
    assert paragraph.text == "The secretariat's own summary of this issue."
    assert not paragraph.sources_changed
    # A cited contribution is rejected as spam: the records under the edit changed.
    cited = Contribution.objects.get(receipt_number=paragraph.sources[0])
    moderate_contribution(alice, cited, "reject", "Spam.")
    generate_report(alice, draft.consultation, "en")
    paragraph.refresh_from_db()
    assert paragraph.text == "The secretariat's own summary of this issue."
    assert paragraph.sources_changed
    assert cited.receipt_number not in paragraph.sources


def test_on_the_site_the_secretariat_edits_and_the_public_reads(alice, alice_client, client, demo):
    from django.core.exceptions import ValidationError

    draft = generate_report("test", demo, "en")
    table = draft.paragraphs.get(kind=ReportParagraph.Kind.TABLE)
    with pytest.raises(ValidationError):
        edit_paragraph(alice, table, "98 contributions, trust us.")
    paragraph = draft.paragraphs.get(key="organization.channels")
    url = reverse("reports:edit", kwargs={"slug": DEMO_SLUG})
    response = alice_client.post(url, {"paragraph": paragraph.pk, "text": "Edited on the site."})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.edited_text == "Edited on the site."
    page = client.get(reverse("reports:report", kwargs={"slug": DEMO_SLUG}))
    assert page.status_code == 200
    assert "85 written or oral contributions" in page.content.decode()
    pdf = client.get(reverse("reports:download", kwargs={"slug": DEMO_SLUG, "fmt": "pdf"}))
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("reports:edit", kwargs={"slug": DEMO_SLUG})).status_code == 302


def test_the_report_command_writes_each_format(demo, tmp_path):
    for fmt in ("pdf", "docx", "md", "html"):
        path = tmp_path / f"report.{fmt}"
        call_command("report", DEMO_SLUG, "--lang", "fr", "--format", fmt, "--output", str(path))
        assert path.stat().st_size > 1000


def test_generation_takes_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    from concord.reports.generate import draft_paragraphs, gather

    # 21 whatever the number of contributions; the last one asks whether the consultation had a statements phase.
    with django_assert_max_num_queries(21):
        draft_paragraphs(gather(demo))


def test_citations_are_exact_ranges_of_receipt_numbers():
    receipts = ["EC-W-000001", "EC-W-000002", "EC-W-000003", "EC-W-000007", "EC-P-000002", "EC-W-000009"]
    assert render.receipt_ranges(receipts) == "EC-P-000002; EC-W-000001–000003, 000007, 000009"
    assert render.citation(receipts) == "6 contributions: EC-P-000002; EC-W-000001–000003, 000007, 000009"
    assert render.citation(["EC-W-000010"]) == "1 contribution: EC-W-000010"
    assert render.citation([]) == ""


def printed_annex_receipts(text: str) -> list[str]:
    """The receipt numbers of a printed annex: written in full, or (a long annex) each heading's beginning, then
    each number's digits under it."""
    text = text.replace("\u2060", "")  # the word joiners that keep a number on one line
    text = re.split(r"stands for receipt number \S+", text, maxsplit=1)[-1]  # after the legend's example
    found, prefix = [], None
    for token in re.findall(r"\b([A-Z0-9]+-[A-Z]-\d{6})\b|([^\s>]+-)…|\b(\d{6})\b", text):
        if token[0]:
            found.append(token[0])
        elif token[1]:
            prefix = token[1]
        elif prefix:
            found.append(prefix + token[2])
    return sorted(found)


def test_the_printed_annex_lists_every_contributor_with_its_receipts(draft, monkeypatch):
    pieces, note = render._annex_blocks(render.context(draft))
    html = "".join(pieces).replace("\u2060", "")
    # A short annex spells each number out, as on the receipt.
    assert re.findall(r"EC2010-[WPI]-\d{6}", html) and not note
    assert printed_annex_receipts(html) == receipts(draft.consultation)
    named = Contribution.objects.filter(consultation=draft.consultation, consent="named").first()
    assert f"\u2068{escape(named.entity.name)}\u2069: " in html
    # A long one writes each heading's common beginning once, and says how to read the digits under it.
    monkeypatch.setattr(render, "PRINT_DIGITS_FROM", 1)
    pieces, note = render._annex_blocks(render.context(draft))
    html = "".join(pieces)
    assert not re.findall(r"EC2010-[WPI]-\d{6}", html)
    assert printed_annex_receipts(html) == receipts(draft.consultation)
    assert re.search(r"Under a heading ending with EC2010-[WPI]-…, \d{6} stands for receipt number EC2010-", note)


def test_a_long_report_is_laid_out_in_two_processes_and_numbered_across_them(draft, monkeypatch):
    monkeypatch.setattr(render, "PDF_TWO_PROCESSES_FROM", 1)
    monkeypatch.setattr(render, "_may_fork", lambda: True)  # pytest-xdist's worker runs a thread of its own
    pdf = render.to_pdf(draft)
    assert b"/ConcordPageNumber" in pdf  # laid out in two parts, joined and numbered
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"{number}/{len(pages)}" in text
    flat = " ".join(" ".join(pages).split())
    assert "A total of 85 written or oral contributions were received" in flat
    assert printed_annex_receipts(flat[flat.index("Annex: Contributions received") :]) == receipts(draft.consultation)


def test_a_long_pdf_may_be_cut_among_the_sources_or_the_annex_and_prints_each_part_once(draft, monkeypatch):
    monkeypatch.setattr(render, "PRINT_INLINE_CITATION", 0)  # every cited paragraph's sources after the body
    ctx = render.context(draft)
    sources = render._print_citations(ctx)[1]
    blocks = render._annex_blocks(ctx)[0]
    numbers = [entry["number"] for entry in sources]
    assert len(sources) > 1 and len(blocks) > 1
    for cut in (0, 1, len(sources), len(sources) + 1):
        monkeypatch.setattr(render, "_split", lambda first, lengths, cut=cut: cut)
        first, second = render._print_documents(ctx, split=True)
        both = first + second
        printed = [int(n) for n in re.findall(r'<p class="source-entry"><b>(\d+)\.</b>', both)]
        assert printed == numbers, cut  # each paragraph's sources once, in order, across the two documents
        assert re.findall(r'<p class="source-entry">', first) == ['<p class="source-entry">'] * min(cut, len(numbers))
        assert both.count("Sources of the paragraphs") == 1 and both.count("Contributions received</h2>") == 1
        assert both.count('<h3 class="annex-block">') == len(blocks)
        assert "A total of 85 written or oral contributions" in first and "written or oral" not in second
        assert second.count('class="symbol-anchor"') == 1  # the running head's symbol, from the first page on


def test_a_web_server_thread_never_forks():
    import threading

    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert not render._may_fork()
    finally:
        done.set()
        thread.join()


def expand(shortened: str) -> list[str]:
    """Read a shortened list back: each number replaces the last digits of the number before it."""
    receipts = []
    for group in shortened.split("; "):
        prefix, _, rest = group.rpartition("-")
        prefix += "-"
        previous = ""
        for item in rest.split(", "):
            first, _, last = item.partition("–")
            first = previous[: len(previous) - len(first)] + first
            last = first[: len(first) - len(last)] + last if last else first
            receipts += [f"{prefix}{n:0{len(first)}d}" for n in range(int(first), int(last) + 1)]
            previous = last
    return receipts


def test_shortened_citations_read_back_exactly():
    receipts = ["EC-W-000101", "EC-W-000107", "EC-W-000112", "EC-W-000215", "EC-W-000216", "EC-W-001099"]
    receipts += ["EC-P-000002", "EC-P-000003"]
    shortened = render.receipt_ranges(receipts, shorten=True)
    assert shortened == "EC-P-000002–03; EC-W-000101, 07, 12, 215–16, 1099"
    assert expand(shortened) == sorted(receipts)


def test_the_printed_body_sends_long_citations_to_the_sources_of_the_paragraphs(draft, monkeypatch):
    monkeypatch.setattr(render, "PRINT_INLINE_CITATION", 0)
    ctx = render.context(draft)
    sections, sources, legend = render._print_citations(ctx)
    cited = {item.number: item.paragraph for s in ctx["sections"] for item in s["items"] if item.refs}
    assert [entry["number"] for entry in sources] == sorted(cited)
    for entry in sources:
        assert expand("".join(entry["parts"])) == cited[entry["number"]].sources
    prefix = sources[0]["parts"][0][:9]  # this consultation's own receipt numbers, in the legend's example
    assert f"{prefix}000103, 07, 12, 215 stands for {prefix}000103, {prefix}000107, {prefix}000112 and " in legend

    reader = PdfReader(io.BytesIO(render.to_pdf(draft)))
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    number = sources[0]["number"]
    assert f"listed in the sources of paragraph {number}." in flat  # the paragraph's footnote points there
    assert "Sources of the paragraphs" in flat


def test_the_report_uses_the_language_s_title_and_mandate_and_marks_the_original(alice, demo):
    from django.utils import translation

    from concord.consultations.services import translate_consultation
    from concord.reports.generate import localized

    translate_consultation(alice, demo, "fr", title="Coopération renforcée (fr)", mandate="Le mandat (fr).")
    draft = generate_report("test", demo, "fr")
    assert "Coopération renforcée (fr)" in draft.paragraphs.get(key="summary.outcome").text
    assert draft.paragraphs.get(key="background.mandate").text == "Le mandat (fr)."
    assert render.to_markdown(draft).startswith("# Coopération renforcée (fr)\n")

    # No Spanish text entered (the demo's is taken away): the English one, quoted, isolated and marked.
    demo.translations.pop("es", None)
    demo.save(update_fields=["translations"])
    draft = generate_report("test", demo, "es")
    with translation.override("es"):
        _title, language, mark = localized(demo, "title")
    assert language == "en" and mark
    assert f"“\u2068{demo.title}\u2069” {mark}" in draft.paragraphs.get(key="summary.outcome").text
    assert '<h1><span lang="en">' in render.to_html(draft) and 'class="untranslated"' in render.to_html(draft)


def test_a_long_pdf_is_cut_where_both_halves_have_as_much_to_lay_out():
    assert render._split(10, [5, 5, 5, 5]) == 1  # body and one block | three blocks
    assert render._split(40, [5, 5]) == 0  # the body alone is the longer half
    assert render._split(0, [30, 1, 1, 28]) == 1


def test_a_name_written_the_other_way_stays_on_one_line_of_the_annex():
    assert render._unbroken("Republic of Arcadia", rtl=False) == "Republic of Arcadia"
    assert render._unbroken("Télécoms Kayor-Atlantique", rtl=True) == "Télécoms\xa0Kayor-\u2060Atlantique"
    assert render._unbroken("شركة نجمة الواحات", rtl=False) == "شركة\xa0نجمة\xa0الواحات"
    assert render._unbroken("شركة نجمة الواحات", rtl=True) == "شركة نجمة الواحات"


def test_an_arabic_annex_keeps_each_number_beside_its_contributor(analysed):
    """In a right-to-left line, each number is isolated like each name: a number, a separator and the next Latin
    name would otherwise make one left-to-right run and show the number beside the wrong contributor."""
    html = "".join(render._annex_blocks(render.context(generate_report("test", analysed, "ar")))[0])
    numbers = re.findall(r"EC2010-\u2060?[WPI]-\u2060?\d{6}", html)
    assert numbers and all(f"\u2066{number}\u2069" in html for number in numbers)
