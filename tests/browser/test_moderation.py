"""In a browser: the secretariat's home lists what waits; one click publishes, a reason holds."""

import datetime as dt

from django.utils import timezone

from concord.contributions.models import Contribution, Moderation, Source
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload
from tests.browser.staff import log_in
from tests.contributions import files
from tests.factories import UserFactory, make_consultation


def test_from_the_home_page_to_a_published_and_a_held_item(reference_data, live_server, browser):
    now = timezone.now()
    consultation = make_consultation(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30))
    question = consultation.questions.get()
    received = [
        submit_written_contribution(
            None,
            consultation,
            submitter=Submitter(kind="individual", name=f"Fictional Person {i}", email=f"p{i}@example.org"),
            text=f"A fictional note {i} on the cost of international links for landlocked countries.",
            answers=[{"question_id": question.pk, "answer": f"Interconnection costs, answer {i}."}],
            uploads=[Upload("note.pdf", files.pdf(f"Note {i}.", "en"))] if i == 0 else [],
            source=Source.WEB,
        ).contribution
        for i in range(2)
    ]
    UserFactory(username="alice", is_staff=True, is_superuser=True)
    page = browser.new_page()
    log_in(page, live_server.url, "alice")

    # The home page: this consultation, 2 waiting for moderation, a link to its queue.
    row = page.locator(f'tr[data-consultation="{consultation.slug}"]')
    assert "2 awaiting moderation" in " ".join(row.inner_text().split())
    row.locator("a", has_text="awaiting moderation").click()
    page.locator(f'a:has-text("{received[0].receipt_number}")').click()

    # The item: answers as text, the file linked, three buttons. Publish needs no reason.
    assert "Interconnection costs, answer 0." in page.locator(".concord-answers").first.inner_text()
    assert page.locator(".concord-files a").inner_text() == "note.pdf"
    page.locator('button[name="decision"][value="publish"]').click()
    page.wait_for_selector(".messagelist")
    assert f"{received[0].receipt_number} published." in page.locator(".messagelist").inner_text()
    # The next item waiting opened; hold without a reason is refused, with one it is done.
    assert received[1].receipt_number in page.locator("#content").inner_text()
    page.locator('button[name="decision"][value="hold"]').click()
    assert "Give a reason" in page.locator(".messagelist").inner_text()
    page.fill("#id_reason", "Checking who sent it.")
    page.locator('button[name="decision"][value="hold"]').click()
    page.wait_for_url("**/admin/contributions/moderationqueue/")
    states = dict(Contribution.objects.values_list("receipt_number", "moderation"))
    assert states == {received[0].receipt_number: Moderation.PUBLISHED, received[1].receipt_number: Moderation.HELD}
    page.close()
