"""``concord deliberation``: the statements phase from the command line.

concord deliberation open SLUG [--public]
concord deliberation seed SLUG                 one statement per position of the codebook
concord deliberation register SLUG ENTITY_ID [--name NAME]   prints the voting page's personal link
concord deliberation import-polis SLUG DIR [--language en]
concord deliberation export-polis SLUG DIR
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from concord.consultations.models import Consultation
from concord.deliberation import opinions, polis, services
from concord.deliberation.models import Phase
from concord.stakeholders.models import Entity

ACTOR = "command:deliberation"


class Command(BaseCommand):
    help = "Open, seed, import or export a consultation's statements phase."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="Give the consultation a statements phase over its period.")
        opening.add_argument("slug")
        opening.add_argument("--public", action="store_true", help="The public may vote too.")
        seed = sub.add_parser("seed", help="Add one statement per position of the consultation's codebook.")
        seed.add_argument("slug")
        register = sub.add_parser("register", help="Register an entity's representative; prints their link.")
        register.add_argument("slug")
        register.add_argument("entity", type=int)
        register.add_argument("--name", default="")
        importing = sub.add_parser("import-polis", help="Read a Pol.is CSV export into an empty phase.")
        importing.add_argument("slug")
        importing.add_argument("directory")
        importing.add_argument("--language", default="en", help="The statements' language (default en).")
        exporting = sub.add_parser("export-polis", help="Write the phase as a Pol.is CSV export.")
        exporting.add_argument("slug")
        exporting.add_argument("directory")

    def handle(self, *args, **options):
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No consultation {options['slug']!r}.")
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(consultation, options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _phase(self, consultation) -> Phase:
        phase = Phase.objects.filter(consultation=consultation).first()
        if phase is None:
            raise CommandError(f"{consultation.slug} has no statements phase: run `concord deliberation open` first.")
        return phase

    def do_open(self, consultation, options):
        services.open_phase(ACTOR, consultation, allow_public=options["public"])
        self.stdout.write(f"{consultation.slug}: statements phase opened.")

    def do_seed(self, consultation, options):
        self._phase(consultation)
        created = services.seed_statements_from_positions(ACTOR, consultation)
        self.stdout.write(f"{consultation.slug}: {len(created)} statements added from the codebook.")

    def do_register(self, consultation, options):
        entity = Entity.objects.filter(pk=options["entity"]).first()
        if entity is None:
            raise CommandError(f"No entity {options['entity']}.")
        voter, key = services.register_voter(
            ACTOR, self._phase(consultation), entity=entity, person_name=options["name"]
        )
        path = reverse("deliberation:vote-key", kwargs={"slug": consultation.slug, "token": key})
        self.stdout.write(f"voter {voter.number}: {path}")

    def do_import_polis(self, consultation, options):
        result = polis.import_polis(ACTOR, consultation, options["directory"], language=options["language"])
        # Computed here rather than by the task worker: the results page shows the conversation at once.
        opinions.refresh(self._phase(consultation))
        self.stdout.write(
            f"{consultation.slug}: {result['statements']} statements, {result['voters']} participants, "
            f"{result['votes']} votes ({result['events']} cast)."
        )

    def do_export_polis(self, consultation, options):
        from concord.deliberation.opinions import current_results

        phase = self._phase(consultation)
        groups = current_results(phase)["participants"]
        result = polis.export_polis(phase, options["directory"], groups=groups)
        self.stdout.write(
            f"{options['directory']}: {result['statements']} comments, {result['voters']} participants, "
            f"{result['events']} votes."
        )
