"""What long real letters do that short written examples do not: requests, evaluations, questions and their answers,
quotations, quantifiers that are not speakers, purposes, and sentences that merely pass near a position. Each rule in
the six languages where it rests on a word list; every speaker is fictional."""

import pytest

from concord.analysis.stance import Position, StanceDetector
from concord.analysis.stance_cues import OPPOSE, SUPPORT, read


def sides(clause: str) -> list[tuple[str, str, float]]:
    return [(clause[c.start : c.end], c.polarity, c.strength) for c in read(clause).cues]


@pytest.mark.parametrize(
    ("clause", "cue"),
    [
        ("Please reinstate the rural broadband fund.", "Please"),
        ("Veuillez rétablir le fonds pour le haut débit rural.", "Veuillez"),
        ("Por favor, restablezcan el fondo de banda ancha rural.", "Por favor"),
        ("Пожалуйста, восстановите фонд сельского широкополосного доступа.", "Пожалуйста"),
        ("请恢复农村宽带基金。", "请"),
        ("يرجى إعادة صندوق النطاق العريض الريفي.", "يرجى"),
        ("It is time to reinstate the rural broadband fund.", "It is time to"),
        ("Reinstate the rural broadband fund.", "Reinstate"),
    ],
)
def test_a_request_supports_what_it_asks_for(clause, cue):
    assert (cue, SUPPORT, 0.5) in sides(clause)


@pytest.mark.parametrize(
    "clause",
    [
        "Please find attached the response of the Kestrel Foundation.",
        "Please see our full submission.",
        "Veuillez trouver ci-joint la contribution de la Fondation Kestrel.",
    ],
)
def test_a_covering_note_requests_nothing(clause):
    assert sides(clause) == []


@pytest.mark.parametrize(
    ("clause", "word", "side"),
    [
        ("A shared registry would be valuable for small operators.", "valuable", SUPPORT),
        ("Un registre commun serait utile aux petits opérateurs.", "utile", SUPPORT),
        ("Un registro común sería útil para los pequeños operadores.", "útil", SUPPORT),
        ("Общий реестр был бы полезным для небольших операторов.", "полезным", SUPPORT),
        ("共同登记册对小型运营商有益。", "有益", SUPPORT),
        ("سيكون السجل المشترك مفيدا للمشغلين الصغار", "مفيدا", None),  # an inflected form the list lacks
        ("These changes to the fund are harmful and cruel.", "harmful", OPPOSE),
        ("Ces changements du fonds sont néfastes.", "néfastes", OPPOSE),
        ("Estos cambios del fondo son perjudiciales.", "perjudiciales", OPPOSE),
        ("Эти изменения фонда опасны и вредны, это вредно.", "вредно", OPPOSE),
        ("这些变化对基金有害。", "有害", OPPOSE),
        ("هذه التغييرات ضارة بالصندوق.", "ضارة", OPPOSE),
        ("Data protection is already covered by existing law.", "already covered", OPPOSE),
    ],
)
def test_an_evaluation_takes_a_side_on_its_clause(clause, word, side):
    found = {text: polarity for text, polarity, strength in sides(clause) if strength == 0.5}
    if side is None:
        assert word not in found
    else:
        assert found.get(word) == side


def test_a_negated_evaluation_turns_over():
    assert ("useful", OPPOSE, 0.5) in sides("A new registry would not be useful.")


@pytest.mark.parametrize(
    "clause",
    [
        "Some argue that a new registry is needed.",
        "Certains estiment qu'un nouveau registre est nécessaire.",
        "Algunos consideran que un nuevo registro es necesario.",
        "Некоторые считают, что нужен новый реестр.",
        "一些国家认为应当设立新的登记册。",
        "يرى البعض أنه ينبغي إنشاء سجل جديد.",
    ],
)
def test_others_who_argue_are_reported(clause):
    assert read(clause).reported


@pytest.mark.parametrize(
    "clause",
    [
        "Many small operators use the registry and several banks rely on it.",
        "Beaucoup de petits opérateurs utilisent le registre.",
        "Muchos operadores pequeños usan el registro.",
        "Многие небольшие операторы пользуются реестром.",
        "许多小型运营商使用该登记册。",
        "يستخدم عدد من المشغلين الصغار السجل.",
        "The Kestrel Foundation welcomes the first regional registry.",
    ],
)
def test_a_quantifier_that_is_not_a_speaker_reports_nothing(clause):
    assert not read(clause).reported


@pytest.mark.parametrize(
    "clause",
    [
        "These tools help to support local decisions.",
        "Ces outils servent pour soutenir les décisions locales.",
        "Estas herramientas sirven para apoyar las decisiones locales.",
        "Эти инструменты нужны, чтобы поддержать местные решения.",
        "这些工具用于支持地方决策。",
    ],
)
def test_a_purpose_is_not_a_side(clause):
    assert sides(clause) == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("The proposed registry would cover every operator.", []),
        ("We recommend a federated design as opposed to a central one.", [("recommend", SUPPORT, 1.0)]),
        ("This would erode the trust necessary for any registry.", []),
        ("A regional registry is necessary.", [("necessary", SUPPORT, 0.5)]),
        ("Un registre régional est indispensable.", [("indispensable", SUPPORT, 0.5)]),
        ("Un registro regional es imprescindible.", [("imprescindible", SUPPORT, 0.5)]),
        ("There is no reason why able operators should not be registered.", [("should", SUPPORT, 0.5)]),
    ],
)
def test_words_that_only_look_like_cues(clause, expected):
    assert sides(clause) == expected


REGISTRY = Position(
    "registry",
    {
        "en": "A regional registry of broadband operators should be created.",
        "fr": "Un registre régional des opérateurs à haut débit devrait être créé.",
    },
)


@pytest.fixture(scope="module")
def detector():
    return StanceDetector().fit([REGISTRY])


def stance_of(detector, text):
    found = {r.slug: r for r in detector.predict([text])[0]}
    return found["registry"].stance if "registry" in found else None


@pytest.mark.parametrize(
    "text",
    [
        "Should a regional registry of broadband operators be created?",
        "Faut-il créer un registre régional des opérateurs à haut débit ?",
        "¿Debería crearse un registro regional de operadores de banda ancha?",
        "Следует ли создать региональный реестр операторов широкополосного доступа?",
        "是否应当建立宽带运营商区域登记册？",
        "هل ينبغي إنشاء سجل إقليمي لمشغلي النطاق العريض؟",
    ],
)
def test_a_question_takes_no_side(detector, text):
    assert stance_of(detector, text) in (None, "neutral")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Yes, and it should be kept light.", "support"),
        ("No, the current arrangements are enough.", "oppose"),
        ("Oui, et il devrait rester léger.", "support"),
        ("Non, les dispositifs actuels suffisent.", "oppose"),
        ("Sí, y debería seguir siendo ligero.", "support"),
        ("Да, и он должен оставаться простым.", "support"),
        ("Нет, нынешних механизмов достаточно.", "oppose"),
        ("نعم، وينبغي أن يبقى بسيطا.", "support"),
    ],
)
def test_an_answer_takes_the_side_of_its_yes_or_no_on_the_question(detector, answer, expected):
    question = "Do you agree that a regional registry of broadband operators should be created?"
    assert stance_of(detector, f"{question} {answer}") == expected


def test_a_long_quotation_is_someone_elses_view(detector):
    text = (
        "The Kestrel Foundation has read the debate closely. A colleague from the Orvane ministry told us: "
        "“we strongly support a regional registry of broadband operators and would fund it.” "
        "We take no position on it."
    )
    assert stance_of(detector, text) in (None, "neutral")


def test_a_letter_that_passes_near_the_position_does_not_take_it(detector):
    """Eight sentences about other things, one that mentions registries in passing: no side."""
    text = " ".join(
        [
            "The Kestrel Foundation thanks the secretariat for this consultation.",
            "Our members run community networks in twelve valleys.",
            "Spectrum for rural areas remains expensive and scarce.",
            "Many operators keep their own lists of customers and towers.",
            "We support lower spectrum fees for community networks.",
            "Training for local technicians is also a priority for us.",
            "Weather and distance raise the cost of every tower.",
            "We look forward to the next meeting.",
        ]
    )
    assert stance_of(detector, text) != "support"


def test_a_request_in_a_letter_supports_the_position(detector):
    text = (
        "The Kestrel Foundation thanks the secretariat. Our members run community networks in twelve valleys. "
        "Please create a regional registry of broadband operators without delay."
    )
    assert stance_of(detector, text) == "support"


@pytest.mark.parametrize(
    "clause",
    [
        "If a regional registry is created, it should stay light.",
        "Regardless of whether the registry is eventually established, operators should be consulted.",
        "Si un registre régional est créé, il devrait rester léger.",
        "Si se crea un registro regional, debería ser ligero.",
        "Если будет создан региональный реестр, он должен быть простым.",
        "如果设立区域登记册，应当保持简便。",
        "إذا تم إنشاء سجل إقليمي، ينبغي أن يبقى بسيطا.",
    ],
)
def test_a_condition_on_the_thing_itself_is_hypothetical(clause):
    assert read(clause).hypothetical


@pytest.mark.parametrize(
    "clause",
    [
        "We would support a regional registry if it stays light.",
        "Nous appuierions un registre régional s'il reste léger.",
        "Apoyaríamos un registro regional si sigue siendo ligero.",
    ],
)
def test_a_condition_on_the_support_is_not(clause):
    assert not read(clause).hypothetical


def test_a_design_wish_for_a_thing_that_may_be_created_takes_no_side_on_it(detector):
    text = "If a regional registry of broadband operators is created, it should publish its data every month."
    assert stance_of(detector, text) in (None, "neutral")


@pytest.mark.parametrize(
    "clause",
    [
        "The Kestrel Foundation welcomes the consultation on the registry.",
        "Orvane appreciates the opportunity to comment on the registry.",
    ],
)
def test_welcoming_the_consultation_is_courtesy(clause):
    assert sides(clause) == []


@pytest.mark.parametrize(
    ("clause", "cue"),
    [
        ("Existing law should be enforced before proposing any new registry.", "before proposing"),
        ("Il faut appliquer le droit existant avant de créer un nouveau registre.", "avant de créer"),
        ("Hay que aplicar la ley vigente antes de crear un nuevo registro.", "antes de crear"),
        ("Нужно применять действующие нормы, прежде чем создавать новый реестр.", "прежде чем создавать"),
        ("يجب تطبيق القانون القائم قبل إنشاء سجل جديد.", "قبل إنشاء"),
    ],
)
def test_not_before_something_else_opposes_it(clause, cue):
    assert (cue, OPPOSE, 0.5) in sides(clause)
