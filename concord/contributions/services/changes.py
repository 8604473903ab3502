"""The contributor's own changes through the private link: amending and withdrawing."""

from __future__ import annotations

import hmac

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.consultations.models import Consultation
from concord.core import audit

from .. import extraction
from ..models import Contribution, ContributionVersion, Moderation
from ..submission import Upload, token_hash
from .common import ONLINE_SOURCES, _public_state_changed, _seal, refuse
from .content import _after_commit, _inspect_uploads, _language, _manifest, _store_files, _typed_content, _write_version


def access_by_token(consultation: Consultation, receipt_number: str, token: str) -> Contribution | None:
    """The contribution whose private link this is, or None (same answer for a wrong receipt or token)."""
    contribution = Contribution.objects.filter(consultation=consultation, receipt_number=receipt_number).first()
    if contribution is None or not contribution.manage_token_hash:
        return None
    return contribution if hmac.compare_digest(contribution.manage_token_hash, token_hash(token)) else None


def _can_change(contribution: Contribution, now) -> None:
    if contribution.is_withdrawn:
        raise refuse(_("This contribution was withdrawn."), "withdrawn")
    if now >= contribution.consultation.closes_at:
        raise refuse(_("The consultation is closed: contributions can no longer be changed."), "closed")


@transaction.atomic
def amend_contribution(
    actor,
    contribution: Contribution,
    *,
    text: str = "",
    title: str = "",
    answers=(),
    uploads: list[Upload] = (),
    keep_files: bool = True,
    now=None,
) -> ContributionVersion:
    """Replace the contribution with a new version; every earlier version is kept. Allowed until closing."""
    now = now or timezone.now()
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _can_change(contribution, now)
    consultation = contribution.consultation
    title, text, answers = _typed_content(consultation, title, text, answers)
    checked = _inspect_uploads(list(uploads))
    previous = contribution.versions.order_by("-number").first()
    kept = []
    if keep_files and previous is not None:
        kept = [
            {
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "inspection": extraction.Inspection(kind=a.kind, mime=a.mime_type),
            }
            for a in previous.attachments.all()
        ]
    if not text and not answers and not checked and not kept:
        raise refuse(_("The contribution is empty: write a text, answer a question or attach a file."), "empty")
    language, confidence = _language(consultation, title, text, answers)
    files = kept + _store_files(checked)
    before = audit.snapshot(contribution)
    sha256 = _manifest(title, text, answers, files)
    version = _write_version(contribution, contribution.version + 1, title, text, answers, files, now, sha256)
    contribution.version = version.number
    contribution.title, contribution.text, contribution.answers = title, text, answers
    contribution.language, contribution.language_confidence = language, confidence
    contribution.sha256 = version.sha256
    contribution.extracted_text = ""
    if consultation.premoderation and contribution.source in ONLINE_SOURCES:
        # The new text has not been read by the secretariat yet.
        contribution.moderation = Moderation.PENDING
    contribution.save()
    audit.log(actor, "contribution.amend", contribution, audit.diff(before, audit.snapshot(contribution)))
    _after_commit(contribution, version, None, has_files=bool(files))
    _public_state_changed(contribution)
    _seal(contribution)
    return version


@transaction.atomic
def withdraw_contribution(actor, contribution: Contribution, *, now=None) -> Contribution:
    """Withdraw: no longer shown nor counted; its versions stay in the archive."""
    now = now or timezone.now()
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _can_change(contribution, now)
    before = audit.snapshot(contribution, ["withdrawn_at"])
    contribution.withdrawn_at = now
    contribution.save(update_fields=["withdrawn_at"])
    audit.log(
        actor, "contribution.withdraw", contribution, audit.diff(before, audit.snapshot(contribution, ["withdrawn_at"]))
    )
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution
