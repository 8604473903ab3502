"""The invitation's personal link: it opens the submission form filled in for the invited entity."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import invitations
from .models import Invitation
from .services import hash_invitation_key


@require_GET
def open_invitation(request: HttpRequest, token: str) -> HttpResponse:
    # Nothing is recorded about the visit: no tracking, by design.
    invitation = (
        Invitation.objects.select_related("consultation", "entity__category", "entity__group")
        .filter(token_hash=hash_invitation_key(token))
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    url = reverse("contributions:submit", kwargs={"slug": invitation.consultation.slug})
    response = redirect(f"{url}?{invitations.prefill_query(invitation)}")
    response["Referrer-Policy"] = "no-referrer"
    return response
