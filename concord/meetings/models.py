import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation, check_translations, translated_text
from concord.stakeholders.models import Entity, StakeholderGroup


class Meeting(models.Model):
    """A meeting of the consultation, where presentations and open-debate interventions are heard."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    # {"fr": {"title": "...", "place": "..."}}: written in the consultation's original language otherwise.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_meetings",
        help_text=_("The account that runs the floor (gives the floor, opens and closes the debate)."),
    )
    speaking_time_seconds = models.PositiveIntegerField(
        _("speaking time (seconds)"), default=180, help_text=_("Time given to each speaker in the open debate.")
    )
    debate_opened_at = models.DateTimeField(_("open debate opened at"), null=True, blank=True)
    debate_closed_at = models.DateTimeField(_("open debate closed at"), null=True, blank=True)
    # Incremented by every change of the floor, in the same transaction: live pages compare versions.
    floor_version = models.PositiveIntegerField(default=0, editable=False)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "id"]

    TRANSLATED_FIELDS = ("title", "place")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def clean(self):
        check_translations(self.translations, self.TRANSLATED_FIELDS)

    def text_in(self, field: str, language: str) -> tuple[str, str]:
        """``field`` (title or place) in ``language``, and the language it is written in."""
        return translated_text(self, field, language, self.consultation.original_language)

    @property
    def debate_is_open(self) -> bool:
        return self.debate_opened_at is not None and self.debate_closed_at is None


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening")
        PRESENTATIONS = "presentations", _("Presentations by designated representatives")
        OPEN_DEBATE = "open-debate", _("Open debate")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    # {"fr": {"title": "..."}}: written in the consultation's original language otherwise.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        check_translations(self.translations, ("title",))

    def text_in(self, language: str) -> tuple[str, str]:
        """The item's title in ``language``, and the language it is written in."""
        return translated_text(self, "title", language, self.meeting.consultation.original_language)


class Participant(models.Model):
    """A registered participant: a person speaking for an entity, in the entity's stakeholder group."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    entity = models.ForeignKey(Entity, verbose_name=_("entity"), on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("name of the person"), max_length=300)
    # The entity's group at registration, like a contribution's.
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)
    email = models.EmailField(_("e-mail"), blank=True)
    designated = models.BooleanField(
        _("designated representative"), default=False, help_text=_("Presents on behalf of the stakeholder group.")
    )
    # SHA-256 of the key of the participant's own page (request the floor). The key itself is shown once, at
    # registration or when the secretariat gives a new one, and never stored: a copy of the database opens no page.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "group__position", "entity__name", "person_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "entity", "person_name"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.entity})"


class TurnKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    INTERVENTION = "intervention", _("Intervention")
    POINT_OF_ORDER = "point-of-order", _("Point of order")


class TurnState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SPEAKING = "speaking", _("Speaking")
    DONE = "done", _("Spoke")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Turn(models.Model):
    """One turn at the floor: a scheduled presentation, or a request in the open debate's speakers list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="turns")
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="turns"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TurnKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=TurnState.choices, default=TurnState.WAITING)
    # Presentations: their place in the slot list. Requests: ordered by kind, then by time of request.
    position = models.PositiveIntegerField(_("position"), default=0)
    planned_seconds = models.PositiveIntegerField(_("planned duration (seconds)"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="turn",
    )

    class Meta:
        verbose_name = _("turn at the floor")
        verbose_name_plural = _("turns at the floor")
        ordering = ["meeting", "started_at", "position", "requested_at", "id"]
        indexes = [models.Index(fields=["meeting", "state"], name="meetings_turn_state_idx")]

    def __str__(self) -> str:
        return f"{self.participant} – {self.get_kind_display()}"

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.started_at and self.ended_at:
            return self.ended_at - self.started_at
        return None
