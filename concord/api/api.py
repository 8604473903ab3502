"""Concord's JSON API (django-ninja). Authenticated submission now; public read endpoints join it here."""

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema, Status
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from concord.consultations.access import published_consultation
from concord.contributions import idempotency
from concord.contributions.models import Consent, Source
from concord.contributions.services import TITLE_MAX_CHARS, submit_written_contribution
from concord.contributions.submission import Submitter, Upload, error_code

from .services import access_consultation_by_token, token_for


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return token_for(token)


api = NinjaAPI(
    title="Concord API",
    version="1",
    description="Open, multistakeholder public consultations: submit contributions; read the public record.",
    urls_namespace="api",
)


class SubmitterIn(Schema):
    """Who submits is the token's organisation: ``name``, when given, must be its name; ``kind``, ``category``,
    ``group`` and ``country`` are the registry's, whatever is sent. ``email`` is where the receipt goes."""

    kind: str = "organization"
    name: str = ""
    category: str = ""
    group: str = ""
    country: str = ""
    email: str


class AnswerIn(Schema):
    question_id: int
    answer: str


class FileIn(Schema):
    name: str
    content_base64: str


class SubmissionIn(Schema):
    submitter: SubmitterIn
    title: str = Field("", description=f"At most {TITLE_MAX_CHARS} characters (422 otherwise: refused, not cut).")
    text: str = ""
    answers: list[AnswerIn] = []
    files: list[FileIn] = []
    consent: str = Consent.NAMED


class ReceiptOut(Schema):
    receipt: str
    sha256: str
    received_at: dt.datetime
    status: str


class ErrorOut(Schema):
    error: str
    message: str


# Refusals that are not about the contribution's content: a conflict with an earlier request, or a request that
# is well formed but not acceptable as sent.
REFUSAL_STATUS = {
    idempotency.CONFLICT: 409,
    idempotency.KEY_TOO_LONG: 422,
    idempotency.INVALID_KEY: 422,
    "entity-mismatch": 422,
    "title-too-long": 422,
}


def _decode_files(files: list[FileIn]) -> list[Upload]:
    uploads = []
    for item in files:
        try:
            uploads.append(Upload(name=item.name, data=base64.b64decode(item.content_base64, validate=True)))
        except (binascii.Error, ValueError):
            raise ValidationError(f"“{item.name}”: content_base64 is not valid base64.", code="invalid") from None
    return uploads


@api.post(
    "/consultations/{slug}/contributions",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.CONCORD_API_SUBMIT_RATE)],
    response={
        201: ReceiptOut,
        200: ReceiptOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Submit a written contribution",
    description=(
        "The same checks as the web form. The contribution is in the name of the organisation the token was issued "
        "for (a submitter `name` naming another is refused, 422), to a consultation the token was issued for (403 "
        f"otherwise). Send an `Idempotency-Key` header (printable ASCII, at most {idempotency.MAX_KEY_LENGTH} "
        "characters, else 422): a retry with the same key and the same body returns the first receipt (200) and "
        "creates nothing; the same key with a different body is refused (409). Keys are the token's own: another "
        "token's key never reaches this token's contributions."
    ),
)
def submit_contribution(request: HttpRequest, slug: str, payload: SubmissionIn):
    consultation = published_consultation(slug)
    if consultation is None:
        return Status(404, {"error": "unknown-consultation", "message": f"No published consultation {slug!r}."})
    token = request.auth
    if not access_consultation_by_token(token, consultation):
        return Status(
            403,
            {
                "error": "token-not-for-consultation",
                "message": f"This token is not issued for the consultation {slug!r}; ask the secretariat.",
            },
        )
    try:
        submission = submit_written_contribution(
            f"api:{token.prefix}",
            consultation,
            submitter=Submitter(**payload.submitter.dict()),
            entity=token.entity,
            title=payload.title,
            text=payload.text,
            answers=[a.dict() for a in payload.answers],
            uploads=_decode_files(payload.files),
            consent=payload.consent,
            source=Source.API,
            idempotency_key=request.headers.get("Idempotency-Key"),
            idempotency_scope=f"token:{token.pk}",
        )
    except ValidationError as exc:
        code = error_code(exc)
        return Status(REFUSAL_STATUS.get(code, 400), {"error": code, "message": " ".join(exc.messages)})
    return Status(201 if submission.created else 200, submission.receipt())


# The public, read-only endpoints (concord/api/public.py).
from . import errors  # noqa: E402
from .public import register  # noqa: E402

register(api)
errors.register(api)
