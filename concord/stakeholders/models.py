import unicodedata

from django.db import models
from django.db.models import F, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, NullIf
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
    normalized_name = models.CharField(max_length=300, editable=False, default="")
    country = CountryField(_("country"), blank=True, help_text=_("Seat or nationality (ISO 3166)."))
    category = models.ForeignKey(EntityCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)
    # The name in other languages, by language code ("fr", "zh-hans"), where it has one there: a State's or an
    # intergovernmental body's name is translated in a UN document, an NGO's or a company's usually is not.
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        # The registry import inserts entities with its own SQL, without this column.
        db_default=Value({}, output_field=models.JSONField()),
        blank=True,
        help_text=_('By language code, for example {"fr": "République d\'Arcadie"}; empty: the name as written.'),
    )
    # Demo and test data never speak for a real entity; the public pages say so.
    is_fictional = models.BooleanField(_("fictional"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["group", "category"], name="stakeholders_entity_grp_idx"),
            # The key an organisation is found by at every submission (``find_or_create_entity``, the submission's
            # statement, the registry import), then ``id`` for the oldest match: one index entry read, and no table
            # row, however many entities the group has.
            models.Index(
                fields=["normalized_name", "country", "kind", "group", "id"], name="stakeholders_entity_key_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return (self.names or {}).get(language) or self.name


def entity_name_in(language: str, path: str = "") -> Coalesce:
    """An expression for an entity's name in ``language`` where it has one, else its name as written: ``path`` is
    the relation that leads to the entity ("entity__"). Read in the query itself, so a list of 100,000
    contributions decodes no JSON in Python."""
    return Coalesce(
        NullIf(KeyTextTransform(language, f"{path}names"), Value("")), F(f"{path}name"), output_field=models.CharField()
    )


class EntityContact(models.Model):
    """What the registry import adds to an entity: a stable identifier, a working language, contact e-mails.

    Kept beside ``Entity`` so that the entity's own fields (a shared contract) stay as they are.
    """

    entity = models.OneToOneField(Entity, on_delete=models.CASCADE, related_name="contact")
    # The identifier of the source list (e.g. an accreditation number); re-imports match on it first.
    external_id = models.CharField(_("stable identifier"), max_length=120, blank=True, db_index=True)
    language = models.CharField(_("working language"), max_length=10, blank=True)
    emails = models.JSONField(_("contact e-mails"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("entity contact")
        verbose_name_plural = _("entity contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="entity_contact_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} <{', '.join(self.emails)}>"


class InvitationState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    # Never stored: shown when a contribution from the invited entity has arrived (computed at read time).
    RESPONDED = "responded", _("Responded")


class InvitationTemplate(models.Model):
    """The invitation text in one language; ``{placeholders}`` are filled per entity (see ``invitations``)."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="invitation_templates",
    )
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {entity}, {consultation}, {mandate}, {closes}, {link}. The personal link pre-fills the "
            "submission form."
        ),
    )

    class Meta:
        verbose_name = _("invitation template")
        verbose_name_plural = _("invitation templates")
        ordering = ["consultation", "language"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "language"], name="invitation_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} [{self.language}]"


class InvitationCampaign(models.Model):
    """A selection of the registry (categories, groups, countries) invited to a consultation."""

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="invitation_campaigns",
    )
    name = models.CharField(_("name"), max_length=200)
    categories = models.ManyToManyField(EntityCategory, verbose_name=_("categories"), blank=True, related_name="+")
    groups = models.ManyToManyField(
        StakeholderGroup, verbose_name=_("stakeholder groups"), blank=True, related_name="+"
    )
    countries = models.JSONField(_("countries"), default=list, blank=True, help_text=_("ISO 3166 codes; empty: all."))
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation campaign")
        verbose_name_plural = _("invitation campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("consultation"),
    )
    campaign = models.ForeignKey(InvitationCampaign, on_delete=models.CASCADE, related_name="invitations")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("entity"))
    emails = models.JSONField(_("sent to"), default=list)
    language = models.CharField(_("language"), max_length=10)
    # SHA-256 of the personal link's key (the link opens the submission form pre-filled for this entity; nothing is
    # tracked). The key is made when the e-mail is sent and is only ever in that e-mail: null until then.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=InvitationState.choices, default=InvitationState.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["id"]
        constraints = [
            # An entity is invited once per consultation, however many campaigns select it.
            models.UniqueConstraint(fields=["consultation", "entity"], name="invitation_once_per_consultation"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.state})"
