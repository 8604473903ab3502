"""On the consultation's page the distribution table comes first, then outreach; no blank headers, no repeated rows."""

import re

import pytest
from django.urls import reverse

from concord.consultations.demo import DEMO_SLUG

pytestmark = pytest.mark.django_db


def test_the_main_table_comes_before_outreach_and_each_table_names_its_rows(demo, client):
    html = client.get(reverse("record:consultation", kwargs={"slug": DEMO_SLUG})).content.decode()
    assert html.index('id="table-heading"') < html.index('id="outreach-heading"') < html.index('id="breakdown-heading"')
    assert '<th scope="col"></th>' not in html
    for table in re.findall(r'<table class="(?:outreach|breakdown)".*?</table>', html, re.S):
        assert table.count("No country given") <= 1
    # The demo invited its fictional registry: real-shaped figures, not zeros.
    assert re.search(r"3,8\d\d entities invited", html)
    assert "the record lists the published ones only" in html


def test_the_record_says_why_it_may_hold_fewer_than_the_table(demo, client):
    html = client.get(reverse("record:record", kwargs={"slug": DEMO_SLUG})).content.decode()
    assert "Only published contributions are listed." in html
