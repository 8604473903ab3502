"""Add seed terms for four more issues (privacy, investment and innovation, capacity building, consumer
protection), written after reading the errors of a second author's tuning texts ("spyware", "not profitable",
"know-how", "fine print" ...) in six languages, as in ``taxonomy.json``; added to what the database holds, as
0006 does."""

import importlib

from django.db import migrations

ADDED = {
    "privacy": {
        "en": ["spyware", "location data", "without consent", "without their consent"],
        "fr": [
            "logiciel espion",
            "logiciels espions",
            "géolocalisation",
            "sans consentement",
            "sans leur consentement",
        ],
        "es": ["programas espía", "programa espía", "sin consentimiento", "sin su consentimiento", "geolocalización"],
        "ru": ["шпионск", "геолокац", "без согласия"],
        "zh-hans": ["间谍软件", "定位", "未经同意", "泄露"],
        "ar": ["برامج التجسس", "برنامج تجسس", "الموقع الجغرافي", "دون موافقة"],
    },
    "investment-innovation": {
        "en": ["co-invest", "not profitable", "investors", "seed fund", "tax credits"],
        "fr": ["co-investissement", "pas rentable", "investisseurs", "crédit d'impôt", "crédits d'impôt"],
        "es": ["coinversión", "no es rentable", "inversores", "inversionistas", "incentivos fiscales"],
        "ru": ["невыгодно", "софинансирован", "инвестор", "налоговые льготы"],
        "zh-hans": ["无利可图", "融资", "投资者", "税收优惠"],
        "ar": ["غير مربح", "المستثمرين", "المستثمرون", "حوافز ضريبية"],
    },
    "capacity-building": {
        "en": ["know-how", "fellowships", "mentoring", "secondment"],
        "fr": ["savoir-faire", "bourses", "accompagnement technique", "expertise technique"],
        "es": ["conocimientos técnicos", "becas", "pasantías", "acompañamiento técnico"],
        "ru": ["обмен опытом", "передача знаний", "стажировк", "наставничеств"],
        "zh-hans": ["专业知识", "奖学金", "经验分享", "培训项目"],
        "ar": ["الخبرة الفنية", "المنح الدراسية", "نقل المعرفة", "تبادل الخبرات"],
    },
    "consumer-protection": {
        "en": ["fine print", "small print", "compensation", "customer service", "scam"],
        "fr": ["petits caractères", "indemnis", "service client", "arnaque"],
        "es": ["letra pequeña", "compensación", "atención al cliente", "estafa"],
        "ru": ["мелким шрифтом", "компенсац", "служба поддержки", "жалоб"],
        "zh-hans": ["小字", "赔偿", "客服", "投诉"],
        "ar": ["الخط الصغير", "تعويض", "خدمة العملاء", "شكوى"],
    },
}

_terms = importlib.import_module("concord.policy.migrations.0006_more_seed_terms")


def add(apps, schema_editor):
    _terms.add_terms(apps, ADDED)


def remove(apps, schema_editor):
    _terms.remove_terms(apps, ADDED)


class Migration(migrations.Migration):
    dependencies = [("policy", "0007_informal_seed_terms")]
    operations = [migrations.RunPython(add, remove)]
