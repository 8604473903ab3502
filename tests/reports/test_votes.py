"""Issue 19, item 7: where a consultation has a statements phase, the report's conclusions say where the votes
converge and where they divide, with the counts the votes give."""

import re

import pytest
from django.db.models import Count, Q

from concord.consultations.demo import load_rehearsal
from concord.deliberation.models import Statement
from concord.reports.services import generate_report

pytestmark = pytest.mark.django_db

COUNTS = re.compile(r"“\u2068([^\u2069]*)\u2069” \((\d+) agreed, (\d+) disagreed, (\d+) passed\)")


@pytest.fixture
def rehearsal(demo):
    return load_rehearsal()


def test_the_conclusions_give_the_votes_with_their_counts(rehearsal):
    draft = generate_report(None, rehearsal, "en")
    keys = {p.key: p for p in draft.paragraphs.all()}
    opening = keys["conclusions.votes"].generated_text
    assert opening.startswith("[Draft for the secretariat] In the statements phase, ")
    assert "opinion group" in opening
    listed = [
        match
        for key in ("conclusions.votes.agreement", "conclusions.votes.divergence")
        if key in keys
        for match in COUNTS.findall(keys[key].generated_text)
    ]
    assert listed, "neither agreement nor divergence was reported"
    for text, agree, disagree, passed in listed:
        statement = (
            Statement.objects.filter(phase__consultation=rehearsal, text__startswith=text.rstrip(" …")[:60])
            .annotate(
                agree=Count("votes", filter=Q(votes__value=1)),
                disagree=Count("votes", filter=Q(votes__value=-1)),
                passed=Count("votes", filter=Q(votes__value=0)),
            )
            .get()
        )
        assert (statement.agree, statement.disagree, statement.passed) == (int(agree), int(disagree), int(passed))


def test_a_consultation_without_a_statements_phase_says_nothing_of_votes(demo):
    draft = generate_report(None, demo, "en")
    assert not draft.paragraphs.filter(key__startswith="conclusions.votes").exists()
