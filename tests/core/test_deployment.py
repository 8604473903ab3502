"""Deployment settings: `check --deploy` is clean with the documented production settings, every HTML page carries
the Content-Security-Policy, and no page runs an inline script."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.access import public_contributions
from concord.meetings.models import Meeting

# The production settings the README documents (section "Configuration", "Behind HTTPS").
PRODUCTION = {
    "CONCORD_DEBUG": "0",
    "CONCORD_SECRET_KEY": "x7Rq2-vN9_kLm4PzTg8sWb1yHc6dJf3aEu0oIi5QpXr-ZtYn2wKe7Ms",
    "CONCORD_ALLOWED_HOSTS": "concord.example.org",
    "CONCORD_CSRF_TRUSTED_ORIGINS": "https://concord.example.org",
    "CONCORD_SSL_REDIRECT": "1",
    "CONCORD_HSTS_SECONDS": "31536000",
    "CONCORD_HSTS_INCLUDE_SUBDOMAINS": "1",
    "CONCORD_HSTS_PRELOAD": "1",
    "CONCORD_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "CONCORD_SECURE_COOKIES": "1",
    "CONCORD_TRUSTED_PROXIES": "1",
}


def _concord(args, env, tmp_path):
    # The browser tests' session sets DJANGO_ALLOW_ASYNC_UNSAFE in this worker; a deployment never has it.
    inherited = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_") and k not in inherited}
    environment = {**clean, "CONCORD_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "concord.cli", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = _concord(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_them(tmp_path):
    # The embedded defaults are for a loopback port: the same check must complain about each setting above.
    result = _concord(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0
    for code in ("W004", "W008", "W012", "W016"):
        assert f"security.{code}" in result.stderr


def test_a_malformed_proxy_ssl_header_is_refused_at_start(tmp_path):
    result = _concord(["check"], {"CONCORD_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, tmp_path)
    assert result.returncode != 0
    assert "CONCORD_PROXY_SSL_HEADER is HEADER,value" in result.stderr


@pytest.mark.django_db
def test_the_proxy_ssl_header_marks_a_request_secure(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/en/", HTTP_X_FORWARDED_PROTO="https").status_code != 301
    redirect = client.get("/en/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    # The load balancer's health check stays on plain HTTP.
    assert client.get("/healthz").status_code == 200


def _patterns(resolver=None, namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry


# Where a pattern answers HTML only with a real object, these fill its parts; the rest get values that exist nowhere
# and so exercise the 404 page.
SITE_NAMESPACES = {"record", "contributions", "meetings", "reports", "positions"}
# A stream of server-sent events, never closed by the server.
NOT_FETCHED = {("meetings", "live-stream")}
MUST_BE_HTML_PAGES = {
    ("record", "home"),
    ("record", "consultation"),
    ("record", "record"),
    ("record", "search"),
    ("record", "data"),
    ("record", "contribution"),
    ("contributions", "submit"),
    ("meetings", "detail"),
    ("meetings", "display"),
    ("meetings", "chair"),
    ("meetings", "record"),
    ("meetings", "minutes"),
    ("reports", "report"),
    ("reports", "edit"),
}
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


@pytest.mark.django_db
def test_every_html_page_carries_the_policy_and_runs_no_inline_script(demo, alice_client):
    meeting = Meeting.objects.filter(consultation=demo).first()
    values = {
        "slug": DEMO_SLUG,
        "pk": meeting.pk,
        "receipt": public_contributions(demo).values_list("receipt_number", flat=True).first(),
        "token": "no-such-token",
        "attachment_id": 999999,
        "position": "no-such-position",
    }
    html_pages, checked = set(), []
    for namespace, pattern in _patterns():
        if (namespace or "").split(":")[0] not in SITE_NAMESPACES or (namespace, pattern.name) in NOT_FETCHED:
            continue
        kwargs = {name: values[name] for name in pattern.pattern.regex.groupindex if name != "fmt"}
        if "fmt" in pattern.pattern.regex.groupindex:
            kwargs["fmt"] = "csv" if pattern.name != "download" else "md"
        response = alice_client.get(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
        checked.append((namespace, pattern.name))
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert response["Content-Security-Policy"] == settings.CONCORD_CSP, pattern.name
        if response.status_code == 200:
            html_pages.add((namespace, pattern.name))
            assert not INLINE_SCRIPT.search(response.content.decode()), pattern.name
    assert html_pages >= MUST_BE_HTML_PAGES, MUST_BE_HTML_PAGES - html_pages
    assert len(checked) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/admin/contributions/contribution/", "/en/no-such-page/"])
def test_admin_and_error_pages_carry_the_policy(demo, alice_client, url):
    response = alice_client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == settings.CONCORD_CSP
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.django_db
def test_the_api_docs_page_has_the_same_policy_and_json_has_none(client):
    # Its Swagger UI draws under the strict policy (tests/browser/test_csp.py opens it in chromium).
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert docs["Content-Security-Policy"] == settings.CONCORD_CSP
    assert "Content-Security-Policy" not in client.get("/api/v1/consultations")


def test_the_policy_allows_nothing_inline_or_foreign_for_scripts():
    directives = dict(part.strip().split(" ", 1) for part in settings.CONCORD_CSP.split(";"))
    assert directives["default-src"] == "'self'"
    assert "script-src" not in directives and "style-src" not in directives
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
