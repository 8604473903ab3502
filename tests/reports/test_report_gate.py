"""A report drafted before a quoted contribution was held, withdrawn or withheld never prints its words."""

import re

import pytest

from concord.contributions.models import Consent, Contribution
from concord.contributions.services import moderate_contribution, set_consent
from concord.reports import render
from concord.reports.services import generate_report
from tests.reports.test_report import expand

pytestmark = pytest.mark.django_db


def _quoted(draft) -> tuple[str, Contribution]:
    """A quote printed in an issue paragraph, and the contribution it comes from."""
    for paragraph in draft.paragraphs.filter(key__startswith="issue."):
        for quote in re.findall("“\u2068(.+?)\u2069”", paragraph.text):
            quote = quote.removesuffix(" …")
            contribution = Contribution.objects.filter(consultation=draft.consultation, text__contains=quote).first()
            if contribution is not None:
                return quote, contribution
    raise AssertionError("the demo's report quotes contributions")


@pytest.mark.parametrize(
    "change",
    [
        lambda c: moderate_contribution("alice", c, "hold", "A complaint to check."),
        lambda c: set_consent("alice", c, Consent.WITHHELD),
    ],
    ids=["held", "withheld"],
)
def test_a_quote_of_a_contribution_made_private_after_drafting_is_not_printed(alice, analysed_demo, change):
    draft = generate_report(alice, analysed_demo, "en")
    quote, contribution = _quoted(draft)
    assert quote in render.to_markdown(draft)
    change(contribution)
    markdown = render.to_markdown(draft)
    assert quote not in markdown
    assert contribution.receipt_number not in markdown
    # Rendering drafts again for itself only: the stored draft is what the secretariat regenerates and reviews.
    assert any(quote in p.generated_text for p in draft.paragraphs.all())


def test_an_edited_paragraph_keeps_its_editor_s_words(alice, analysed_demo, monkeypatch):
    from concord.reports.services import edit_paragraph

    draft = generate_report(alice, analysed_demo, "en")
    quote, contribution = _quoted(draft)
    paragraph = next(p for p in draft.paragraphs.filter(key__startswith="issue.") if quote in p.text)
    edit_paragraph(alice, paragraph, "The secretariat's own summary of this issue.")
    moderate_contribution("alice", contribution, "hold", "A complaint to check.")
    markdown = render.to_markdown(draft)
    assert "The secretariat's own summary of this issue." in markdown
    assert contribution.receipt_number not in markdown
    # Nor in print, where a long citation goes to the sources of the paragraphs (and the edited paragraph still
    # lists the held contribution among its stored sources).
    assert contribution.receipt_number in paragraph.sources
    monkeypatch.setattr(render, "PRINT_INLINE_CITATION", 0)
    _sections, sources, _legend = render._print_citations(render.context(draft))
    printed = [receipt for entry in sources for receipt in expand("".join(entry["parts"]))]
    assert printed and contribution.receipt_number not in printed
