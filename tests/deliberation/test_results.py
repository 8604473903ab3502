"""The results: opinion groups from the votes (through ``concord.analysis.opinions``), described by their
stakeholder groups; agreement by stakeholder group by the positions' interval rule; the map, the bars and the
consensus and divergence lists on the public page, where only public statements appear."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.deliberation import live, selectors, services
from concord.deliberation.models import OpinionResult, VoteEvent
from concord.deliberation.opinions import REFRESH_SECONDS, _refresh_key, current_results, opinion_results, refresh
from tests.factories import make_entity

from .conftest import DURING

pytestmark = pytest.mark.django_db

TEXTS = [
    "A new intergovernmental body should be created.",
    "Governments alone should set Internet policy.",
    "A treaty on cybersecurity is needed.",
    "The multistakeholder model should be kept as it is.",
    "Civil society should sit on every policy body.",
    "Existing forums are enough.",
    "Capacity building for developing countries matters.",
]
# Governments agree with the first three and disagree with the next three; civil society the other way round;
# everyone agrees with the last.
CAMP = {"government": [1, 1, 1, -1, -1, -1, 1], "civil-society": [-1, -1, -1, 1, 1, 1, 1]}


@pytest.fixture
def conversation(phase):
    statements = [services.add_statement("alice", phase, text=t, created_at=DURING) for t in TEXTS]
    voters = []
    for group, values in CAMP.items():
        for i in range(10):
            voter, key = services.register_voter("alice", phase, entity=make_entity(group=group), person_name=f"P{i}")
            for statement, value in zip(statements, values, strict=True):
                # One voter in each camp passes on one statement: the groups are not perfectly uniform.
                services.cast_vote(
                    voter, statement, 0 if (i == 0 and statement == statements[0]) else value, now=DURING
                )
            voters.append((voter, key))
    return statements, voters


def test_two_camps_make_two_opinion_groups_described_by_their_stakeholder_groups(phase, conversation):
    data = opinion_results(phase)
    groups = selectors.opinion_groups(phase, data)
    assert sorted(g["size"] for g in groups) == [10, 10]
    assert sorted(g["composition"][0]["slug"] for g in groups) == ["civil-society", "government"]
    assert all(len(g["composition"]) == 1 and g["composition"][0]["share"] == 1.0 for g in groups)


def test_agreement_by_stakeholder_group_follows_the_positions_rule(phase, conversation):
    statements, _voters = conversation
    found = selectors.stakeholder_agreement(phase, statements)
    assert found[statements[6].pk].classification == "shared" and found[statements[6].pk].direction == "support"
    assert found[statements[1].pk].classification == "contested-between-groups"
    government = next(c for c in found[statements[0].pk].groups if c.group == "government")
    assert (government.support, government.oppose, government.neutral) == (9, 0, 1)


def test_the_result_is_kept_and_a_vote_computes_nothing_in_its_request(
    phase, conversation, django_assert_num_queries, django_capture_on_commit_callbacks
):
    statements, voters = conversation
    first = opinion_results(phase)  # no result yet: scheduled, and the tests' tasks run at once
    assert not first["pending"] and first["version"] > 0
    with django_assert_num_queries(4):  # which statements count, the last vote, the stored result
        assert opinion_results(phase) == first
    # The vote's own queries only (the savepoints, the event, the current vote); once it commits it asks for the
    # computation, which waits for the window opened by the first one.
    with django_assert_num_queries(4), django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(voters[0][0], statements[0], 1, now=DURING)
    kept = opinion_results(phase)
    assert kept["pending"] and kept["version"] == first["version"]
    cache.delete(_refresh_key(phase.pk))  # REFRESH_SECONDS later
    assert opinion_results(phase)["version"] > first["version"]
    assert "7" in opinion_results(phase)["consensus"]["agree"]
    cache.delete(_refresh_key(phase.pk))
    services.moderate_statement("alice", statements[6], "rejected")
    assert "7" not in opinion_results(phase)["consensus"]["agree"]


def test_a_vote_schedules_one_computation_at_the_end_of_the_window(
    phase, conversation, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    statements, voters = conversation
    from django_tasks import default_task_backend

    default_task_backend.clear()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for voter, _key in voters[:5]:
            services.cast_vote(voter, statements[0], -1, now=DURING)
    (scheduled,) = default_task_backend.results
    assert scheduled.task.func.__name__ == "refresh_opinions" and scheduled.args == [phase.pk]
    assert scheduled.task.run_after >= before + dt.timedelta(seconds=REFRESH_SECONDS)
    assert not OpinionResult.objects.exists()  # nothing computed in the requests
    assert refresh(phase) == "computed" and refresh(phase) == "current"
    assert current_results(phase)["version"] == VoteEvent.objects.order_by("-id").first().id


def test_the_results_page_shows_the_map_bars_and_lists(phase, conversation, client, django_assert_max_num_queries):
    statements, voters = conversation
    services.submit_statement(voters[0][0], text="A zorblax idea not yet moderated.", language="en", now=DURING)
    url = reverse("deliberation:results", kwargs={"slug": phase.consultation.slug})
    html = client.get(url).content.decode()
    assert "zorblax" not in html
    svg = html.split('<section class="opinion-map"')[1].split("</svg>")[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert len(re.findall(r"<(circle|rect|polygon) ", svg)) == 20
    assert "mine-ring" not in svg
    consensus = html.split('id="consensus-heading"')[1].split("</section>")[0]
    assert TEXTS[6] in consensus
    divergence = html.split('id="divergence-heading"')[1].split("</section>")[0]
    assert all(t in divergence for t in TEXTS[:6]) and TEXTS[6] not in divergence
    with django_assert_max_num_queries(14):
        client.get(url)


def test_the_viewer_sees_their_own_place(frozen, phase, conversation):
    statements, voters = conversation
    voter, key = voters[3]
    client = Client()
    client.post(
        reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key}),
        {"statement": statements[0].pk, "value": "1"},
    )
    html = client.get(reverse("deliberation:results", kwargs={"slug": phase.consultation.slug})).content.decode()
    assert html.count("mine-ring") == 1 and "Your place is ringed." in html


def test_the_page_translates_and_shows_stored_translations(phase, conversation, client):
    statements, _voters = conversation
    services.translate_statement("alice", statements[6], "fr", "Le renforcement des capacités compte.")
    html = client.get(reverse("deliberation:results", kwargs={"slug": phase.consultation.slug}).replace("/en/", "/fr/"))
    text = html.content.decode()
    assert 'lang="fr"' in text and "Le renforcement des capacités compte." in text
    assert TEXTS[0] in text  # no translation stored: shown as written, marked with its language


def test_the_consultation_page_shows_the_map_and_the_lists(phase, conversation, client):
    html = client.get(reverse("record:consultation", kwargs={"slug": phase.consultation.slug})).content.decode()
    summary = html.split('id="statements-summary-heading"')[1].split("</section>")[0]
    assert "<svg" in summary and TEXTS[6] in summary
    assert reverse("deliberation:vote", kwargs={"slug": phase.consultation.slug}) in summary


def test_a_consultation_without_a_statements_phase_shows_none(client):
    from tests.factories import make_consultation

    consultation = make_consultation()
    html = client.get(reverse("record:consultation", kwargs={"slug": consultation.slug})).content.decode()
    assert "statements-summary" not in html


def test_the_report_gets_agreement_and_divergence_with_counts(phase, conversation):
    from concord.deliberation.report import report_statements

    found = report_statements(phase.consultation)
    agreed = {row["text"]: row for row in found["agreement"]}
    assert TEXTS[6] in agreed and agreed[TEXTS[6]]["agree"] == 20 and agreed[TEXTS[6]]["total"] == 20
    divided = {row["text"]: row for row in found["divergence"]}
    assert divided[TEXTS[1]]["classification"] == "contested-between-groups"
    by_group = {g["group"]: g for g in divided[TEXTS[1]]["by_group"]}
    assert (by_group["government"]["agree"], by_group["civil-society"]["disagree"]) == (10, 10)
    assert found["participants"] == 20


def test_the_report_has_nothing_without_a_statements_phase(consultation):
    from concord.deliberation.report import report_statements

    assert report_statements(consultation) is None


@pytest.mark.parametrize("voters", [0, 1, 3])
def test_the_results_page_reads_with_few_votes(phase, statements, client, voters):
    for i in range(voters):
        voter, _key = services.register_voter("alice", phase, entity=make_entity(group="government"))
        services.cast_vote(voter, statements[0], 1 if i % 2 else -1, now=DURING)
    response = client.get(reverse("deliberation:results", kwargs={"slug": phase.consultation.slug}))
    assert response.status_code == 200
    if voters == 0:
        assert "Not enough votes yet to draw the map." in response.content.decode()


def _events(response):
    """The server-sent events of a streaming response, parsed, skipping the retry line and keep-alives."""
    for chunk in response.streaming_content:
        lines = dict(line.split(": ", 1) for line in chunk.decode().strip().split("\n") if not line.startswith(":"))
        if "data" in lines:
            yield int(lines["id"]), json.loads(lines["data"])


@pytest.mark.django_db(transaction=True)
def test_the_results_stream_announces_each_new_result(reference_data, phase, statements, representatives, monkeypatch):
    monkeypatch.setattr(live, "WATCH_EVERY", 0.05)
    client = Client()
    url = reverse("deliberation:stream", kwargs={"slug": phase.consultation.slug})
    response = client.get(url, {"since": "-1"})
    assert response["Content-Type"] == "text/event-stream"
    events = _events(response)
    try:
        assert next(events) == (0, {"version": 0})  # nothing computed yet
        for voter, _key in representatives:
            services.cast_vote(voter, statements[0], 1, now=DURING + dt.timedelta(days=1))
        # The first vote's computation ran at once (the tests' tasks do), the others wait for the window's end.
        refresh(phase)
        version = VoteEvent.objects.order_by("-id").first().id
        seen = [next(events)]
        while seen[-1][0] != version:
            seen.append(next(events))
        assert [v for v, _data in seen] == sorted({v for v, _data in seen}) and seen[-1][1] == {"version": version}
    finally:
        response.close()
    # Reconnecting with what it has, the browser gets keep-alives only.
    monkeypatch.setattr(live, "KEEPALIVE_EVERY", 0.1)
    again = client.get(url, headers={"Last-Event-ID": str(version)})
    try:
        chunks = iter(again.streaming_content)
        assert next(chunks).startswith(b"retry: ") and next(chunks) == b": keep-alive\n\n"
    finally:
        again.close()
    assert (
        'data-live-results="' + url
        in client.get(reverse("deliberation:results", kwargs={"slug": phase.consultation.slug})).content.decode()
    )


def test_a_cache_or_queue_failure_costs_no_vote_and_no_page(
    frozen, phase, statements, representatives, monkeypatch, django_capture_on_commit_callbacks
):
    from concord.deliberation import opinions

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(opinions.cache, "add", down)
    _voter, key = representatives[0]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        vote = client.post(
            reverse("deliberation:vote-key", kwargs={"slug": phase.consultation.slug, "token": key}),
            {"statement": statements[0].pk, "value": "1"},
        )
    assert vote.status_code == 302 and VoteEvent.objects.count() == 1
    assert client.get(reverse("deliberation:results", kwargs={"slug": phase.consultation.slug})).status_code == 200
