"""Browsers ask every site for /favicon.ico: it is served, not a 404 logged at each first visit."""

from django.test import Client


def test_the_favicon_is_served_at_the_root(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
