"""The secretariat's roles: each staff page and action, for each role, for a staff account with no role, for an
account without staff rights and for the public."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from concord.consultations.models import Consultation
from concord.contributions.models import Contribution, Moderation
from concord.core import roles
from concord.core.models import AuditEntry
from concord.core.services import grant_role, revoke_role, sync_roles
from concord.meetings import services as meetings
from concord.reports.models import ReportParagraph
from concord.reports.services import generate_report
from tests.factories import UserFactory, make_consultation, make_contribution, make_meeting

pytestmark = pytest.mark.django_db

ROLE_KEYS = list(roles.ROLES)
PEOPLE = [*ROLE_KEYS, "superuser", "staff-no-role", "carol", "public"]
SECRETARIAT = {*ROLE_KEYS, "superuser"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _person(who):
    if who == "public":
        return None
    if who == "superuser":
        return UserFactory(username="alice", is_staff=True, is_superuser=True)
    if who == "staff-no-role":
        return UserFactory(username="stan", is_staff=True)
    if who == "carol":
        return UserFactory(username="carol")
    return grant_role("test", UserFactory(username=f"user-{who}"), who)


def _client(who):
    client, user = Client(), _person(who)
    if user is not None:
        client.force_login(user)
    return client


def _expect(who, allowed, refused=403, public=None):
    if who == "public" and public is not None:
        return public
    return 200 if who in allowed else refused


@pytest.fixture
def draft_consultation():
    """A consultation not yet reported, with its English draft."""
    consultation = make_consultation()
    generate_report("test", consultation, "en")
    return consultation


@pytest.fixture
def meeting():
    return make_meeting(make_consultation())


@pytest.mark.parametrize("who", PEOPLE)
def test_report_edit_page(draft_consultation, who):
    response = _client(who).get(reverse("reports:edit", kwargs={"slug": draft_consultation.slug}))
    assert response.status_code == _expect(who, {"report-editor", "superuser"}, public=302)


@pytest.mark.parametrize("who", PEOPLE)
def test_report_edit_post(draft_consultation, who):
    paragraph = ReportParagraph.objects.filter(
        draft__consultation=draft_consultation, kind=ReportParagraph.Kind.TEXT
    ).first()
    url = reverse("reports:edit", kwargs={"slug": draft_consultation.slug})
    response = _client(who).post(url, {"paragraph": paragraph.pk, "text": "Edited by hand."})
    allowed = who in {"report-editor", "superuser"}
    assert response.status_code == (302 if allowed or who == "public" else 403)
    paragraph.refresh_from_db()
    assert (paragraph.edited_text == "Edited by hand.") is allowed


@pytest.mark.parametrize("who", PEOPLE)
def test_reading_the_report_before_it_is_published(draft_consultation, who):
    response = _client(who).get(reverse("reports:report", kwargs={"slug": draft_consultation.slug}))
    assert response.status_code == _expect(who, SECRETARIAT, refused=404)
    # The edit link is shown to those who may follow it.
    assert ("Edit the draft" in response.content.decode()) is (who in {"report-editor", "superuser"})


@pytest.mark.parametrize("who", PEOPLE)
def test_drafting_a_missing_report_is_for_report_editors(who):
    consultation = make_consultation()
    response = _client(who).get(reverse("reports:report", kwargs={"slug": consultation.slug}))
    assert response.status_code == _expect(who, {"report-editor", "superuser"}, refused=404)
    assert consultation.report_drafts.exists() is (response.status_code == 200)


@pytest.mark.parametrize("who", PEOPLE)
def test_meeting_record_page(meeting, who):
    response = _client(who).get(reverse("meetings:record", kwargs={"pk": meeting.pk}))
    assert response.status_code == _expect(who, SECRETARIAT, public=302)


@pytest.mark.parametrize("who", PEOPLE)
def test_recording_a_turn(meeting, who):
    from tests.factories import make_entity

    participant = meetings.register_participant("test", meeting, entity=make_entity(), person_name="Ana Ficticia")
    meetings.open_debate("test", meeting)
    turn = meetings.request_floor(participant)
    meetings.give_floor("test", meeting)
    meetings.end_turn("test", meeting)
    url = reverse("meetings:record", kwargs={"pk": meeting.pk})
    response = _client(who).post(url, {"turn": turn.pk, "language": "en", "text": "What was said."})
    allowed = who in {"meeting-chair", "superuser"}
    assert response.status_code == (302 if allowed or who == "public" else 403)
    turn.refresh_from_db()
    assert (turn.contribution_id is not None) is allowed


@pytest.mark.parametrize("who", PEOPLE)
def test_publishing_the_minutes(meeting, who):
    response = _client(who).post(reverse("meetings:minutes", kwargs={"pk": meeting.pk}))
    allowed = who in {"meeting-chair", "superuser"}
    assert response.status_code == (302 if allowed else 403)
    meeting.refresh_from_db()
    assert (meeting.minutes_published_at is not None) is allowed


@pytest.mark.parametrize("who", PEOPLE)
def test_unpublished_minutes(meeting, who):
    response = _client(who).get(reverse("meetings:minutes", kwargs={"pk": meeting.pk}))
    assert response.status_code == _expect(who, SECRETARIAT, refused=404)
    assert ("Publish the minutes" in response.content.decode()) is (who in {"meeting-chair", "superuser"})


@pytest.mark.parametrize("who", PEOPLE)
def test_the_meeting_page_links_the_record_for_its_readers_only(meeting, who):
    page = _client(who).get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert (reverse("meetings:record", kwargs={"pk": meeting.pk}) in page) is (who in SECRETARIAT)


@pytest.mark.parametrize("who", PEOPLE)
def test_an_unpublished_consultation_and_its_meeting(who):
    consultation = make_consultation(published=False)
    meeting = make_meeting(consultation)
    client = _client(who)
    expected = _expect(who, SECRETARIAT, refused=404)
    assert client.get(reverse("record:consultation", kwargs={"slug": consultation.slug})).status_code == expected
    assert client.get(reverse("meetings:live", kwargs={"pk": meeting.pk}), {"wait": "0"}).status_code == expected


# Admin actions: which each person is offered, on each model admin that has its own actions.
def _offered(model, user):
    request = RequestFactory().get("/")
    request.user = user
    return set(admin.site._registry[model].get_actions(request)) - {"delete_selected"}


@pytest.mark.parametrize("who", ["read-only-staff", "staff-no-role"])
def test_no_admin_action_is_offered_without_a_write_permission(who):
    # Every admin, including those added later: an action declared without `permissions` is offered to anyone who
    # can see the list, which this catches.
    user = _person(who)
    offered = {model.__name__: _offered(model, user) for model in admin.site._registry}
    assert {name: actions for name, actions in offered.items() if actions} == {}


@pytest.mark.parametrize("who", [*ROLE_KEYS, "superuser"])
def test_admin_actions_are_offered_by_role(who):
    from concord.api.models import ApiToken
    from concord.contributions.models import ModerationQueue
    from concord.meetings.models import Participant
    from concord.policy.models import ContributionIssue
    from concord.positions.models import Stance
    from concord.stakeholders.models import Invitation, InvitationCampaign

    user = _person(who)
    # model: (actions, roles that are offered them)
    matrix = {
        Contribution: ({"publish", "hold", "reject", "publish_named", "publish_anonymous", "withhold"}, {"moderator"}),
        ModerationQueue: ({"publish", "hold", "reject"}, {"moderator"}),
        Consultation: ({"publish", "close_now", "mark_reported"}, {"consultation-manager"}),
        ApiToken: ({"revoke"}, {"consultation-manager"}),
        Participant: ({"schedule_presentation"}, {"consultation-manager", "meeting-chair"}),
        InvitationCampaign: ({"launch"}, {"consultation-manager"}),
        Invitation: ({"bounced", "requeue"}, {"consultation-manager"}),
        ContributionIssue: ({"confirm", "reject", "retrain"}, {"report-editor"}),
        Stance: ({"confirm", "mark_support", "mark_oppose", "mark_neutral", "retrain"}, {"report-editor"}),
    }
    for model, (actions, holders) in matrix.items():
        offered = _offered(model, user)
        if who == "superuser" or who in holders:
            assert actions <= offered, model.__name__
        else:
            assert not actions & offered, model.__name__


@pytest.mark.parametrize("who", ["consultation-manager", "report-editor", "staff-no-role", "moderator"])
def test_moderating_in_the_admin_needs_the_moderator_role(who):
    contribution = make_contribution(make_consultation())
    client = _client(who)
    response = client.post(
        reverse("admin:contributions_contribution_changelist"),
        {"action": "hold", "_selected_action": [contribution.pk], "reason": "Checking the sender."},
    )
    contribution.refresh_from_db()
    assert (contribution.moderation == Moderation.HELD) is (who == "moderator")
    assert response.status_code in ((302,) if who == "moderator" else (200, 302, 403))


def test_a_staff_account_without_a_role_sees_nothing_in_the_admin():
    client = _client("staff-no-role")
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ("contributions_contribution", "consultations_consultation", "reports_reportdraft"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403


def test_sync_keeps_each_group_to_its_role_and_is_safe_to_run_twice():
    group = Group.objects.get(name="Moderator")
    group.permissions.clear()
    sync_roles("test")
    assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()) == sorted(
        set(roles.ROLES["moderator"].permissions)
    )
    before = AuditEntry.objects.filter(action="role.sync").count()
    sync_roles("test")
    assert AuditEntry.objects.filter(action="role.sync").count() == before


def test_a_role_naming_an_unknown_permission_is_refused(monkeypatch):
    broken = roles.Role("typo", "Typo", "Typo", ("contributions.moderate_contributions",))
    monkeypatch.setitem(roles.ROLES, "typo", broken)
    with pytest.raises(ImproperlyConfigured, match="moderate_contributions"):
        sync_roles("test")


def test_the_roles_command_grants_lists_and_revokes(capsys):
    user = UserFactory(username="rhea")
    call_command("roles", "grant", "rhea", "report-editor")
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("reports.edit_report")
    assert AuditEntry.objects.get(action="role.grant").actor_label == "cli"
    call_command("roles")
    assert "members: rhea" in capsys.readouterr().out
    revoke_role("test", user, "report-editor")
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("reports.edit_report")
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("roles", "grant", "rhea", "editor")


def test_a_role_check_costs_a_fixed_number_of_queries(meeting, django_assert_max_num_queries):
    # The permissions are read once per request (two queries: the user's own and the groups'), however many checks
    # the view and its template make.
    client = _client("meeting-chair")
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    with django_assert_max_num_queries(8) as captured:
        assert client.get(url).status_code == 200
    permission_queries = [q for q in captured.captured_queries if "auth_permission" in q["sql"]]
    assert len(permission_queries) == 2
