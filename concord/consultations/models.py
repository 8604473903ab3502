from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.stakeholders.models import StakeholderGroup

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# What the secretariat writes once per language; the rest of a consultation is the same in every language.
TRANSLATED_FIELDS = ("title", "mandate_reference", "mandate", "description")


def translated_text(obj, field: str, language: str, original_language: str) -> tuple[str, str]:
    """``field`` of ``obj`` in ``language`` from its ``translations`` if the secretariat entered it, else as
    originally written; with the language of the text returned, so that a page can mark it (``lang``, direction).

    Every translatable row of a consultation (the consultation, its questions, meetings and agenda items) keeps its
    texts this way: ``{"fr": {"title": "..."}}`` in a JSON field beside the original. One row read gives every
    language, so pages and the report add no query per language, and the admin edits them side by side.
    """
    if language != original_language:
        text = (obj.translations or {}).get(language, {}).get(field)
        if text:
            return text, language
    return getattr(obj, field), original_language


def check_translations(translations, fields: tuple[str, ...]) -> None:
    """Refuse languages Concord does not serve and fields that are not translated (the JSON is free-form)."""
    unknown = [code for code in translations or {} if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError({"translations": _("Unknown language codes: %s") % ", ".join(unknown)})
    for entry in (translations or {}).values():
        if not isinstance(entry, dict) or set(entry) - set(fields):
            raise ValidationError({"translations": _("Each language maps to texts of: %s") % ", ".join(fields)})


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORTED = "reported", _("Reported")


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Consultation(models.Model):
    """An open consultation: its mandate, questions, period and the groups it hears.

    The status is never stored: it follows from the secretariat's actions (publication, report) and the dates.
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=300)
    mandate_reference = models.CharField(
        _("mandate reference"), max_length=300, help_text=_("E.g. ECOSOC resolution 2010/2.")
    )
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("The text of the mandate, as adopted."))
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(
        _("accepted languages"), default=list, help_text=_("Language codes of the contributions accepted.")
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the texts above, the questions and the meetings' texts."),
    )
    # {"fr": {"title": "...", "mandate": "..."}}: the secretariat's own texts (TRANSLATED_FIELDS), one language at a
    # time.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    opens_at = models.DateTimeField(_("opens at (UTC)"))
    closes_at = models.DateTimeField(_("closes at (UTC)"))
    receipt_prefix = models.CharField(
        _("receipt prefix"), max_length=12, help_text=_("Start of every receipt number, e.g. EC2010.")
    )
    allow_late = models.BooleanField(
        _("accept late contributions"), default=False, help_text=_("Accepted after closing, and marked late.")
    )
    premoderation = models.BooleanField(
        _("moderate before publication"),
        default=True,
        help_text=_("When set, contributions received online appear in the public record only once published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    report_symbol = models.CharField(_("report symbol"), max_length=80, blank=True)
    groups = models.ManyToManyField(
        StakeholderGroup, through="ConsultationGroup", verbose_name=_("stakeholder groups"), related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
        unknown = [code for code in self.languages or [] if code not in LANGUAGE_CODES]
        if unknown:
            raise ValidationError({"languages": _("Unknown language codes: %s") % ", ".join(unknown)})
        check_translations(self.translations, TRANSLATED_FIELDS)

    def text_in(self, field: str, language: str) -> tuple[str, str]:
        """``field`` (one of TRANSLATED_FIELDS) in ``language`` if the secretariat entered it, else as originally
        written; with the language of the text returned, so that a reader can be told."""
        return translated_text(self, field, language, self.original_language)

    def status_at(self, now) -> str:
        if self.published_at is None:
            return Status.DRAFT
        if self.reported_at is not None:
            return Status.REPORTED
        if now < self.opens_at:
            return Status.UPCOMING
        if now < self.closes_at:
            return Status.OPEN
        return Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def ordered_groups(self) -> list[StakeholderGroup]:
        """The groups this consultation hears, in its order (rows of the distribution table)."""
        return [cg.group for cg in self.consultation_groups.select_related("group").order_by("position")]


class ConsultationGroup(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="consultation_groups")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("stakeholder group of a consultation")
        verbose_name_plural = _("stakeholder groups of the consultation")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "group"], name="consultation_group_unique"),
        ]

    def __str__(self) -> str:
        return str(self.group)


class GuidingQuestion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("question"))
    # {"fr": {"text": "..."}}, written in the consultation's original language otherwise.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self):
        check_translations(self.translations, ("text",))

    def text_in(self, language: str) -> tuple[str, str]:
        """The question in ``language`` and the language it is written in (the consultation's when untranslated)."""
        return translated_text(self, "text", language, self.consultation.original_language)
