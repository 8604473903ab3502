"""Plain inputs of a written submission, shared by the form, the API and the ``submit`` command."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Submitter:
    """Who speaks: an organisation (name, category, group, country) or a person speaking for themselves."""

    kind: str  # "organization" or "individual"
    name: str
    country: str = ""
    category: str = ""  # slug; "individual" for a person
    group: str = ""  # slug; a person's group defaults to their category's
    email: str = ""


@dataclass
class Submission:
    contribution: object
    created: bool
    # The private link's secret: known only at creation, never stored in clear.
    manage_token: str = ""
    warnings: list[str] = field(default_factory=list)

    def receipt(self) -> dict:
        c = self.contribution
        return {
            "receipt": c.receipt_number,
            "sha256": c.sha256,
            "received_at": c.received_at.isoformat(),
            "status": c.moderation,
        }


# What no text needs, as one pattern (not a test per character: submissions run this over every text they receive):
# - Unicode's control characters (Cc: U+0000-U+001F and U+007F-U+009F, fixed by the standard) but newline and tab;
# - the invisible format characters (Cf), chief among them the bidirectional embeddings, overrides and isolates
#   (U+202A-U+202E, U+2066-U+2069) that make a name or a sentence display in another order than it reads, and the
#   zero-width space, marks and joiners that hide a word from search. Kept: the zero-width non-joiner and joiner
#   (U+200C, U+200D), which Persian, Arabic and Indic scripts need to spell words, and the visible Arabic signs
#   that span a number (U+0600-U+0605, U+06DD, U+08E2). tests/contributions/test_text_cleaning.py checks the list
#   against Python's Unicode database;
# - lone surrogates (U+D800-U+DFFF), which JSON's \u escapes can carry but no UTF-8 text can hold.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u070f\u0890\u0891\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)


def clean_text(value: str) -> str:
    """Text as typed, minus what no text needs: control and invisible format characters (newlines, tabs and the
    joiners that scripts need stay), and lone surrogates.

    HTML and script stay as typed: they are stored as text and always escaped on output.
    """
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = _UNWANTED.sub("", value)
    return value.strip()


def manifest_sha256(title: str, text: str, answers: list[dict], files: list[dict]) -> str:
    """SHA-256 of what was received, over a canonical JSON manifest anyone can recompute from the record:
    ``{"answers": [...], "files": [{"name", "sha256", "size"}], "text", "title"}``, keys sorted, UTF-8, compact."""
    manifest = {"title": title, "text": text, "answers": answers, "files": files}
    payload = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def error_code(exc: ValidationError) -> str:
    """The first machine-readable code of a refusal (``"invalid"`` when none was given)."""
    for error in exc.error_list if hasattr(exc, "error_list") else []:
        if error.code:
            return error.code
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            for error in errors:
                if error.code:
                    return error.code
    return "invalid"
