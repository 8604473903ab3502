"""The demo consultations' own texts in the five other UN languages, as their secretariat would have entered them.

Only the secretariat's texts: the title, the mandate and its reference, the description, the guiding questions, the
meeting's title and venue and its agenda. The wording follows the United Nations' usage in each language (the
French follows the seed report's own text, e.g. "Secrétaire général adjoint aux affaires économiques et
sociales"); the demo notice stays as plain about fictional content as in English. Report symbols inside Arabic text
are isolated left to right (U+2066 ... U+2069) so their slashes and dashes keep their order.

The rehearsal (``load_rehearsal``) is fictional from end to end: its texts below say so in every language, and its
guiding questions are the 2010 demo's, translated as above.
"""

from __future__ import annotations

from concord.meetings import services as meetings
from concord.meetings.models import Meeting

from .models import Consultation
from .services import translate_consultation, translate_questions

NBSP = "\u00a0"
SYMBOL = "A/66/77-E/2011/103"
SYMBOL_LTR = f"\u2066{SYMBOL}\u2069"
CONCORD_LTR = "\u2066Concord\u2069"

CONSULTATION = {
    "fr": {
        "title": "Consultations ouvertes sur le renforcement de la coopération concernant les questions de "
        "politiques publiques internationales relatives à Internet",
        "mandate_reference": "résolution 2010/2 du Conseil économique et social",
        "mandate": "Dans sa résolution 2010/2, le Conseil économique et social a invité le Secrétaire général à "
        "tenir, avant la fin de 2010, des consultations ouvertes et sans exclusive, auxquelles tous les États "
        "Membres et toutes les autres parties concernées seraient conviés, sur le processus de renforcement de la "
        "coopération, et a demandé que le résultat de ces consultations soit communiqué, par l'entremise du "
        f"Conseil, à l'Assemblée générale à sa soixante-sixième session. (Résumé du paragraphe 6 du rapport {SYMBOL}.)",
        "description": "Les consultations ont été tenues par le Secrétaire général adjoint aux affaires "
        "économiques et sociales au nom du Secrétaire général pendant quatre mois, de septembre à décembre 2010. "
        "Quelque 150 organisations "
        f"internationales et 3{NBSP}500 entités de la société civile et du secteur privé ont été invitées à y "
        "contribuer, par écrit à tout moment pendant la période, ou lors d'une réunion tenue à New York le "
        "14 décembre 2010.\n\n"
        f"Données de démonstration{NBSP}: les métadonnées de la consultation suivent le rapport {SYMBOL}{NBSP}; "
        "toutes les entités qui contribuent et tous les textes de cette démonstration sont fictifs. Les chiffres "
        "reproduisent le tableau du rapport.",
    },
    "es": {
        "title": "Consultas abiertas sobre la cooperación mejorada en cuestiones de política pública internacional "
        "relativas a Internet",
        "mandate_reference": "resolución 2010/2 del Consejo Económico y Social",
        "mandate": "En su resolución 2010/2, el Consejo Económico y Social invitó al Secretario General a que, antes "
        "de que finalizara 2010, celebrara consultas abiertas e inclusivas, con la participación de todos los "
        "Estados Miembros y todos los demás interesados, sobre el proceso de cooperación mejorada, y pidió que su "
        "resultado se transmitiera por conducto del Consejo a la Asamblea General en su sexagésimo sexto período "
        f"de sesiones. (Resumen del párrafo 6 del informe {SYMBOL}.)",
        "description": "Las consultas fueron celebradas por el Secretario General Adjunto de Asuntos "
        "Económicos y Sociales en nombre del Secretario General durante cuatro meses, de septiembre a diciembre de "
        "2010. Se invitó a unas "
        "150 organizaciones internacionales y 3.500 entidades de la sociedad civil y del sector privado a "
        "contribuir, por escrito en cualquier momento del período o en una reunión celebrada en Nueva York el "
        "14 de diciembre de 2010.\n\n"
        f"Datos de demostración: los metadatos de la consulta siguen el informe {SYMBOL}; todas las entidades que "
        "contribuyen y todos los textos de esta demostración son ficticios. Las cifras reproducen el cuadro del "
        "informe.",
    },
    "ru": {
        "title": "Открытые консультации по вопросу о расширении сотрудничества по международным вопросам "
        "государственной политики, касающимся Интернета",
        "mandate_reference": "резолюция 2010/2 Экономического и Социального Совета",
        "mandate": "В своей резолюции 2010/2 Экономический и Социальный Совет предложил Генеральному секретарю "
        "провести до конца 2010 года открытые и всеохватные консультации с участием всех государств-членов и всех "
        "других заинтересованных сторон по процессу расширения сотрудничества и просил препроводить их итоги "
        "через Совет Генеральной Ассамблее на ее шестьдесят шестой сессии. "
        f"(Резюме пункта 6 доклада {SYMBOL}.)",
        "description": "Консультации проводились заместителем Генерального секретаря по экономическим и социальным "
        "вопросам от имени Генерального секретаря в течение четырех месяцев, с сентября по декабрь 2010 года. "
        f"Около 150 международных организаций и 3{NBSP}500 организаций гражданского общества и частного сектора "
        "было предложено представить свои соображения: в письменном виде в любое время в течение этого периода "
        "или на совещании в Нью-Йорке 14 декабря 2010 года.\n\n"
        f"Демонстрационные данные: сведения о консультациях соответствуют докладу {SYMBOL}; все организации, "
        "представившие материалы, и все тексты в этой демонстрации вымышлены. Цифры воспроизводят таблицу "
        "доклада.",
    },
    "zh-hans": {
        "title": "关于在与互联网有关的国际公共政策问题上加强合作的公开磋商",
        "mandate_reference": "经济及社会理事会第2010/2号决议",
        "mandate": "经济及社会理事会在第2010/2号决议中请秘书长在2010年底前召开有所有会员国和所有其他利益攸关方"
        "参加的公开和包容各方的磋商，讨论加强合作的进程，并请通过理事会将磋商结果转交大会第六十六届会议。"
        f"（报告{SYMBOL}第6段摘要。）",
        "description": "磋商由主管经济和社会事务副秘书长代表秘书长主持，自2010年9月至12月，历时四个月。"
        "约150个国际组织以及3,500个民间社会和私营部门实体应邀参与：在此期间随时提交书面意见，"
        "或出席2010年12月14日在纽约举行的会议。\n\n"
        f"演示数据：磋商的基本信息依据报告{SYMBOL}；本演示中所有提交意见的实体和所有文本均为虚构。"
        "各项数字与报告中的表格一致。",
    },
    "ar": {
        "title": "المشاورات المفتوحة بشأن تعزيز التعاون في قضايا السياسات العامة الدولية المتعلقة بالإنترنت",
        "mandate_reference": "قرار المجلس الاقتصادي والاجتماعي 2010/2",
        "mandate": "دعا المجلس الاقتصادي والاجتماعي، في قراره 2010/2، الأمين العام إلى أن يعقد، قبل نهاية عام "
        "2010، مشاورات مفتوحة وشاملة للجميع تشارك فيها جميع الدول الأعضاء وسائر أصحاب المصلحة بشأن عملية تعزيز "
        "التعاون، وطلب أن تُحال نتائجها عن طريق المجلس إلى الجمعية العامة في دورتها السادسة والستين. "
        f"(موجز الفقرة 6 من التقرير {SYMBOL_LTR}.)",
        "description": "عقدها وكيل الأمين العام للشؤون الاقتصادية والاجتماعية باسم الأمين العام على مدى أربعة "
        "أشهر، من أيلول/سبتمبر إلى كانون الأول/ديسمبر 2010. ودُعي نحو 150 منظمة دولية و 3,500 كيان من كيانات "
        "المجتمع المدني والقطاع الخاص إلى المساهمة، كتابةً في أي وقت خلال الفترة، أو في اجتماع عُقد في نيويورك "
        "في 14 كانون الأول/ديسمبر 2010.\n\n"
        f"بيانات العرض التوضيحي: تتبع المعلومات عن المشاورة التقرير {SYMBOL_LTR}؛ وجميع الكيانات المساهمة وجميع "
        "النصوص في هذا العرض التوضيحي خيالية. وتطابق الأرقام جدول التقرير.",
    },
}

QUESTIONS = {
    "fr": [
        "Quelles questions de politiques publiques internationales relatives à Internet ne sont pas traitées de "
        f"manière adéquate par les mécanismes actuels{NBSP}?",
        "Quels processus précis faudrait-il privilégier pour renforcer la coopération internationale dans ces "
        f"domaines{NBSP}?",
        "Quel rôle l'Organisation des Nations Unies et d'autres entités peuvent-elles jouer pour faciliter le "
        f"renforcement de la coopération{NBSP}?",
    ],
    "es": [
        "¿Qué cuestiones de política pública internacional relativas a Internet no se abordan adecuadamente "
        "mediante los mecanismos actuales?",
        "¿Qué procesos concretos deberían favorecerse para mejorar la cooperación internacional en esas cuestiones?",
        "¿Qué papel pueden desempeñar las Naciones Unidas y otras entidades para facilitar la cooperación mejorada?",
    ],
    "ru": [
        "Какие международные вопросы государственной политики, касающиеся Интернета, не получают надлежащего "
        "решения в рамках существующих механизмов?",
        "Каким конкретным процессам следует отдать предпочтение для расширения международного сотрудничества по "
        "этим вопросам?",
        "Какую роль могут играть Организация Объединенных Наций и другие структуры в содействии расширению "
        "сотрудничества?",
    ],
    "zh-hans": [
        "哪些与互联网有关的国际公共政策问题未得到现有机制的充分处理？",
        "应优先采用哪些具体进程来加强在这些问题上的国际合作？",
        "联合国和其他实体在促进加强合作方面可以发挥什么作用？",
    ],
    "ar": [
        "ما هي قضايا السياسات العامة الدولية المتعلقة بالإنترنت التي لا تعالجها الآليات الحالية معالجة كافية؟",
        "ما هي العمليات المحددة التي ينبغي تفضيلها لتعزيز التعاون الدولي بشأن هذه القضايا؟",
        "ما هو الدور الذي يمكن أن تؤديه الأمم المتحدة والكيانات الأخرى في تيسير تعزيز التعاون؟",
    ],
}

MEETING = {
    "fr": {
        "title": "Réunion de consultation ouverte sur le renforcement de la coopération",
        "place": "Siège de l'Organisation des Nations Unies, New York",
    },
    "es": {
        "title": "Reunión de consulta abierta sobre la cooperación mejorada",
        "place": "Sede de las Naciones Unidas, Nueva York",
    },
    "ru": {
        "title": "Открытое консультативное совещание по вопросу о расширении сотрудничества",
        "place": "Центральные учреждения Организации Объединенных Наций, Нью-Йорк",
    },
    "zh-hans": {"title": "关于加强合作的公开磋商会议", "place": "纽约联合国总部"},
    "ar": {"title": "اجتماع التشاور المفتوح بشأن تعزيز التعاون", "place": "مقر الأمم المتحدة، نيويورك"},
}

# In the order of the demo's agenda: opening, presentations, open debate, closing.
AGENDA = {
    "fr": [
        "Ouverture",
        "Exposés des représentants désignés des groupes de parties prenantes",
        "Débat ouvert",
        "Clôture",
    ],
    "es": [
        "Apertura",
        "Exposiciones de los representantes designados de los grupos de interesados",
        "Debate abierto",
        "Clausura",
    ],
    "ru": [
        "Открытие",
        "Выступления назначенных представителей групп заинтересованных сторон",
        "Открытая дискуссия",
        "Закрытие",
    ],
    "zh-hans": ["开幕", "利益攸关方团体指定代表发言", "公开辩论", "闭幕"],
    "ar": ["الافتتاح", "عروض يقدمها الممثلون المعيَّنون لمجموعات أصحاب المصلحة", "المناقشة المفتوحة", "الاختتام"],
}


def translate_demo(actor, consultation: Consultation, meeting: Meeting) -> None:
    """Enter the demo's texts in the five other languages through the services, as the secretariat would."""
    for language, texts in CONSULTATION.items():
        translate_consultation(actor, consultation, language, **texts)
        translate_questions(actor, consultation, language, QUESTIONS[language])
        meetings.translate_meeting(actor, meeting, language, **MEETING[language])
        meetings.translate_agenda(actor, meeting, language, AGENDA[language])


REHEARSAL = {
    "fr": {
        "title": f"Répétition{NBSP}: une consultation ouverte fictive",
        "mandate_reference": "Démonstration",
        "mandate": f"Une consultation pour essayer Concord{NBSP}: soumettre une contribution écrite, tenir la liste "
        "des orateurs de la réunion, enregistrer les interventions et publier le compte rendu. Rien ici n'est réel.",
        "description": f"Tout, dans cette consultation, est fictif{NBSP}; elle est chargée à côté de la démonstration "
        "de 2010 pour que l'on puisse essayer la voie écrite et la réunion pendant qu'une consultation est ouverte.",
    },
    "es": {
        "title": "Ensayo: una consulta abierta ficticia",
        "mandate_reference": "Demostración",
        "mandate": "Una consulta para probar Concord: presentar una contribución escrita, llevar la lista de "
        "oradores de la reunión, registrar las intervenciones y publicar el acta. Nada de esto es real.",
        "description": "Todo en esta consulta es ficticio; se carga junto a la demostración de 2010 para que puedan "
        "probarse el canal escrito y la reunión mientras hay una consulta abierta.",
    },
    "ru": {
        "title": "Репетиция: вымышленные открытые консультации",
        "mandate_reference": "Демонстрация",
        "mandate": "Консультации для знакомства с Concord: представить письменный материал, вести список ораторов "
        "совещания, записывать выступления и опубликовать протокол. Здесь нет ничего настоящего.",
        "description": "Всё в этих консультациях вымышлено; они загружаются вместе с демонстрацией 2010 года, "
        "чтобы письменный канал и совещание можно было опробовать, пока консультации открыты.",
    },
    "zh-hans": {
        "title": "演练：虚构的公开磋商",
        "mandate_reference": "演示",
        "mandate": "用于试用Concord的磋商：提交书面意见、管理会议发言名单、记录发言并公布会议记录。此处内容均非真实。",
        "description": "本磋商的全部内容均为虚构；它与2010年演示一同加载，以便在磋商开放期间试用书面渠道和会议。",
    },
    "ar": {
        "title": "تمرين: مشاورة مفتوحة خيالية",
        "mandate_reference": "عرض توضيحي",
        "mandate": f"مشاورة لتجربة {CONCORD_LTR}: تقديم مساهمة مكتوبة، وإدارة قائمة المتكلمين في الاجتماع، وتسجيل "
        "المداخلات، ونشر المحضر. لا شيء هنا حقيقي.",
        "description": "كل ما في هذه المشاورة خيالي؛ وهي تُحمَّل إلى جانب العرض التوضيحي لعام 2010 لتجربة القناة "
        "المكتوبة والاجتماع ما دامت المشاورة مفتوحة.",
    },
}

REHEARSAL_MEETING = {
    "fr": {"title": "Réunion de répétition", "place": "N'importe où"},
    "es": {"title": "Reunión de ensayo", "place": "Cualquier lugar"},
    "ru": {"title": "Репетиционное совещание", "place": "Где угодно"},
    "zh-hans": {"title": "演练会议", "place": "任何地点"},
    "ar": {"title": "اجتماع تمريني", "place": "أي مكان"},
}

# In the order of the rehearsal's agenda: presentations, open debate (the latter as in the demo's agenda).
REHEARSAL_AGENDA = {
    "fr": ["Exposés", AGENDA["fr"][2]],
    "es": ["Exposiciones", AGENDA["es"][2]],
    "ru": ["Выступления", AGENDA["ru"][2]],
    "zh-hans": ["发言", AGENDA["zh-hans"][2]],
    "ar": ["العروض", AGENDA["ar"][2]],
}


def translate_rehearsal(actor, consultation: Consultation, meeting: Meeting) -> None:
    """Enter the rehearsal's texts in the five other languages, as ``translate_demo`` does for the demo."""
    for language, texts in REHEARSAL.items():
        translate_consultation(actor, consultation, language, **texts)
        translate_questions(actor, consultation, language, QUESTIONS[language])
        meetings.translate_meeting(actor, meeting, language, **REHEARSAL_MEETING[language])
        meetings.translate_agenda(actor, meeting, language, REHEARSAL_AGENDA[language])
