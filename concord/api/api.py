"""Concord's JSON API (django-ninja). Authenticated submission now; public read endpoints join it here."""

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from concord.consultations.access import published_consultation
from concord.contributions.models import Consent, Source
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload, error_code

from .services import token_for


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
    kind: str = "organization"
    name: str
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
    title: str = ""
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
    response={201: ReceiptOut, 200: ReceiptOut, 400: ErrorOut, 404: ErrorOut},
    summary="Submit a written contribution",
    description=(
        "The same checks as the web form. Send an `Idempotency-Key` header: a retry with the same key returns the "
        "first receipt (200) and creates nothing."
    ),
)
def submit_contribution(request: HttpRequest, slug: str, payload: SubmissionIn):
    consultation = published_consultation(slug)
    if consultation is None:
        return Status(404, {"error": "unknown-consultation", "message": f"No published consultation {slug!r}."})
    try:
        submission = submit_written_contribution(
            f"api:{request.auth.prefix}",
            consultation,
            submitter=Submitter(**payload.submitter.dict()),
            title=payload.title,
            text=payload.text,
            answers=[a.dict() for a in payload.answers],
            uploads=_decode_files(payload.files),
            consent=payload.consent,
            source=Source.API,
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
    except ValidationError as exc:
        return Status(400, {"error": error_code(exc), "message": " ".join(exc.messages)})
    return Status(201 if submission.created else 200, submission.receipt())


# The public, read-only endpoints (concord/api/public.py).
from . import errors  # noqa: E402
from .public import register  # noqa: E402

register(api)
errors.register(api)
