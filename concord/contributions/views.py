"""The written channel's public pages: the submission form, the receipt, and the contributor's private page."""

import datetime as dt
import logging
import secrets
import time
import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from concord.consultations.access import access_consultation_by_slug
from concord.consultations.models import Status

from . import idempotency, ratelimit, services, storage
from .access import access_contribution_by_receipt
from .forms import AmendForm, SubmissionForm, WithdrawForm
from .models import Attachment, Source
from .submission import error_code

logger = logging.getLogger(__name__)
PREFILL_FIELDS = {"speaks_for", "organization_name", "category", "group", "country", "email"}
# Where the browser session keeps the scope of its forms' idempotency keys (see ``idempotency``).
SCOPE_SESSION_KEY = "contributions.idempotency_scope"


def _form_scope(request: HttpRequest) -> str:
    """The idempotency scope of this browser session: set when it first renders the form, so that a key sent from
    another browser (a forged or copied hidden field) never reaches a contribution sent from this one. A random
    value kept in the session rather than the session key, which changes at login."""
    value = request.session.get(SCOPE_SESSION_KEY)
    if not value:
        value = secrets.token_urlsafe(18)
        request.session[SCOPE_SESSION_KEY] = value
    return f"session:{value}"


def accepting(consultation, now) -> bool:
    status = consultation.status_at(now)
    return status == Status.OPEN or (status == Status.CLOSED and consultation.allow_late)


def _manage_url_builder(request, slug):
    def build(receipt_number, token):
        return request.build_absolute_uri(
            reverse("contributions:manage", kwargs={"slug": slug, "receipt": receipt_number, "token": token})
        )

    return build


def _rate_limited(request: HttpRequest, context: dict, limited: ratelimit.Limited) -> HttpResponse:
    """429, with the form as it was sent (what was typed is kept), saying when to send it again."""
    now = time.time()
    wait = limited.retry_after(now)
    retry_at = dt.datetime.fromtimestamp(now + wait, tz=dt.UTC)
    if limited.scope == "email":
        why = _("Too many contributions have been sent for this e-mail address in a short time.")
    else:
        why = _("Too many contributions have been sent from your network in a short time.")
    when = _(
        "Nothing was received. What you typed is kept below: send the form again after %(time)s UTC "
        "(in about %(minutes)d minutes)."
    ) % {"time": retry_at.strftime("%H:%M"), "minutes": max(1, round(wait / 60))}
    notes = [why, when]
    if request.FILES:
        notes.append(_("Browsers cannot keep attached files: choose them again before sending."))
    response = render(request, "contributions/submit.html", {**context, "rate_limited": notes}, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access_consultation_by_slug(request.user, slug)
    now = timezone.now()
    context = {"consultation": consultation, "now": now, "accepting": accepting(consultation, now)}
    if request.method == "POST":
        form = SubmissionForm(consultation, request.POST, request.FILES)
        limited = ratelimit.check_address(request)
        if limited is None and form.is_valid():
            limited = ratelimit.check_email(form.cleaned_data["email"])
        if limited is not None:
            return _rate_limited(request, {**context, "form": form}, limited)
        if form.is_valid():
            try:
                submission = services.submit_written_contribution(
                    request.user if request.user.is_authenticated else None,
                    consultation,
                    submitter=form.submitter(),
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    answers=form.answers(),
                    uploads=form.uploads(),
                    consent=form.cleaned_data["consent"],
                    source=Source.WEB,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    idempotency_scope=_form_scope(request),
                    manage_url=_manage_url_builder(request, slug),
                    receipt_language=translation.get_language(),
                )
            except ValidationError as exc:
                if error_code(exc) == idempotency.CONFLICT:
                    form.resend_as_new()
                else:
                    form.add_service_error(exc, error_code(exc))
            else:
                if not submission.created:
                    # A retry of a submission already received: show its receipt (its private link went by e-mail).
                    return render(request, "contributions/duplicate.html", {**context, "submission": submission})
                url = reverse(
                    "contributions:manage",
                    kwargs={
                        "slug": slug,
                        "receipt": submission.contribution.receipt_number,
                        "token": submission.manage_token,
                    },
                )
                return redirect(f"{url}?received=1")
        status = 400
    else:
        # An invitation's personal link pre-fills who is contributing (see stakeholders.invitations).
        prefill = {k: v for k, v in request.GET.items() if k in PREFILL_FIELDS}
        _form_scope(request)
        form = SubmissionForm(consultation, initial={**prefill, "idempotency_key": uuid.uuid4().hex})
        status = 200
    return render(request, "contributions/submit.html", {**context, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str, receipt: str, token: str) -> HttpResponse:
    """The contributor's private page: the receipt, and until closing, amend or withdraw."""
    consultation = access_consultation_by_slug(request.user, slug)
    contribution = services.access_by_token(consultation, receipt, token)
    if contribution is None:
        raise Http404("No such contribution")
    now = timezone.now()
    amend_form = withdraw_form = None
    status = 200
    can_change = not contribution.is_withdrawn and now < consultation.closes_at
    if request.method == "POST" and can_change:
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                withdraw_form = WithdrawForm(request.POST)
                if withdraw_form.is_valid():
                    services.withdraw_contribution(None, contribution)
                    return redirect(request.path + "?withdrawn=1")
            elif action == "amend":
                amend_form = AmendForm(consultation, request.POST, request.FILES)
                if amend_form.is_valid():
                    services.amend_contribution(
                        None,
                        contribution,
                        title=amend_form.cleaned_data["title"],
                        text=amend_form.cleaned_data["text"],
                        answers=amend_form.answers(),
                        uploads=amend_form.uploads(),
                        keep_files=amend_form.cleaned_data["keep_files"],
                    )
                    return redirect(request.path + "?amended=1")
        except ValidationError as exc:
            if amend_form is not None:
                amend_form.add_service_error(exc, error_code(exc))
            elif withdraw_form is not None:
                withdraw_form.add_error(None, exc.messages)
        status = 400
    contribution.refresh_from_db()
    if can_change:
        initial = {"title": contribution.title, "text": contribution.text, "keep_files": True}
        initial |= {f"answer_{a['question_id']}": a["answer"] for a in contribution.answers}
        amend_form = amend_form or AmendForm(consultation, initial=initial)
        withdraw_form = withdraw_form or WithdrawForm()
    version = contribution.versions.order_by("-number").first()
    context = {
        "consultation": consultation,
        "contribution": contribution,
        "attachments": version.attachments.all() if version else [],
        "versions": contribution.versions.order_by("number"),
        "amend_form": amend_form if can_change else None,
        "withdraw_form": withdraw_form if can_change else None,
        "just_received": "received" in request.GET,
        "just_amended": "amended" in request.GET,
        "just_withdrawn": "withdrawn" in request.GET,
    }
    return render(request, "contributions/manage.html", context, status=status)


@require_GET
def download(request: HttpRequest, slug: str, receipt: str, attachment_id: int) -> HttpResponse:
    """An original file, byte for byte, when the contribution is public."""
    consultation = access_consultation_by_slug(request.user, slug)
    contribution = access_contribution_by_receipt(request.user, consultation, receipt)
    attachment = Attachment.objects.filter(
        pk=attachment_id, version__contribution=contribution, version__number=contribution.version
    ).first()
    if attachment is None:
        raise Http404("No such file")
    try:
        original = storage.path_for(attachment.sha256).open("rb")
    except (OSError, ValueError):
        # The record says the file was received but the store no longer has it: a page that says so (410), not a
        # server error; `concord verify` names the contribution to the secretariat.
        logger.error("stored file missing: %s (%s, %s)", attachment.sha256, consultation.slug, receipt)
        context = {"consultation": consultation, "contribution": contribution, "attachment": attachment}
        return render(request, "contributions/file_missing.html", context, status=410)
    response = FileResponse(
        original,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
