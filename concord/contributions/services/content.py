"""A written contribution's content, checked and stored: what a submission and an amendment share."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.consultations.models import Consultation

from .. import extraction, storage
from ..language import detect
from ..models import Attachment, Contribution, ContributionVersion
from ..submission import Upload, clean_text, manifest_sha256
from .common import refuse


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


def _after_commit(
    contribution: Contribution,
    version: ContributionVersion,
    manage_url: str | None,
    language: str | None = None,
    has_files: bool = True,
) -> None:
    from .. import tasks

    if has_files:
        transaction.on_commit(lambda: tasks.extract_attachments.enqueue(contribution.pk, version.number))
    if manage_url and contribution.contact_email:
        lang = language or contribution.language or "en"
        transaction.on_commit(lambda: tasks.send_receipt.enqueue(contribution.pk, manage_url, lang))
