import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.consultations.models import Consultation
from concord.record import verification

# Receipts listed one by one before the rest are only counted.
LISTED = 50


def _kept_head(head: str | None, count: int | None, head_file: str | None) -> verification.KeptHead | None:
    """A head kept earlier, given as --head/--head-count or as a JSON file (``metadata.json``, the API's
    consultation, or ``{"entries": N, "head_sha256": "..."}``)."""
    if head_file:
        try:
            data = json.loads(Path(head_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the head from {head_file}: {exc}") from None
        seal = data.get("seal", data) if isinstance(data, dict) else {}
        head, count = seal.get("head_sha256"), seal.get("entries")
    if head is None and count is None:
        return None
    if not isinstance(head, str) or len(head) != 64 or not isinstance(count, int) or count < 1:
        raise CommandError("A kept head needs both its SHA-256 (64 hex digits) and its entry count (1 or more).")
    return verification.KeptHead(position=count, sha256=head.lower())


class Command(BaseCommand):
    help = (
        "Compare a consultation's sealed record with the record, both ways: every contribution sealed in its current "
        "state, every entry's hash and link, every archived version and stored file, the chain's head. Exit 1 on any "
        "problem, including contributions not sealed yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--no-files", action="store_true", help="Do not re-hash the stored original files.")
        parser.add_argument("--head", help="SHA-256 of a head kept earlier (with --head-count).")
        parser.add_argument("--head-count", type=int, help="Number of entries the chain held at that head.")
        parser.add_argument(
            "--head-file", help="A head kept earlier: metadata.json of the open data, or the API's consultation."
        )

    def handle(self, slug, no_files, head=None, head_count=None, head_file=None, **options):
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"No consultation {slug!r}.")
        kept = _kept_head(head, head_count, head_file)
        report = verification.verify(consultation, check_files=not no_files, kept=kept)
        for problem in report.problems:
            self.stderr.write(f"MISMATCH {problem}")
        for receipt in report.unsealed[:LISTED]:
            self.stderr.write(f"NOT SEALED {receipt}: the chain holds no state of this contribution")
        if len(report.unsealed) > LISTED:
            self.stderr.write(f"NOT SEALED ... and {len(report.unsealed) - LISTED} more")
        summary = (
            f"{report.contributions} contributions, {report.entries} entries, "
            f"head #{report.head_position} {report.head_sha256}"
        )
        if not report.ok:
            parts = []
            if report.problems:
                count = len(report.problems)
                parts.append(f"{count} problem{'s' if count != 1 else ''}")
            if report.unsealed:
                parts.append(
                    f"{len(report.unsealed)} contributions not sealed yet (a new one waits for the worker or "
                    f"`concord reindex {slug}`; an older one had its entries deleted)"
                )
            raise CommandError(f"{'; '.join(parts)}. {summary}.", returncode=1)
        self.stdout.write(f"OK: {summary}; every contribution sealed in its current state.")
