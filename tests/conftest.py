"""Personas and shared fixtures.

The cast: alice works in the secretariat (staff), bob is a member of the public (no account), carol is a
contributor with an account but no staff rights.
"""

import importlib
import socket

import pytest
from django.core.management import call_command
from django.test import Client

from concord.consultations.demo import DEMO_SLUG, load_demo
from concord.consultations.models import Consultation

from . import snapshot
from .factories import UserFactory


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Concord is offline by design: any connection outside this machine fails the test."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
            raise RuntimeError(f"network access to {host!r} in a test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", is_staff=True, is_superuser=True)


@pytest.fixture
def carol(db):
    return UserFactory(username="carol")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


def _load_demo():
    assert load_demo() is not None, "the test database already holds the demo"


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    return snapshot.capture_once(django_db_blocker, tmp_path_factory, _load_demo)[0]


@pytest.fixture(scope="session")
def _analysed_demo_rows(django_db_setup, django_db_blocker, tmp_path_factory, _demo_rows):
    def load_analysed_demo():
        # The demo's own rows are those of the one load above: replayed, not loaded through the services again.
        snapshot.replay(_demo_rows)
        call_command("analyze", "run", DEMO_SLUG, verbosity=0)

    return snapshot.capture_once(django_db_blocker, tmp_path_factory, load_analysed_demo)[0]


@pytest.fixture
def demo(db, _demo_rows):
    """The 2010 demo consultation as loaded through the services (replayed from one load per test process)."""
    snapshot.replay(_demo_rows)
    return Consultation.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def analysed_demo(db, _analysed_demo_rows):
    """The demo after ``concord analyze run``: issues tagged, campaigns found (replayed like ``demo``)."""
    snapshot.replay(_analysed_demo_rows)
    return Consultation.objects.get(slug=DEMO_SLUG)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings, tmp_path):
    """Background tasks run in the test's process; files go to a fresh store per test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every persona has a password (UserFactory): hashing each with the production hasher (a million PBKDF2
    rounds, about a quarter of a CPU second) would cost minutes over the suite. Logins and password checks work
    the same with MD5; production's hasher is Django's default, untouched by tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test's rows roll back (or are flushed) without a signal: no test sees another's cached tokens,
    consultations or categories."""
    from concord.core.refcache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache, per client address (every test client is 127.0.0.1) and clock window (often
    frozen at the same moment): each test starts with no request counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a test that switches language must not leak it into the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test flushes every table afterwards, seeded reference rows included: seed them again."""
    from django.apps import apps

    importlib.import_module("concord.stakeholders.migrations.0002_seed_groups_and_categories").seed(apps, None)
    # The WSIS issues and forums: the demo's codebook links its positions to them.
    importlib.import_module("concord.policy.migrations.0004_load_taxonomy").load(apps, None)
