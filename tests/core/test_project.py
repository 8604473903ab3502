"""Project-level contracts: settings from the environment, the Django-free analysis library, the command."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | env
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )


def test_the_analysis_library_imports_without_django():
    result = run_python(
        "import sys, concord.analysis; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    assert result.stdout.strip() == "[]"


def test_a_development_key_is_generated_once_into_var(tmp_path):
    code = "import concord.settings as s; print(s.SECRET_KEY)"
    first = run_python(code, CONCORD_VAR_DIR=str(tmp_path)).stdout.strip()
    second = run_python(code, CONCORD_VAR_DIR=str(tmp_path)).stdout.strip()
    assert len(first) >= 50
    assert first == second
    assert (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_the_environment_chooses_the_database(tmp_path):
    code = "import concord.settings as s; d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    sqlite = run_python(code, CONCORD_VAR_DIR=str(tmp_path), DATABASE_URL="").stdout.split()
    assert sqlite == ["django.db.backends.sqlite3", str(tmp_path / "concord.sqlite3")]
    postgres = run_python(code, CONCORD_VAR_DIR=str(tmp_path), DATABASE_URL="postgres://u@db.example:5432/concord")
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "concord"]


def test_the_concord_command_is_installed():
    command = Path(sys.executable).with_name("concord")
    assert command.exists()
    result = subprocess.run([command, "help", "table"], capture_output=True, text=True, check=True)
    assert "--format {text,csv,md,json}" in result.stdout
