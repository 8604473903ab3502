"""Invitation texts and campaigns: whom a campaign selects, launching it or recording one sent elsewhere."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import audit

from .. import invitations
from ..models import Entity, Invitation, InvitationCampaign, InvitationState, InvitationTemplate


@transaction.atomic
def save_invitation_template(actor, consultation, *, language: str, subject: str, body: str) -> InvitationTemplate:
    """Create or replace the consultation's invitation text in one language."""
    if language not in consultation.languages:
        raise ValidationError(_("This consultation does not use the language “%s”.") % language)
    invitations.check_placeholders(subject)
    invitations.check_placeholders(body)
    template = InvitationTemplate.objects.filter(consultation=consultation, language=language).first()
    before = audit.snapshot(template) if template else {}
    template = template or InvitationTemplate(consultation=consultation, language=language)
    template.subject, template.body = subject.strip(), body
    template.full_clean()
    template.save()
    delta = audit.diff(before, audit.snapshot(template))
    if delta:
        audit.log(actor, "invitation.template", template, delta)
    return template


@transaction.atomic
def create_campaign(actor, consultation, *, name: str, categories=(), groups=(), countries=()) -> InvitationCampaign:
    countries = sorted({c.upper() for c in countries})
    campaign = InvitationCampaign(consultation=consultation, name=name, countries=countries)
    campaign.full_clean()
    campaign.save()
    campaign.categories.set(categories)
    campaign.groups.set(groups)
    changes = audit.diff({}, audit.snapshot(campaign))
    changes["categories"] = [None, sorted(c.slug for c in categories)]
    changes["groups"] = [None, sorted(g.slug for g in groups)]
    audit.log(actor, "campaign.create", campaign, changes)
    return campaign


def campaign_selection(campaign: InvitationCampaign):
    """The registry entities a campaign selects: every listed dimension must match (an empty one matches all)."""
    entities = Entity.objects.filter(group__in=[g.id for g in campaign.consultation.ordered_groups()])
    category_ids = list(campaign.categories.values_list("id", flat=True))
    group_ids = list(campaign.groups.values_list("id", flat=True))
    if category_ids:
        entities = entities.filter(category_id__in=category_ids)
    if group_ids:
        entities = entities.filter(group_id__in=group_ids)
    if campaign.countries:
        entities = entities.filter(country__in=campaign.countries)
    return entities


@dataclass
class LaunchReport:
    queued: int
    already_invited: int
    without_email: int


def _new_invitations(campaign: InvitationCampaign) -> tuple[list[Invitation], int, int]:
    """One unsaved invitation per entity the campaign selects that has an address and no invitation to this
    consultation yet; with how many were already invited and how many have no address."""
    consultation = campaign.consultation
    selected = campaign_selection(campaign).select_related("contact")
    invited = set(Invitation.objects.filter(consultation=consultation).values_list("entity_id", flat=True))
    languages = consultation.languages or ["en"]
    fallback = "en" if "en" in languages else languages[0]
    new, without_email, already = [], 0, 0
    for entity in selected:
        if entity.id in invited:
            already += 1
            continue
        contact = getattr(entity, "contact", None)
        if contact is None or not contact.emails:
            without_email += 1
            continue
        new.append(
            Invitation(
                consultation=consultation,
                campaign=campaign,
                entity=entity,
                emails=contact.emails,
                language=contact.language if contact.language in languages else fallback,
            )
        )
    return new, already, without_email


@transaction.atomic
def record_sent_campaign(actor, campaign: InvitationCampaign, *, sent_at, bounced=frozenset()) -> LaunchReport:
    """Record a campaign that another system already sent (a past consultation's mail merge, say): one invitation
    per selected entity with an address, stored as sent at ``sent_at``, or bounced for the entity ids in
    ``bounced``. Nothing is e-mailed; one audit entry lists the counts."""
    new, already, without_email = _new_invitations(campaign)
    for invitation in new:
        invitation.attempts = 1
        invitation.sent_at = sent_at
        if invitation.entity_id in bounced:
            invitation.state, invitation.bounced_at = InvitationState.BOUNCED, sent_at
        else:
            invitation.state = InvitationState.SENT
    Invitation.objects.bulk_create(new, batch_size=1000)
    campaign.launched_at = campaign.launched_at or sent_at
    campaign.save(update_fields=["launched_at"])
    states = Counter(invitation.state for invitation in new)
    changes = {"launched_at": [None, sent_at.isoformat()], "recorded": [None, dict(sorted(states.items()))]}
    audit.log(actor, "campaign.record", campaign, changes)
    return LaunchReport(queued=len(new), already_invited=already, without_email=without_email)


@transaction.atomic
def launch_campaign(actor, campaign: InvitationCampaign, *, now=None) -> LaunchReport:
    """Queue one invitation per selected entity with an e-mail address, then send them in the background.

    Entities already invited to this consultation (by another campaign) are not invited twice.
    """
    from ..tasks import send_invitations

    now = now or timezone.now()
    new, already, without_email = _new_invitations(campaign)
    Invitation.objects.bulk_create(new, batch_size=500)
    before = audit.snapshot(campaign, ["launched_at"])
    campaign.launched_at = campaign.launched_at or now
    campaign.save(update_fields=["launched_at"])
    changes = audit.diff(before, audit.snapshot(campaign, ["launched_at"]))
    changes["queued"] = [None, len(new)]
    audit.log(actor, "campaign.launch", campaign, changes)
    if new:
        transaction.on_commit(lambda: send_invitations.enqueue(campaign.id))
    return LaunchReport(queued=len(new), already_invited=already, without_email=without_email)
