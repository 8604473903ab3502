import unicodedata

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# The stakeholder groups of the WSIS process; the slugs are a public contract (design.md).
GROUP_LABELS = {
    "government": _("Governments"),
    "international-organization": _("International organizations"),
    "civil-society": _("Civil society"),
    "private-sector": _("Private sector"),
    "technical-academic": _("Technical and academic community"),
}

CATEGORY_LABELS = {
    "member-state": _("Member State"),
    "permanent-observer": _("Permanent observer"),
    "un-system": _("United Nations system entity"),
    "intergovernmental": _("Intergovernmental organization"),
    "ecosoc-ngo": _("NGO in consultative status with ECOSOC"),
    "itu-sector-member": _("ITU sector member"),
    "wsis-accredited": _("WSIS-accredited entity"),
    "academia": _("Academia"),
    "business": _("Business"),
    "individual": _("Individual"),
}


def normalize_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


class StakeholderGroup(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("English name; translated when known."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return GROUP_LABELS.get(self.slug) or gettext(self.name)


class EntityCategory(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    default_group = models.ForeignKey(
        StakeholderGroup, verbose_name=_("default group"), null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("entity category")
        verbose_name_plural = _("entity categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return CATEGORY_LABELS.get(self.slug) or gettext(self.name)


class Entity(models.Model):
    """Who contributes: an organisation (a government, an NGO, a company...) or an individual."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", pgettext_lazy("entity kind", "Organization")
        INDIVIDUAL = "individual", pgettext_lazy("entity kind", "Individual")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION)
    name = models.CharField(_("name"), max_length=300)
    # Case-, accent- and space-insensitive key: the same organisation typed twice is one entity.
    normalized_name = models.CharField(max_length=300, db_index=True, editable=False, default="")
    country = CountryField(_("country"), blank=True, help_text=_("Seat or nationality (ISO 3166)."))
    category = models.ForeignKey(EntityCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)
    # Demo and test data never speak for a real entity; the public pages say so.
    is_fictional = models.BooleanField(_("fictional"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        indexes = [models.Index(fields=["group", "category"], name="stakeholders_entity_grp_idx")]

    def __str__(self) -> str:
        return self.name
