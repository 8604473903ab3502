"""404 and 500 pages are Concord's own, in the reader's language and direction, styled like the site."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title", "direction"),
    [("en", "Page not found", "ltr"), ("ar", "الصفحة غير موجودة", "rtl"), ("zh-hans", "未找到页面", "ltr")],
)
def test_a_missing_page_answers_404_in_the_language_of_its_prefix(client, lang, title, direction):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html
    assert f'lang="{lang}" dir="{direction}"' in html
    assert "concord.css" in html
    assert f'href="/{lang}/"' in html  # back to the consultations, in the same language


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Erreur du serveur"), ("ar", "خطأ في الخادم"), ("ru", "Ошибка сервера")]
)
def test_a_server_error_page_needs_no_request_context_and_is_translated(lang, title):
    with translation.override(lang):
        response = server_error(RequestFactory().get(f"/{lang}/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert title in html and "concord.css" in html
    assert ('dir="rtl"' in html) is (lang == "ar")
