"""The synthesis report's proposals come from the stances: an opponent is never counted among the proposers."""

import pytest

from concord.contributions.models import Consent
from concord.positions import services
from concord.reports.generate import draft_paragraphs, gather
from tests.factories import make_contribution, make_entity

from .conftest import stance_row


@pytest.fixture
def record(consultation, position):
    government = [
        make_contribution(
            consultation, make_entity(group="government"), text=f"We propose a new intergovernmental body ({i})."
        )
        for i in range(2)
    ]
    # The keyword patterns read "intergovernmental" and "propose" here and counted it as a proposer.
    opponent = make_contribution(
        consultation,
        make_entity(group="civil-society"),
        text="We oppose the creation of any intergovernmental mechanism; others propose one.",
    )
    withheld = make_contribution(
        consultation, make_entity(group="private-sector"), text="We oppose it too.", consent=Consent.WITHHELD
    )
    results = {c.pk: [stance_row("new-body", "support", c.text)] for c in government}
    results[opponent.pk] = [stance_row("new-body", "oppose", opponent.text)]
    results[withheld.pk] = [stance_row("new-body", "oppose", withheld.text)]
    services.save_stances("test", consultation, results)
    return government, opponent, withheld


def test_the_report_says_who_put_a_position_forward_and_who_opposed_it(consultation, record):
    government, opponent, withheld = record
    paras = {p.key: p for p in draft_paragraphs(gather(consultation))}
    para = paras["position.new-body"]
    # Three contributions on the two sides: the counts say it all, and the quotes follow them.
    assert para.text.startswith(
        "Few contributions took a side on the proposal “\u2068A new intergovernmental body should be created\u2069”: "
        "2 contributions in favour (Governments: 2), 1 contribution against (Civil society: 1). In favour, "
    )
    assert sorted(para.sources) == sorted([c.receipt_number for c in government] + [opponent.receipt_number])
    assert withheld.receipt_number not in para.sources
    # No keyword paragraph counts the opponent among those putting forward an intergovernmental body.
    assert "mechanism.intergovernmental-body" not in paras


def test_without_stances_the_report_keeps_its_keyword_paragraphs(consultation):
    make_contribution(consultation, make_entity(group="government"), text="We propose an intergovernmental body.")
    paras = {p.key for p in draft_paragraphs(gather(consultation))}
    assert "mechanism.intergovernmental-body" in paras
    assert not any(key.startswith("position.") for key in paras)


def test_the_report_reads_the_positions_in_french(consultation, record):
    from django.utils import translation

    with translation.override("fr"):
        paras = {p.key: p for p in draft_paragraphs(gather(consultation))}
    text = paras["position.new-body"].text
    assert text.startswith(
        "Peu de contributions se sont prononcées sur la proposition «\u00a0\u2068Un nouvel organe intergouvernemental "
        "devrait être créé\u2069\u00a0»\u00a0: 2 contributions pour (Gouvernements\u00a0: 2), 1 contribution "
        "contre (Société civile\u00a0: 1)."
    )
