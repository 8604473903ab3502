import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from concord.stakeholders import services
from concord.stakeholders.models import EntityCategory, Invitation, InvitationState, StakeholderGroup
from concord.stakeholders.outreach import contribution_breakdown, display_state, outreach, responded_entities
from tests.factories import OPENS, make_consultation, make_contribution

pytestmark = pytest.mark.django_db

REGISTRY = """id,name,category,group,country,language,emails
N1,Fictional Open Net,ecosoc-ngo,,KE,en,a@open.example
N2,Réseau fictif,wsis-accredited,civil-society,SN,fr,b@reseau.example;c@reseau.example
N3,Fictional Chip Makers,business,,TV,zh-hans,d@chips.example
N4,Fictional Mailless,ecosoc-ngo,,KE,en,
N5,Fictional Ministry,member-state,,,ar,minister@ministry.example
"""


@pytest.fixture
def registry(settings):
    settings.CONCORD_INVITATIONS_PER_SECOND = 0
    settings.CONCORD_BASE_URL = "https://concord.example"
    services.import_entities("test", REGISTRY)


def _campaign(consultation, **selection):
    return services.create_campaign("test", consultation, name="Civil society", **selection)


def test_it_sends_personalised_invitations_in_each_language(registry, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    campaign = _campaign(consultation, groups=[StakeholderGroup.objects.get(slug="civil-society")])
    with django_capture_on_commit_callbacks(execute=True):
        report = services.launch_campaign("test", campaign)
    assert (report.queued, report.without_email, report.already_invited) == (2, 1, 0)
    assert len(mail.outbox) == 2
    by_to = {tuple(m.to): m for m in mail.outbox}
    french = by_to[("b@reseau.example", "c@reseau.example")]
    assert french.subject.startswith("Invitation : ")
    assert "Réseau fictif" in french.body
    assert french.extra_headers["Content-Language"] == "fr"
    assert "<img" not in french.body  # plain text, no tracking pixel
    assert set(Invitation.objects.values_list("state", flat=True)) == {InvitationState.SENT}


def test_the_personal_link_prefills_the_submission_form(registry, client, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    campaign = _campaign(consultation, countries=["SN"])
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", campaign)
    link = next(line for line in mail.outbox[0].body.splitlines() if line.startswith("https://"))
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link == "https://concord.example" + reverse("meetings:invitations:open", kwargs={"token": token}).replace(
        "/en/", "/fr/"
    )
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == f"/fr/consultations/{consultation.slug}/contribute/"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query == {
        "speaks_for": "organization",
        "organization_name": "Réseau fictif",
        "category": "wsis-accredited",
        "group": "civil-society",
        "country": "SN",
        "email": "b@reseau.example",
    }


def test_an_edited_template_is_used_and_checked(registry, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    services.save_invitation_template(
        "test", consultation, language="en", subject="Please join {consultation}", body="Hello {entity}: {link}"
    )
    with pytest.raises(Exception, match="Unknown placeholders"):
        services.save_invitation_template("test", consultation, language="en", subject="x", body="{password}")
    campaign = _campaign(consultation, categories=[EntityCategory.objects.get(slug="ecosoc-ngo")])
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", campaign)
    assert mail.outbox[0].subject == "Please join A fictional consultation"
    assert mail.outbox[0].body.startswith("Hello Fictional Open Net: https://concord.example/en/invitations/")


def test_failures_are_retried_then_marked_failed(registry, settings, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    calls = []

    def flaky(self, messages):
        calls.append(messages[0].to)
        if messages[0].to == ["d@chips.example"]:
            raise OSError("relay refused")
        return real(self, messages)

    real = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    consultation = make_consultation()
    campaign = _campaign(consultation, groups=[StakeholderGroup.objects.get(slug="private-sector")])
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", campaign)
    invitation = Invitation.objects.get()
    assert invitation.state == InvitationState.FAILED
    assert invitation.attempts == services.MAX_SEND_ATTEMPTS == len(calls)
    assert "relay refused" in invitation.last_error


def test_an_entity_is_invited_once_per_consultation(registry, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", _campaign(consultation))
        report = services.launch_campaign("test", _campaign(consultation))
    assert report.queued == 0 and report.already_invited == 4
    assert len(mail.outbox) == 4  # N4 has no address; N5 is a government, also heard


def test_states_bounced_and_responded(registry, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", _campaign(consultation))
    kenya = Invitation.objects.get(entity__name="Fictional Open Net")
    tuvalu = Invitation.objects.get(entity__name="Fictional Chip Makers")
    services.mark_bounced("test", tuvalu, "550 no such user")
    with time_machine.travel(OPENS + dt.timedelta(days=2)):
        make_contribution(consultation, kenya.entity, received_at=OPENS + dt.timedelta(days=1))
    ids, emails = responded_entities(consultation)
    assert display_state(kenya, ids, emails) == InvitationState.RESPONDED
    assert display_state(tuvalu, ids, emails) == InvitationState.BOUNCED

    figures = outreach(consultation)
    assert (figures.invited, figures.responded, figures.bounced) == (4, 1, 1)
    civil = next(r for r in figures.by_group if r.key == "civil-society")
    assert (civil.invited, civil.responded, civil.rate_percent) == (2, 1, "50%")
    regions = {r.key: (r.invited, r.responded) for r in figures.by_region}
    assert regions["africa"] == (2, 1) and regions["oceania"] == (1, 0) and regions["none"] == (1, 0)
    statuses = {r.key: r.invited for r in figures.by_status}
    # Senegal is a least developed country; Tuvalu is both least developed and a small island developing State.
    assert statuses["ldc"] == 2 and statuses["sids"] == 1 and statuses["other"] == 1

    breakdown = contribution_breakdown(consultation)
    africa = next(r for r in breakdown.by_region if r.key == "africa")
    assert africa.cells == [1, 0, 0]


def test_outreach_figures_take_a_fixed_number_of_queries(registry, django_assert_max_num_queries, client):
    consultation = make_consultation()
    services.launch_campaign("test", _campaign(consultation))
    with django_assert_max_num_queries(8):
        outreach(consultation)
    response = client.get(reverse("meetings:outreach", kwargs={"slug": consultation.slug}))
    assert response.json()["outreach"]["invited"] == 4
    page = client.get(reverse("record:consultation", kwargs={"slug": consultation.slug}))
    assert "Outreach" in page.content.decode()
