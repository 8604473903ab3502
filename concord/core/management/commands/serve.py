import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Concord with a background-task worker beside it (what `make run` starts)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")

    def handle(self, *args, addrport, no_worker, **options):
        worker = None
        if not no_worker:
            # The worker runs in its own process: a slow task never blocks a page.
            worker = subprocess.Popen([sys.executable, "-m", "concord.cli", "db_worker"])
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        # SIGTERM (`kill`, a service manager) would end this process at once, leaving the worker running alone;
        # as an exception it unwinds through the `finally` below, which stops the worker first.
        signal.signal(signal.SIGTERM, _exit)
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def _exit(signum, frame):
    raise SystemExit(128 + signum)
