"""Every write to stakeholder groups, categories and entities, split by sub-domain; the public names are re-exported
here, so that callers import ``concord.stakeholders.services`` whatever module holds a function."""

from .campaigns import (
    LaunchReport,
    campaign_selection,
    create_campaign,
    launch_campaign,
    record_sent_campaign,
    save_invitation_template,
)
from .entities import ENTITY_FIELDS, create_entity, find_or_create_entity, update_entity
from .registry import ImportReport, import_entities
from .sending import (
    MAX_SEND_ATTEMPTS,
    claim_invitation,
    hash_invitation_key,
    mark_bounced,
    new_invitation_key,
    record_send,
    requeue_invitation,
)

__all__ = [
    "ENTITY_FIELDS",
    "MAX_SEND_ATTEMPTS",
    "ImportReport",
    "LaunchReport",
    "campaign_selection",
    "claim_invitation",
    "create_campaign",
    "create_entity",
    "find_or_create_entity",
    "hash_invitation_key",
    "import_entities",
    "launch_campaign",
    "mark_bounced",
    "new_invitation_key",
    "record_send",
    "record_sent_campaign",
    "requeue_invitation",
    "save_invitation_template",
    "update_entity",
]
