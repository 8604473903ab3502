from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from concord.consultations.models import Consultation
from concord.consultations.tables import FORMATS, distribution_table, render


class Command(BaseCommand):
    help = "Print a consultation's distribution table (contributions by stakeholder group and channel)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument("--lang", default="en", help="Language of the labels (default: en).")

    def handle(self, *args, slug, format, lang, **options):
        try:
            consultation = Consultation.objects.get(slug=slug)
        except Consultation.DoesNotExist:
            raise CommandError(f"No consultation with slug {slug!r}.") from None
        with translation.override(lang):
            output = render(distribution_table(consultation), format)
        self.stdout.write(output if output.endswith("\n") else output + "\n", ending="")
