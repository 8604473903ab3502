"""A new or changed contribution is analysed by the worker once its consultation's changes settle (debounced)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from concord.contributions.models import Source
from concord.contributions.services import moderate_contribution, submit_written_contribution
from concord.contributions.submission import Submitter
from concord.policy import background
from concord.policy.models import AnalysisState, ContributionIssue, TagSource
from concord.policy.services import set_contribution_issues
from tests.factories import OPENS, make_consultation

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
TEXTS = [
    "Spam and unsolicited bulk e-mail burden small businesses; cybersecurity cooperation must fight botnets.",
    "La protection des données personnelles et de la vie privée doit être garantie en ligne.",
    "Interconnection costs for developing countries remain far too high for affordable access.",
]


@pytest.fixture
def arrive(django_capture_on_commit_callbacks):
    """Submit a text; what runs after commit (the analysis's scheduling) runs here, as after a real commit."""

    def submit(consultation, text, at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return submit_written_contribution(
                None,
                consultation,
                submitter=Submitter(kind="individual", name="Ada Fictional", email="ada@example.org"),
                text=text,
                source=Source.WEB,
            ).contribution

    return submit


def test_a_burst_of_contributions_is_analysed_once_after_it_settles(settings, arrive):
    settings.CONCORD_ANALYSIS_DELAY = 60
    consultation = make_consultation()
    received = [arrive(consultation, text, DURING + dt.timedelta(seconds=10 * i)) for i, text in enumerate(TEXTS)]
    # Each change reached the worker (the record's task) and marked the consultation; nothing analysed yet.
    state = AnalysisState.objects.get(consultation=consultation)
    assert state.requested_at == DURING + dt.timedelta(seconds=20)
    assert not ContributionIssue.objects.exists()
    assert background.analyse_if_settled(consultation.pk, now=DURING + dt.timedelta(seconds=70)) == "waiting"
    assert background.analyse_if_settled(consultation.pk, now=DURING + dt.timedelta(seconds=81)) == "analysed"
    tagged = set(ContributionIssue.objects.values_list("contribution_id", flat=True))
    assert tagged == {c.pk for c in received}
    assert set(ContributionIssue.objects.values_list("source", flat=True)) == {TagSource.AUTO}
    # Safe to run twice: the change was claimed.
    assert background.analyse_if_settled(consultation.pk, now=DURING + dt.timedelta(seconds=90)) == "idle"


def test_moderation_alone_triggers_no_new_run(settings, alice, arrive, django_capture_on_commit_callbacks):
    settings.CONCORD_ANALYSIS_DELAY = 0
    consultation = make_consultation()
    contribution = arrive(consultation, TEXTS[0], DURING)
    assert ContributionIssue.objects.filter(contribution=contribution).exists(), "analysed at once with no delay"
    analysed_at = AnalysisState.objects.get(consultation=consultation).analysed_at
    with django_capture_on_commit_callbacks(execute=True):
        moderate_contribution(alice, contribution, "publish", "")
    state = AnalysisState.objects.get(consultation=consultation)
    assert state.analysed_at == analysed_at and state.requested_at is None


def test_the_page_says_the_tags_are_automatic_until_a_person_confirms_one(settings, client, alice, arrive):
    settings.CONCORD_ANALYSIS_DELAY = 0
    consultation = make_consultation()
    contributions = [arrive(consultation, text, DURING) for text in TEXTS[:2]]
    for contribution in contributions:
        moderate_contribution(alice, contribution, "publish", "")
    page = reverse("record:consultation", kwargs={"slug": consultation.slug})
    html = client.get(page).content.decode()
    assert "no person has checked them yet" in html
    assert "checked by the secretariat" not in html
    slugs = list(ContributionIssue.objects.filter(contribution=contributions[0]).values_list("issue__slug", flat=True))
    set_contribution_issues(alice, contributions[0], slugs)
    html = client.get(page).content.decode()
    assert "the secretariat has checked" in html
