import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from concord.consultations.models import Consultation
from concord.reports.render import RENDERERS
from concord.reports.services import generate_report


class Command(BaseCommand):
    help = "Generate (or regenerate, keeping edits) a consultation's synthesis report and write it in one format."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--lang", default="en", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--format", default="html", choices=sorted(RENDERERS))
        parser.add_argument("--output", default="-", help="File to write; '-' for standard output (html, md).")

    def handle(self, *args, slug, lang, format, output, **options):
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"No consultation with slug {slug!r}.")
        draft = generate_report("cli", consultation, lang)
        result = RENDERERS[format](draft)
        data = result.encode() if isinstance(result, str) else result
        if output == "-":
            if format in ("pdf", "docx"):
                raise CommandError("Give --output PATH for a binary format.")
            sys.stdout.write(result)
            return
        Path(output).write_bytes(data)
        self.stderr.write(f"Wrote {output} ({len(data):,} bytes).")
