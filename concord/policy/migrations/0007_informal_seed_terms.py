"""Add seed terms for four more issues (e-government, net neutrality, spam, cybersecurity): the words of
informal comments in six languages ("government website", "zero-rated", "robocalls", "hacked" ...), as in
``taxonomy.json``; added to what the database holds, as 0006 does."""

import importlib

from django.db import migrations

ADDED = {
    "e-government": {
        "en": [
            "government website",
            "government portal",
            "government app",
            "public administration",
            "civil registry",
            "social security",
        ],
        "fr": [
            "site du gouvernement",
            "site de l'administration",
            "portail",
            "carte d'identité",
            "sécurité sociale",
            "guichet unique",
        ],
        "es": [
            "página del gobierno",
            "sitio del gobierno",
            "portal del gobierno",
            "trámites",
            "pensión",
            "seguridad social",
        ],
        "ru": ["портал", "госорган", "пенсионн", "соцзащит", "мфц"],
        "zh-hans": ["政务", "社保", "办事", "政府网站", "身份证"],
        "ar": ["بوابة الحكومة", "البوابة الحكومية", "المعاملات الحكومية", "الضمان الاجتماعي", "بطاقة الهوية"],
    },
    "net-neutrality": {
        "en": ["zero-rated", "sponsored data", "slows down", "throttle"],
        "fr": ["ralentit", "bridé", "applications gratuites", "données sponsorisées"],
        "es": ["ralentiza", "aplicaciones gratis", "datos patrocinados"],
        "ru": ["режут скорость", "бесплатный доступ к", "безлимит на"],
        "zh-hans": ["免流", "定向流量", "降速"],
        "ar": ["تبطئ", "يبطئ", "تطبيقات مجانية", "بيانات مجانية"],
    },
    "spam": {
        "en": ["robocalls", "marketing emails", "junk", "scam messages", "unwanted calls"],
        "fr": ["démarchage", "appels publicitaires", "sms publicitaires", "courriels publicitaires"],
        "es": ["mensajes publicitarios", "llamadas comerciales", "publicidad no deseada", "mensajes basura"],
        "ru": ["рекламные звонки", "рекламные рассылки", "рекламных рассылок", "смс-рассылк", "навязчив"],
        "zh-hans": ["骚扰电话", "骚扰短信", "推销电话", "广告短信"],
        "ar": ["رسائل دعائية", "رسائل ترويجية", "مكالمات تسويقية", "الرسائل المزعجة"],
    },
    "cybersecurity": {
        "en": ["hacked", "cyber", "security incident", "vulnerabilit"],
        "fr": ["piraté", "pirater", "cyber", "faille", "vulnérabilit"],
        "es": ["hackearon", "hackeo", "hackead", "ciber", "vulnerabilidad"],
        "ru": ["взломал", "кибер", "уязвимост"],
        "zh-hans": ["盗号", "漏洞", "勒索软件"],
        "ar": ["اختراق", "اخترق", "ثغرات", "برمجيات الفدية"],
    },
}

_terms = importlib.import_module("concord.policy.migrations.0006_more_seed_terms")


def add(apps, schema_editor):
    _terms.add_terms(apps, ADDED)


def remove(apps, schema_editor):
    _terms.remove_terms(apps, ADDED)


class Migration(migrations.Migration):
    dependencies = [("policy", "0006_more_seed_terms")]
    operations = [migrations.RunPython(add, remove)]
