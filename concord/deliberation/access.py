"""Who may see and do what in a statements phase: one helper per object type, used by every view and command."""

from __future__ import annotations

import hashlib

from django.http import Http404

from concord.consultations.access import access_consultation_by_slug, can_preview
from concord.core.roles import can

from .models import Phase, Statement, Voter


def hash_page_key(token: str) -> str:
    """What is stored of a voter's page key (``Voter.token_hash``), as for a meeting participant's."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def access_phase_by_slug(user, slug: str) -> Phase:
    """The statements phase of a consultation this user may see (published ones for everyone, drafts for the
    secretariat's roles, as ``access_consultation_by_slug``); one query with its consultation, since the voting
    page asks on every vote."""
    phase = Phase.objects.select_related("consultation").filter(consultation__slug=slug).first()
    if phase is None:
        access_consultation_by_slug(user, slug)  # the consultation's own 404 when it is not there or not public
        raise Http404("This consultation has no statements phase")
    if phase.consultation.published_at is None and not can_preview(user):
        raise Http404("No such consultation")
    return phase


def public_statements(phase: Phase):
    """The statements the public may see, vote on and find in the results: the statements' gate
    (``StatementQuerySet.public``). A statement awaiting moderation or moderated out does not exist for them."""
    return Statement.objects.public().filter(phase=phase)


def access_statement(phase: Phase, pk: int) -> Statement:
    """A public statement of this phase, for a vote."""
    statement = public_statements(phase).filter(pk=pk).first()
    if statement is None:
        raise Http404("No such statement")
    return statement


def voter_by_key(phase: Phase, token: str) -> Voter | None:
    """The voter whose page key this is, found by the key's hash."""
    if not token:
        return None
    voter = Voter.objects.select_related("group", "entity").filter(phase=phase, token_hash=hash_page_key(token)).first()
    if voter is not None:
        voter.phase = phase  # already in hand, with its consultation
    return voter


def can_moderate(user) -> bool:
    """Accepting or moderating out the statements participants write."""
    return can(user, "deliberation.change_statement")


def can_write_statements(user) -> bool:
    """Adding statements as the secretariat, and seeding them from the positions codebook."""
    return can(user, "deliberation.add_statement")


def can_register_voters(user) -> bool:
    return can(user, "deliberation.add_voter")


def can_manage_phase(user) -> bool:
    return can(user, "deliberation.change_phase")
