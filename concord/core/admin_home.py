"""The secretariat's home page: per consultation, what waits for a person, the phase and the time left.

It counts other apps' rows for the admin's index, so it reads them here, above the apps, through a handful of
grouped queries whatever the number of consultations (the index is the page every officer opens first).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone


@dataclasses.dataclass
class Waiting:
    label: str
    count: int
    url: str | None


@dataclasses.dataclass
class ConsultationRow:
    consultation: object
    phase: str
    now: datetime.datetime
    is_open: bool
    is_upcoming: bool
    waiting: list[Waiting]
    links: list[tuple[str, str]]

    @property
    def waits(self) -> int:
        return sum(item.count for item in self.waiting)


def _by_consultation(queryset, key: str) -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


def _admin_url(user, perm: str, name: str, query: str) -> str | None:
    if not user.has_perm(perm):
        return None
    try:
        return f"{reverse(name)}?{query}"
    except NoReverseMatch:
        return None


def overview(user, now=None) -> list[ConsultationRow]:
    """One row per consultation not yet reported (and the reported ones after), for a member of the secretariat."""
    from django.utils.translation import gettext as _

    from concord.consultations.models import Consultation, Status
    from concord.contributions.models import Attachment, Contribution, ExtractionStatus, Moderation
    from concord.meetings.models import Meeting
    from concord.policy.models import ContributionIssue, TagSource
    from concord.positions.models import Stance, StanceSource

    if not user.has_perm("contributions.view_contribution"):
        return []
    now = now or timezone.now()
    consultations = list(Consultation.objects.order_by("-opens_at"))
    live = Contribution.objects.filter(withdrawn_at__isnull=True)
    pending = _by_consultation(live.filter(moderation=Moderation.PENDING), "consultation_id")
    failed = _by_consultation(
        Attachment.objects.filter(
            extraction_status=ExtractionStatus.NOT_EXTRACTED, version__contribution__withdrawn_at__isnull=True
        ),
        "version__contribution__consultation_id",
    )
    tags = _by_consultation(
        ContributionIssue.objects.filter(source=TagSource.AUTO, contribution__withdrawn_at__isnull=True),
        "contribution__consultation_id",
    )
    stances = _by_consultation(
        Stance.objects.filter(source=StanceSource.AUTOMATIC, contribution__withdrawn_at__isnull=True),
        "contribution__consultation_id",
    )
    meetings: dict[int, list] = {}
    for meeting in Meeting.objects.order_by("date", "pk").only("pk", "consultation_id", "title", "date"):
        meetings.setdefault(meeting.consultation_id, []).append(meeting)

    rows = []
    for consultation in consultations:
        pk = consultation.pk
        flt = f"consultation__id__exact={pk}"
        waiting = [
            Waiting(
                _("awaiting moderation"),
                pending.get(pk, 0),
                _admin_url(
                    user, "contributions.view_moderationqueue", "admin:contributions_moderationqueue_changelist", flt
                ),
            ),
            Waiting(
                _("files whose text could not be extracted"),
                failed.get(pk, 0),
                _admin_url(
                    user,
                    "contributions.view_attachment",
                    "admin:contributions_attachment_changelist",
                    f"extraction_status__exact={ExtractionStatus.NOT_EXTRACTED}&version__contribution__consultation__id__exact={pk}",
                ),
            ),
            Waiting(
                _("automatic issue tags not yet confirmed"),
                tags.get(pk, 0),
                _admin_url(
                    user,
                    "policy.view_contributionissue",
                    "admin:policy_contributionissue_changelist",
                    f"source__exact={TagSource.AUTO}&contribution__consultation__id__exact={pk}",
                ),
            ),
            Waiting(
                _("automatic stances not yet confirmed"),
                stances.get(pk, 0),
                _admin_url(
                    user,
                    "positions.view_stance",
                    "admin:positions_stance_changelist",
                    f"source__exact={StanceSource.AUTOMATIC}&position__consultation__id__exact={pk}",
                ),
            ),
        ]
        status = consultation.status_at(now)
        links = [(_("public page"), reverse("record:consultation", args=[consultation.slug]))]
        if status in (Status.CLOSED, Status.REPORTED) or consultation.reported_at:
            links.append((_("report"), reverse("reports:report", args=[consultation.slug])))
        links += [
            (_("meeting: %s") % meeting.title, reverse("meetings:detail", args=[meeting.pk]))
            for meeting in meetings.get(pk, [])
        ]
        links.append((_("open data and exports"), reverse("record:data", args=[consultation.slug])))
        if user.has_perm("consultations.change_consultation"):
            links.append((_("edit"), reverse("admin:consultations_consultation_change", args=[pk])))
        rows.append(
            ConsultationRow(
                consultation=consultation,
                phase=str(Status(status).label),
                now=now,
                is_open=status == Status.OPEN,
                is_upcoming=status == Status.UPCOMING,
                waiting=waiting,
                links=links,
            )
        )
    return rows
