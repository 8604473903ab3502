"""The report editor: a report editor adds, moves, edits and removes paragraphs, subheadings and footnotes with plain
forms (no JavaScript), each write audited; regeneration keeps all of it; anyone else is refused."""

import pytest
from django.test import Client

from concord.core.audit import entries_for
from concord.core.services import grant_role
from concord.reports import render
from concord.reports.models import ReportParagraph, ReportSettings
from concord.reports.services import generate_report
from tests.factories import UserFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = make_consultation(slug="editor-test")
    generate_report("test", consultation, "en")
    return consultation


@pytest.fixture
def editor(consultation):
    return grant_role("test", UserFactory(username="erin"), "report-editor")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def url(consultation, lang="en"):
    return f"/{lang}/consultations/{consultation.slug}/report/edit/"


def order(consultation, lang="en"):
    """Keys in the order the report prints them, removed paragraphs left out."""
    ctx = render.context(consultation.report_drafts.get(language=lang))
    return [item.paragraph.key for section in ctx["sections"] for item in section["items"]]


def test_an_editor_adds_moves_edits_and_removes_and_regeneration_keeps_it_all(consultation, editor, editor_client):
    draft = consultation.report_drafts.get(language="en")
    channels = draft.paragraphs.get(key="organization.channels")
    response = editor_client.post(
        url(consultation),
        {
            "step": "add",
            "add-section": "organization",
            "add-after": channels.pk,
            "add-kind": "text",
            "add-text": "The secretariat also held two briefings for delegations.",
            "add-footnotes": "Briefings held in New York and Geneva (fictional).",
        },
    )
    assert response.status_code == 302
    added = draft.paragraphs.get(written_by_hand=True)
    assert added.text == "The secretariat also held two briefings for delegations."
    assert added.notes == ["Briefings held in New York and Geneva (fictional)."]
    assert order(consultation).index(added.key) == order(consultation).index("organization.channels") + 1
    assert entries_for(added).get(action="report.add_paragraph").actor == editor

    # Moved up, above the paragraph it was added after.
    response = editor_client.post(url(consultation), {"step": "action", "paragraph": added.pk, "action": "up"})
    assert response.status_code == 302
    assert order(consultation).index(added.key) == order(consultation).index("organization.channels") - 1

    # A subheading at the end of chapter II, and a generated paragraph's text and footnotes edited.
    editor_client.post(
        url(consultation),
        {"step": "add", "add-section": "organization", "add-kind": "heading", "add-text": "Briefings"},
    )
    heading = draft.paragraphs.get(kind=ReportParagraph.Kind.HEADING)
    response = editor_client.post(
        url(consultation),
        {
            "step": "paragraph",
            "paragraph": channels.pk,
            "text": "Stakeholders wrote in any form, at any time of the period.",
            "footnotes": ["The call for contributions is in annex (fictional).", ""],
        },
    )
    assert response.status_code == 302
    channels.refresh_from_db()
    assert channels.notes == ["The call for contributions is in annex (fictional)."]

    # A generated paragraph removed: set aside, not deleted, and not brought back by regeneration.
    debate = draft.paragraphs.get(key="organization.debate")
    editor_client.post(url(consultation), {"step": "action", "paragraph": debate.pk, "action": "remove"})
    before = order(consultation)
    assert "organization.debate" not in before

    generate_report(editor, consultation, "en")
    after = order(consultation)
    assert after == before  # the added paragraph, the subheading, the moved one: all where the editor put them
    channels.refresh_from_db()
    assert channels.text == "Stakeholders wrote in any form, at any time of the period."
    assert channels.notes == ["The call for contributions is in annex (fictional)."]
    assert heading.key in after

    # Restored; the added paragraph deleted for good.
    editor_client.post(url(consultation), {"step": "action", "paragraph": debate.pk, "action": "restore"})
    editor_client.post(url(consultation), {"step": "action", "paragraph": added.pk, "action": "remove"})
    assert "organization.debate" in order(consultation)
    assert not ReportParagraph.objects.filter(pk=added.pk).exists()
    actions = {e.action for e in entries_for(debate)}
    assert {"report.remove_paragraph", "report.restore_paragraph"} <= actions


def test_the_editor_sets_the_front_matter_per_language(consultation, editor_client):
    response = editor_client.post(
        url(consultation),
        {
            "step": "settings",
            "settings-organs": ["general-assembly", "ecosoc"],
            "settings-session": "Sixty-sixth session (fictional)",
            "settings-agenda_items": "Item 17 (fictional)",
            "settings-distribution": "general",
            "settings-symbol": "A/00/000-E/0000/000",
            "settings-date_of_issue": "2011-05-04",
            "settings-original_language": "en",
        },
    )
    assert response.status_code == 302
    settings = ReportSettings.objects.get(consultation=consultation)
    assert settings.organs == ["general-assembly", "ecosoc"] and str(settings.date_of_issue) == "2011-05-04"
    # In French, the session and agenda items are the French texts; the rest is shared.
    generate_report("test", consultation, "fr")
    editor_client.post(
        url(consultation, "fr"),
        {
            "step": "settings",
            "settings-organs": ["general-assembly", "ecosoc"],
            "settings-session": "Soixante-sixième session (fictive)",
            "settings-agenda_items": "Point 17 (fictif)",
            "settings-distribution": "general",
            "settings-symbol": "A/00/000-E/0000/000",
            "settings-date_of_issue": "2011-05-04",
            "settings-original_language": "en",
        },
    )
    settings.refresh_from_db()
    assert settings.session == "Sixty-sixth session (fictional)"
    assert settings.text_in("session", "fr") == "Soixante-sixième session (fictive)"
    assert entries_for(settings).filter(action="report.settings_update").exists()


@pytest.mark.parametrize("role", ["moderator", "consultation-manager", "read-only-staff"])
def test_without_the_report_editor_role_every_change_is_refused(consultation, role):
    user = grant_role("test", UserFactory(username=f"no-{role}"), role)
    client = Client()
    client.force_login(user)
    draft = consultation.report_drafts.get(language="en")
    paragraph = draft.paragraphs.get(key="organization.channels")
    count = draft.paragraphs.count()
    assert client.get(url(consultation)).status_code == 403
    for data in [
        {"step": "add", "add-section": "organization", "add-kind": "text", "add-text": "Not allowed."},
        {"step": "action", "paragraph": paragraph.pk, "action": "remove"},
        {"step": "action", "paragraph": paragraph.pk, "action": "down"},
        {"step": "paragraph", "paragraph": paragraph.pk, "text": "Not allowed."},
    ]:
        assert client.post(url(consultation), data).status_code == 403
    paragraph.refresh_from_db()
    assert draft.paragraphs.count() == count
    assert not paragraph.removed and not paragraph.moved and paragraph.edited_text is None


def test_the_editor_page_labels_paragraphs_as_printed_and_takes_a_fixed_number_of_queries(
    consultation, editor_client, django_assert_max_num_queries
):
    draft = consultation.report_drafts.get(language="en")
    for i in range(5):
        draft.paragraphs.create(key=f"added.extra{i}", section="issues", position=100 + i, edited_text=f"Extra {i}.")
    with django_assert_max_num_queries(14):
        response = editor_client.get(url(consultation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "organization.channels" not in page  # no internal keys
    assert "Paragraph 1" in page and "Extra 4." in page
    # Textareas as tall as their text, and a form for each chapter, even an empty one (section V).
    assert 'name="add-section" value="un_role"' in page
    longest = max(draft.paragraphs.all(), key=lambda p: len(p.text))
    assert f'rows="{max(3, min(30, len(longest.text) // 90 + longest.text.count(chr(10)) + 2))}"' in page


def test_regenerating_from_the_editor_keeps_an_edit(consultation, editor_client):
    draft = consultation.report_drafts.get(language="en")
    paragraph = draft.paragraphs.get(key="organization.channels")
    editor_client.post(url(consultation), {"step": "paragraph", "paragraph": paragraph.pk, "text": "By hand."})
    response = editor_client.post(url(consultation), {"step": "regenerate"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == "By hand." and not paragraph.sources_changed


def test_the_consultation_s_admin_page_generates_the_report_and_links_the_editor(consultation, editor_client, alice):
    admin_url = f"/admin/consultations/consultation/{consultation.pk}/change/"
    superuser = Client()
    superuser.force_login(alice)
    page = superuser.get(admin_url).content.decode()
    assert f'action="/en/consultations/{consultation.slug}/report/edit/"' in page and "Generate report" in page
    assert f'href="/fr/consultations/{consultation.slug}/report/edit/"' in page
    consultation.report_drafts.all().delete()
    response = superuser.post(f"/en/consultations/{consultation.slug}/report/edit/", {"step": "regenerate"})
    assert response.status_code == 302 and consultation.report_drafts.filter(language="en").exists()
    # The front matter in the admin, every language at once.
    assert superuser.get("/admin/reports/reportsettings/add/").status_code == 200


def test_the_generate_button_is_only_for_report_editors(consultation):
    manager = grant_role("test", UserFactory(username="manny"), "consultation-manager")
    client = Client()
    client.force_login(manager)
    page = client.get(f"/admin/consultations/consultation/{consultation.pk}/change/").content.decode()
    assert "Generate report" not in page
