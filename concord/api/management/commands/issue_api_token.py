from django.core.management.base import BaseCommand

from concord.api.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for an organisation that submits through the API; prints it once."

    def add_arguments(self, parser):
        parser.add_argument("label", help="Who holds the token.")

    def handle(self, *args, label, **options):
        _token, raw = issue_api_token("cli", label)
        self.stdout.write(raw)
