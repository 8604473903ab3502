"""What the contribution services share: refusals with a code, the sources, and the public record's upkeep."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..models import Contribution, Source


def _record_changed(contribution: Contribution) -> None:
    """Queue the public record's upkeep (search index, sealed chain) in the background: the receipt never waits.

    Enqueued inside the caller's transaction: with the database task backend the task row commits with the
    contribution (one commit, not two, and never a task for a rolled-back contribution)."""
    from concord.record.tasks import contribution_changed

    contribution_changed.enqueue(contribution.pk)


def _seal(contribution: Contribution) -> None:
    """Seal the contribution's new state in the caller's transaction: each change of its publication state is
    its own entry in the chain, committed with the change or not at all. (A new written submission is sealed by
    the background task instead, so that concurrent receipts never queue on the chain's lock.)"""
    from concord.record.services import seal_contribution

    seal_contribution(contribution)


def _public_state_changed(contribution: Contribution) -> None:
    """A change of moderation, consent or withdrawal reaches search at once, in this transaction: search counts and
    facets are read from the index, whose upkeep by the worker may wait minutes behind OCR jobs."""
    from concord.record.search import update_listing

    update_listing(contribution)
    _record_changed(contribution)


# Entered by the secretariat itself, which is the moderator: published at once. Online channels wait for moderation.
SECRETARIAT_SOURCES = {Source.STAFF, Source.EMAIL}
ONLINE_SOURCES = {Source.WEB, Source.API}


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)
