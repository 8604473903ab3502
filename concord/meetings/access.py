"""Who may do what at a meeting: one helper per question, used by every view."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from concord.consultations.access import access_consultation_by_slug

from .models import Meeting, Participant


def access_meeting(user, pk: int) -> Meeting:
    """A meeting of a consultation this user may see (published ones for everyone)."""
    meeting = get_object_or_404(Meeting.objects.select_related("consultation"), pk=pk)
    access_consultation_by_slug(user, meeting.consultation.slug)
    return meeting


def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_staff", False) and user.is_active)


def can_chair(user, meeting: Meeting) -> bool:
    """The meeting's chair runs the floor; a superuser may stand in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return meeting.chair_id == user.pk or user.is_superuser


def require_chair(user, meeting: Meeting) -> None:
    if not can_chair(user, meeting):
        raise PermissionDenied


def require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied


def access_participant_by_token(meeting: Meeting, token: str) -> Participant:
    participant = (
        Participant.objects.select_related("entity", "group", "meeting").filter(meeting=meeting, token=token).first()
    )
    if participant is None:
        raise Http404("No such participant")
    return participant


def minutes_visible(user, meeting: Meeting) -> bool:
    return meeting.minutes_published_at is not None or is_secretariat(user) or can_chair(user, meeting)
