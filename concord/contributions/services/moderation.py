"""The secretariat's moderation decisions."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from concord.core import audit

from ..models import Contribution, Moderation
from ..submission import clean_text
from .common import _public_state_changed, _seal, refuse

MODERATION_DECISIONS = {
    "publish": Moderation.PUBLISHED,
    "hold": Moderation.HELD,
    "reject": Moderation.REJECTED,
}


REASON_REQUIRED = {"hold", "reject"}


@transaction.atomic
def moderate_contribution(actor, contribution: Contribution, decision: str, reason: str) -> Contribution:
    """Publish, hold or reject as spam, always audited; holding and rejecting need a reason (the contributor may
    ask why), publishing does not."""
    if decision not in MODERATION_DECISIONS:
        raise refuse(_("Unknown moderation decision: %s") % decision, "invalid")
    reason = " ".join(clean_text(reason).split())
    if not reason and decision in REASON_REQUIRED:
        raise refuse(_("Give a reason for this moderation decision."), "missing-reason")
    fields = ["moderation", "moderation_reason"]
    before = audit.snapshot(contribution, fields)
    contribution.moderation = MODERATION_DECISIONS[decision]
    contribution.moderation_reason = reason
    contribution.save(update_fields=fields)
    audit.log(actor, f"contribution.{decision}", contribution, audit.diff(before, audit.snapshot(contribution, fields)))
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution
