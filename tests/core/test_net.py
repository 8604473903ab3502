"""The client's address: forwarded headers count only through the configured number of proxies."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from concord.core.net import client_ip


def _request(xff=None, remote="10.0.0.9"):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        # No proxy trusted: the header is the client's own words.
        (0, "203.0.113.7", "10.0.0.9"),
        (0, None, "10.0.0.9"),
        # One proxy: it appended the address it saw; what the client wrote before that is ignored.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, None, "10.0.0.9"),
        # Two proxies: the first one's entry is second from the right.
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        # IPv6 written the long way is read as one address.
        (1, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        # A proxy that writes something else is not believed.
        (1, "unknown", "10.0.0.9"),
        (1, "203.0.113.7:4711", "10.0.0.9"),
    ],
)
def test_client_ip(settings, proxies, xff, expected):
    settings.CONCORD_TRUSTED_PROXIES = proxies
    assert client_ip(_request(xff)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_header_does_not_escape_the_read_api_rate_limit(client, settings, proxies):
    settings.CONCORD_API_READ_RATE = "3/m"
    settings.CONCORD_TRUSTED_PROXIES = proxies
    cache.clear()
    statuses = [
        # Behind one proxy the last entry is the proxy's; the client varies what it writes before it.
        client.get("/api/v1/consultations", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7").status_code
        for n in range(6)
    ]
    cache.clear()
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429, 429]


@pytest.mark.django_db
def test_clients_behind_the_same_proxy_are_told_apart(client, settings):
    settings.CONCORD_API_READ_RATE = "3/m"
    settings.CONCORD_TRUSTED_PROXIES = 1
    cache.clear()
    statuses = [
        client.get("/api/v1/consultations", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)
    ]
    cache.clear()
    assert statuses == [200] * 6
