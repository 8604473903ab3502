import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from concord.stakeholders.services import import_entities


class Command(BaseCommand):
    help = "Import registry entities from a CSV file (name, category, group, country, language, emails[, id])."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            report = import_entities("cli", data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for rejected in report.rejected:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        self.stdout.write(report.summary())
        if report.rejected:
            # Rows were refused: say so in the exit status, after importing the good ones.
            sys.exit(2)
