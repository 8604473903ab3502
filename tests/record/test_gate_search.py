"""Moderation, consent and withdrawal reach search counts and facets in their own transaction, not when the
background worker (which also runs OCR jobs of minutes) gets to reindexing."""

import pytest

from concord.consultations.services import update_consultation
from concord.contributions.models import Consent, Contribution, Moderation
from concord.contributions.services import moderate_contribution, set_consent, withdraw_contribution
from concord.record import search, services
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_worker(settings):
    """Tasks are queued and never run, as when the worker is busy with a long OCR job."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def record():
    consultation = make_consultation()
    contributions = [
        make_contribution(
            consultation,
            make_entity(f"Fictional Gate Body {i}", group=group, category=category),
            text=f"Interconnection costs matter, says body {i}.",
        )
        for i, (group, category) in enumerate(
            [("government", "member-state"), ("civil-society", "ecosoc-ngo"), ("private-sector", "business")]
        )
    ]
    services.rebuild_index("test", consultation)
    return consultation, contributions


def counts(consultation, q="interconnection"):
    found = search.search(consultation, search.SearchParams(q=q), with_facets=True)
    return found.count, found.facets["group"], len(found.hits)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: moderate_contribution("alice", c, "hold", "Checking a claim."),
        lambda c: moderate_contribution("alice", c, "reject", "Spam."),
        lambda c: set_consent("alice", c, Consent.WITHHELD),
        lambda c: withdraw_contribution("alice", c, now=c.received_at),
    ],
    ids=["held", "rejected", "withheld", "withdrawn"],
)
def test_a_contribution_leaves_search_counts_and_facets_in_the_same_transaction(record, busy_worker, change):
    consultation, contributions = record
    assert counts(consultation) == (3, {"government": 1, "civil-society": 1, "private-sector": 1}, 3)
    change(contributions[1])
    assert counts(consultation) == (2, {"government": 1, "private-sector": 1}, 2)
    # Without words too: the count and facets of a plain listing are read from the documents as well.
    assert counts(consultation, q="")[:2] == (2, {"government": 1, "private-sector": 1})


def test_a_held_contribution_published_again_is_found_again_at_once(record, busy_worker):
    consultation, contributions = record
    moderate_contribution("alice", contributions[0], "hold", "Checking a claim.")
    moderate_contribution("alice", contributions[0], "publish", "Checked.")
    assert counts(consultation)[0] == 3


def test_pending_contributions_leave_search_when_the_consultation_moderates_first(record, busy_worker):
    consultation, contributions = record

    update_consultation("alice", consultation, premoderation=False)
    Contribution.objects.filter(pk=contributions[2].pk).update(moderation=Moderation.PENDING)
    services.rebuild_index("test", consultation, everything=True)
    assert counts(consultation)[0] == 3
    update_consultation("alice", consultation, premoderation=True)
    assert counts(consultation) == (2, {"government": 1, "civil-society": 1}, 2)
