from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation
from concord.stakeholders.models import Entity, StakeholderGroup


class Channel(models.TextChoices):
    """The channels of the 2010 consultation; the slugs are a public contract (design.md)."""

    WRITTEN = "written", _("Written contributions")
    PRESENTATION = "presentation", _("Presentations at the meeting")
    INTERVENTION = "intervention", _("Interventions in the open debate")


CHANNEL_RECEIPT_LETTER = {Channel.WRITTEN: "W", Channel.PRESENTATION: "P", Channel.INTERVENTION: "I"}


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    STAFF = "staff", _("Entered by the secretariat")
    MEETING = "meeting", _("Meeting record")


class Consent(models.TextChoices):
    NAMED = "named", _("Publish with my name")
    ANONYMOUS = "anonymous", _("Publish anonymously")
    WITHHELD = "withheld", _("Do not publish")


class ContributionQuerySet(models.QuerySet):
    def counted(self):
        """What the distribution table counts: every contribution received, published or not."""
        return self

    def public(self):
        """What the public record shows: the contributor agreed to publication."""
        return self.exclude(consent=Consent.WITHHELD)


class Contribution(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.PROTECT, related_name="contributions"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    entity = models.ForeignKey(Entity, verbose_name=_("entity"), on_delete=models.PROTECT, related_name="contributions")
    # The entity's group when it contributed: a later change of the entity does not rewrite the table.
    group = models.ForeignKey(
        StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    source = models.CharField(_("received through"), max_length=20, choices=Source.choices)
    consent = models.CharField(_("publication"), max_length=20, choices=Consent.choices, default=Consent.NAMED)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "receipt_number"], name="contribution_receipt_unique"),
        ]
        indexes = [
            models.Index(fields=["consultation", "group", "channel"], name="contrib_table_idx"),
            models.Index(fields=["consultation", "received_at"], name="contrib_record_idx"),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def analysis_text(self) -> str:
        """Everything the analysis reads: the title and the text."""
        return "\n\n".join(part for part in (self.title, self.text) if part)

    @property
    def is_public(self) -> bool:
        return self.consent != Consent.WITHHELD

    @property
    def shows_name(self) -> bool:
        return self.consent == Consent.NAMED


class ReceiptSequence(models.Model):
    """The last receipt number given per consultation and channel; incremented under a row lock."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "channel"], name="receipt_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.channel}: {self.last}"
