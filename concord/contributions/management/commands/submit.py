"""Enter a contribution received by e-mail or letter, through the same service and checks as the web form."""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from concord.consultations.models import Consultation
from concord.contributions.models import Consent, Source
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload, error_code


class Command(BaseCommand):
    help = (
        "Enter a written contribution received by e-mail or letter. Prints the receipt as one JSON object and exits "
        '0, or prints {"error", "message"} and exits 2 when the input is refused.'
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--text", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--file", action="append", default=[], dest="files", metavar="PATH")
        parser.add_argument("--entity", default="", help="Name of the organization or person.")
        parser.add_argument("--category", default="", help="Entity category slug ('individual' for a person).")
        parser.add_argument("--group", default="", help="Stakeholder group slug (default: the category's).")
        parser.add_argument("--country", default="", help="ISO 3166 alpha-2 code.")
        parser.add_argument("--email", default="", help="Contact e-mail (never published).")
        parser.add_argument("--channel", default="written", choices=["written"])
        parser.add_argument("--received-at", default=None, help="ISO 8601; default: now.")
        parser.add_argument("--consent", default=Consent.NAMED, choices=Consent.values)
        parser.add_argument("--source", default=Source.EMAIL, choices=[Source.EMAIL, Source.STAFF])
        parser.add_argument("--idempotency-key", default=None)

    def fail(self, code: str, message: str):
        self.stdout.write(json.dumps({"error": code, "message": message}, ensure_ascii=False))
        sys.exit(2)

    def handle(self, *args, **options):
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            self.fail("unknown-consultation", f"No consultation with slug {options['slug']!r}.")
        received_at = None
        if options["received_at"]:
            try:
                received_at = dt.datetime.fromisoformat(options["received_at"])
            except ValueError:
                self.fail("invalid", f"Not an ISO 8601 date and time: {options['received_at']!r}.")
            if received_at.tzinfo is None:
                received_at = received_at.replace(tzinfo=dt.UTC)
        uploads = []
        for path in options["files"]:
            try:
                uploads.append(Upload(name=Path(path).name, data=Path(path).read_bytes()))
            except OSError as exc:
                self.fail("unreadable-file", f"{path}: {exc.strerror}")
        category = options["category"]
        submitter = Submitter(
            kind="individual" if category == "individual" else "organization",
            name=options["entity"],
            category=category,
            group=options["group"],
            country=options["country"].upper(),
            email=options["email"],
        )
        try:
            submission = submit_written_contribution(
                "cli",
                consultation,
                submitter=submitter,
                text=options["text"],
                title=options["title"],
                uploads=uploads,
                consent=options["consent"],
                source=options["source"],
                received_at=received_at,
                idempotency_key=options["idempotency_key"],
                # The secretariat's own keys: never those of an API token or a browser.
                idempotency_scope="command",
            )
        except ValidationError as exc:
            self.fail(error_code(exc), " ".join(exc.messages))
        self.stdout.write(json.dumps(submission.receipt(), ensure_ascii=False))
