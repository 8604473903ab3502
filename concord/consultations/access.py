from django.http import Http404

from .models import Consultation


def access_consultation_by_slug(user, slug: str) -> Consultation:
    """The consultation, if this user may see it: published ones for everyone, drafts for the secretariat."""
    try:
        consultation = Consultation.objects.get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    if consultation.published_at is None and not getattr(user, "is_staff", False):
        raise Http404("No such consultation")
    return consultation
