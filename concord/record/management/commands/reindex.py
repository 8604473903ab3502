from django.core.management.base import BaseCommand, CommandError

from concord.consultations.models import Consultation
from concord.record import services


class Command(BaseCommand):
    help = "Bring the search index and the sealed record up to date (safe to run any time, and twice)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="One consultation (default: all).")
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="Rewrite every search document, not only stale ones."
        )
        parser.add_argument("--no-seal", action="store_true", help="Only the search index.")

    def handle(self, slug, everything, no_seal, **options):
        consultations = Consultation.objects.all()
        if slug:
            consultations = consultations.filter(slug=slug)
            if not consultations:
                raise CommandError(f"No consultation {slug!r}.")
        for consultation in consultations:
            indexed = services.rebuild_index("command:reindex", consultation, everything=everything)
            sealed = 0 if no_seal else services.seal_consultation(consultation)
            self.stdout.write(f"{consultation.slug}: {indexed} documents indexed, {sealed} versions sealed")
