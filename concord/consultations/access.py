from django.http import Http404

from concord.core.refcache import ProcessCache
from concord.core.roles import can

from .models import Consultation

# The API looks its consultation up on every submission: a change reaches the other server processes within
# CONSULTATION_TTL seconds (the status itself is computed from the dates at each request).
CONSULTATION_TTL = 2
_published = ProcessCache(CONSULTATION_TTL, ["consultations.Consultation"])


def access_consultation_by_slug(user, slug: str) -> Consultation:
    """The consultation, if this user may see it: published ones for everyone, drafts for the secretariat's roles."""
    try:
        consultation = Consultation.objects.get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    if consultation.published_at is None and not can_preview(user):
        raise Http404("No such consultation")
    return consultation


def can_preview(user) -> bool:
    """Whether this user sees consultations (and their meetings) before they are published: the secretariat's
    roles, not every staff account."""
    return can(user, "consultations.view_consultation")


def published_consultation(slug: str) -> Consultation | None:
    """The published consultation with this slug, or None; from this process's cache."""
    return _published.get(slug, lambda: Consultation.objects.published().filter(slug=slug).first())
