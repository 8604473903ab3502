"""Phones: no public page is wider than a 390-pixel screen, in English, Arabic and Chinese.

``PAGES`` says how to reach every page a member of the public or a participant opens; a route added to the project
that is neither there nor in ``NOT_PAGES`` fails ``test_every_page_is_measured``.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG, REHEARSAL_SLUG, load_demo, load_rehearsal
from concord.contributions.models import Contribution
from concord.deliberation import live as deliberation_live
from concord.meetings import floor
from concord.meetings import views as meeting_views
from concord.meetings.models import Meeting
from concord.meetings.services import register_participant
from concord.positions.models import Position
from concord.reports.services import generate_report
from concord.stakeholders.models import Entity
from tests.record.test_public_gate import _route_names

WIDTH = 390

PAGES = {
    "record:home": lambda s: reverse("record:home"),
    "record:consultation": lambda s: reverse("record:consultation", kwargs={"slug": DEMO_SLUG}),
    "record:record": lambda s: reverse("record:record", kwargs={"slug": DEMO_SLUG}),
    "record:search": lambda s: reverse("record:search", kwargs={"slug": DEMO_SLUG}) + "?q=internet",
    "record:data": lambda s: reverse("record:data", kwargs={"slug": DEMO_SLUG}),
    "record:contribution": lambda s: reverse(
        "record:contribution", kwargs={"slug": DEMO_SLUG, "receipt": s["longest"]}
    ),
    "contributions:submit": lambda s: reverse("contributions:submit", kwargs={"slug": REHEARSAL_SLUG}),
    "meetings:detail": lambda s: reverse("meetings:detail", kwargs={"pk": s["meeting"]}),
    "meetings:display": lambda s: reverse("meetings:display", kwargs={"pk": s["rehearsal_meeting"]}),
    "meetings:floor": lambda s: reverse(
        "meetings:floor", kwargs={"pk": s["rehearsal_meeting"], "token": s["floor_token"]}
    ),
    "meetings:record": lambda s: reverse("meetings:record", kwargs={"pk": s["meeting"]}),
    "meetings:minutes": lambda s: reverse("meetings:minutes", kwargs={"pk": s["meeting"]}),
    "positions:evidence": lambda s: reverse(
        "positions:evidence", kwargs={"slug": DEMO_SLUG, "position": s["position"]}
    ),
    "reports:report": lambda s: reverse("reports:report", kwargs={"slug": DEMO_SLUG}),
    "deliberation:results": lambda s: reverse("deliberation:results", kwargs={"slug": REHEARSAL_SLUG}),
    "deliberation:vote": lambda s: reverse("deliberation:vote", kwargs={"slug": REHEARSAL_SLUG}),
}

# Not pages of their own, or not the public's: files and feeds, the staff's pages (the admin's own layout), a key
# that only its holder has (the voter's page is the vote page above once the key is checked).
NOT_PAGES = {
    "healthz",
    "record:table",
    "record:data-metadata",
    "record:data-download",
    "contributions:manage",
    "contributions:download",
    "meetings:live",
    "meetings:live-stream",
    "meetings:chair",
    "meetings:outreach",
    "meetings:invitations:open",
    "positions:data-stances",
    "reports:edit",
    "reports:download",
    "deliberation:live",
    "deliberation:stream",
    "deliberation:vote-key",
}


def test_every_page_is_measured():
    with translation.override("en"):
        names = {name for name in _route_names(get_resolver().url_patterns) if not name.startswith("api:")}
    assert names - set(PAGES) - NOT_PAGES == set(), "new pages: add them to PAGES (or NOT_PAGES, saying why)"
    assert (set(PAGES) | NOT_PAGES) - names == set(), "routes that no longer exist"


def _build_site():
    demo = load_demo()
    for lang in ("en", "ar", "zh-hans"):
        generate_report(None, demo, lang)
    rehearsal = load_rehearsal()
    meeting = Meeting.objects.get(consultation=rehearsal)
    entity = Entity.objects.filter(group__in=rehearsal.ordered_groups(), is_fictional=True).first()
    participant = register_participant(None, meeting, entity=entity, person_name="Dana Fictional-Longname")
    public = Contribution.objects.public().filter(consultation=demo)
    longest = max(public, key=lambda c: len(c.text or "")).receipt_number
    return {
        "longest": longest,
        "meeting": Meeting.objects.get(consultation=demo).pk,
        "rehearsal_meeting": meeting.pk,
        "floor_token": participant.token,
        "position": Position.objects.filter(consultation=demo).order_by("slug").first().slug,
    }


@pytest.fixture
def site(committed_world, monkeypatch):
    """The demo with its report in three languages, the open rehearsal and a participant (built once per process,
    see ``committed_world``)."""
    # The display and the floor follow the meeting live: short polls, so no request outlives the test.
    monkeypatch.setattr(meeting_views, "LONG_POLL_MAX", 1.0)
    monkeypatch.setattr(floor, "KEEPALIVE_EVERY", 0.5)
    monkeypatch.setattr(deliberation_live, "KEEPALIVE_EVERY", 0.5)  # the results page's stream, likewise
    return committed_world("mobile-site", _build_site)


@pytest.mark.parametrize("lang", ["en", "ar", "zh-hans"])
def test_no_public_page_is_wider_than_a_phone(site, live_server, browser, lang):
    page = browser.new_page(viewport={"width": WIDTH, "height": 844})
    too_wide = []
    try:
        for name, path in PAGES.items():
            with translation.override(lang):
                address = live_server.url + path(site)
            response = page.goto(address, wait_until="load")
            assert response.status == 200, f"{name}: {response.status}"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                culprits = page.evaluate(
                    """(width) => [...document.querySelectorAll('main *')]
                        .filter(e => e.getBoundingClientRect().right > width + 1 || e.getBoundingClientRect().left < -1)
                        .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
                    WIDTH,
                )
                too_wide.append(f"{name}: {width} px ({', '.join(culprits)})")
    finally:
        page.close()
    assert not too_wide, "\n".join(too_wide)
