"""Who may see and do what in a statements phase: one helper per object type, used by every view and command."""

from __future__ import annotations

import copy
import hashlib

from django.http import Http404

from concord.consultations.access import access_consultation_by_slug, can_preview
from concord.core.refcache import ProcessCache
from concord.core.roles import can

from .models import OpinionResult, Phase, Statement, Voter


def hash_page_key(token: str) -> str:
    """What is stored of a voter's page key (``Voter.token_hash``), as for a meeting participant's."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# The voting page reads its phase, its voter and the phase's statements on every vote: from this process's caches
# (``concord.core.refcache``), emptied at once by a change made in this process and at most PHASE_TTL seconds late in
# the others (the bound the consultations' cache keeps). A voter never changes once registered: a longer life.
PHASE_TTL = 2
VOTER_TTL = 60
_phases = ProcessCache(PHASE_TTL, ["deliberation.Phase", "consultations.Consultation"])
_statements = ProcessCache(
    PHASE_TTL, ["deliberation.Statement", "deliberation.Phase", "consultations.Consultation"], max_entries=100
)
_voters = ProcessCache(VOTER_TTL, ["deliberation.Voter"], max_entries=50_000)
# The statements' priorities change with each computation, at most every REFRESH_SECONDS (``opinions``).
PRIORITIES_TTL = 5
_priorities = ProcessCache(PRIORITIES_TTL, ["deliberation.OpinionResult"], max_entries=100)


def access_phase_by_slug(user, slug: str) -> Phase:
    """The statements phase of a consultation this user may see (published ones for everyone, drafts for the
    secretariat's roles, as ``access_consultation_by_slug``); with its consultation, from this process's cache,
    since the voting page asks on every vote. The phase is shared between requests: read it, never change it."""
    phase = _phases.get(
        slug, lambda: Phase.objects.select_related("consultation").filter(consultation__slug=slug).first()
    )
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


def _ballot(phase: Phase) -> tuple[tuple[Statement, ...], dict[int, Statement]]:
    def load():
        statements = tuple(public_statements(phase).order_by("number"))
        return statements, {s.pk: s for s in statements}

    return _statements.get(phase.pk, load)


def ballot_statements(phase: Phase) -> tuple[Statement, ...]:
    """The public statements of the phase in number order, as the voting page offers them: the gate of
    ``public_statements``, read from this process's cache (a moderation decision reaches the other processes within
    PHASE_TTL seconds). Shared between requests: read them, never change them."""
    return _ballot(phase)[0]


def access_statement(phase: Phase, pk: int) -> Statement:
    """A public statement of this phase, for a vote."""
    statement = _ballot(phase)[1].get(pk)
    if statement is None:
        raise Http404("No such statement")
    return statement


def statement_priorities(phase: Phase) -> dict[str, float]:
    """Each statement's weight in the draw of the next one (``ordering``), by number, as last computed; from this
    process's cache. Empty before the first computation."""

    def load():
        return OpinionResult.objects.filter(phase=phase).values_list("data__priorities", flat=True).first() or {}

    return _priorities.get(phase.pk, load)


def voter_by_key(phase: Phase, token: str) -> Voter | None:
    """The voter whose page key this is, found by the key's hash (from this process's cache)."""
    if not token:
        return None
    token_hash = hash_page_key(token)
    cached = _voters.get(
        (phase.pk, token_hash),
        lambda: Voter.objects.select_related("group", "entity").filter(phase=phase, token_hash=token_hash).first(),
    )
    if cached is None:
        return None
    voter = copy.copy(cached)  # Django copies the related objects' cache too: the shared one stays as it was
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
