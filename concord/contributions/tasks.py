"""Background work of the written channel: text extraction and receipt e-mails. Both are safe to run twice."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from . import extraction, storage
from .models import Attachment, Contribution, ExtractionStatus
from .services import record_extraction


@task()
def extract_attachments(contribution_id: int, version_number: int) -> int:
    """Extract the text of each pending file of one version; returns how many were processed."""
    pending = Attachment.objects.filter(
        version__contribution_id=contribution_id,
        version__number=version_number,
        extraction_status=ExtractionStatus.PENDING,
    ).select_related("version__contribution__consultation")
    done = 0
    for attachment in pending:
        languages = attachment.version.contribution.consultation.languages
        result = extraction.extract(storage.read_bytes(attachment.sha256), attachment.kind, languages)
        if record_extraction(attachment.pk, result) is not None:
            done += 1
    return done


@task()
def send_receipt(contribution_id: int, manage_url: str, language: str = "en") -> None:
    """E-mail the receipt in the language the contributor used."""
    contribution = Contribution.objects.select_related("consultation").get(pk=contribution_id)
    with translation.override(language if language in dict(settings.LANGUAGES) else "en"):
        context = {"contribution": contribution, "manage_url": manage_url}
        subject = render_to_string("contributions/receipt_email_subject.txt", context).strip()
        body = render_to_string("contributions/receipt_email.txt", context)
    send_mail(subject, body, None, [contribution.contact_email])
