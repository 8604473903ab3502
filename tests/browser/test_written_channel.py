"""End to end in a browser: a French contribution with a PDF and a DOCX, its receipt, moderation, the record."""

import datetime as dt

from django.utils import timezone

from concord.contributions.models import Contribution
from tests.browser.staff import log_in
from tests.contributions import files
from tests.factories import UserFactory, make_consultation

PDF_TEXT = "Nous proposons un observatoire des coûts d'interconnexion internationale pour les pays en développement."
DOCX_TEXT = "La protection des données personnelles doit être garantie par une coopération renforcée entre États."


def test_a_french_contribution_with_a_pdf_and_a_docx_reaches_the_record(reference_data, live_server, browser):
    now = timezone.now()
    consultation = make_consultation(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30))
    UserFactory(username="alice", is_staff=True, is_superuser=True)
    page = browser.new_page()

    # Bob, for a fictional NGO, contributes in French with two files and no typed text.
    page.goto(f"{live_server.url}/fr/consultations/{consultation.slug}/contribute/")
    page.locator('input[name="speaks_for"][value="organization"]').check()
    page.fill("#id_organization_name", "Réseau fictif des bibliothèques rurales")
    page.select_option("#id_category", "ecosoc-ngo")
    page.select_option("#id_group", "civil-society")
    page.select_option("#id_country", "SN")
    page.fill("#id_email", "bibliotheques@example.org")
    page.fill("#id_title", "Interconnexion et données personnelles")
    page.set_input_files(
        "#id_files",
        [
            {"name": "proposition.pdf", "mimeType": "application/pdf", "buffer": files.pdf(PDF_TEXT, "fr")},
            {"name": "annexe.docx", "mimeType": "application/octet-stream", "buffer": files.docx(DOCX_TEXT)},
        ],
    )
    page.locator('input[name="consent"][value="named"]').check()
    page.locator('input[name="agree"]').check()
    page.locator('form button[type="submit"]').click()

    # The receipt is shown at once.
    page.wait_for_selector(".receipt-number")
    receipt = page.locator(".receipt-number").inner_text()
    contribution = Contribution.objects.get(receipt_number=receipt)
    assert page.locator("code.sha256").inner_text() == contribution.sha256
    assert page.locator("html").get_attribute("lang") == "fr"

    # Not in the public record before moderation.
    assert page.goto(f"{live_server.url}/fr/consultations/{consultation.slug}/record/{receipt}/").status == 404

    # Alice publishes it from the moderation queue, with a reason.
    log_in(page, live_server.url, "alice", "/admin/contributions/moderationqueue/")
    page.locator(f'tr:has-text("{receipt}") input.action-select').check()
    page.select_option('select[name="action"]', "publish")
    page.fill('input[name="reason"]', "Contribution recevable.")
    page.locator('button[name="index"]').click()
    page.wait_for_selector(".messagelist")
    assert "1 published" in page.locator(".messagelist").inner_text()

    # Bob finds it in the record, with the text of both files and its language.
    page.goto(f"{live_server.url}/fr/consultations/{consultation.slug}/record/?language=fr")
    assert receipt in page.locator("table.record").inner_text()
    page.goto(f"{live_server.url}/fr/consultations/{consultation.slug}/record/{receipt}/")
    # The PDF's line breaks come back as spaces or newlines: compare the words.
    extracted = " ".join(page.locator(".extracted").inner_text().split())
    assert PDF_TEXT in extracted
    assert DOCX_TEXT in extracted
    assert page.locator(".text.extracted").get_attribute("lang") == "fr"
    contribution.refresh_from_db()
    assert contribution.language == "fr"
    page.close()
