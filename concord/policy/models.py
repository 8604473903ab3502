from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyIssue(models.Model):
    """A public-policy issue of the WSIS list (report A/66/77, paragraphs 14 and 17); the slugs are a contract."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("public-policy issue")
        verbose_name_plural = _("public-policy issues")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name
