from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.consultations.models import Consultation
from concord.record import exports


class Command(BaseCommand):
    help = "Write a consultation's open data (CSV, JSON Lines, Parquet when pyarrow is installed, metadata.json)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", default=".", help="Directory to write into (created if needed).")
        parser.add_argument("--base-url", default="", help="Prefix for the addresses in the files, e.g. https://host")

    def handle(self, slug, output, base_url, **options):
        import json

        consultation = Consultation.objects.published().filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"No published consultation {slug!r}.")
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        base_url = base_url.rstrip("/")
        written = []
        path = directory / f"{slug}-contributions.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(exports.csv_lines(consultation, base_url))
        written.append(path)
        path = directory / f"{slug}-contributions.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            fh.writelines(exports.jsonl_lines(consultation, base_url))
        written.append(path)
        if exports.parquet_available():
            path = directory / f"{slug}-contributions.parquet"
            path.write_bytes(exports.parquet_bytes(consultation, base_url))
            written.append(path)
        path = directory / f"{slug}-metadata.json"
        path.write_text(json.dumps(exports.metadata(consultation, base_url), ensure_ascii=False, indent=2) + "\n")
        written.append(path)
        for path in written:
            self.stdout.write(str(path))
