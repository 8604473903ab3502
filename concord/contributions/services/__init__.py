"""Every write to contributions, split by sub-domain; the public names are re-exported here, so that callers import
``concord.contributions.services`` whatever module holds a function."""

from ..submission import Submission, Submitter, Upload
from .changes import access_by_token, amend_contribution, withdraw_contribution
from .common import ONLINE_SOURCES, SECRETARIAT_SOURCES, refuse
from .content import TITLE_MAX_CHARS
from .extraction import record_extraction
from .moderation import MODERATION_DECISIONS, REASON_REQUIRED, moderate_contribution
from .recording import MEETING_CHANNELS, next_receipt_number, record_contribution, set_consent
from .speakers import EMAIL_MAX, NAME_MAX, REFERENCE_TTL
from .written import submit_written_contribution

__all__ = [
    "EMAIL_MAX",
    "MEETING_CHANNELS",
    "MODERATION_DECISIONS",
    "NAME_MAX",
    "ONLINE_SOURCES",
    "REASON_REQUIRED",
    "REFERENCE_TTL",
    "SECRETARIAT_SOURCES",
    "TITLE_MAX_CHARS",
    "Submission",
    "Submitter",
    "Upload",
    "access_by_token",
    "amend_contribution",
    "moderate_contribution",
    "next_receipt_number",
    "record_contribution",
    "record_extraction",
    "refuse",
    "set_consent",
    "submit_written_contribution",
    "withdraw_contribution",
]
