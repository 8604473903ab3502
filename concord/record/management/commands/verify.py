from django.core.management.base import BaseCommand, CommandError

from concord.consultations.models import Consultation
from concord.record import chain


class Command(BaseCommand):
    help = "Recompute a consultation's sealed record and name every entry that no longer matches (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--no-files", action="store_true", help="Do not re-hash the stored original files.")

    def handle(self, slug, no_files, **options):
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"No consultation {slug!r}.")
        count, problems = chain.verify(consultation, check_files=not no_files)
        for problem in problems:
            self.stderr.write(f"MISMATCH {problem}")
        if problems:
            entries = len({p.position for p in problems})
            raise CommandError(f"{entries} of {count} entries no longer match the record.", returncode=1)
        self.stdout.write(f"OK: {count} entries verified.")
