"""The open debate in browsers: three participants ask for the floor, the chair runs the queue, the display follows."""

import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from concord.meetings import floor, services
from concord.meetings import views as meeting_views
from tests.factories import UserFactory, make_consultation, make_entity, make_meeting


def _login(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def contexts(browser, monkeypatch):
    """Every browser context of the test, closed at the end: open pages keep following the server otherwise."""
    # Short long-polls and keep-alives, so that no request of this test is still waiting once the test is over (a
    # server learns that a browser left an event stream only when it next writes to it).
    monkeypatch.setattr(meeting_views, "LONG_POLL_MAX", 1.0)
    monkeypatch.setattr(floor, "KEEPALIVE_EVERY", 0.5)
    opened = []

    def new(**kwargs):
        context = browser.new_context(**kwargs)
        opened.append(context)
        return context

    cache.clear()
    yield new
    for context in opened:
        context.close()
    time.sleep(1.2)


def test_three_participants_request_the_floor_while_the_chair_runs_the_queue(reference_data, live_server, contexts):
    chair_user = UserFactory(username="chuck")
    meeting = make_meeting(make_consultation())
    services.update_meeting("test", meeting, chair=chair_user, speaking_time_seconds=180)
    names = ["Ana Ficticia", "Bo Fictional", "Chen Xuni"]
    entities = [
        make_entity("Fictional Open Net", category="ecosoc-ngo"),
        make_entity("Fictional Chip Makers", category="business"),
        make_entity("Fictional Ministry", category="member-state", country=""),
    ]
    people = [
        services.register_participant("test", meeting, entity=e, person_name=n)
        for n, e in zip(names, entities, strict=True)
    ]
    base = f"{live_server.url}/en/meetings/{meeting.pk}"

    display = contexts().new_page()
    display.goto(f"{base}/display/")
    display.evaluate("window.neverReloaded = true")
    expect(display.locator("[data-live-speaker]")).to_have_text("Nobody has the floor")

    chair_context = contexts()
    _login(chair_context, live_server, chair_user)
    chair = chair_context.new_page()
    chair.goto(f"{base}/chair/")
    chair.locator('button[data-action="open"]').click()
    expect(chair.locator('button[data-action="close"]')).to_be_visible()
    expect(display.locator("[data-live-debate]")).to_have_text("The speakers list is open.")

    # Three phones: Ana and Bo ask for the floor, then Chen raises a point of order.
    phones = []
    for person in people:
        phone = contexts(viewport={"width": 390, "height": 800}).new_page()
        phone.goto(f"{base}/floor/{person.token}/")
        phones.append(phone)
    phones[0].locator('button[data-kind="intervention"]').click()
    phones[1].locator('button[data-kind="intervention"]').click()
    phones[2].locator('button[data-kind="point-of-order"]').click()

    queue = display.locator("[data-live-queue] li .speaker-name")
    expect(queue).to_have_count(3)
    expect(queue.nth(0)).to_contain_text("Chen Xuni")  # the point of order goes first
    expect(queue.nth(1)).to_contain_text("Ana Ficticia")
    expect(chair.locator("[data-live-queue] li")).to_have_count(3)
    expect(chair.locator("[data-live-queue] li").first).to_contain_text("Chen Xuni")
    expect(phones[0].locator("[data-live-position]")).to_have_text("Your place in the queue: 2")

    chair.locator('button[data-action="next"]').click()
    expect(display.locator("[data-live-speaker]")).to_have_text("Chen Xuni")
    chair.locator('button[data-action="next"]').click()
    expect(display.locator("[data-live-speaker]")).to_have_text("Ana Ficticia")
    expect(display.locator("[data-live-countdown]")).to_have_text(re.compile(r"^(3:00|2:5\d)$"))
    expect(phones[0].locator("[data-live-position]")).to_have_text("You have the floor.")
    expect(display.locator("[data-live-queue] li")).to_have_count(1)

    # The chair gives the floor out of turn from the list, then closes it.
    chair.locator("[data-live-queue] li", has_text="Bo Fictional").locator("button", has_text="Give the floor").click()
    expect(display.locator("[data-live-speaker]")).to_have_text("Bo Fictional")
    chair.locator('button[data-action="close"]').click()
    expect(display.locator("[data-live-speaker]")).to_have_text("Nobody has the floor")
    expect(display.locator("[data-live-debate]")).to_have_text("The speakers list is closed.")
    assert display.evaluate("window.neverReloaded") is True
    # The display followed the server-sent events, not the long poll.
    assert display.locator("[data-transport]").get_attribute("data-transport") == "events"
    resources = display.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("live.json" in name for name in resources)

    spoken = [line.turn.participant.person_name for line in floor.minutes(meeting)]
    assert spoken == ["Chen Xuni", "Ana Ficticia", "Bo Fictional"]
