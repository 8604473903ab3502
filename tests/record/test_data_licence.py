"""The open data says under which licence it is published (issue 18): on the data page and in metadata.json."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _get(client, name, lang="en"):
    with translation.override(lang):
        return client.get(reverse(f"record:{name}", kwargs={"slug": DEMO_SLUG}))


def test_by_default_the_data_is_cc_by_4_on_the_page_and_in_the_metadata(demo, client):
    page = _get(client, "data").content.decode()
    assert f'<a href="{CC_BY}" rel="license">CC-BY-4.0</a>' in page
    assert _get(client, "data-metadata").json()["licence"] == {"id": "CC-BY-4.0", "url": CC_BY}


def test_the_licence_statement_is_translated(demo, client):
    page = _get(client, "data", "fr").content.decode()
    assert "Ces données sont publiées sous la licence" in page


def test_the_licence_follows_the_setting(demo, client, settings):
    settings.CONCORD_DATA_LICENCE = "CC0-1.0"
    settings.CONCORD_DATA_LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
    assert _get(client, "data-metadata").json()["licence"]["id"] == "CC0-1.0"
    assert 'rel="license">CC0-1.0</a>' in _get(client, "data").content.decode()
    settings.CONCORD_DATA_LICENCE_URL = ""  # an identifier with no known text: named, not linked
    page = _get(client, "data").content.decode()
    assert "CC0-1.0" in page and 'rel="license"' not in page


def test_the_licence_settings_are_documented():
    readme = (ROOT / "README.md").read_text()
    assert "`CONCORD_DATA_LICENCE`" in readme and "`CONCORD_DATA_LICENCE_URL`" in readme
    assert "CONCORD_DATA_LICENCE" in (ROOT / "docs" / "record.md").read_text()
