"""Personas and shared fixtures.

The cast: alice works in the secretariat (staff), bob is a member of the public (no account), carol is a
contributor with an account but no staff rights.
"""

import importlib
import socket

import pytest
from django.test import Client

from concord.consultations.demo import load_demo

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


@pytest.fixture
def demo(db):
    """The 2010 demo consultation, loaded through the services."""
    return load_demo()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings, tmp_path):
    """Background tasks run in the test's process; files go to a fresh store per test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test's rows roll back (or are flushed) without a signal: no test sees another's cached tokens,
    consultations or categories."""
    from concord.core.refcache import clear_all

    clear_all()
    yield
    clear_all()


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
