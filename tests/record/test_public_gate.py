"""One gate for what is public: every route of the project, called by bob (the public), shows nothing of a
contribution that is withheld, held, rejected as spam, pending under premoderation or withdrawn.

``ROUTES`` says how to call each route. A route added to the project without a line here fails
``test_every_route_is_in_the_table``: whoever adds a public page must say how the gate is checked on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from concord.consultations.models import Consultation
from concord.consultations.services import mark_reported, update_consultation
from concord.contributions.models import Consent, Contribution, Source
from concord.contributions.services import (
    amend_contribution,
    moderate_contribution,
    set_consent,
    withdraw_contribution,
)
from concord.deliberation import services as deliberation
from concord.meetings.models import Meeting
from concord.policy.models import PolicyIssue
from concord.policy.services import save_analysis
from concord.positions.services import create_position, save_stances
from concord.record import services as record_services
from concord.reports.services import generate_report
from tests import snapshot
from tests.factories import CLOSES, OPENS, UserFactory, make_consultation, make_contribution, make_entity, make_meeting

pytestmark = pytest.mark.django_db

MARKER = "zorblax"  # in every non-public contribution's text, title and entity name; in no public one
STATES = ("withheld", "held", "rejected", "pending", "withdrawn")


@dataclasses.dataclass
class Record:
    consultation: object
    meeting: object
    public: list[Contribution]
    hidden: dict[str, Contribution]
    campaigns: list[int]

    @property
    def slug(self) -> str:
        return self.consultation.slug

    @property
    def receipts(self) -> list[str]:
        return [c.receipt_number for c in [*self.public, *self.hidden.values()]]


def _hidden(consultation, state: str) -> Contribution:
    entity = make_entity(f"{MARKER.title()} {state.title()} Foundation", group="civil-society")
    received = OPENS + dt.timedelta(days=1)
    source = Source.WEB if state == "pending" else Source.STAFF
    contribution = make_contribution(
        consultation,
        entity,
        title=f"{MARKER} {state} title",
        text=f"Interconnection costs: the {MARKER}{state} secret. Privacy of {MARKER} {state} matters greatly.",
        source=source,
        received_at=received,
        now=received,
    )
    if state == "withheld":
        set_consent("alice", contribution, Consent.WITHHELD)
    elif state == "held":
        moderate_contribution("alice", contribution, "hold", "Checking a claim.")
    elif state == "rejected":
        moderate_contribution("alice", contribution, "reject", "Spam.")
    elif state == "pending":
        # An amendment received online waits for moderation; its new text must not show meanwhile.
        amend_contribution(
            "bob",
            contribution,
            title=f"{MARKER} pending title",
            text=f"Interconnection costs: the {MARKER}pending amended secret, on privacy.",
            now=received + dt.timedelta(days=1),
        )
    elif state == "withdrawn":
        withdraw_contribution("bob", contribution, now=received + dt.timedelta(days=1))
    return Contribution.objects.get(pk=contribution.pk)


@pytest.fixture(scope="module")
def _record_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    return snapshot.capture_once(django_db_blocker, tmp_path_factory, _build_record)


@pytest.fixture
def record(db, _record_rows) -> Record:
    """Built once per test process and replayed into each test (see tests/snapshot.py): every route's test reads
    the same rows the services wrote."""
    deltas, keys = _record_rows
    snapshot.replay(deltas)
    contributions = Contribution.objects.in_bulk([*keys["public"], *keys["hidden"].values()])
    return Record(
        Consultation.objects.get(pk=keys["consultation"]),
        Meeting.objects.get(pk=keys["meeting"]),
        [contributions[pk] for pk in keys["public"]],
        {state: contributions[pk] for state, pk in keys["hidden"].items()},
        keys["campaigns"],
    )


def _build_record() -> dict:
    alice = UserFactory(username="alice", is_staff=True, is_superuser=True)
    consultation = make_consultation()
    update_consultation("alice", consultation, premoderation=True)
    meeting = make_meeting(consultation)
    public = [
        make_contribution(
            consultation,
            make_entity(f"Open Body {i}", group="government", category="member-state"),
            title=f"Public contribution {i}",
            text="Interconnection costs remain too high; privacy needs enhanced cooperation among all stakeholders.",
            received_at=OPENS + dt.timedelta(days=2 + i),
        )
        for i in range(2)
    ]
    hidden = {state: _hidden(consultation, state) for state in STATES}
    issue = PolicyIssue.objects.order_by("position").first()
    every = [*public, *hidden.values()]
    save_analysis(
        "test",
        consultation,
        tags={c.pk: {"scores": {issue.slug: 0.9}, "issues": [issue.slug]} for c in every},
        # A campaign whose stored canonical text is a withheld one, and one with no public member at all.
        campaigns=[
            {
                "canonical": hidden["withheld"].pk,
                "members": [hidden["withheld"].pk, hidden["held"].pk, *(c.pk for c in public)],
            },
            {"canonical": hidden["rejected"].pk, "members": [hidden["rejected"].pk, hidden["pending"].pk]},
        ],
    )
    # A position every contribution takes, each stance quoting its own text as evidence.
    create_position("test", consultation, slug="cooperation", statement="Enhanced cooperation is needed.")
    save_stances(
        "test",
        consultation,
        {
            c.pk: [{"position": "cooperation", "stance": "support", "score": 0.9, "evidence": [_evidence(c)]}]
            for c in every
        },
    )
    _statements_phase(consultation)
    record_services.rebuild_index("test", consultation, everything=True)
    record_services.seal_consultation(consultation)
    generate_report(alice, consultation, "en")
    mark_reported("alice", consultation, when=CLOSES + dt.timedelta(days=1))
    return {
        "consultation": consultation.pk,
        "meeting": meeting.pk,
        "public": [c.pk for c in public],
        "hidden": {state: c.pk for state, c in hidden.items()},
        "campaigns": list(consultation.campaigns.values_list("pk", flat=True)),
    }


def _statements_phase(consultation) -> None:
    """A statements phase with a public statement, and one awaiting moderation and one moderated out, both with the
    marker and voted on: neither may show on the voting page or the results."""
    phase = deliberation.open_phase("test", consultation, allow_public=True)
    voter, _key = deliberation.register_voter("test", phase, entity=make_entity(group="government"))
    shown = deliberation.add_statement("test", phase, text="Enhanced cooperation is needed.")
    pending = deliberation.add_statement("test", phase, text=f"{MARKER} pending statement", source="participant")
    rejected = deliberation.add_statement("test", phase, text=f"{MARKER} rejected statement", moderation="rejected")
    for statement in (shown, pending, rejected):
        deliberation.record_vote(voter, statement, 1, now=OPENS + dt.timedelta(days=2))


def _evidence(contribution) -> dict:
    return {"text": contribution.text[:60], "start": 0, "end": min(60, len(contribution.text))}


# How to call each route: a function of the record giving (method, path) pairs. Every route is called by bob.
def _get(name, **kwargs):
    return ("get", reverse(name, kwargs=kwargs))


def _per_receipt(name):
    return lambda r: [_get(name, slug=r.slug, receipt=receipt) for receipt in r.receipts]


def _search(name, r):
    base = reverse(name, kwargs={"slug": r.slug})
    facets = "&facets=true" if name.startswith("api:") else ""
    # "secret" is in every non-public text and in no public one (the page echoes its query: not the marker, then).
    queries = ["", "q=secret", "q=interconnection", "q=privacy", "campaign=any", "sort=newest"]
    queries += [f"campaign={pk}" for pk in r.campaigns]
    return [("get", f"{base}?{q}{facets}") for q in queries]


ROUTES = {
    "healthz": lambda r: [_get("healthz")],
    "api:openapi-json": lambda r: [_get("api:openapi-json")],
    "api:openapi-view": lambda r: [_get("api:openapi-view")],
    "api:api-root": lambda r: [_get("api:api-root")],
    # The submission shares its path with the list; bob has no token, so it refuses him.
    "api:submit_contribution": lambda r: [("post", reverse("api:submit_contribution", kwargs={"slug": r.slug}))],
    "api:list_contributions": lambda r: [
        ("get", reverse("api:list_contributions", kwargs={"slug": r.slug}) + "?page_size=100")
    ],
    "api:list_consultations": lambda r: [_get("api:list_consultations")],
    "api:get_consultation": lambda r: [_get("api:get_consultation", slug=r.slug)],
    "api:get_table": lambda r: [_get("api:get_table", slug=r.slug)],
    "api:get_contribution": _per_receipt("api:get_contribution"),
    "api:search_contributions": lambda r: _search("api:search_contributions", r),
    "api:list_positions": lambda r: [_get("api:list_positions", slug=r.slug)],
    "api:list_stances": lambda r: [
        ("get", reverse("api:list_stances", kwargs={"slug": r.slug, "position": "cooperation"}))
    ],
    "api:list_statements": lambda r: [_get("api:list_statements", slug=r.slug)],
    "api:opinion_groups": lambda r: [_get("api:opinion_groups", slug=r.slug)],
    "record:home": lambda r: [_get("record:home")],
    "record:consultation": lambda r: [_get("record:consultation", slug=r.slug)],
    "record:table": lambda r: [_get("record:table", slug=r.slug, fmt=fmt) for fmt in ("csv", "json", "md")],
    "record:record": lambda r: [_get("record:record", slug=r.slug)],
    "record:search": lambda r: _search("record:search", r),
    "record:data": lambda r: [_get("record:data", slug=r.slug)],
    "record:data-metadata": lambda r: [_get("record:data-metadata", slug=r.slug)],
    "record:data-download": lambda r: [
        _get("record:data-download", slug=r.slug, fmt=fmt) for fmt in ("csv", "jsonl", "parquet")
    ],
    "record:contribution": _per_receipt("record:contribution"),
    "contributions:submit": lambda r: [_get("contributions:submit", slug=r.slug)],
    "contributions:manage": lambda r: [
        _get("contributions:manage", slug=r.slug, receipt=receipt, token="not-the-token") for receipt in r.receipts
    ],
    "contributions:download": lambda r: [
        _get("contributions:download", slug=r.slug, receipt=receipt, attachment_id=1) for receipt in r.receipts
    ],
    "meetings:detail": lambda r: [_get("meetings:detail", pk=r.meeting.pk)],
    "meetings:display": lambda r: [_get("meetings:display", pk=r.meeting.pk)],
    "meetings:live": lambda r: [("get", reverse("meetings:live", kwargs={"pk": r.meeting.pk}) + "?wait=0")],
    "meetings:live-stream": lambda r: [_get("meetings:live-stream", pk=r.meeting.pk)],
    "meetings:floor": lambda r: [_get("meetings:floor", pk=r.meeting.pk, token="not-the-token")],
    "meetings:chair": lambda r: [_get("meetings:chair", pk=r.meeting.pk)],
    "meetings:record": lambda r: [_get("meetings:record", pk=r.meeting.pk)],
    "meetings:minutes": lambda r: [_get("meetings:minutes", pk=r.meeting.pk)],
    "meetings:outreach": lambda r: [_get("meetings:outreach", slug=r.slug)],
    "meetings:invitations:open": lambda r: [_get("meetings:invitations:open", token="not-the-token")],
    "positions:evidence": lambda r: [_get("positions:evidence", slug=r.slug, position="cooperation")],
    "positions:data-stances": lambda r: [
        _get("positions:data-stances", slug=r.slug, fmt=fmt) for fmt in ("csv", "jsonl")
    ],
    "deliberation:results": lambda r: [_get("deliberation:results", slug=r.slug)],
    "deliberation:live": lambda r: [_get("deliberation:live", slug=r.slug)],
    "deliberation:stream": lambda r: [_get("deliberation:stream", slug=r.slug)],
    "deliberation:vote": lambda r: [_get("deliberation:vote", slug=r.slug)],
    "deliberation:vote-key": lambda r: [_get("deliberation:vote-key", slug=r.slug, token="not-the-key")],
    "reports:report": lambda r: [_get("reports:report", slug=r.slug)],
    "reports:edit": lambda r: [_get("reports:edit", slug=r.slug)],
    "reports:download": lambda r: [_get("reports:download", slug=r.slug, fmt=fmt) for fmt in ("md", "docx", "pdf")],
}


def _route_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # the secretariat's admin: staff only, tested with the roles
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _route_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_is_in_the_table():
    with translation.override("en"):
        names = set(_route_names(get_resolver().url_patterns))
    assert names - set(ROUTES) == set(), "new routes: say in ROUTES how the public gate is checked on them"
    assert set(ROUTES) - names == set(), "ROUTES names routes that no longer exist"


def _text(response) -> str:
    """What a reader of the response sees: the body, or the text of a PDF or DOCX; the first part of a stream."""
    if response.streaming:
        chunks = []
        for chunk in response.streaming_content:
            chunks.append(chunk if isinstance(chunk, bytes) else chunk.encode())
            if response.get("Content-Type", "").startswith("text/event-stream"):
                break  # a live stream does not end: its first event holds the state
        body = b"".join(chunks)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "wordprocessingml" in kind:
        import docx

        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells + [body.decode("latin-1")])
    if kind.startswith("application/vnd.apache.parquet") or body[:4] == b"PAR1":
        import pyarrow.parquet as pq

        return pq.read_table(io.BytesIO(body)).to_pandas().to_csv() if body else ""
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_route_shows_a_contribution_that_is_not_public(record, name, client: Client):
    hidden_receipts = [c.receipt_number for c in record.hidden.values()]
    with translation.override("en"):
        calls = ROUTES[name](record)
    for method, path in calls:
        response = getattr(client, method)(path)
        assert response.status_code < 500, (path, response.status_code)
        text = _text(response)
        if response.status_code == 404:
            # "No such contribution X" echoes what was asked, as it does for a receipt that never existed.
            for receipt in hidden_receipts:
                text = text.replace(receipt, "") if receipt in path else text
        folded = re.sub(r"[\u00ad\u2060\u200b]", "", text).lower()  # soft hyphens and joiners of the printed annex
        assert MARKER not in folded, (path, folded[folded.find(MARKER) - 200 : folded.find(MARKER) + 100])
        for receipt in hidden_receipts:
            assert receipt.lower() not in folded, (path, receipt)
            # The annex and citations shorten receipt ranges (``-000103, 07``): the number alone must not show either.
            assert not re.search(rf"\b{receipt.rsplit('-', 1)[1]}\b", folded) or name != "reports:download", (
                path,
                receipt,
            )


def test_the_public_contributions_do_show(record, client: Client):
    """The test above can fail: the same calls show the public contributions and the marker reaches the pages."""
    html = client.get(reverse("record:record", kwargs={"slug": record.slug})).content.decode()
    assert all(c.receipt_number in html for c in record.public)
    found = client.get(reverse("api:search_contributions", kwargs={"slug": record.slug}) + "?q=interconnection")
    assert found.json()["count"] == len(record.public)
    secret = client.get(reverse("api:search_contributions", kwargs={"slug": record.slug}) + "?q=secret&facets=true")
    assert secret.json()["count"] == 0 and not any(secret.json()["facets"].values())
    evidence = client.get(reverse("positions:evidence", kwargs={"slug": record.slug, "position": "cooperation"}))
    assert all(c.receipt_number in evidence.content.decode() for c in record.public)
    # The staff see every contribution: the marker is there to be found.
    assert all(MARKER in c.text.lower() for c in record.hidden.values())
    assert Contribution.objects.filter(consultation=record.consultation).count() == len(record.receipts)
