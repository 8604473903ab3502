"""`concord submit`: the secretariat's bulk entry, through the same service and checks as the form."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from concord.contributions.models import Contribution, Moderation, Source
from tests.factories import OPENS, make_consultation

from . import files

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
ENTITY = ["--entity", "Fictional Chamber of Digital Trade", "--category", "business", "--country", "BR"]


def run(capsys, *args):
    with time_machine.travel(DURING, tick=False):
        try:
            call_command("submit", *args)
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, json.loads(capsys.readouterr().out)


def test_it_prints_the_receipt_as_json(capsys, tmp_path):
    consultation = make_consultation()
    note = tmp_path / "lettre.docx"
    note.write_bytes(files.docx("Une lettre reçue par courrier sur le commerce électronique."))
    code, receipt = run(
        capsys,
        consultation.slug,
        *ENTITY,
        "--file",
        str(note),
        "--received-at",
        (OPENS + dt.timedelta(days=1)).isoformat(),
    )
    assert code == 0
    contribution = Contribution.objects.get()
    assert receipt == {
        "receipt": contribution.receipt_number,
        "sha256": contribution.sha256,
        "received_at": (OPENS + dt.timedelta(days=1)).isoformat(),
        "status": "published",
    }
    assert (contribution.source, contribution.moderation) == (Source.EMAIL, Moderation.PUBLISHED)
    assert contribution.group.slug == "private-sector"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], "empty"),
        (["--text", "Wir fordern niedrigere Verbindungskosten für alle Entwicklungsländer."], "unsupported-language"),
        (["--text", "Fine text about spam and privacy.", "--received-at", "yesterday"], "invalid"),
        (["--file", "/nonexistent/file.pdf"], "unreadable-file"),
    ],
)
def test_it_refuses_bad_input_with_a_code_and_exit_status_2(capsys, args, code):
    consultation = make_consultation()
    status, output = run(capsys, consultation.slug, *ENTITY, *args)
    assert status == 2
    assert output["error"] == code
    assert output["message"]
    assert Contribution.objects.count() == 0


def test_an_unknown_consultation_is_refused(capsys):
    status, output = run(capsys, "no-such-consultation", *ENTITY, "--text", "x")
    assert (status, output["error"]) == (2, "unknown-consultation")


def test_the_installed_command_exits_2_on_refusal(tmp_path):
    command = Path(sys.executable).with_name("concord")
    env = {"CONCORD_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([command, "migrate", "-v0"], env=env, check=True)
    result = subprocess.run([command, "submit", "nothing-here", "--text", "x"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"] == "unknown-consultation"
