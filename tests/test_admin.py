"""The secretariat's back office: pages load, and its writes go through the services (and the audit log)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from concord.consultations.models import Consultation
from concord.contributions.models import Consent, Contribution
from concord.core.audit import entries_for
from concord.core.models import AuditEntry
from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup
from tests.factories import make_consultation, make_contribution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "consultations_consultation",
        "contributions_contribution",
        "stakeholders_entity",
        "stakeholders_stakeholdergroup",
        "meetings_meeting",
        "policy_policyissue",
        "core_auditentry",
    ],
)
def test_every_changelist_loads_for_the_secretariat(demo, alice_client, name):
    response = alice_client.get(reverse(f"admin:{name.split('_')[0]}_{name.split('_', 1)[1]}_changelist"))
    assert response.status_code == 200


def test_the_contribution_changelist_filters_and_searches(demo, alice_client):
    url = reverse("admin:contributions_contribution_changelist")
    response = alice_client.get(url, {"channel__exact": "intervention", "q": "EC2010-I-00000"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 9


def test_a_public_visitor_cannot_reach_the_admin(client):
    assert client.get(reverse("admin:contributions_contribution_changelist")).status_code == 302


def test_creating_an_entity_in_the_admin_goes_through_the_service(alice, alice_client):
    response = alice_client.post(
        reverse("admin:stakeholders_entity_add"),
        {
            "kind": "organization",
            "name": "  Fictional   Harbour Institute ",
            "country": "SN",
            "category": EntityCategory.objects.get(slug="academia").pk,
            "group": StakeholderGroup.objects.get(slug="civil-society").pk,
        },
    )
    assert response.status_code == 302, response.content
    entity = Entity.objects.get(name="Fictional Harbour Institute")
    entry = entries_for(entity).get()
    assert (entry.action, entry.actor) == ("entity.create", alice)


def test_editing_a_consultation_in_the_admin_audits_the_changed_fields(alice, alice_client):
    consultation = make_consultation(questions=("Old question?",))
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    form = alice_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "A retitled fictional consultation",
            "opens_at_0": "2030-03-01",
            "opens_at_1": "00:00:00",
            "closes_at_0": "2030-06-30",
            "closes_at_1": "23:59:00",
            "languages": ["en", "fr"],
            "group_slugs": ["government", "civil-society"],
            "questions_text": "New question?\nSecond question?",
        }
    )
    data.pop("opens_at"), data.pop("closes_at"), data.pop("slug")
    response = alice_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation.refresh_from_db()
    assert consultation.title == "A retitled fictional consultation"
    assert [g.slug for g in consultation.ordered_groups()] == ["government", "civil-society"]
    actions = set(entries_for(consultation).values_list("action", flat=True))
    assert {"consultation.update", "consultation.groups", "consultation.questions"} <= actions
    update = entries_for(consultation).get(action="consultation.update")
    assert update.changes["title"] == ["A fictional consultation", "A retitled fictional consultation"]
    assert update.changes["languages"][1] == ["en", "fr"]


def test_the_publish_action_reports_what_it_refused(alice, alice_client):
    draft = make_consultation(published=False)
    published = make_consultation()
    response = alice_client.post(
        reverse("admin:consultations_consultation_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("already published" in m for m in messages)
    assert any("1 published" in m for m in messages)
    assert Consultation.objects.get(pk=draft.pk).published_at is not None


def test_consent_actions_change_what_is_published(alice, alice_client):
    contribution = make_contribution(make_consultation())
    alice_client.post(
        reverse("admin:contributions_contribution_changelist"),
        {"action": "withhold", "_selected_action": [contribution.pk]},
    )
    assert Contribution.objects.get(pk=contribution.pk).consent == Consent.WITHHELD
    assert AuditEntry.objects.filter(action="contribution.consent", actor=alice).count() == 1


def letter(consultation, entity, **changes):
    return {
        "consultation": consultation.pk,
        "entity": entity.pk,
        "channel": "written",
        "language": "fr",
        "title": "Lettre fictive",
        "text": "Une contribution fictive reçue par courrier.",
        "received_at_0": "2030-03-05",
        "received_at_1": "09:00:00",
        "source": "email",
        "consent": "named",
    } | changes


# During the fictional consultation's period; the session is opened then too, or it would have expired.
DURING = dt.datetime(2030, 3, 10, tzinfo=dt.UTC)


@time_machine.travel(DURING, tick=False)
def test_the_secretariat_records_a_letter_with_its_date_received(alice, alice_client):
    alice_client.force_login(alice)
    consultation = make_consultation()
    entity = make_contribution(consultation).entity
    response = alice_client.post(reverse("admin:contributions_contribution_add"), letter(consultation, entity))
    assert response.status_code == 302, response.context["adminform"].form.errors
    recorded = Contribution.objects.get(title="Lettre fictive")
    assert recorded.receipt_number == "TST-W-000002"
    assert recorded.received_at == dt.datetime(2030, 3, 5, 9, tzinfo=dt.UTC)
    assert entries_for(recorded).get().actor == alice


@time_machine.travel(DURING, tick=False)
def test_a_refused_entry_shows_the_form_again_with_the_reason(alice, alice_client):
    alice_client.force_login(alice)
    consultation = make_consultation(languages=("en",))
    entity = make_contribution(consultation).entity
    german = "Wir fordern niedrigere Verbindungskosten für alle Entwicklungsländer der Welt."
    response = alice_client.post(
        reverse("admin:contributions_contribution_add"), letter(consultation, entity, text=german)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == ["This consultation accepts contributions in these languages only: en."]
    assert Contribution.objects.count() == 1


def test_moderation_actions_need_a_reason_and_are_audited(alice, alice_client):
    from concord.contributions.models import Moderation, Source
    from concord.contributions.services import submit_written_contribution
    from concord.contributions.submission import Submitter

    consultation = make_consultation()
    with time_machine.travel(DURING, tick=False):
        alice_client.force_login(alice)
        contribution = submit_written_contribution(
            None,
            consultation,
            submitter=Submitter(kind="individual", name="Ada Fictional", email="ada@example.org"),
            text="Unsolicited advertising about cheap watches and nothing about the consultation at all.",
            source=Source.WEB,
        ).contribution
        queue = reverse("admin:contributions_moderationqueue_changelist")
        assert contribution.receipt_number in alice_client.get(queue).content.decode()
        response = alice_client.post(queue, {"action": "reject", "_selected_action": [contribution.pk]}, follow=True)
        assert "Give a reason" in response.content.decode()
        assert Contribution.objects.get(pk=contribution.pk).moderation == Moderation.PENDING
        alice_client.post(queue, {"action": "reject", "reason": "Advertising.", "_selected_action": [contribution.pk]})
    rejected = Contribution.objects.get(pk=contribution.pk)
    assert (rejected.moderation, rejected.moderation_reason) == (Moderation.REJECTED, "Advertising.")
    assert entries_for(rejected).get(action="contribution.reject").actor == alice


def test_creating_a_consultation_in_the_admin_goes_through_the_service(alice, alice_client):
    """The add form once failed with a 500: it passed fields the service did not take (``allow_late``)."""
    response = alice_client.post(
        reverse("admin:consultations_consultation_add"),
        {
            "slug": "fictional-harbours",
            "title": "Fictional consultation on harbour data",
            "mandate_reference": "Fictional resolution 1/1",
            "mandate": "A mandate written for this test.",
            "description": "",
            "languages": ["en", "fr"],
            "original_language": "en",
            "opens_at_0": "2031-01-10",
            "opens_at_1": "09:00:00",
            "closes_at_0": "2031-03-10",
            "closes_at_1": "18:00:00",
            "receipt_prefix": "FHD",
            "report_symbol": "F/2031/1",
            "allow_late": "on",
            "premoderation": "on",
            "group_slugs": ["government", "civil-society"],
            "questions_text": "Which data should harbours share?\nWith whom?",
            "title_fr": "Consultation fictive sur les données portuaires",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation = Consultation.objects.get(slug="fictional-harbours")
    assert (consultation.allow_late, consultation.premoderation, consultation.report_symbol) == (True, True, "F/2031/1")
    assert [g.slug for g in consultation.ordered_groups()] == ["government", "civil-society"]
    assert [q.text for q in consultation.questions.all()] == ["Which data should harbours share?", "With whom?"]
    assert consultation.translations == {"fr": {"title": "Consultation fictive sur les données portuaires"}}
    assert consultation.published_at is None  # created in draft
    actions = set(entries_for(consultation).values_list("action", flat=True))
    assert actions == {"consultation.create", "consultation.translate"}
    assert entries_for(consultation).get(action="consultation.create").actor == alice
