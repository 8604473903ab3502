"""Every write to contributions: recording one on any channel, with its receipt number."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from concord.consultations.models import Consultation, Status
from concord.core import audit
from concord.core.refcache import ProcessCache
from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup, normalize_name
from concord.stakeholders.services import find_or_create_entity

from . import extraction, receipts, storage
from .idempotency import first_receipt_on_retry
from .language import detect
from .models import (
    CHANNEL_RECEIPT_LETTER,
    Attachment,
    Channel,
    Consent,
    Contribution,
    ContributionVersion,
    ExtractionStatus,
    Moderation,
    ReceiptSequence,
    Source,
)
from .submission import Submission, Submitter, Upload, clean_text, manifest_sha256, new_token, token_hash

MEETING_CHANNELS = {Channel.PRESENTATION, Channel.INTERVENTION}

# Reference rows every written submission reads: a change reaches the other server processes within
# REFERENCE_TTL seconds.
REFERENCE_TTL = 2
_categories = ProcessCache(REFERENCE_TTL, ["stakeholders.EntityCategory", "stakeholders.StakeholderGroup"])
_heard_groups = ProcessCache(
    REFERENCE_TTL, ["consultations.Consultation", "consultations.ConsultationGroup", "stakeholders.StakeholderGroup"]
)


def _record_changed(contribution: Contribution) -> None:
    """Queue the public record's upkeep (search index, sealed chain) in the background: the receipt never waits.

    Enqueued inside the caller's transaction: with the database task backend the task row commits with the
    contribution (one commit, not two, and never a task for a rolled-back contribution)."""
    from concord.record.tasks import contribution_changed

    contribution_changed.enqueue(contribution.pk)


def _seal(contribution: Contribution) -> None:
    """Seal the contribution's new state in the caller's transaction: each change of its publication state is
    its own entry in the chain, committed with the change or not at all. (A new written submission is sealed by
    the background task instead, so that concurrent receipts never queue on the chain's lock.)"""
    from concord.record.services import seal_contribution

    seal_contribution(contribution)


def _public_state_changed(contribution: Contribution) -> None:
    """A change of moderation, consent or withdrawal reaches search at once, in this transaction: search counts and
    facets are read from the index, whose upkeep by the worker may wait minutes behind OCR jobs."""
    from concord.record.search import update_listing

    update_listing(contribution)
    _record_changed(contribution)


def next_receipt_number(consultation: Consultation, channel: str) -> str:
    """Reserve the next number, e.g. ``EC2010-W-000123``. Call inside the recording transaction.

    One conditional ``UPDATE ... RETURNING`` takes the row lock on PostgreSQL and the write lock on SQLite, so two
    concurrent submissions never get the same number; a rolled-back submission gives its number back.
    """
    table = ReceiptSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE consultation_id = %s AND channel = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [consultation.pk, channel])
        row = cursor.fetchone()
        if row is None:
            ReceiptSequence.objects.get_or_create(consultation=consultation, channel=channel)
            cursor.execute(sql, [consultation.pk, channel])
            row = cursor.fetchone()
    letter = CHANNEL_RECEIPT_LETTER[Channel(channel)]
    return f"{consultation.receipt_prefix}-{letter}-{row[0]:06d}"


def _check(consultation, entity, channel, language, text, title, received_at, source, meeting, now):
    status = consultation.status_at(now)
    if status == Status.DRAFT:
        raise ValidationError(_("This consultation is not published yet."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %s") % channel)
    if entity.group_id not in {g.id for g in consultation.ordered_groups()}:
        raise ValidationError(
            _("This consultation does not hear the group “%(group)s”.") % {"group": entity.group.label}
        )
    if language not in consultation.languages:
        raise ValidationError(_("This consultation does not accept contributions in “%s”.") % language)
    if not (text or "").strip() and not (title or "").strip():
        raise ValidationError(_("A contribution needs a text."))
    if received_at > now:
        raise ValidationError(_("A contribution cannot be received in the future."))
    if source == Source.WEB and status != Status.OPEN:
        raise ValidationError(_("This consultation is not open for contributions."))
    if channel in MEETING_CHANNELS:
        if meeting is None or meeting.consultation_id != consultation.id:
            raise ValidationError(_("Presentations and interventions belong to a meeting of this consultation."))
    elif meeting is not None:
        raise ValidationError(_("Written contributions are not part of a meeting."))


@transaction.atomic
def record_contribution(
    actor,
    consultation: Consultation,
    *,
    entity: Entity,
    channel: str,
    language: str,
    text: str,
    title: str = "",
    source: str = Source.WEB,
    received_at: datetime.datetime | None = None,
    consent: str = Consent.NAMED,
    meeting=None,
    now: datetime.datetime | None = None,
) -> Contribution:
    """Record one contribution on any channel and give it its receipt number.

    The stakeholder group is copied from the entity at this moment, so the table keeps counting it where it
    was when it contributed.
    """
    now = now or timezone.now()
    received_at = received_at or now
    if consent not in Consent.values:
        raise ValidationError(_("Unknown publication choice: %s") % consent)
    _check(consultation, entity, channel, language, text, title, received_at, source, meeting, now)
    contribution = Contribution(
        consultation=consultation,
        receipt_number=next_receipt_number(consultation, channel),
        entity=entity,
        group_id=entity.group_id,
        channel=channel,
        language=language,
        title=title.strip(),
        text=text.strip(),
        received_at=received_at,
        source=source,
        consent=consent,
        meeting=meeting,
    )
    contribution.save()
    audit.log_create(actor, "contribution.record", contribution)
    _record_changed(contribution)
    _seal(contribution)
    return contribution


@transaction.atomic
def set_consent(actor, contribution: Contribution, consent: str) -> Contribution:
    """Change what the public record shows of a contribution (on the contributor's written request)."""
    if consent not in Consent.values:
        raise ValidationError(_("Unknown publication choice: %s") % consent)
    if contribution.consent == consent:
        return contribution
    before = audit.snapshot(contribution, ["consent"])
    contribution.consent = consent
    contribution.save(update_fields=["consent"])
    audit.log(
        actor,
        "contribution.consent",
        contribution,
        audit.diff(before, audit.snapshot(contribution, ["consent"])),
    )
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution


# The written channel --------------------------------------------------------------------------------------------

# Entered by the secretariat itself, which is the moderator: published at once. Online channels wait for moderation.
SECRETARIAT_SOURCES = {Source.STAFF, Source.EMAIL}
ONLINE_SOURCES = {Source.WEB, Source.API}


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


EMAIL_MAX = Contribution._meta.get_field("contact_email").max_length
NAME_MAX = Entity._meta.get_field("name").max_length


def _clean_submitter(submitter: Submitter) -> Submitter:
    """The submitter as typed, minus control characters (a NUL would fail in the database, not here); the
    e-mail address, when given, must be one (the API takes any string)."""
    fields = {f.name: clean_text(getattr(submitter, f.name)) for f in dataclasses.fields(submitter)}
    cleaned = dataclasses.replace(submitter, **fields)
    if submitter.email:
        try:
            validate_email(submitter.email)
        except ValidationError:
            raise refuse(_("This is not an e-mail address: %s") % cleaned.email, "invalid-email") from None
        # RFC 5321 allows no longer path (254 characters), and the column holds no more: refused here, not by the
        # database (PostgreSQL would fail the whole submission).
        if len(cleaned.email) > EMAIL_MAX:
            raise refuse(
                _("An e-mail address has at most %(max)d characters; this one has %(length)d.")
                % {"max": EMAIL_MAX, "length": len(cleaned.email)},
                "invalid-email",
            )
    return cleaned


def _period_check(consultation: Consultation, received_at, now) -> bool:
    """Whether the contribution is late; refuses when the period does not admit it."""
    status = consultation.status_at(now)
    if status == Status.DRAFT:
        raise refuse(_("This consultation is not published yet."), "not-published")
    if received_at < consultation.opens_at:
        raise refuse(
            _("This consultation opens on %(date)s; contributions are accepted from then.")
            % {"date": consultation.opens_at.strftime("%Y-%m-%d %H:%M UTC")},
            "not-open-yet",
        )
    if received_at >= consultation.closes_at:
        if consultation.allow_late:
            return True
        raise refuse(_("This consultation is closed: contributions are no longer accepted."), "closed")
    return False


def _answers(consultation: Consultation, answers) -> list[dict]:
    answers = [item for item in answers or [] if clean_text(item.get("answer", ""))]
    if not answers:
        return []
    questions = {q.id: q.text for q in consultation.questions.all()}
    cleaned = []
    for item in answers:
        answer = clean_text(item["answer"])
        question_id = item.get("question_id")
        if question_id not in questions:
            raise refuse(_("An answer refers to a question this consultation does not ask."), "invalid")
        cleaned.append({"question_id": question_id, "question": questions[question_id], "answer": answer})
    return cleaned


def _inspect_uploads(uploads: list[Upload]) -> list[tuple[Upload, extraction.Inspection, str]]:
    if len(uploads) > settings.CONCORD_MAX_FILES:
        raise refuse(
            _("At most %(max)d files can be attached.") % {"max": settings.CONCORD_MAX_FILES}, "too-many-files"
        )
    checked = []
    for upload in uploads:
        name = storage.clean_filename(upload.name)
        if len(upload.data) > settings.CONCORD_MAX_FILE_BYTES:
            raise refuse(
                _("“%(name)s” is larger than the limit of %(mb)d MB.")
                % {"name": name, "mb": settings.CONCORD_MAX_FILE_BYTES // (1024 * 1024)},
                "file-too-large",
            )
        try:
            inspection = extraction.inspect(upload.data)
        except ValidationError as exc:
            raise refuse(f"“{name}”: {' '.join(exc.messages)}", exc.error_list[0].code) from None
        checked.append((upload, inspection, name))
    return checked


@dataclasses.dataclass(frozen=True)
class _Speaker:
    """The entity a submitter designates, checked, not yet looked up."""

    name: str
    country: str
    kind: str
    category: EntityCategory
    group: StakeholderGroup
    # An entity designated by the client's credentials (an API token's), not by the name typed.
    entity: Entity | None = None

    def find_or_create(self, actor) -> Entity:
        if self.entity is not None:
            return self.entity
        return find_or_create_entity(
            actor, name=self.name, category=self.category, group=self.group, kind=self.kind, country=self.country
        )

    def lookup_sql(self) -> tuple[str, list]:
        """``find_or_create_entity``'s match, as SQL for the submission's statement to find an existing entity."""
        table = connection.ops.quote_name(Entity._meta.db_table)
        if self.entity is not None:
            return f"SELECT id FROM {table} WHERE id = %s", [self.entity.pk]
        return (
            f"SELECT id FROM {table} WHERE normalized_name = %s AND country = %s AND kind = %s AND group_id = %s"
            " ORDER BY id LIMIT 1",
            [normalize_name(self.name), self.country, self.kind, self.group.pk],
        )


def _bound_speaker(consultation: Consultation, entity: Entity, submitter: Submitter) -> _Speaker:
    """The entity the client's credentials speak for. A body that names another one is refused: a token issued to
    one organisation never speaks in another's name."""
    named = " ".join(submitter.name.split())
    if named and normalize_name(named) != normalize_name(entity.name):
        raise refuse(
            _("These credentials submit for “%(entity)s” only; the submission names “%(named)s”.")
            % {"entity": entity.name, "named": named},
            "entity-mismatch",
        )
    heard = _heard_groups.get(consultation.pk, lambda: {g.slug: g for g in consultation.ordered_groups()})
    if entity.group.slug not in heard:
        raise refuse(
            _("This consultation does not hear the stakeholder group “%(group)s”.") % {"group": entity.group.slug},
            "unknown-group",
        )
    return _Speaker(entity.name, entity.country.code or "", entity.kind, entity.category, entity.group, entity=entity)


def _resolve_submitter(consultation: Consultation, submitter: Submitter) -> _Speaker:
    name = " ".join(clean_text(submitter.name).split())
    if not name:
        raise refuse(_("Give the name of your organization, or your own name."), "missing-name")
    # The form caps the name; the command and any other caller must be refused here, not by PostgreSQL.
    if len(name) > NAME_MAX:
        raise refuse(
            _("A name has at most %(max)d characters; this one has %(length)d.")
            % {"max": NAME_MAX, "length": len(name)},
            "name-too-long",
        )
    if submitter.country and submitter.country not in countries:
        raise refuse(_("Unknown country code: %s") % submitter.country, "invalid")
    if submitter.kind == Entity.Kind.INDIVIDUAL:
        category_slug = "individual"
    elif submitter.kind == Entity.Kind.ORGANIZATION:
        category_slug = submitter.category
    else:
        raise refuse(_("Say whether you speak for an organization or for yourself."), "invalid")
    category = _categories.get(
        category_slug, lambda: EntityCategory.objects.filter(slug=category_slug).select_related("default_group").first()
    )
    if category is None:
        raise refuse(_("Choose the category of your organization."), "invalid")
    group_slug = submitter.group or (category.default_group.slug if category.default_group else "")
    heard = _heard_groups.get(consultation.pk, lambda: {g.slug: g for g in consultation.ordered_groups()})
    if group_slug not in heard:
        raise refuse(
            _("This consultation does not hear the stakeholder group “%(group)s”.") % {"group": group_slug},
            "unknown-group",
        )
    return _Speaker(name, submitter.country, submitter.kind, category, heard[group_slug])


# The title's column; a longer one is refused, never cut.
TITLE_MAX_CHARS = Contribution._meta.get_field("title").max_length


def _typed_content(consultation: Consultation, title: str, text: str, answers) -> tuple[str, str, list[dict]]:
    """What the contributor typed, cleaned and within the length limit (the same for a submission and an amendment)."""
    title = " ".join(clean_text(title).split())
    if len(title) > TITLE_MAX_CHARS:
        # Refused rather than cut: the receipt's hash would otherwise be of a title the contributor never sent.
        raise refuse(
            _("The title is longer than %(max)d characters; shorten it.") % {"max": TITLE_MAX_CHARS}, "title-too-long"
        )
    text = clean_text(text)
    answers = _answers(consultation, answers)
    if len(text) + sum(len(a["answer"]) for a in answers) > settings.CONCORD_MAX_TEXT_CHARS:
        raise refuse(_("The text is too long; attach it as a file instead."), "text-too-long")
    return title, text, answers


def _language(consultation: Consultation, title: str, text: str, answers: list[dict]) -> tuple[str, float | None]:
    if not text and not answers:
        return "", None  # Only files: the language is detected once their text is extracted.
    typed = "\n\n".join([title, text, *[a["answer"] for a in answers]]).strip()
    detection = detect(typed, consultation.languages)
    if detection.lang == "other" and detection.reliable:
        accepted = ", ".join(consultation.languages)
        raise refuse(
            _("This consultation accepts contributions in these languages only: %(languages)s.")
            % {"languages": accepted},
            "unsupported-language",
        )
    return detection.lang, detection.confidence


def _store_files(checked) -> list[dict]:
    files = []
    for upload, inspection, name in checked:
        digest = storage.store_bytes(upload.data)
        files.append({"name": name, "sha256": digest, "size": len(upload.data), "inspection": inspection})
    return files


def _manifest(title, text, answers, files) -> str:
    return manifest_sha256(
        title, text, answers, [{"name": f["name"], "sha256": f["sha256"], "size": f["size"]} for f in files]
    )


def _write_version(contribution, number, title, text, answers, files, received_at, sha256) -> ContributionVersion:
    version = ContributionVersion.objects.create(
        contribution=contribution,
        number=number,
        title=title,
        text=text,
        answers=answers,
        sha256=sha256,
        created_at=received_at,
    )
    if files:
        attachments = _attachments(files)
        for attachment in attachments:
            attachment.version = version
        Attachment.objects.bulk_create(attachments)
    return version


def _attachments(files) -> list[Attachment]:
    return [
        Attachment(
            position=i,
            name=f["name"],
            mime_type=f["inspection"].mime,
            kind=f["inspection"].kind,
            size=f["size"],
            sha256=f["sha256"],
        )
        for i, f in enumerate(files)
    ]


def _link(manage_url, contribution: Contribution, token: str) -> str | None:
    return manage_url(contribution.receipt_number, token) if manage_url else None


def _write_in_one_statement(actor, consultation, speaker: _Speaker, contribution, version, attachments) -> None:
    """PostgreSQL: the submission, its audit entry and the record's task row, with its entity found and its receipt
    numbered, committed by one statement (see ``receipts``), so that concurrent submissions wait on the receipt lock
    for as little as can be.

    A speaker new to the registry is created first, through its service and in its own transaction (a registry row,
    harmless if the submission then fails, and found again by its retry), and the statement runs again.
    """
    from concord.record.tasks import contribution_changed

    entry = audit.unsaved_entry(
        actor, "contribution.submit", contribution, audit.diff({}, audit.snapshot(contribution))
    )
    numbered = {
        "{id}": "jsonb_build_array(NULL, c.id)",
        "{receipt_number}": "jsonb_build_array(NULL, c.receipt_number)",
        "{entity_id}": "jsonb_build_array(NULL, c.entity_id)",
    }
    dependents = [
        receipts.Row(
            entry,
            {
                "target_id": ("c.id::text", []),
                "target_repr": ("c.receipt_number", []),
                "changes": receipts.json_with(entry, "changes", numbered),
            },
        )
    ]
    task = receipts.task_row(contribution_changed)
    if task is not None:
        dependents.append(task)
    prefix = f"{consultation.receipt_prefix}-{CHANNEL_RECEIPT_LETTER[Channel(contribution.channel)]}-"
    # Inside a caller's transaction, a savepoint: a refused duplicate must leave that transaction usable.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
        write = functools.partial(
            receipts.insert_numbered,
            contribution,
            prefix,
            speaker.lookup_sql(),
            receipts.Row(version),
            [receipts.Row(a) for a in attachments],
            dependents,
        )
        if not write():
            # A new speaker, or the first receipt on this channel: neither row exists yet.
            speaker.find_or_create(actor)
            ReceiptSequence.objects.get_or_create(consultation=consultation, channel=contribution.channel)
            if not write():
                raise RuntimeError(f"could not record a submission to {consultation.slug}")
        if task is None:
            _record_changed(contribution)
    version.contribution = contribution


def _after_commit(
    contribution: Contribution,
    version: ContributionVersion,
    manage_url: str | None,
    language: str | None = None,
    has_files: bool = True,
) -> None:
    from . import tasks

    if has_files:
        transaction.on_commit(lambda: tasks.extract_attachments.enqueue(contribution.pk, version.number))
    if manage_url and contribution.contact_email:
        lang = language or contribution.language or "en"
        transaction.on_commit(lambda: tasks.send_receipt.enqueue(contribution.pk, manage_url, lang))


@first_receipt_on_retry
def submit_written_contribution(
    actor,
    consultation: Consultation,
    *,
    submitter: Submitter,
    text: str = "",
    title: str = "",
    answers=(),
    uploads: list[Upload] = (),
    consent: str = Consent.NAMED,
    source: str = Source.WEB,
    received_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
    request_sha256: str = "",
    entity: Entity | None = None,
    manage_url=None,
    receipt_language: str | None = None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Receive a written contribution from the form, the API or the secretariat, with the same checks for all.

    Files are on disk (synced) before the transaction; the receipt exists only once it has committed. A retry
    with the same ``idempotency_key`` from the same client (``idempotency_scope``, see ``idempotency``) returns the
    first submission's receipt and creates nothing; ``request_sha256`` is filled in by that wrapper.
    ``entity``, when given (an API token's organisation), is who speaks, whatever ``submitter`` names; the
    submitter then gives only the contact e-mail. ``manage_url(receipt_number, token)`` builds the private link
    sent with the receipt.
    """
    now = now or timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise refuse(_("A contribution cannot be received in the future."), "invalid")
    late = _period_check(consultation, received_at, now)
    if consent not in Consent.values:
        raise refuse(_("Choose how your contribution may be published."), "invalid")
    submitter = _clean_submitter(submitter)
    if source in ONLINE_SOURCES and not submitter.email:
        raise refuse(_("Give an e-mail address where we can send your receipt."), "missing-email")
    title, text, answers = _typed_content(consultation, title, text, answers)
    if not text and not answers and not uploads:
        raise refuse(_("The contribution is empty: write a text, answer a question or attach a file."), "empty")
    checked = _inspect_uploads(list(uploads))
    language, confidence = _language(consultation, title, text, answers)

    # Durable before the receipt: the bytes are synced to disk first (an orphan file is harmless, a receipt
    # without its file would not be).
    files = _store_files(checked)
    sha256 = _manifest(title, text, answers, files)
    token, token_digest = new_token()
    if entity is not None:
        speaker = _bound_speaker(consultation, entity, submitter)
    else:
        speaker = _resolve_submitter(consultation, submitter)
    contribution = Contribution(
        consultation=consultation,
        receipt_number="",  # Numbered when written.
        # The group the entity is matched in: the table counts the contribution there.
        group_id=speaker.group.pk,
        channel=Channel.WRITTEN,
        language=language,
        language_confidence=confidence,
        title=title,
        text=text,
        answers=answers,
        received_at=received_at,
        source=source,
        consent=consent,
        contact_email=submitter.email,
        is_late=late,
        moderation=Moderation.PENDING if source in ONLINE_SOURCES else Moderation.PUBLISHED,
        idempotency_scope=idempotency_scope,
        idempotency_key=idempotency_key,
        request_sha256=request_sha256,
        manage_token_hash=token_digest,
        sha256=sha256,
        created_at=now,
    )
    version = ContributionVersion(
        number=1, title=title, text=text, answers=answers, sha256=sha256, created_at=received_at
    )
    attachments = _attachments(files)
    if connection.vendor == "postgresql":
        _write_in_one_statement(actor, consultation, speaker, contribution, version, attachments)
        _after_commit(contribution, version, _link(manage_url, contribution, token), receipt_language, bool(files))
    else:
        with transaction.atomic():
            contribution.entity = speaker.find_or_create(actor)
            contribution.receipt_number = next_receipt_number(consultation, Channel.WRITTEN)
            contribution.save(force_insert=True)
            version.contribution = contribution
            version.save(force_insert=True)
            for attachment in attachments:
                attachment.version = version
            Attachment.objects.bulk_create(attachments)
            audit.log_create(actor, "contribution.submit", contribution)
            link = _link(manage_url, contribution, token)
            _after_commit(contribution, version, link, receipt_language, has_files=bool(files))
            _record_changed(contribution)
    return Submission(contribution, created=True, manage_token=token)


def access_by_token(consultation: Consultation, receipt_number: str, token: str) -> Contribution | None:
    """The contribution whose private link this is, or None (same answer for a wrong receipt or token)."""
    contribution = Contribution.objects.filter(consultation=consultation, receipt_number=receipt_number).first()
    if contribution is None or not contribution.manage_token_hash:
        return None
    import hmac

    return contribution if hmac.compare_digest(contribution.manage_token_hash, token_hash(token)) else None


def _can_change(contribution: Contribution, now) -> None:
    if contribution.is_withdrawn:
        raise refuse(_("This contribution was withdrawn."), "withdrawn")
    if now >= contribution.consultation.closes_at:
        raise refuse(_("The consultation is closed: contributions can no longer be changed."), "closed")


@transaction.atomic
def amend_contribution(
    actor,
    contribution: Contribution,
    *,
    text: str = "",
    title: str = "",
    answers=(),
    uploads: list[Upload] = (),
    keep_files: bool = True,
    now=None,
) -> ContributionVersion:
    """Replace the contribution with a new version; every earlier version is kept. Allowed until closing."""
    now = now or timezone.now()
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _can_change(contribution, now)
    consultation = contribution.consultation
    title, text, answers = _typed_content(consultation, title, text, answers)
    checked = _inspect_uploads(list(uploads))
    previous = contribution.versions.order_by("-number").first()
    kept = []
    if keep_files and previous is not None:
        kept = [
            {
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "inspection": extraction.Inspection(kind=a.kind, mime=a.mime_type),
            }
            for a in previous.attachments.all()
        ]
    if not text and not answers and not checked and not kept:
        raise refuse(_("The contribution is empty: write a text, answer a question or attach a file."), "empty")
    language, confidence = _language(consultation, title, text, answers)
    files = kept + _store_files(checked)
    before = audit.snapshot(contribution)
    sha256 = _manifest(title, text, answers, files)
    version = _write_version(contribution, contribution.version + 1, title, text, answers, files, now, sha256)
    contribution.version = version.number
    contribution.title, contribution.text, contribution.answers = title, text, answers
    contribution.language, contribution.language_confidence = language, confidence
    contribution.sha256 = version.sha256
    contribution.extracted_text = ""
    if consultation.premoderation and contribution.source in ONLINE_SOURCES:
        # The new text has not been read by the secretariat yet.
        contribution.moderation = Moderation.PENDING
    contribution.save()
    audit.log(actor, "contribution.amend", contribution, audit.diff(before, audit.snapshot(contribution)))
    _after_commit(contribution, version, None, has_files=bool(files))
    _public_state_changed(contribution)
    _seal(contribution)
    return version


@transaction.atomic
def withdraw_contribution(actor, contribution: Contribution, *, now=None) -> Contribution:
    """Withdraw: no longer shown nor counted; its versions stay in the archive."""
    now = now or timezone.now()
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _can_change(contribution, now)
    before = audit.snapshot(contribution, ["withdrawn_at"])
    contribution.withdrawn_at = now
    contribution.save(update_fields=["withdrawn_at"])
    audit.log(
        actor, "contribution.withdraw", contribution, audit.diff(before, audit.snapshot(contribution, ["withdrawn_at"]))
    )
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution


MODERATION_DECISIONS = {
    "publish": Moderation.PUBLISHED,
    "hold": Moderation.HELD,
    "reject": Moderation.REJECTED,
}


REASON_REQUIRED = {"hold", "reject"}


@transaction.atomic
def moderate_contribution(actor, contribution: Contribution, decision: str, reason: str) -> Contribution:
    """Publish, hold or reject as spam, always audited; holding and rejecting need a reason (the contributor may
    ask why), publishing does not."""
    if decision not in MODERATION_DECISIONS:
        raise refuse(_("Unknown moderation decision: %s") % decision, "invalid")
    reason = " ".join(clean_text(reason).split())
    if not reason and decision in REASON_REQUIRED:
        raise refuse(_("Give a reason for this moderation decision."), "missing-reason")
    fields = ["moderation", "moderation_reason"]
    before = audit.snapshot(contribution, fields)
    contribution.moderation = MODERATION_DECISIONS[decision]
    contribution.moderation_reason = reason
    contribution.save(update_fields=fields)
    audit.log(actor, f"contribution.{decision}", contribution, audit.diff(before, audit.snapshot(contribution, fields)))
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution


@transaction.atomic
def record_extraction(attachment_id: int, result: extraction.Extraction) -> Attachment | None:
    """Store a file's extracted text; once every file of the current version is done, refresh the contribution's
    extracted text and, when it had no typed text, its language. Safe to run twice."""
    attachment = Attachment.objects.select_for_update().select_related("version__contribution").get(pk=attachment_id)
    if attachment.extraction_status != ExtractionStatus.PENDING:
        return None
    fields = ["extraction_status", "extraction_method", "extraction_note", "extracted_text"]
    before = audit.snapshot(attachment, fields)
    attachment.extraction_status = result.status
    attachment.extraction_method = result.method
    attachment.extraction_note = result.note
    attachment.extracted_text = result.text
    attachment.save(update_fields=fields)
    audit.log("worker", "attachment.extract", attachment, audit.diff(before, audit.snapshot(attachment, fields)))

    version = attachment.version
    contribution = Contribution.objects.select_for_update().get(pk=version.contribution_id)
    if contribution.version != version.number:
        return attachment  # An amendment replaced this version meanwhile.
    siblings = list(version.attachments.all())
    if any(a.extraction_status == ExtractionStatus.PENDING for a in siblings):
        return attachment
    before = audit.snapshot(contribution, ["extracted_text", "language", "language_confidence"])
    contribution.extracted_text = "\n\n".join(a.extracted_text for a in siblings if a.extracted_text)
    if not contribution.language and contribution.extracted_text:
        detection = detect(contribution.extracted_text, contribution.consultation.languages)
        contribution.language, contribution.language_confidence = detection.lang, detection.confidence
    contribution.save(update_fields=["extracted_text", "language", "language_confidence"])
    after = audit.snapshot(contribution, ["extracted_text", "language", "language_confidence"])
    audit.log("worker", "contribution.extracted", contribution, audit.diff(before, after))
    _record_changed(contribution)
    _seal(contribution)
    return attachment
