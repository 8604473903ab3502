"""Meeting pages: the programme, the public display, the participant's and the chair's pages, record, minutes."""

import dataclasses
import datetime
import math

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from concord.consultations.access import access_consultation_by_slug, can_preview
from concord.contributions.models import Contribution
from concord.stakeholders.outreach import contribution_breakdown, outreach

from . import access, floor, services
from .forms import ChairForm, RecordTurnForm, RequestFloorForm
from .models import AgendaItem, TurnKind, TurnState

LONG_POLL_MAX = 25.0


def presentation_slots(meeting) -> list[dict]:
    """The slot list with planned start times, from the presentations agenda item and each planned duration."""
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.PRESENTATIONS).first()
    clock = datetime.datetime.combine(meeting.date, item.starts_at) if item and item.starts_at else None
    slots = []
    turns = meeting.turns.filter(kind=TurnKind.PRESENTATION).exclude(state=TurnState.WITHDRAWN)
    for turn in turns.select_related("participant__entity", "participant__group").order_by("position", "id"):
        slots.append({"turn": turn, "planned_start": clock.time() if clock else None})
        if clock and turn.planned_seconds:
            clock += datetime.timedelta(seconds=turn.planned_seconds)
        elif clock:
            clock = None
    return slots


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    participants = meeting.participants.select_related("entity", "group")
    context = {
        "meeting": meeting,
        "consultation": meeting.consultation,
        "agenda": meeting.agenda_items.all(),
        "slots": presentation_slots(meeting),
        "designated": [p for p in participants if p.designated],
        "registered": len(participants),
        "can_chair": access.can_chair(request.user, meeting),
        "can_view_record": access.can_view_record(request.user),
    }
    return render(request, "meetings/detail.html", context)


@require_GET
def display(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    return render(request, "meetings/display.html", {"meeting": meeting, "consultation": meeting.consultation})


@never_cache
@require_GET
def live(request: HttpRequest, pk: int) -> JsonResponse:
    """The floor as JSON. With ``?since=V`` the answer waits (long polling, up to ``wait`` seconds) until the
    version differs from V, so a display learns of a change within a tenth of a second without hammering.

    A room of a few hundred polls this: it answers from the cache, without touching the database."""
    try:
        since = int(request.GET.get("since", "-1"))
        wait = float(request.GET.get("wait", "20"))
    except ValueError:
        return JsonResponse({"error": "bad parameters"}, status=400)
    # NaN passes through min() and max() unchanged and would make the wait endless; infinity too.
    if not math.isfinite(wait):
        return JsonResponse({"error": "bad parameters"}, status=400)
    wait = min(max(wait, 0.0), LONG_POLL_MAX)
    state = _followable_state(request, pk)
    if state["version"] == since:
        state = floor.wait_for_change(pk, since, wait)
        if state is None:
            raise Http404("No such meeting")
    state = floor.public_state(state, with_queue=request.GET.get("queue") == "1")
    return JsonResponse(state, json_dumps_params={"ensure_ascii": False})


def _followable_state(request: HttpRequest, pk: int) -> dict:
    """The floor's live state, if this user may follow it (a published consultation's, or the secretariat)."""
    state = floor.live_state(pk)
    if state is None or (not state["public"] and not can_preview(request.user)):
        raise Http404("No such meeting")
    return state


@never_cache
@require_GET
def live_stream(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The floor as server-sent events, for the display and the participants' pages: each change arrives as one
    event a few milliseconds after it is committed. ``?queue=1`` adds the whole queue, as on `live.json`."""
    try:
        since = int(request.headers.get("Last-Event-ID") or request.GET.get("since", "-1"))
    except ValueError:
        since = -1
    _followable_state(request, pk)
    with_queue = request.GET.get("queue") == "1"
    response = StreamingHttpResponse(floor.stream(pk, since, with_queue=with_queue), content_type="text/event-stream")
    # Proxies must pass each event on at once rather than buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response


@require_http_methods(["GET", "POST"])
def participant_floor(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A registered participant's page (phone or laptop): ask for the floor, raise a point of order, withdraw."""
    meeting = access.access_meeting(request.user, pk)
    participant = access.access_participant_by_token(meeting, token)
    error, status = None, 200
    if request.method == "POST":
        form = RequestFloorForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == "request":
                    services.request_floor(participant, form.cleaned_data["kind"] or TurnKind.INTERVENTION)
                else:
                    turn = participant.turns.filter(pk=form.cleaned_data["turn"]).first()
                    if turn is None:
                        raise Http404("No such request")
                    services.withdraw_turn(f"participant:{participant.pk}", turn)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 409
            else:
                return redirect(request.path)
        else:
            error, status = " ".join(str(e) for e in form.errors.values()), 400
    mine = list(participant.turns.filter(state__in=[TurnState.WAITING, TurnState.SPEAKING]).order_by("requested_at"))
    context = {
        "meeting": meeting,
        "consultation": meeting.consultation,
        "participant": participant,
        "mine": mine,
        "error": error,
        "kinds": [TurnKind.INTERVENTION, TurnKind.POINT_OF_ORDER],
    }
    return render(request, "meetings/floor.html", context, status=status)


@require_http_methods(["GET", "POST"])
def chair(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    access.require_chair(request.user, meeting)
    error, status = None, 200
    if request.method == "POST":
        form = ChairForm(request.POST)
        if form.is_valid():
            action, turn_id = form.cleaned_data["action"], form.cleaned_data.get("turn")
            turn = meeting.turns.filter(pk=turn_id).first() if turn_id else None
            if turn_id and turn is None:
                raise Http404("No such turn")
            try:
                if action == "open":
                    services.open_debate(request.user, meeting)
                elif action == "close":
                    services.close_debate(request.user, meeting)
                elif action == "next":
                    services.give_floor(request.user, meeting)
                elif action == "give":
                    services.give_floor(request.user, meeting, turn)
                elif action == "end":
                    services.end_turn(request.user, meeting)
                elif action == "strike":
                    services.withdraw_turn(request.user, turn)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 409
            else:
                if request.headers.get("Accept") == "application/json":
                    return JsonResponse({"ok": True})
                return redirect(request.path)
        else:
            error, status = " ".join(" ".join(e) for e in form.errors.values()), 400
    meeting.refresh_from_db()
    context = {"meeting": meeting, "consultation": meeting.consultation, "error": error}
    return render(request, "meetings/chair.html", context, status=status)


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat turns each presentation and intervention into a contribution, text uploaded afterwards."""
    meeting = access.access_meeting(request.user, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    access.require(access.can_view_record(request.user))
    form, status = None, 200
    if request.method == "POST":
        access.require(access.can_record(request.user))
        form = RecordTurnForm(request.POST, request.FILES)
        if form.is_valid():
            turn = meeting.turns.filter(pk=form.cleaned_data["turn"]).first()
            if turn is None:
                raise Http404("No such turn")
            try:
                services.record_turn(
                    request.user,
                    turn,
                    text=form.cleaned_data["text"],
                    language=form.cleaned_data["language"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(request.path + "?recorded=1")
        status = 400
    lines = floor.minutes(meeting)
    error_turn = form.cleaned_data.get("turn") if form is not None and hasattr(form, "cleaned_data") else None
    rows = [
        {
            "line": line,
            "form": form
            if error_turn == line.turn.pk
            else RecordTurnForm(initial={"turn": line.turn.pk, "language": request.LANGUAGE_CODE}),
        }
        for line in lines
    ]
    context = {
        "meeting": meeting,
        "consultation": meeting.consultation,
        "rows": rows,
        "recorded": "recorded" in request.GET,
        "can_record": access.can_record(request.user),
        "can_publish": meeting.minutes_published_at is None and access.can_publish_minutes(request.user),
    }
    return render(request, "meetings/record.html", context, status=status)


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    if request.method == "POST":
        access.require(access.can_publish_minutes(request.user))
        try:
            services.publish_minutes(request.user, meeting)
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=409)
        return redirect(request.path)
    if not access.minutes_visible(request.user, meeting):
        raise Http404("The minutes are not published yet")
    lines = _gated(floor.minutes(meeting))
    context = {
        "meeting": meeting,
        "consultation": meeting.consultation,
        "lines": lines,
        "can_publish": meeting.minutes_published_at is None and access.can_publish_minutes(request.user),
        "total_seconds": sum(line.duration_seconds or 0 for line in lines),
        "now": timezone.now(),
    }
    return render(request, "meetings/minutes.html", context)


def _gated(lines: list[floor.MinutesLine]) -> list[floor.MinutesLine]:
    """The minutes are a public page: a turn whose contribution is not public keeps its place, time, group and
    kind (the distribution table counts it) but loses its speaker's name and its receipt."""
    recorded = [line.turn.contribution_id for line in lines if line.turn.contribution_id]
    public = set(Contribution.objects.public().filter(pk__in=recorded).values_list("pk", flat=True))
    return [
        dataclasses.replace(line, shown=line.turn.contribution_id is None or line.turn.contribution_id in public)
        for line in lines
    ]


@require_GET
def outreach_json(request: HttpRequest, slug: str) -> JsonResponse:
    """Outreach figures and the contributions' breakdown by region and development status, for the report data."""
    consultation = access_consultation_by_slug(request.user, slug)
    data = {
        "consultation": consultation.slug,
        "outreach": outreach(consultation).as_dict(),
        "contributions": contribution_breakdown(consultation).as_dict(),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
