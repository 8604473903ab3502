"""The contribution page marks, inside the contribution's own text, the sentences each of its stances rests on."""

import re

from django.urls import reverse

from concord.positions import services
from tests.factories import make_contribution, make_entity

TEXT = "Thank you for this consultation.\n\nWe call for a new body <with teeth>. It should report to the UN."


def page(client, consultation, contribution) -> str:
    url = reverse("record:contribution", args=[consultation.slug, contribution.receipt_number])
    return client.get(url).content.decode()


def analysed(contribution, sentence: str) -> dict:
    """An evidence entry as the analysis stores it: offsets into the contribution's analysis text."""
    start = contribution.analysis_text.index(sentence)
    return {"text": sentence, "start": start, "end": start + len(sentence)}


def test_the_evidence_sentence_is_marked_in_the_text_and_linked_from_the_positions_list(client, consultation, position):
    contribution = make_contribution(consultation, make_entity(group="government"), text=TEXT)
    sentence = "We call for a new body <with teeth>."
    row = {"position": "new-body", "stance": "support", "score": 0.9, "evidence": [analysed(contribution, sentence)]}
    services.save_stances("test", consultation, {contribution.pk: [row]})

    body = page(client, consultation, contribution)

    marks = re.findall(r'<mark id="(evidence-\d+-\d+)" class="evidence">([^<]*)</mark>', body)
    assert marks == [(marks[0][0], "We call for a new body &lt;with teeth&gt;.")]
    assert f'href="#{marks[0][0]}"' in body
    # The rest of the text is still there, escaped, and only the evidence is marked.
    assert "It should report to the UN." in body and "<with teeth>" not in body
    assert body.count("<mark") == 1


def test_a_sentence_the_text_no_longer_has_is_listed_but_not_marked(client, consultation, position):
    contribution = make_contribution(consultation, make_entity(group="government"), text=TEXT)
    gone = {"text": "We oppose any new body.", "start": 3, "end": 26}
    row = {"position": "new-body", "stance": "oppose", "score": 0.9, "evidence": [gone]}
    services.save_stances("test", consultation, {contribution.pk: [row]})

    body = page(client, consultation, contribution)

    assert "We oppose any new body." in body  # in the positions list
    assert "<mark" not in body and 'class="evidence-link"' not in body


def test_stale_offsets_still_find_the_sentence_in_the_text(client, consultation, position):
    contribution = make_contribution(consultation, make_entity(group="government"), text=TEXT)
    moved = {"text": "It should report to the UN.", "start": 0, "end": 27}
    row = {"position": "new-body", "stance": "support", "score": 0.9, "evidence": [moved]}
    services.save_stances("test", consultation, {contribution.pk: [row]})

    body = page(client, consultation, contribution)

    assert re.search(r'<mark id="evidence-\d+-\d+" class="evidence">It should report to the UN\.</mark>', body)
