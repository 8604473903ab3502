"""Who may do what at a meeting: one helper per question, used by every view."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from concord.consultations.access import access_consultation_by_slug
from concord.core.roles import can

from .models import Meeting, Participant


def access_meeting(user, pk: int) -> Meeting:
    """A meeting of a consultation this user may see (published ones for everyone)."""
    meeting = get_object_or_404(Meeting.objects.select_related("consultation"), pk=pk)
    access_consultation_by_slug(user, meeting.consultation.slug)
    return meeting


def can_view_record(user) -> bool:
    """The record page and the minutes before they are published (every secretariat role reads them)."""
    return can(user, "meetings.view_meeting_record")


def can_record(user) -> bool:
    """Turning presentations and interventions into contributions."""
    return can(user, "meetings.record_meeting")


def can_publish_minutes(user) -> bool:
    return can(user, "meetings.publish_minutes")


def can_chair(user, meeting: Meeting) -> bool:
    """The meeting's chair runs the floor; a superuser may stand in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return meeting.chair_id == user.pk or user.is_superuser


def require_chair(user, meeting: Meeting) -> None:
    if not can_chair(user, meeting):
        raise PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def hash_page_key(token: str) -> str:
    """What is stored of a participant's page key (``Participant.token_hash``)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def access_participant_by_token(meeting: Meeting, token: str) -> Participant:
    """The participant whose page key this is, found by the key's hash."""
    participant = (
        Participant.objects.select_related("entity", "group", "meeting")
        .filter(meeting=meeting, token_hash=hash_page_key(token))
        .first()
    )
    if participant is None:
        raise Http404("No such participant")
    return participant


def minutes_visible(user, meeting: Meeting) -> bool:
    return meeting.minutes_published_at is not None or can_view_record(user) or can_chair(user, meeting)
