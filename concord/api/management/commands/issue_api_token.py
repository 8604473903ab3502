from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from concord.api.services import issue_api_token
from concord.consultations.models import Consultation
from concord.stakeholders.models import Entity, normalize_name


class Command(BaseCommand):
    help = (
        "Issue an API token for one organisation and the consultations it may submit to; prints the token once. "
        "Every contribution sent with it is in that organisation's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("label", help="Who holds the token.")
        parser.add_argument(
            "--entity", required=True, help="The organisation the token submits for: its name or its id."
        )
        parser.add_argument(
            "--consultation",
            action="append",
            required=True,
            metavar="SLUG",
            help="A consultation the token may submit to; repeat for several.",
        )

    def handle(self, *args, label, entity, consultation, **options):
        try:
            _token, raw = issue_api_token(
                "cli",
                label,
                entity=self._entity(entity),
                consultations=[self._consultation(slug) for slug in consultation],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(raw)

    def _entity(self, value: str) -> Entity:
        if value.isdigit():
            found = Entity.objects.filter(pk=int(value)).first()
            if found is not None:
                return found
        matches = list(Entity.objects.filter(normalized_name=normalize_name(value))[:2])
        if not matches:
            raise CommandError(f"No entity named or numbered {value!r}.")
        if len(matches) > 1:
            raise CommandError(f"Several entities are named {value!r}: give the id of one.")
        return matches[0]

    def _consultation(self, slug: str) -> Consultation:
        found = Consultation.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No consultation {slug!r}.")
        return found
