"""The Content-Security-Policy in a real browser: the main pages, the admin and the API's docs load with no
violation logged (an inline script or style, or anything from another origin, would be refused and reported)."""

import pytest
from django.conf import settings
from django.test import Client

from concord.consultations.demo import DEMO_SLUG
from tests.factories import UserFactory

PUBLIC = [
    "/en/",
    "/en/consultations/{slug}/",
    "/en/consultations/{slug}/record/",
    "/en/consultations/{slug}/search/?q=internet",
    "/en/consultations/{slug}/record/{receipt}/",
    "/en/consultations/{slug}/data/",
    "/en/consultations/{slug}/contribute/",
    "/en/meetings/{meeting}/",
    "/en/meetings/{meeting}/display/",
    "/api/v1/docs",
]
STAFF = [
    "/admin/",
    "/admin/contributions/contribution/",
    "/admin/contributions/contribution/{contribution}/change/",
    "/admin/consultations/consultation/add/",
    "/en/meetings/{meeting}/record/",
    "/en/meetings/{meeting}/minutes/",
    "/en/meetings/{meeting}/chair/",
]


@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(live_demo, live_server, browser):
    from concord.meetings.models import Meeting

    meeting = Meeting.objects.filter(consultation=live_demo).first()
    # The superuser chairs the replayed meeting here too (a superuser may stand in for the chair).
    admin = UserFactory(username="alice", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    contribution = live_demo.contributions.public().order_by("received_at").first()
    values = {"slug": DEMO_SLUG, "receipt": contribution.receipt_number, "meeting": meeting.pk}
    values["contribution"] = contribution.pk

    failures, current = [], {}

    def on_console(message):
        if "Content Security Policy" in message.text:
            failures.append(f"{current['address']}: {message.text}")

    for paths, logged_in in ((PUBLIC, False), (STAFF, True)):
        context = browser.new_context()
        if logged_in:
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.on("console", on_console)
        for path in paths:
            current["address"] = address = live_server.url + path.format(**values)
            response = page.goto(address)
            assert response.status < 400, address
            # The live pages keep a stream open: wait for the load and a moment of script, not for network idle.
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            if path == "/api/v1/docs":
                # Swagger UI is drawn by its script: under the policy it must still draw the operations.
                page.wait_for_selector(".opblock", timeout=10_000)
                page.click(".opblock-summary")
                page.click(".models-control")
                page.wait_for_selector(".opblock-body", timeout=10_000)
                page.wait_for_timeout(300)
        context.close()
    assert not failures, "\n".join(failures)
