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
    API = "api", _("API")
    EMAIL = "email", _("E-mail or letter")
    STAFF = "staff", _("Entered by the secretariat")
    MEETING = "meeting", _("Meeting record")


class Consent(models.TextChoices):
    NAMED = "named", _("Publish with my name")
    ANONYMOUS = "anonymous", _("Publish anonymously")
    WITHHELD = "withheld", _("Do not publish")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    REJECTED = "rejected", _("Rejected as spam")


def public_q(prefix: str = "") -> models.Q:
    """THE gate: what the public may see of a contribution, as a condition on it (``prefix`` reaches it through a
    relation, e.g. ``"contribution__"``). Published, or received and not yet moderated where the consultation does
    not moderate first; agreed to publication; not withdrawn. Held, rejected, withheld and withdrawn contributions
    fail it. Every public surface (pages, search, API, open data, analysis shown, report) reads through it, or
    through ``public()`` and ``access.public_contributions`` built on it."""
    p = prefix
    moderated = models.Q(**{f"{p}moderation": Moderation.PUBLISHED}) | models.Q(
        **{f"{p}moderation": Moderation.PENDING, f"{p}consultation__premoderation": False}
    )
    return moderated & models.Q(**{f"{p}withdrawn_at__isnull": True}) & ~models.Q(**{f"{p}consent": Consent.WITHHELD})


def passes_moderation(moderation: str, premoderation: bool) -> bool:
    """The moderation part of ``public_q`` for one contribution in hand (the search index keeps it per document)."""
    return moderation == Moderation.PUBLISHED or (moderation == Moderation.PENDING and not premoderation)


class ContributionQuerySet(models.QuerySet):
    def counted(self):
        """What the distribution table counts: every contribution received and not withdrawn; spam is not one.
        A count only: what is shown of these contributions goes through ``public()``."""
        return self.filter(withdrawn_at__isnull=True).exclude(moderation=Moderation.REJECTED)

    def public(self):
        """What the public record shows (see ``public_q``)."""
        return self.filter(public_q())


class Contribution(models.Model):
    # No index of its own: every index below, and both unique constraints, begin with it.
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="contributions",
        db_index=False,
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
    answers = models.JSONField(
        _("answers to the guiding questions"), default=list, blank=True, help_text=_("[{question, answer}]")
    )
    # Never published: how the secretariat reaches the contributor.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    language_confidence = models.FloatField(_("language confidence"), null=True, blank=True)
    # Text extracted from the current version's attachments, by the background task.
    extracted_text = models.TextField(_("text extracted from attachments"), blank=True)
    sha256 = models.CharField(_("SHA-256 of what was received"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("current version"), default=1)
    is_late = models.BooleanField(_("late"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # A retried submission (double click, network retry) carries the same key and creates nothing twice. Keys are
    # the client's own: the scope names the client (an API token, the browser session that rendered the form), so
    # another client's key never reaches this contribution, and the request's hash tells a retry from a new body.
    idempotency_scope = models.CharField(_("idempotency scope"), max_length=80, blank=True, default="")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True)
    request_sha256 = models.CharField(_("SHA-256 of the request"), max_length=64, blank=True, default="")
    # SHA-256 of the contributor's private link token; the token itself is only ever in the receipt.
    manage_token_hash = models.CharField(max_length=64, blank=True)
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
            models.UniqueConstraint(
                fields=["consultation", "idempotency_scope", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="contribution_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "group", "channel"], name="contrib_table_idx"),
            models.Index(fields=["consultation", "received_at"], name="contrib_record_idx"),
            # The moderation queue's; declared here rather than with ``db_index``, which on PostgreSQL adds a second
            # index for LIKE that no query uses and every submission would write.
            models.Index(fields=["moderation"], name="contrib_moderation_idx"),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def analysis_text(self) -> str:
        """Everything the analysis reads: title, text, answers and the text extracted from attachments."""
        answers = [a.get("answer", "") for a in self.answers or []]
        return "\n\n".join(part for part in (self.title, self.text, *answers, self.extracted_text) if part)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_public(self) -> bool:
        """``public_q`` for this contribution in hand (reads its consultation's moderation policy)."""
        return (
            self.consent != Consent.WITHHELD
            and self.withdrawn_at is None
            and passes_moderation(self.moderation, self.consultation.premoderation)
        )

    @property
    def shows_name(self) -> bool:
        return self.consent == Consent.NAMED


class ModerationQueue(Contribution):
    """The secretariat's queue of contributions received online and not yet moderated (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("contribution awaiting moderation")
        verbose_name_plural = _("moderation queue")


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


class ContributionVersion(models.Model):
    """Every version a contributor sent: the first, and each amendment. Never changed once written."""

    # No index of its own: the unique (contribution, number) begins with it.
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="versions", db_index=False)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of what was received"), max_length=64)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("contribution version")
        verbose_name_plural = _("contribution versions")
        ordering = ["contribution", "number"]
        constraints = [models.UniqueConstraint(fields=["contribution", "number"], name="contribution_version_unique")]

    def __str__(self) -> str:
        return f"{self.contribution.receipt_number} v{self.number}"


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Text extraction pending")
    EXTRACTED = "extracted", _("Text extracted")
    NOT_EXTRACTED = "not-extracted", _("Text not extracted")


class Attachment(models.Model):
    """A file received with a version, kept byte for byte in the content-addressed store (see ``storage``)."""

    version = models.ForeignKey(ContributionVersion, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type (detected from the content)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    extraction_status = models.CharField(
        _("text extraction"), max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_method = models.CharField(_("extracted with"), max_length=40, blank=True)
    extraction_note = models.TextField(_("extraction note"), blank=True)
    extracted_text = models.TextField(_("extracted text"), blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name
