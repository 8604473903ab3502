from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from concord.consultations.demo import DEMO_SLUG, REHEARSAL_SLUG, load_demo, load_rehearsal
from concord.consultations.models import Consultation
from concord.reports.services import generate_report


class Command(BaseCommand):
    help = (
        "Load the demo consultation (the 2010 open consultation on enhanced cooperation) and a fictional open "
        "rehearsal consultation with a meeting to run. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no consultation at all.",
        )
        parser.add_argument(
            "--analyze",
            action="store_true",
            help="Then analyse it (languages, issues, campaigns) and draft its report in the six languages.",
        )

    def handle(self, *args, if_empty=False, analyze=False, **options):
        if if_empty and Consultation.objects.exists():
            self.stdout.write("The database already holds consultations; demo not loaded.")
            return
        consultation = load_demo()
        if consultation is None:
            self.stdout.write(f"The demo consultation {DEMO_SLUG} is already loaded.")
        else:
            count = consultation.contributions.count()
            self.stdout.write(self.style.SUCCESS(f"Loaded {DEMO_SLUG}: {count} contributions."))
            if analyze:
                call_command("analyze", "run", DEMO_SLUG, stdout=self.stdout)
                # The 2010 consultation was reported: its drafted report is readable in the six languages.
                for code, _name in settings.LANGUAGES:
                    generate_report("demo", consultation, code)
                self.stdout.write("Drafted the report in the six languages.")
        if load_rehearsal() is not None:
            self.stdout.write(self.style.SUCCESS(f"Loaded {REHEARSAL_SLUG}: open, with a meeting to run by hand."))
