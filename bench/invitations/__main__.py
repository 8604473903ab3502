"""bench/invitations: import a registry of N fictional entities with `concord import-entities` (rows/s, then again:
nothing changes the second time), then queue and send N invitations through Django's file e-mail backend; prints the
time of each step.

    .venv/bin/python -m bench.invitations [N]      # default 4000

Runs on a fresh SQLite database in a temporary directory, tasks executed in-process (the immediate backend), no
send-rate limit (the production default is CONCORD_INVITATIONS_PER_SECOND=10, i.e. 400 s for 4,000).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

LANGS = ["ar", "zh-hans", "en", "fr", "ru", "es"]
COUNTRIES = ["KE", "SN", "TV", "BO", "FR", "BR", "IN", "FJ", "NP", "CA", "", "EG"]
CATEGORIES = ["ecosoc-ngo", "wsis-accredited", "business", "academia", "itu-sector-member", "intergovernmental"]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    var_dir = tempfile.mkdtemp(prefix="concord-bench-invitations-")
    try:
        run(n, var_dir)
    finally:
        # A run leaves a database and one mail file per 200 invitations: nothing anyone reads afterwards.
        shutil.rmtree(var_dir, ignore_errors=True)


def run(n: int, var_dir: str) -> None:
    os.environ.update(
        CONCORD_VAR_DIR=var_dir,
        CONCORD_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        CONCORD_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        CONCORD_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from concord.core.models import AuditEntry
    from concord.stakeholders import services
    from concord.stakeholders.models import Invitation, InvitationState
    from tests.factories import make_consultation

    settings.EMAIL_FILE_PATH = str(Path(var_dir) / "mail")
    settings.CONCORD_INVITATIONS_PER_SECOND = 0
    call_command("migrate", verbosity=0)
    consultation = make_consultation(
        groups=("government", "international-organization", "civil-society", "private-sector", "technical-academic")
    )

    rows = ["id,name,category,country,language,emails"]
    for i in range(n):
        rows.append(
            f"B{i},Fictional Bench Organization {i},{CATEGORIES[i % len(CATEGORIES)]},{COUNTRIES[i % len(COUNTRIES)]},"
            f"{LANGS[i % len(LANGS)]},contact{i}@bench.example"
        )
    registry = Path(var_dir) / "registry.csv"
    registry.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def import_command() -> tuple[str, float, float]:
        # The path a secretariat runs: `concord import-entities FILE`, output captured.
        out = io.StringIO()
        wall, cpu = time.perf_counter(), time.process_time()
        call_command("import-entities", str(registry), stdout=out)
        return out.getvalue().strip(), time.perf_counter() - wall, time.process_time() - cpu

    summary, imported, imported_cpu = import_command()
    again, reimported, reimported_cpu = import_command()
    audit_entries = AuditEntry.objects.filter(action="entity.import").count()

    campaign = services.create_campaign("bench", consultation, name="Bench campaign")
    started = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        launch = services.launch_campaign("bench", campaign)
    sent_time = time.perf_counter() - started
    states = dict.fromkeys(InvitationState.values, 0)
    for state in Invitation.objects.values_list("state", flat=True):
        states[state] += 1
    files = list((Path(var_dir) / "mail").glob("*.log"))
    messages = sum(
        p.read_text(encoding="utf-8").count("\nSubject: ") + p.read_text(encoding="utf-8").startswith("Subject: ")
        for p in files
    )
    print(f"bench/invitations: {n} entities, {os.cpu_count()} CPUs, SQLite")
    # CPU time beside wall time: on a shared machine the wall time also counts the other processes' turns.
    print(
        f"import-entities: {summary} in {imported:.2f} s: {n / imported:.0f} rows/s "
        f"({n / imported_cpu:.0f} rows per CPU-second); {audit_entries} audit entries"
    )
    print(f"import-entities again: {again} in {reimported:.2f} s: {n / reimported:.0f} rows/s")
    print(
        f"queue and send: {launch.queued} queued, {states['sent']} sent, {states['failed']} failed, {states['queued']} "
        f"still queued, in {sent_time:.1f} s ({launch.queued / sent_time:.0f} invitations/s); {messages} messages "
        f"in {len(files)} files"
    )


if __name__ == "__main__":
    main()
