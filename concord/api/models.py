from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A token the secretariat issues to one organisation for one or more consultations. Only its hash is kept.

    Everything submitted under it is in its organisation's name, and only to its consultations."""

    label = models.CharField(_("label"), max_length=200, help_text=_("Who holds it, e.g. the organization's name."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    # Null only for tokens issued before tokens were bound to an organisation: those submit nothing.
    entity = models.ForeignKey(
        "stakeholders.Entity",
        verbose_name=_("organization"),
        null=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("The organization the token submits for: every contribution sent with it is in its name."),
    )
    consultations = models.ManyToManyField(
        "consultations.Consultation",
        verbose_name=_("consultations"),
        related_name="api_tokens",
        help_text=_("The consultations the token may submit to."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Also the rate limiter's key: one budget per token.
        return f"{self.label} ({self.prefix}…)"
