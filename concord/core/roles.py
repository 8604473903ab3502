"""The secretariat's roles: which named permissions each grants, in one place.

Each role is a Django group kept in step with this module after every ``migrate`` (``sync_roles``). Staff views and
admin actions check one of these permissions, never ``is_staff`` alone: a staff account with no role may log in to
the admin and do nothing there. Model permissions (``contributions.change_contribution``) say what the admin may
change; the custom ones below name the secretariat's actions that no model permission covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

# (app label, model, codename, name): permissions that belong to no model's add/change/delete/view. They are created
# here rather than in each model's Meta so that the list of what the secretariat may do reads in one module, and no
# other app needs a migration when it changes.
CUSTOM_PERMISSIONS = [
    ("contributions", "contribution", "moderate_contribution", "Can moderate contributions and set their consent"),
    ("reports", "reportdraft", "edit_report", "Can edit and regenerate the report"),
    ("meetings", "meeting", "view_meeting_record", "Can open a meeting's record page and unpublished minutes"),
    ("meetings", "meeting", "record_meeting", "Can record presentations and interventions as contributions"),
    ("meetings", "meeting", "publish_minutes", "Can publish a meeting's minutes"),
]

# What every role reads: the admin's lists of the domain. ``consultations.view_consultation`` also shows consultations
# before they are published, and ``reports.view_reportdraft`` the report before it is.
READ = [
    "core.view_auditentry",
    "stakeholders.view_stakeholdergroup",
    "stakeholders.view_entitycategory",
    "stakeholders.view_entity",
    "stakeholders.view_invitationtemplate",
    "stakeholders.view_invitationcampaign",
    "stakeholders.view_invitation",
    "consultations.view_consultation",
    "contributions.view_contribution",
    "contributions.view_moderationqueue",
    "contributions.view_attachment",
    "meetings.view_meeting",
    "meetings.view_participant",
    "meetings.view_meeting_record",
    "policy.view_policyissue",
    "policy.view_forum",
    "policy.view_issueforum",
    "policy.view_contributionissue",
    "policy.view_campaign",
    "positions.view_position",
    "positions.view_stance",
    "deliberation.view_phase",
    "deliberation.view_statement",
    "deliberation.view_voter",
    "reports.view_reportdraft",
]


@dataclass(frozen=True)
class Role:
    key: str
    group: str  # the group's name in the database; English, stable (the label below is what people read)
    label: str
    permissions: tuple[str, ...]


ROLES = {
    role.key: role
    for role in [
        Role(
            "consultation-manager",
            "Consultation manager",
            _("Consultation manager"),
            (
                *READ,
                "consultations.add_consultation",
                "consultations.change_consultation",
                "stakeholders.add_entity",
                "stakeholders.change_entity",
                "stakeholders.add_invitationtemplate",
                "stakeholders.change_invitationtemplate",
                "stakeholders.add_invitationcampaign",
                "stakeholders.change_invitationcampaign",
                "stakeholders.change_invitation",
                "contributions.add_contribution",
                "meetings.add_meeting",
                "meetings.change_meeting",
                "meetings.add_participant",
                "meetings.change_participant",
                "api.view_apitoken",
                "api.add_apitoken",
                "api.change_apitoken",
                "deliberation.add_phase",
                "deliberation.change_phase",
                "deliberation.add_statement",
                "deliberation.add_voter",
            ),
        ),
        Role(
            "moderator",
            "Moderator",
            _("Moderator"),
            (
                *READ,
                "contributions.change_contribution",
                "contributions.change_moderationqueue",
                "contributions.moderate_contribution",
                "deliberation.change_statement",
            ),
        ),
        Role(
            "report-editor",
            "Report editor",
            _("Report editor"),
            (
                *READ,
                "reports.change_reportdraft",
                "reports.edit_report",
                # Confirming issue tags and stances retrains the analysis, whose results the report drafts from.
                "policy.change_contributionissue",
                "positions.add_position",
                "positions.change_position",
                "positions.change_stance",
            ),
        ),
        Role(
            "meeting-chair",
            "Meeting chair",
            _("Meeting chair"),
            (
                *READ,
                "meetings.change_meeting",
                "meetings.change_participant",
                "meetings.record_meeting",
                "meetings.publish_minutes",
            ),
        ),
        Role("read-only-staff", "Read-only staff", _("Read-only staff"), tuple(READ)),
    ]
}


def can(user, permission: str) -> bool:
    """Whether this user holds a named permission (through a role, directly, or as a superuser)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(permission))


def require(user, permission: str) -> None:
    if not can(user, permission):
        raise PermissionDenied
