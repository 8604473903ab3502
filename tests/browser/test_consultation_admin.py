"""In a browser: a consultation manager creates a consultation with its texts in the six languages side by side,
publishes it, and each language's public page shows that language's texts."""

import datetime as dt

from django.utils import timezone

from concord.consultations.models import Consultation
from concord.core.audit import entries_for
from concord.core.services import grant_role
from tests.browser.staff import log_in
from tests.factories import UserFactory

SLUG = "fictional-community-networks"
# English is the original; every other language is typed in its own fieldset.
TEXTS = {
    "en": {
        "title": "Fictional consultation on community networks",
        "mandate_reference": "Fictional resolution 7/3",
        "mandate": "The fictional council asks for views on community networks.",
        "description": "Every stakeholder group is welcome to contribute.",
        "questions": ["Which rules hinder community networks?", "Which funding works?"],
    },
    "fr": {
        "title": "Consultation fictive sur les réseaux communautaires",
        "mandate_reference": "Résolution fictive 7/3",
        "mandate": "Le conseil fictif sollicite des avis sur les réseaux communautaires.",
        "description": "Tous les groupes de parties prenantes sont invités à contribuer.",
        "questions": [
            "Quelles règles entravent les réseaux communautaires\u00a0?",
            "Quels financements fonctionnent\u00a0?",
        ],
    },
    "ar": {
        "title": "مشاورة خيالية بشأن الشبكات المجتمعية",
        "mandate_reference": "القرار الخيالي 7/3",
        "mandate": "يطلب المجلس الخيالي الآراء بشأن الشبكات المجتمعية.",
        "description": "نرحب بمساهمات جميع مجموعات أصحاب المصلحة.",
        "questions": ["ما القواعد التي تعيق الشبكات المجتمعية؟", "ما التمويل الناجح؟"],
    },
    "zh-hans": {
        "title": "关于社区网络的虚构磋商",
        "mandate_reference": "虚构决议7/3",
        "mandate": "虚构理事会征求对社区网络的意见。",
        "description": "欢迎所有利益攸关方群体提出意见。",
        "questions": ["哪些规则阻碍社区网络？", "哪些资金有效？"],
    },
    "ru": {
        "title": "Вымышленная консультация по общинным сетям",
        "mandate_reference": "Вымышленная резолюция 7/3",
        "mandate": "Вымышленный совет запрашивает мнения об общинных сетях.",
        "description": "Приглашаются все группы заинтересованных сторон.",
        "questions": ["Какие правила мешают общинным сетям?", "Какое финансирование работает?"],
    },
    "es": {
        "title": "Consulta ficticia sobre redes comunitarias",
        "mandate_reference": "Resolución ficticia 7/3",
        "mandate": "El consejo ficticio solicita opiniones sobre las redes comunitarias.",
        "description": "Todos los grupos de partes interesadas pueden contribuir.",
        "questions": ["¿Qué normas obstaculizan las redes comunitarias?", "¿Qué financiación funciona?"],
    },
}


def fill_texts(page, texts: dict, suffix: str = "") -> None:
    for field in ("title", "mandate_reference", "mandate", "description"):
        page.fill(f"#id_{field}{suffix}", texts[field])
    page.fill("#id_questions_text" if not suffix else f"#id_questions{suffix}", "\n".join(texts["questions"]))


def test_a_manager_creates_a_consultation_in_six_languages_and_each_public_page_shows_its_own(
    reference_data, live_server, browser
):
    manager = UserFactory(username="carol", is_staff=True)
    grant_role("test", manager, "consultation-manager")
    opens = timezone.now() - dt.timedelta(days=1)
    page = browser.new_page()
    log_in(page, live_server.url, "carol")
    page.locator('a[href="/admin/consultations/consultation/add/"]').first.click()
    page.wait_for_url("**/admin/consultations/consultation/add/")

    # English is the original by default: its translation fieldset is hidden, and follows the choice.
    english, french = (page.locator(f"fieldset.concord-translation-{code}") for code in ("en", "fr"))
    assert english.is_hidden() and french.is_visible()
    page.select_option("#id_original_language", "fr")
    assert english.is_visible() and french.is_hidden()
    page.select_option("#id_original_language", "en")
    assert english.is_hidden() and french.is_visible()

    page.fill("#id_slug", SLUG)
    page.fill("#id_opens_at_0", opens.strftime("%Y-%m-%d"))
    page.fill("#id_opens_at_1", "00:00:00")
    page.fill("#id_closes_at_0", (opens + dt.timedelta(days=60)).strftime("%Y-%m-%d"))
    page.fill("#id_closes_at_1", "18:00:00")
    page.fill("#id_receipt_prefix", "FCN")
    for group in ("government", "civil-society"):
        page.check(f'input[name="group_slugs"][value="{group}"]')
    fill_texts(page, TEXTS["en"])
    for code, texts in TEXTS.items():
        if code != "en":
            fill_texts(page, texts, f"_{code}")
    page.locator('input[name="_save"]').click()
    page.wait_for_url("**/admin/consultations/consultation/")

    consultation = Consultation.objects.get(slug=SLUG)
    assert consultation.published_at is None
    # Published from the list, as the secretariat does.
    page.check(f'input[name="_selected_action"][value="{consultation.pk}"]')
    page.select_option('select[name="action"]', "publish")
    page.locator('button[name="index"]').click()
    assert "1 published." in page.locator(".messagelist").inner_text()
    # On the secretariat's home, its title reads on a line, not a letter a line under the admin's dashboard styles.
    page.goto(f"{live_server.url}/admin/")
    title = page.locator(f'tr[data-consultation="{SLUG}"] th')
    assert title.inner_text() == TEXTS["en"]["title"]
    assert title.bounding_box()["width"] > 150

    for code, texts in TEXTS.items():
        page.goto(f"{live_server.url}/{code}/consultations/{SLUG}/")
        assert page.locator("h1").inner_text() == texts["title"]
        assert page.locator("h1").get_attribute("lang") in (None, code)
        meta = page.locator(".meta").inner_text()
        assert texts["mandate_reference"] in meta
        assert page.locator("#mandate-heading + blockquote").inner_text().strip() == texts["mandate"]
        assert page.locator(".description").inner_text().strip() == texts["description"]
        assert page.locator("ol.questions li").all_inner_texts() == texts["questions"]
    page.close()

    actions = list(entries_for(consultation).values_list("action", "actor"))
    assert ("consultation.create", manager.pk) in actions
    assert actions.count(("consultation.translate", manager.pk)) == 5
    assert actions.count(("consultation.questions.translate", manager.pk)) == 5
    assert ("consultation.publish", manager.pk) in actions
