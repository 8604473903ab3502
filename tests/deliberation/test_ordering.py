"""The next statement is drawn as Pol.is draws its next comment: weighted by priority, new and dividing statements
first, meta statements early, the same one until the voter votes."""

import random

import pytest
from django.test import Client
from django.urls import reverse

from concord.deliberation import ordering, selectors, services
from concord.deliberation.models import OpinionResult
from concord.deliberation.opinions import refresh

pytestmark = pytest.mark.django_db


def test_the_priority_is_pol_is_s():
    # polismath's own examples (conversation.clj): (priority-metric false 1 0 1 0) and (... false 20 3 20 0).
    assert ordering.priority(1, 0, 1, 0) == pytest.approx(((2 / 3) * (2 / 3) * (1 + 8 * 2 ** (-1 / 5))) ** 2)
    assert ordering.priority(20, 3, 20, 0) == pytest.approx(((1 - 4 / 22) * (21 / 22) * (1 + 8 * 2**-4)) ** 2)
    assert ordering.priority(5, 0, 5, 0, meta=True) == 49
    # New statements bubble up; with as many votes, passes push down and extremity up.
    assert ordering.priority(0, 0, 0, 0) > ordering.priority(10, 0, 20, 0)
    assert ordering.priority(10, 8, 20, 0) < ordering.priority(10, 0, 20, 0) < ordering.priority(10, 0, 20, 1.5)


def test_the_draw_follows_the_weights():
    rng = random.Random(7)
    drawn = [ordering.draw(["a", "b"], [1.0, 3.0], rng) for _ in range(4000)]
    assert 0.72 < drawn.count("b") / len(drawn) < 0.78
    assert ordering.draw(["a", "b"], [0.0, 0.0], rng) in {"a", "b"} and ordering.draw([], [], rng) is None


def test_a_voter_sees_the_heaviest_statement_first_and_the_same_until_voting(
    frozen, phase, statements, representatives
):
    voter, key = representatives[0]
    refresh(phase)
    data = OpinionResult.objects.get(phase=phase).data
    assert set(data["priorities"]) == {"1", "2", "3"}
    data["priorities"] = {"1": 1e-9, "2": 1e9, "3": 1e-9}
    OpinionResult.objects.filter(phase=phase).update(data=data)
    assert selectors.next_statement(voter) == (statements[1], 3)
    url = reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key})
    client = Client()
    pages = {client.get(url).content.decode().split('name="statement" value="')[1][:8] for _ in range(3)}
    assert len(pages) == 1  # a reload shows the same statement


def test_meta_statements_and_new_ones_weigh_more_once_computed(frozen, phase, statements, representatives):
    meta = services.add_statement("alice", phase, text="This conversation is useful.", is_meta=True)
    for voter, _key in representatives:
        for statement in statements:
            services.cast_vote(voter, statement, 0, now=frozen)  # everyone passes on the first three
    refresh(phase)
    weights = OpinionResult.objects.get(phase=phase).data["priorities"]
    assert weights[str(meta.number)] == 49
    assert all(weights[str(s.number)] < ordering.NEW_STATEMENT for s in statements)
