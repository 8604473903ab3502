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
