"""Country names as the United Nations writes them, in its six languages.

django-countries names countries as ISO 3166 and everyday usage do ("Bolivia", "South Korea", "Russia", "Palestine,
State of"); a UN consultation's tables and forms use the UN's own short names ("Bolivia (Plurinational State of)",
"Republic of Korea", "Russian Federation", "State of Palestine"), as its member-state lists and documents print
them. ``UN_NAMES`` holds those that differ, in each language where the UN form is certain; a language left out
reads CLDR's name through Babel (the Chinese "荷兰" for the Netherlands, for instance), and a country absent from
the table keeps django-countries' translated name. Settings pass the table to django-countries as
``COUNTRIES_OVERRIDE``, so every list, form, admin column and page that shows a country reads the same name.

The UN forms keep their conventions: no "ё" in Russian, the Arabic "(دولة - ...)" inversions, straight apostrophes.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import get_language

from .formats import babel_locale

UN_NAMES: dict[str, dict[str, str]] = {
    "BO": {
        "en": "Bolivia (Plurinational State of)",
        "fr": "Bolivie (État plurinational de)",
        "es": "Bolivia (Estado Plurinacional de)",
        "ru": "Боливия (Многонациональное Государство)",
        "zh-hans": "多民族玻利维亚国",
        "ar": "بوليفيا (دولة - المتعددة القوميات)",
    },
    "IR": {
        "en": "Iran (Islamic Republic of)",
        "fr": "Iran (République islamique d')",
        "es": "Irán (República Islámica del)",
        "ru": "Иран (Исламская Республика)",
        "zh-hans": "伊朗伊斯兰共和国",
        "ar": "إيران (جمهورية - الإسلامية)",
    },
    "VE": {
        "en": "Venezuela (Bolivarian Republic of)",
        "fr": "Venezuela (République bolivarienne du)",
        "es": "Venezuela (República Bolivariana de)",
        "ru": "Венесуэла (Боливарианская Республика)",
        "zh-hans": "委内瑞拉玻利瓦尔共和国",
        "ar": "فنزويلا (جمهورية - البوليفارية)",
    },
    "KR": {
        "en": "Republic of Korea",
        "fr": "République de Corée",
        "es": "República de Corea",
        "ru": "Республика Корея",
        "zh-hans": "大韩民国",
        "ar": "جمهورية كوريا",
    },
    "KP": {
        "en": "Democratic People's Republic of Korea",
        "fr": "République populaire démocratique de Corée",
        "es": "República Popular Democrática de Corea",
        "ru": "Корейская Народно-Демократическая Республика",
        "zh-hans": "朝鲜民主主义人民共和国",
        "ar": "جمهورية كوريا الشعبية الديمقراطية",
    },
    "MD": {
        "en": "Republic of Moldova",
        "fr": "République de Moldova",
        "es": "República de Moldova",
        "ru": "Республика Молдова",
        "zh-hans": "摩尔多瓦共和国",
        "ar": "جمهورية مولدوفا",
    },
    "RU": {
        "en": "Russian Federation",
        "fr": "Fédération de Russie",
        "es": "Federación de Rusia",
        "ru": "Российская Федерация",
        "zh-hans": "俄罗斯联邦",
        "ar": "الاتحاد الروسي",
    },
    "SY": {
        "en": "Syrian Arab Republic",
        "fr": "République arabe syrienne",
        "es": "República Árabe Siria",
        "ru": "Сирийская Арабская Республика",
        "zh-hans": "阿拉伯叙利亚共和国",
        "ar": "الجمهورية العربية السورية",
    },
    "TZ": {
        "en": "United Republic of Tanzania",
        "fr": "République-Unie de Tanzanie",
        "es": "República Unida de Tanzanía",
        "ru": "Объединенная Республика Танзания",
        "zh-hans": "坦桑尼亚联合共和国",
        "ar": "جمهورية تنزانيا المتحدة",
    },
    "LA": {
        "en": "Lao People's Democratic Republic",
        "fr": "République démocratique populaire lao",
        "es": "República Democrática Popular Lao",
        "ru": "Лаосская Народно-Демократическая Республика",
        "zh-hans": "老挝人民民主共和国",
        "ar": "جمهورية لاو الديمقراطية الشعبية",
    },
    "FM": {
        "en": "Micronesia (Federated States of)",
        "fr": "Micronésie (États fédérés de)",
        "es": "Micronesia (Estados Federados de)",
        "ru": "Микронезия (Федеративные Штаты)",
        "zh-hans": "密克罗尼西亚联邦",
        "ar": "ميكرونيزيا (ولايات - الموحدة)",
    },
    "VN": {
        "en": "Viet Nam",
        "fr": "Viet Nam",
        "es": "Viet Nam",
        "ru": "Вьетнам",
        "zh-hans": "越南",
        "ar": "فييت نام",
    },
    "TR": {
        "en": "Türkiye",
        "fr": "Türkiye",
        "es": "Türkiye",
        "ru": "Турция",
        "zh-hans": "土耳其",
        "ar": "تركيا",
    },
    "CI": {
        "en": "Côte d'Ivoire",
        "fr": "Côte d'Ivoire",
        "es": "Côte d'Ivoire",
        "ru": "Кот-д'Ивуар",
        "zh-hans": "科特迪瓦",
        "ar": "كوت ديفوار",
    },
    "CZ": {
        "en": "Czechia",
        "fr": "Tchéquie",
        "es": "Chequia",
        "ru": "Чехия",
        "zh-hans": "捷克",
        "ar": "تشيكيا",
    },
    # The UN's Chinese and Arabic forms of the 2023 name are not certain here: CLDR's "荷兰" and "هولندا".
    "NL": {
        "en": "Netherlands (Kingdom of the)",
        "fr": "Pays-Bas (Royaume des)",
        "es": "Países Bajos (Reino de los)",
        "ru": "Нидерланды (Королевство)",
    },
    "GB": {
        "en": "United Kingdom of Great Britain and Northern Ireland",
        "fr": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "es": "Reino Unido de Gran Bretaña e Irlanda del Norte",
        "ru": "Соединенное Королевство Великобритании и Северной Ирландии",
        "zh-hans": "大不列颠及北爱尔兰联合王国",
        "ar": "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية",
    },
    "US": {
        "en": "United States of America",
        "fr": "États-Unis d'Amérique",
        "es": "Estados Unidos de América",
        "ru": "Соединенные Штаты Америки",
        "zh-hans": "美利坚合众国",
        "ar": "الولايات المتحدة الأمريكية",
    },
    "BN": {
        "en": "Brunei Darussalam",
        "fr": "Brunéi Darussalam",
        "es": "Brunei Darussalam",
        "ru": "Бруней-Даруссалам",
        "zh-hans": "文莱达鲁萨兰国",
        "ar": "بروني دار السلام",
    },
    "CV": {
        "en": "Cabo Verde",
        "fr": "Cabo Verde",
        "es": "Cabo Verde",
        "ru": "Кабо-Верде",
        "zh-hans": "佛得角",
        "ar": "كابو فيردي",
    },
    # Chinese: CLDR's "斯威士兰".
    "SZ": {"en": "Eswatini", "fr": "Eswatini", "es": "Eswatini", "ru": "Эсватини", "ar": "إسواتيني"},
    "MK": {
        "en": "North Macedonia",
        "fr": "Macédoine du Nord",
        "es": "Macedonia del Norte",
        "ru": "Северная Македония",
        "zh-hans": "北马其顿",
        "ar": "مقدونيا الشمالية",
    },
    "PS": {
        "en": "State of Palestine",
        "fr": "État de Palestine",
        "es": "Estado de Palestina",
        "ru": "Государство Палестина",
        "zh-hans": "巴勒斯坦国",
        "ar": "دولة فلسطين",
    },
    "VA": {
        "en": "Holy See",
        "fr": "Saint-Siège",
        "es": "Santa Sede",
        "ru": "Святой Престол",
        "zh-hans": "罗马教廷",
        "ar": "الكرسي الرسولي",
    },
}

LANGUAGES = ("en", "fr", "es", "ru", "zh-hans", "ar")


def _language(code: str | None) -> str:
    code = (code or "en").lower()
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in LANGUAGES else "en"


def un_name(code: str, language: str | None = None) -> str:
    """The UN's short name of a country in ``UN_NAMES``, in ``language`` (the active one by default), or CLDR's
    name in that language where the table has none."""
    language = _language(language or get_language())
    names = UN_NAMES[code]
    if language in names:
        return names[language]
    return babel_locale(language).territories.get(code) or names["en"]


# Evaluated whenever django-countries shows a name, so each reads the language active at that moment.
COUNTRIES_OVERRIDE = {code: lazy(un_name, str)(code) for code in UN_NAMES}
