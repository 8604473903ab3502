"""The statements phase's pages: the voting page (phones, no script needed) and the results with the opinion map."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from concord.meetings.access import hash_page_key
from concord.meetings.models import Participant
from concord.stakeholders.models import Invitation
from concord.stakeholders.services import hash_invitation_key

from . import ratelimit, selectors, services
from .access import access_phase_by_slug, access_statement, voter_by_key
from .forms import StatementForm, VoteForm
from .live import stream as results_stream
from .models import Phase
from .opinion_map import build_map
from .opinions import opinion_results

VIEWER_SALT = "concord.deliberation.viewer"
VIEWER_MAX_AGE = 90 * 24 * 3600


def _key_name(phase: Phase) -> str:
    return f"deliberation.key.{phase.pk}"


def _viewer_name(phase: Phase) -> str:
    return f"concord_voter_{phase.pk}"


_blank_statement_fields: dict[str, str] = {}


def _statement_fields(language: str) -> str:
    """The empty statement form's fields in this language, rendered once per process: every ballot page carries
    them, and Django's form widgets cost more to render than the rest of the page."""
    html = _blank_statement_fields.get(language)
    if html is None:
        form = StatementForm(initial={"language": language})
        html = render_to_string("deliberation/_statement_fields.html", {"statement_form": form})
        _blank_statement_fields[language] = html
    return mark_safe(html)  # noqa: S308 -- rendered by the template engine, escaped there


def _ballot(request: HttpRequest, phase: Phase, voter, *, public: bool) -> HttpResponse:
    """The voting page for ``voter`` (None: a member of the public not yet taking part): GET shows the next
    statement, POST records a vote or a statement and redirects back (post/redirect/get, so a reload casts nothing)."""
    now = timezone.now()
    status, error = 200, None
    statement_form = None  # the empty form, from ``_statement_fields``
    limited = ratelimit.check_vote(request, voter, public=public) if request.method == "POST" else None
    if limited is not None:
        status, error = 429, limited.message()
        if _wants_json(request):
            return _retry_after(JsonResponse({"error": error, "retry_after": limited.retry_after}, status=429), limited)
    elif request.method == "POST":
        try:
            if voter is None:
                voter, key = services.join_as_public(phase, now=now)
                request.session[_key_name(phase)] = key
            if request.POST.get("action") == "statement":
                statement_form = StatementForm(request.POST)
                if statement_form.is_valid():
                    services.submit_statement(
                        voter,
                        text=statement_form.cleaned_data["text"],
                        language=statement_form.cleaned_data["language"],
                        now=now,
                    )
                    return _remember(redirect(request.path + "?written=1"), phase, voter)
            else:
                form = VoteForm(request.POST)
                if form.is_valid():
                    statement = access_statement(phase, form.cleaned_data["statement"])
                    services.cast_vote(voter, statement, form.cleaned_data["value"], now=now)
                    if _wants_json(request):
                        return _remember(JsonResponse(_next_as_json(voter)), phase, voter)
                    return _remember(redirect(request.path), phase, voter)
                error = " ".join(" ".join(e) for e in form.errors.values())
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 409
        else:
            status = 400
        if _wants_json(request):
            return JsonResponse({"error": error}, status=status)
    statement, left = (None, 0)
    if voter is not None:
        statement, left = selectors.next_statement(voter)
    elif phase.allow_public:
        statement, left = selectors.next_statement_for_newcomer(phase)
    text, text_language = statement.text_in(translation.get_language() or "en") if statement else ("", "")
    context = {
        "consultation": phase.consultation,
        "phase": phase,
        "voter": voter,
        "public": public,
        "open": phase.is_open_at(now),
        "statement": statement,
        "text": text,
        "text_language": text_language,
        "left": left,
        "error": error,
        "statement_form": statement_form,
        "statement_fields": (
            _statement_fields(translation.get_language() or "en")
            if statement_form is None and phase.allow_statements
            else ""
        ),
        "allow_statements": phase.allow_statements,
        "written": "written" in request.GET,
    }
    response = render(request, "deliberation/vote.html", context, status=status)
    if limited is not None:
        _retry_after(response, limited)
    return _remember(response, phase, voter) if voter is not None else response


def _retry_after(response: HttpResponse, limited) -> HttpResponse:
    response["Retry-After"] = str(limited.retry_after)
    return response


def _wants_json(request: HttpRequest) -> bool:
    """The page's script votes with ``fetch`` and asks for the next statement in the answer, as Pol.is's client
    does: one request per vote instead of the plain form's post and redirect."""
    return request.headers.get("Accept", "").startswith("application/json")


def _next_as_json(voter) -> dict:
    statement, left = selectors.next_statement(voter)
    if statement is None:
        return {"statement": None, "left": 0}
    text, language = statement.text_in(translation.get_language() or "en")
    return {
        "statement": {"id": statement.pk, "number": statement.number, "text": text, "language": language},
        "left": left,
        # The page's own message (its translations too): the template's blocktranslate with a counter.
        "left_text": ngettext("%(counter)s statement left.", "%(counter)s statements left.", left) % {"counter": left},
    }


def _remember(response: HttpResponse, phase: Phase, voter) -> HttpResponse:
    """Where the results page rings "you": a signed cookie, not the session, so that a vote reads no session row."""
    response.set_signed_cookie(
        _viewer_name(phase),
        str(voter.number),
        salt=VIEWER_SALT,
        max_age=VIEWER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """The public's voting page, where the phase allows the public; the browser session keeps the voter's key."""
    phase = access_phase_by_slug(request.user, slug)
    voter = voter_by_key(phase, request.session.get(_key_name(phase), ""))
    if not phase.allow_public and voter is None:
        return render(
            request,
            "deliberation/vote.html",
            {"consultation": phase.consultation, "phase": phase, "closed_to_public": True},
        )
    return _ballot(request, phase, voter, public=True)


@never_cache
@require_http_methods(["GET", "POST"])
def vote_with_key(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A representative's voting page, opened by the key given at registration, by the entity's invitation link
    (the personal key that pre-fills the written form) or by a meeting participant's page key."""
    phase = access_phase_by_slug(request.user, slug)
    voter = voter_by_key(phase, token)
    if voter is None:
        invitation = (
            Invitation.objects.select_related("entity")
            .filter(consultation=phase.consultation, token_hash=hash_invitation_key(token))
            .first()
        )
        if invitation is not None:
            voter = services.voter_for_invitation(phase, invitation)
        else:
            participant = (
                Participant.objects.select_related("entity")
                .filter(meeting__consultation=phase.consultation, token_hash=hash_page_key(token))
                .first()
            )
            if participant is None:
                raise Http404("No such voter")
            voter = services.voter_for_participant(phase, participant)
    response = _ballot(request, phase, voter, public=False)
    # The key is in the address: never sent to another site. "same-origin" rather than "no-referrer", with which
    # browsers send ``Origin: null`` on the page's own form and the CSRF check refuses the vote.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The opinion map, the statements with their bars, and the consensus and divergence lists."""
    phase = access_phase_by_slug(request.user, slug)
    data = opinion_results(phase)
    labels = selectors.group_labels(data["groups"])
    rows = selectors.statement_rows(phase, data)
    groups = selectors.opinion_groups(phase, data)
    viewer = request.get_signed_cookie(_viewer_name(phase), default=None, salt=VIEWER_SALT, max_age=VIEWER_MAX_AGE)
    viewer = int(viewer) if viewer and viewer.isdigit() else None
    context = {
        "consultation": phase.consultation,
        "phase": phase,
        "map": build_map(data, labels, viewer),
        "groups": groups,
        "rows": rows,
        "columns": phase.consultation.ordered_groups(),
        "participants": len(data["participants"]),
        "grouped": sum(g["size"] for g in data["groups"]),
        **selectors.consensus_and_divergence(rows, data),
        "version": data["version"],
        "pending": data["pending"],
    }
    return render(request, "deliberation/results.html", context)


@never_cache
@require_GET
def live(request: HttpRequest, slug: str) -> JsonResponse:
    """The results' version (the last vote the shown result includes) and whether newer votes wait for the next
    computation, for clients that poll rather than follow the stream."""
    phase = access_phase_by_slug(request.user, slug)
    data = opinion_results(phase)
    return JsonResponse({"version": data["version"], "pending": data["pending"]})


@never_cache
@require_GET
def stream(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The results as server-sent events (``live.stream``): an event as each new result is computed, which the
    results page follows to read itself again. ``since`` (or the browser's Last-Event-ID) is the version it has."""
    phase = access_phase_by_slug(request.user, slug)
    try:
        since = int(request.headers.get("Last-Event-ID") or request.GET.get("since", "-1"))
    except ValueError:
        since = -1
    response = StreamingHttpResponse(results_stream(phase.pk, since), content_type="text/event-stream")
    # Proxies must pass each event on at once rather than buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response
