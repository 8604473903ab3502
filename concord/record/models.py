"""The record's own tables: the search index and the sealed chain of every contribution's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What the full-text index holds for one contribution, whoever may see it.

    Besides the text, a document copies what search filters and sorts on (consultation, group, entity, channel,
    language, time) and what decides who may see it (moderation, consent and withdrawal, as ``listed``), so that a
    search reads this one table, never all the matching contributions: at a million contributions the join was
    what cost. The copies follow the contribution through ``document_stamp`` (``concord reindex`` refreshes a
    stale one); the page shown is still read through ``public_contributions``, so a contribution withheld since it
    was indexed is never shown, even before its document catches up. The back end's index (PostgreSQL ``tsv``
    column with a GIN index, SQLite FTS5 table) is kept in step with ``body`` by triggers created in migration 0002.
    """

    contribution = models.OneToOneField(
        "contributions.Contribution",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
        verbose_name=_("contribution"),
    )
    # PostgreSQL text-search configuration for the contribution's language ("simple" when none applies).
    config = models.CharField(_("text-search configuration"), max_length=20)
    # Title, text, answers and extracted text; Chinese runs are also given as character bigrams.
    body = models.TextField(_("indexed text"))
    # What was indexed: a newer version, new extracted text, a change of consent or moderation makes it stale.
    stamp = models.CharField(_("indexed state"), max_length=80)
    # Copies of the contribution's fields that search filters and sorts on; null only before migration 0003 ran.
    consultation = models.ForeignKey(
        "consultations.Consultation", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    group = models.ForeignKey("stakeholders.StakeholderGroup", null=True, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey("stakeholders.Entity", null=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, default="")
    language = models.CharField(_("language"), max_length=10, default="")
    received_at = models.DateTimeField(_("received at"), null=True)
    moderation = models.CharField(_("moderation"), max_length=20, default="")
    # Agreed to publication and not withdrawn; moderation is checked against the consultation at query time.
    listed = models.BooleanField(_("listed"), default=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # Only listed documents can be found, and each index holds what a search without words filters, sorts and
        # counts on, so that a page and its (capped) count are read from the index alone, never from the table
        # (``listed`` too: SQLite reads from the table every column of the WHERE clause that the index lacks).
        indexes = [
            models.Index(
                fields=["consultation", "received_at", "contribution", "group", "language", "moderation", "listed"],
                condition=models.Q(listed=True),
                name="search_doc_listed_time_idx",
            ),
            models.Index(
                fields=["consultation", "language", "group", "received_at", "contribution", "moderation", "listed"],
                condition=models.Q(listed=True),
                name="search_doc_listed_filter_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id} ({self.config})"


class SealKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    AMENDED = "amended", _("Amended")
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Returned to moderation")
    HELD = "held", _("Held")
    REJECTED = "rejected", _("Rejected as spam")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONSENT = "consent", _("Consent changed")
    EXTRACTED = "extracted", _("Text extracted")
    CHANGED = "changed", _("Details changed")
    # The former scheme's (before migration 0009): a published version's content, a withdrawal.
    VERSION = "version", _("Published version (former scheme)")
    WITHDRAWAL = "withdrawal", _("Withdrawal (former scheme)")


LEGACY_KINDS = (SealKind.VERSION, SealKind.WITHDRAWAL)


class SealEntry(models.Model):
    """One link of a consultation's append-only hash chain: a contribution's state when received, then after each
    change (amended, published, held, rejected, withdrawn, consent changed, text extracted, details changed).

    ``state`` is what was sealed (see ``concord.record.chain.state``; null for the former scheme's entries) and
    ``content_sha256`` its SHA-256; ``entry_sha256`` covers the entry's fields and the previous entry's
    ``entry_sha256``. Rows are only ever inserted (``concord.record.services``); ``concord verify`` compares the
    chain with the record both ways.
    """

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.PROTECT, related_name="seal_entries"
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=SealKind.choices, default=SealKind.RECEIVED)
    contribution = models.ForeignKey(
        "contributions.Contribution", on_delete=models.PROTECT, related_name="seal_entries"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    state = models.JSONField(_("sealed state"), null=True, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the sealed state"), max_length=64)
    previous_sha256 = models.CharField(_("SHA-256 of the previous entry"), max_length=64)
    entry_sha256 = models.CharField(_("SHA-256 of this entry"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))

    class Meta:
        verbose_name = _("sealed record entry")
        verbose_name_plural = _("sealed record entries")
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "position"], name="seal_position_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.receipt_number} v{self.version}"


class SealHead(models.Model):
    """The last head each chain was given, written with every entry: an entry deleted from the end of the chain
    leaves the chain shorter than its head, which ``concord verify`` reports even without a head kept outside."""

    consultation = models.OneToOneField(
        "consultations.Consultation", primary_key=True, on_delete=models.PROTECT, related_name="seal_head"
    )
    position = models.PositiveIntegerField(_("entries"))
    entry_sha256 = models.CharField(_("SHA-256 of the last entry"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))

    class Meta:
        verbose_name = _("head of the sealed record")
        verbose_name_plural = _("heads of the sealed record")

    def __str__(self) -> str:
        return f"{self.consultation_id}: #{self.position} {self.entry_sha256}"
