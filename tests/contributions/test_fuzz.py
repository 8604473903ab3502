"""Property-based runs of the public written form and of the search parameters (HTML page and API): whatever a
client sends (any characters, lone surrogates as broken UTF-8, controls, bidi overrides, huge or non-finite
numbers, far dates), the answer is a page or a refusal, never a server error."""

import datetime as dt
from urllib.parse import quote_from_bytes

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from concord.record import services
from tests.factories import OPENS, make_consultation, make_contribution

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# Every code point, surrogates included (a browser cannot send one, but a client can send their UTF-8-like bytes),
# weighted towards what has broken Concord before or could: controls, format characters, far numbers and dates.
odd_characters = st.sampled_from(
    ["\x00", "\x1b", "\x7f", "\x85", "\u200b", "\u200c", "\u200d", "\u202e", "\u2066", "\ufeff", "\ud800", "\udfff"]
)
any_text = st.text(st.one_of(st.characters(codec=None, exclude_categories=()), odd_characters), max_size=80)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "9223372036854775807", "9" * 5000, "0x10", "1_000", " 3 "]),
)
dates = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01", "2030-02-30", "10000-01-01", "-1-01-01"]), st.dates().map(str)
)
values = st.one_of(any_text, numbers, dates)


def encoded(data: dict[str, list[str]]) -> bytes:
    """``application/x-www-form-urlencoded`` as a client could send it: surrogates go out as the bytes Python's
    ``surrogatepass`` gives them, which are not UTF-8 (the server must replace them, not fail)."""
    return "&".join(
        f"{quote_from_bytes(key.encode())}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for key, items in data.items()
        for value in items
    ).encode()


@pytest.fixture(scope="module")
def quiet_client():
    """Answers 500 as the server would, instead of raising in the test: the assertion names the input."""
    return Client(raise_request_exception=False)


@pytest.fixture
def consultation():
    """One open consultation for all of a test's examples (they share the test's transaction)."""
    return make_consultation()


@pytest.fixture
def indexed(consultation):
    """The consultation with a few published contributions in the search index."""
    for text in ["Interconnection costs must fall.", "Les coûts d'interconnexion doivent baisser."]:
        make_contribution(consultation, text=text)
    services.rebuild_index("test", consultation)
    return consultation


FORM_FIELDS = [
    "speaks_for",
    "organization_name",
    "category",
    "group",
    "person_name",
    "country",
    "email",
    "title",
    "text",
    "consent",
    "idempotency_key",
    "answer_1",
    "answer_99999999999999999999",
]
KNOWN = {"speaks_for": ["organization", "individual"], "consent": ["named", "anonymous", "withheld"]}


@st.composite
def form_posts(draw) -> dict[str, list[str]]:
    """A form post: each field absent, a plausible value or anything; sometimes repeated."""
    data = {}
    for name in FORM_FIELDS:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            continue
        plausible = st.sampled_from(KNOWN.get(name, ["civil-society", "ecosoc-ngo", "KE", "a@example.org"]))
        data[name] = draw(st.lists(plausible if choice == 1 else values, min_size=1, max_size=2))
    return data


@FUZZ
@given(data=form_posts())
@example(
    data={
        "speaks_for": ["organization"],
        "organization_name": ["Fictional \u202eNetwork\ud800"],
        "category": ["ecosoc-ngo"],
        "group": ["civil-society"],
        "email": ["a" * 64 + "@" + ("b" * 63 + ".") * 3 + "example"],
        "text": ["Interconnection costs \udfff must fall \x00."],
        "consent": ["named"],
    }
)
def test_the_public_form_never_answers_a_server_error(data, consultation, quiet_client, settings):
    settings.CONCORD_FORM_RATE_IP = settings.CONCORD_FORM_RATE_EMAIL = "100000/h"
    with time_machine.travel(DURING, tick=False):
        response = quiet_client.post(
            reverse("contributions:submit", kwargs={"slug": consultation.slug}),
            encoded(data),
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code in {200, 302, 400}, (data, response.status_code)


PLAUSIBLE_SEARCH = {
    "q": st.one_of(
        st.sampled_from(["interconnection", '"costs must"', "coûts -fall", "互联网", "\u202ecosts"]), any_text
    ),
    "category": st.just("ecosoc-ngo"),
    "issue": st.sampled_from(["", "privacy"]),
    "group": st.sampled_from(["civil-society", "government"]),
    "channel": st.sampled_from(["written", "intervention"]),
    "language": st.sampled_from(["en", "fr"]),
    "country": st.just("KE"),
    "campaign": st.sampled_from(["any", "none"]),
    "sort": st.sampled_from(["newest", "oldest", "relevance", "receipt"]),
    "received_from": dates,
    "received_to": dates,
    "page": st.integers(1, 3).map(str),
    "page_size": st.integers(1, 100).map(str),
    "facets": st.sampled_from(["true", "false"]),
}


@st.composite
def search_queries(draw) -> dict[str, list[str]]:
    """A query string of plausible parameters (so that the search runs), and at most one odd parameter among them:
    one odd value is enough to send the page to its 400 before the search runs."""
    names = draw(st.lists(st.sampled_from(sorted(PLAUSIBLE_SEARCH)), unique=True, max_size=6))
    query = {name: [draw(PLAUSIBLE_SEARCH[name])] for name in names}
    odd = draw(st.one_of(st.none(), st.sampled_from(sorted(PLAUSIBLE_SEARCH))))
    if odd is not None:
        query[odd] = [draw(values)]
    return query


@FUZZ
@given(query=search_queries())
# The probes that once answered 500, always tried first.
@example(query={"received_to": ["9999-12-31"]})
@example(query={"page": ["9223372036854775807"], "q": ["interconnection"]})
def test_the_search_page_and_the_search_api_never_answer_a_server_error(query, indexed, quiet_client):
    # The read API's per-address throttle counts every example: start each with nothing counted.
    cache.clear()
    consultation = indexed
    raw = encoded(query).decode()
    page = quiet_client.get(reverse("record:search", kwargs={"slug": consultation.slug}) + "?" + raw)
    api = quiet_client.get(f"/api/v1/consultations/{consultation.slug}/search?{raw}")
    assert page.status_code in {200, 400, 404}, (query, page.status_code)
    assert api.status_code in {200, 400, 404, 422}, (query, api.status_code, api.content[:300])
