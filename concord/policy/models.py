from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyIssue(models.Model):
    """A public-policy issue of the WSIS list (report A/66/77, paragraphs 14 and 17); the slugs are a contract."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Keyed by language code (ar, zh-hans, en, fr, ru, es): what the tagger compares texts with.
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    definitions = models.JSONField(_("definitions by language"), default=dict, blank=True)
    seed_terms = models.JSONField(_("seed terms by language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("public-policy issue")
        verbose_name_plural = _("public-policy issues")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The issue's name in the reader's language, from the taxonomy (English when missing)."""
        from django.utils.translation import get_language

        return self.names.get(get_language() or "en") or self.names.get("en") or self.name

    def as_record(self) -> dict:
        """The plain record the analysis library reads."""
        return {
            "slug": self.slug,
            "names": self.names,
            "definitions": self.definitions or {"en": self.name},
            "seed_terms": self.seed_terms,
        }


class Forum(models.Model):
    """An international body competent for some issues (report paragraphs 20-29)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    reasoning = models.TextField(_("why the report names it"), blank=True)
    paragraphs = models.CharField(_("report paragraphs"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    issues = models.ManyToManyField(PolicyIssue, through="IssueForum", related_name="forums", verbose_name=_("issues"))

    class Meta:
        verbose_name = _("international forum")
        verbose_name_plural = _("international forums")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class IssueForum(models.Model):
    """Which forum is competent for which issue, and why."""

    issue = models.ForeignKey(
        PolicyIssue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="forum_links"
    )
    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="issue_links")
    reasoning = models.TextField(_("reasoning"), blank=True)
    paragraphs = models.CharField(_("report paragraphs"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("issue-to-forum link")
        verbose_name_plural = _("issue-to-forum map")
        ordering = ["issue__position", "forum__position"]
        constraints = [models.UniqueConstraint(fields=["issue", "forum"], name="issue_forum_unique")]

    def __str__(self) -> str:
        return f"{self.issue.slug} → {self.forum.slug}"


class TagSource(models.TextChoices):
    AUTO = "auto", _("automatic")
    CONFIRMED = "confirmed", _("confirmed by the secretariat")
    REJECTED = "rejected", _("rejected by the secretariat")


class ContributionIssue(models.Model):
    """An issue raised by a contribution: found by the tagger, or confirmed (or rejected) by the secretariat."""

    contribution = models.ForeignKey(
        "contributions.Contribution", verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="issues"
    )
    issue = models.ForeignKey(
        PolicyIssue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="contribution_tags"
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=TagSource.choices, default=TagSource.AUTO)

    class Meta:
        verbose_name = _("issue tag")
        verbose_name_plural = _("issue tags")
        ordering = ["contribution_id", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "issue"], name="contribution_issue_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution} · {self.issue.slug}"


class Campaign(models.Model):
    """Contributions of one consultation sharing a template: counted once, shown with their number."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="campaigns",
    )
    canonical = models.ForeignKey(
        "contributions.Contribution",
        verbose_name=_("canonical contribution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    canonical_text = models.TextField(_("canonical text"))
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["consultation_id", "-size", "id"]

    def __str__(self) -> str:
        return f"{self.canonical} ×{self.size}"


class CampaignMember(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="members")
    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="campaign_membership",
    )

    class Meta:
        verbose_name = _("campaign member")
        verbose_name_plural = _("campaign members")

    def __str__(self) -> str:
        return str(self.contribution)


class TranslationLink(models.Model):
    """A contribution that is a translation of an earlier one (not a campaign member of it)."""

    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("translation"),
        on_delete=models.CASCADE,
        related_name="translation_link",
    )
    original = models.ForeignKey(
        "contributions.Contribution", verbose_name=_("original"), on_delete=models.CASCADE, related_name="translations"
    )

    class Meta:
        verbose_name = _("translation link")
        verbose_name_plural = _("translation links")

    def __str__(self) -> str:
        return f"{self.contribution} ≈ {self.original}"


class AnalysisState(models.Model):
    """When a consultation's contributions last changed and were last analysed in the background.

    The worker analyses a consultation once its changes have settled (``background.DEBOUNCE``), and only when what
    the analysis reads has changed since its last run (``fingerprint``): moderation alone changes nothing it reads.
    """

    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    fingerprint = models.CharField(_("fingerprint of what was analysed"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("background analysis")
        verbose_name_plural = _("background analyses")

    def __str__(self) -> str:
        return f"{self.consultation_id} analysed {self.analysed_at}"
