from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation


class ReportDraft(models.Model):
    """The synthesis report of a consultation in one language: generated from the records, edited by the secretariat."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="report_drafts")
    language = models.CharField(_("language"), max_length=10)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        constraints = [models.UniqueConstraint(fields=["consultation", "language"], name="report_draft_unique")]

    def __str__(self) -> str:
        return f"{self.consultation.slug} ({self.language})"


class Organ(models.TextChoices):
    """The principal organs and subsidiary bodies a report of this kind goes to, named as in UN documents."""

    GENERAL_ASSEMBLY = "general-assembly", _("General Assembly")
    ECOSOC = "ecosoc", _("Economic and Social Council")
    CSTD = "cstd", _("Commission on Science and Technology for Development")
    HUMAN_RIGHTS_COUNCIL = "human-rights-council", _("Human Rights Council")


class Distribution(models.TextChoices):
    GENERAL = "general", _("Distr.: General")
    LIMITED = "limited", _("Distr.: Limited")
    RESTRICTED = "restricted", _("Distr.: Restricted")


class ReportSettings(models.Model):
    """The report's front matter as the secretariat sets it: what the generator cannot know (the organs it goes to,
    the session and agenda items, its symbol and distribution, when it is issued and in which language it was
    written). One per consultation, for every language of the report."""

    # Texts of the front matter that differ by language; entered per language in the editor.
    TRANSLATED_FIELDS = ("session", "agenda_items")

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="report_settings")
    organs = models.JSONField(
        _("organs"), default=list, blank=True, help_text=_("The organs the report is addressed to, in order.")
    )
    session = models.CharField(_("session"), max_length=200, blank=True, help_text=_("E.g. Sixty-sixth session."))
    agenda_items = models.TextField(
        _("agenda items"),
        blank=True,
        help_text=_("One item per line, as in the provisional agenda, e.g. Item 17 (b): Science and technology."),
    )
    distribution = models.CharField(
        _("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.GENERAL
    )
    symbol = models.CharField(_("document symbol"), max_length=80, blank=True)
    # The secretariat's date, printed on the document; not the day the draft was generated.
    date_of_issue = models.DateField(_("date of issue"), null=True, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # {"fr": {"session": "...", "agenda_items": "..."}}: the front matter's texts in the other languages.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return self.symbol or self.consultation.slug

    def text_in(self, field: str, language: str) -> str:
        """``field`` in ``language`` where entered, else as written in the original language."""
        if language != self.original_language:
            text = (self.translations or {}).get(language, {}).get(field)
            if text:
                return text
        return getattr(self, field)


class Section(models.TextChoices):
    SUMMARY = "summary", _("Summary")
    BACKGROUND = "background", _("Background")
    ORGANIZATION = "organization", _("Organization of the consultation")
    ISSUES = "issues", _("Public-policy issues raised")
    MECHANISMS = "mechanisms", _("Mechanisms and proposals")
    UN_ROLE = "un_role", _("The role of the United Nations and the Secretary-General")
    CONCLUSIONS = "conclusions", _("Conclusions of the secretariat")


class ReportParagraph(models.Model):
    """One paragraph: its generated text and sources, and the secretariat's edit, kept across regenerations."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        TABLE = "table", _("Distribution table")
        CHART = "chart", _("Chart")
        HEADING = "heading", _("Subheading")

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="paragraphs")
    # Stable across regenerations ("organization.counts", "issue.privacy"...): how an edit finds its paragraph.
    key = models.CharField(max_length=120)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    generated_text = models.TextField(_("generated text"), blank=True)
    # Receipt numbers the paragraph rests on; a campaign is cited once, by its canonical contribution.
    sources = models.JSONField(_("sources"), default=list, blank=True)
    sources_digest = models.CharField(max_length=64, blank=True)
    # Texts of the paragraph's footnotes (reference data with its source, long citation lists): filled by
    # regeneration, edited in the editor, rendered as real footnotes in every format.
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    edited_text = models.TextField(_("edited text"), null=True, blank=True)
    edited_sources_digest = models.CharField(max_length=64, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # True when the records under an edited paragraph changed after the edit: the editor should look again.
    sources_changed = models.BooleanField(_("sources changed since the edit"), default=False)
    # A paragraph no longer produced by the generator; kept because a person edited it.
    orphaned = models.BooleanField(default=False)
    # The secretariat's footnotes, replacing the generated ones until it reverts them (None: the generated ones).
    edited_footnotes = models.JSONField(_("edited footnotes"), null=True, blank=True)
    # Written in the editor, not by the generator: regeneration leaves it where it is.
    written_by_hand = models.BooleanField(_("written by the secretariat"), default=False)
    # Moved in the editor: regeneration keeps it after the paragraph it follows, not at the generator's place.
    moved = models.BooleanField(default=False)
    # Removed in the editor: regeneration keeps it removed (and the editor can restore it).
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        verbose_name = _("report paragraph")
        verbose_name_plural = _("report paragraphs")
        ordering = ["draft", "position"]
        constraints = [models.UniqueConstraint(fields=["draft", "key"], name="report_paragraph_key_unique")]

    def __str__(self) -> str:
        return f"{self.draft} · {self.key}"

    @property
    def text(self) -> str:
        return self.edited_text if self.edited_text is not None else self.generated_text

    @property
    def is_edited(self) -> bool:
        return self.edited_text is not None

    @property
    def notes(self) -> list[str]:
        """The footnotes the report prints."""
        return self.edited_footnotes if self.edited_footnotes is not None else (self.footnotes or [])
