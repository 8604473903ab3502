"""The consultation page links to its report once the public may read it (issue 18), as bob sees it."""

import pytest
from django.urls import reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG
from concord.consultations.models import Consultation, Status
from concord.reports.services import generate_report

pytestmark = pytest.mark.django_db


def _page(client):
    with translation.override("en"):
        return client.get(reverse("record:consultation", kwargs={"slug": DEMO_SLUG})).content.decode()


def _report_url():
    with translation.override("en"):
        return reverse("reports:report", kwargs={"slug": DEMO_SLUG})


def test_a_reported_consultation_links_to_its_public_report(demo, client):
    assert demo.status == Status.REPORTED
    assert f'href="{_report_url()}"' not in _page(client)  # no report in English yet: the page would be a 404
    generate_report("test", demo, "en")
    assert f'href="{_report_url()}"' in _page(client)
    assert client.get(_report_url()).status_code == 200


def test_no_link_before_the_consultation_is_reported(demo, client):
    generate_report("test", demo, "en")
    Consultation.objects.filter(pk=demo.pk).update(reported_at=None)
    assert f'href="{_report_url()}"' not in _page(client)
    assert client.get(_report_url()).status_code == 404
