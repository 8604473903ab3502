"""The statements phase of a consultation: short statements, and each participant's agree / disagree / pass on them.

The shape is Pol.is's (a conversation of comments and votes) so that the mathematics and the CSV exports read the
same; what Concord adds is who votes: an invited entity's representative carries the entity's stakeholder group.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Phase(models.Model):
    """A consultation's statements phase: when votes are taken, and who may vote and write statements."""

    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="deliberation",
    )
    opens_at = models.DateTimeField(_("opens at (UTC)"))
    closes_at = models.DateTimeField(_("closes at (UTC)"))
    allow_public = models.BooleanField(
        _("the public may vote"), default=False, help_text=_("Besides the invited entities' representatives.")
    )
    allow_statements = models.BooleanField(
        _("participants may write statements"),
        default=True,
        help_text=_("Their statements are moderated before anyone votes on them, as contributions are."),
    )
    # Counters for the Pol.is-style numbers of statements and voters (comment-id, voter-id): one conditional
    # update each, so two voters arriving together never get the same number.
    last_statement_number = models.PositiveIntegerField(default=0, editable=False)
    last_voter_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("statements phase")
        verbose_name_plural = _("statements phases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="deliberation_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return str(self.consultation)

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The phase must close after it opens.")})

    def is_open_at(self, now) -> bool:
        return self.consultation.published_at is not None and self.opens_at <= now < self.closes_at


class VoterKind(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative of an invited entity")
    PUBLIC = "public", _("Member of the public")
    IMPORTED = "imported", _("Imported from Pol.is")


class Voter(models.Model):
    """Who votes: a representative of an entity (with the entity's stakeholder group at registration, like a
    meeting participant), a member of the public, or a participant of an imported Pol.is conversation.

    The page key is stored as its SHA-256 only, as a meeting participant's: a copy of the database opens no page.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="voters")
    number = models.PositiveIntegerField(_("participant number"))
    kind = models.CharField(_("kind"), max_length=20, choices=VoterKind.choices)
    entity = models.ForeignKey(
        "stakeholders.Entity",
        verbose_name=_("entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        "stakeholders.StakeholderGroup",
        verbose_name=_("stakeholder group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("name of the person"), max_length=300, blank=True)
    invitation = models.ForeignKey(
        "stakeholders.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A meeting participant's page key opens the voting page too: the same person, entity and group.
    participant = models.ForeignKey(
        "meetings.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["phase", "number"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "number"], name="deliberation_voter_number_unique"),
            # One voter per invitation: the same personal link opens the same ballot.
            models.UniqueConstraint(
                fields=["invitation"], condition=models.Q(invitation__isnull=False), name="deliberation_voter_invite"
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(participant__isnull=False),
                name="deliberation_voter_participant",
            ),
        ]

    def __str__(self) -> str:
        if self.entity_id:
            return f"{self.person_name or self.entity} ({self.entity})"
        return f"#{self.number}"


class StatementSource(models.TextChoices):
    SECRETARIAT = "secretariat", _("Written by the secretariat")
    POSITION = "position", _("From the positions codebook")
    EVIDENCE = "evidence", _("From a contribution's evidence sentence")
    PARTICIPANT = "participant", _("Written by a participant")
    IMPORTED = "imported", _("Imported from Pol.is")


class StatementModeration(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Moderated out")


class StatementQuerySet(models.QuerySet):
    def public(self):
        """THE gate for statements (see ``access.public_statements``): accepted, or awaiting moderation where the
        consultation does not moderate first. Only these are shown, voted on or counted in public results."""
        return self.filter(
            models.Q(moderation=StatementModeration.ACCEPTED)
            | models.Q(moderation=StatementModeration.PENDING, phase__consultation__premoderation=False)
        )


class Statement(models.Model):
    """A short statement to agree or disagree with, in one of the six languages, with stored translations."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("statement"))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # {"fr": {"text": "..."}}: the same shape as a position's translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=StatementSource.choices)
    author = models.ForeignKey(
        Voter, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    position = models.ForeignKey(
        "positions.Position",
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # Not "statements": Position.statements() is the codebook's method for its texts in each language.
        related_name="deliberation_statements",
    )
    # A statement made of an evidence sentence: the contribution it was read in, and where (offsets into the
    # contribution's analysis text, as the stance's evidence gives them).
    contribution = models.ForeignKey(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    evidence_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Pol.is's meta statements ("I think this conversation is useful"): voted on, left out of the clustering.
    is_meta = models.BooleanField(_("meta statement"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=StatementModeration.choices, default=StatementModeration.PENDING
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    created_at = models.DateTimeField(_("written at"))

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["phase", "number"]
        constraints = [models.UniqueConstraint(fields=["phase", "number"], name="deliberation_statement_unique")]
        indexes = [models.Index(fields=["phase", "moderation"], name="deliberation_statement_mod_idx")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:70]}"

    def clean(self):
        unknown = [code for code in self.translations or {} if code not in LANGUAGE_CODES]
        if unknown:
            raise ValidationError({"translations": _("Unknown language codes: %s") % ", ".join(unknown)})
        for fields in (self.translations or {}).values():
            if not isinstance(fields, dict) or set(fields) - {"text"}:
                raise ValidationError({"translations": _('Each language maps to {"text": text}.')})

    def text_in(self, language: str) -> tuple[str, str]:
        """The statement in ``language`` where a translation is stored, else as written; with its language."""
        if language != self.original_language:
            text = (self.translations or {}).get(language, {}).get("text")
            if text:
                return text, language
        return self.text, self.original_language


class VoteValue(models.IntegerChoices):
    # Pol.is's export convention: 1 agree, -1 disagree, 0 pass.
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A voter's current vote on a statement: one per voter and statement, replaced by a new vote."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=VoteValue.choices)
    # The voter's stakeholder group when voting, like a contribution's group.
    group = models.ForeignKey(
        "stakeholders.StakeholderGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voted_at = models.DateTimeField(_("voted at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["statement", "voter"]
        constraints = [models.UniqueConstraint(fields=["voter", "statement"], name="deliberation_vote_once")]

    def __str__(self) -> str:
        return f"{self.voter} · {self.statement.number} · {self.value}"


class VoteEvent(models.Model):
    """Every vote as cast, with its time: the history a replaced vote leaves behind (Pol.is's votes.csv)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("vote"), choices=VoteValue.choices)
    voted_at = models.DateTimeField(_("voted at"))

    class Meta:
        verbose_name = _("vote as cast")
        verbose_name_plural = _("votes as cast")
        ordering = ["voted_at", "id"]
        indexes = [models.Index(fields=["voter", "statement"], name="deliberation_event_idx")]

    def __str__(self) -> str:
        return f"{self.voter} · {self.statement_id} · {self.value} · {self.voted_at:%Y-%m-%d %H:%M:%S}"


class OpinionResult(models.Model):
    """The opinion groups last computed for a phase, kept until a vote makes them stale (see ``opinions``)."""

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="result")
    # The last vote event included: the result is current while no later event exists.
    last_event_id = models.BigIntegerField(default=0)
    statements_key = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("opinion groups")
        verbose_name_plural = _("opinion groups")

    def __str__(self) -> str:
        return f"{self.phase} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"
