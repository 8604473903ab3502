"""A generator of consultation mail: template campaigns with realistic edits, mixed with independent texts.

Templates carry mail-merge slots (``{a|b|c}``); each member picks slot alternatives and gets some of: a greeting
and a signature, a personal sentence, typos, synonyms, reordered or dropped sentences. Independent texts are
composed from the same topical vocabulary, so they share topic and stock phrases with the campaigns but no
template. Some templates also circulate in French and Spanish translation: those are distinct campaigns that
must be linked as translations, never merged. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re

OPENERS = [
    "I believe that",
    "In my view",
    "It is clear that",
    "As a citizen I think",
    "We are convinced that",
    "Our members feel that",
    "My family agrees that",
    "Experience shows that",
    "Many people know that",
    "I am worried that",
    "Everyone should remember that",
    "It seems obvious that",
    "History shows that",
]
SUBJECTS = [
    "the internet",
    "broadband access",
    "online privacy",
    "our local providers",
    "the regulator",
    "small businesses",
    "rural schools",
    "independent journalists",
    "the telephone companies",
    "consumers",
    "public libraries",
    "startups in my town",
    "the cable companies",
    "community networks",
    "the data of our children",
    "online banking",
    "the domain name system",
    "our hospital",
    "the national government",
    "local farmers",
]
VERBS = [
    "must be protected from",
    "should not depend on",
    "cannot survive without",
    "will suffer from",
    "deserves better than",
    "is threatened by",
    "needs more support against",
    "has been harmed by",
    "would benefit from",
    "should be shielded from",
    "relies every day on",
    "is slowly losing",
]
OBJECTS = [
    "paid prioritization",
    "slow connections",
    "high monthly prices",
    "data brokers",
    "unfair contracts",
    "fast lanes for big companies",
    "spam and scams",
    "cyber attacks",
    "censorship of content",
    "open and equal access",
    "public investment",
    "strong privacy rules",
    "competition between providers",
    "clear rules from Congress",
    "fair interconnection deals",
    "hidden fees",
    "throttling of video",
    "better digital skills",
    "honest advertising",
    "community oversight",
]
REASONS = [
    "because it affects every household",
    "since prices keep rising",
    "and nobody asked us",
    "for the next generation",
    "as our economy depends on it",
    "which is simply unfair",
    "in every part of the country",
    "without any delay",
    "before it is too late",
    "like electricity and water",
    "according to my own experience",
    "in rural areas too",
    "even for the poorest families",
    "and the evidence is clear",
    "for the sake of democracy",
]
SYNONYMS = {
    "protect": "safeguard",
    "keep": "preserve",
    "internet": "web",
    "rules": "regulations",
    "strong": "robust",
    "companies": "corporations",
    "urge": "ask",
    "please": "kindly",
    "free": "open",
    "users": "customers",
    "important": "essential",
    "believe": "think",
    "stop": "halt",
    "plan": "proposal",
    "support": "back",
    "access": "entry",
    "prices": "rates",
    "fast": "quick",
    "big": "large",
    "must": "should",
}
GREETINGS = ["Dear FCC,", "To whom it may concern:", "Dear Commissioners,", "Hello,", "Dear Chairman,", "Hi there,"]
SIGNOFFS = ["Sincerely,", "Best regards,", "Thank you,", "Regards,", "Respectfully,"]
NAMES = ["Alex Moreno", "Jamie Chen", "Sam Okafor", "Robin Petrov", "Taylor Haddad", "Morgan Silva", "Kim Dubois"]

# Hand-written templates with their French and Spanish translations (translation links, never campaign merges).
TRANSLATED = [
    {
        "en": "I strongly urge the Commission to keep the rules that protect an open internet. Providers must not "
        "block or slow down lawful websites. Small businesses depend on equal access to customers. Please reject "
        "any plan that creates fast lanes for the largest companies.",
        "fr": "J'exhorte vivement la Commission à maintenir les règles qui protègent un internet ouvert. Les "
        "fournisseurs ne doivent ni bloquer ni ralentir les sites licites. Les petites entreprises dépendent d'un "
        "accès égal à leurs clients. Rejetez tout projet qui crée des voies rapides pour les plus grandes "
        "entreprises.",
        "es": "Insto encarecidamente a la Comisión a mantener las normas que protegen una internet abierta. Los "
        "proveedores no deben bloquear ni ralentizar los sitios legales. Las pequeñas empresas dependen de un "
        "acceso igualitario a sus clientes. Rechacen cualquier plan que cree carriles rápidos para las mayores "
        "empresas.",
    },
    {
        "en": "Our personal data is collected and sold without our consent every single day. We ask for a strong "
        "national privacy law with real penalties. People should be able to see and delete what companies know "
        "about them. Privacy is a basic right, not a luxury.",
        "fr": "Nos données personnelles sont collectées et vendues sans notre consentement chaque jour. Nous "
        "demandons une loi nationale forte sur la vie privée, assortie de vraies sanctions. Chacun doit pouvoir "
        "consulter et effacer ce que les entreprises savent de lui. La vie privée est un droit fondamental, pas "
        "un luxe.",
        "es": "Nuestros datos personales se recopilan y venden sin nuestro consentimiento todos los días. Pedimos "
        "una ley nacional de privacidad sólida con sanciones reales. Las personas deben poder ver y borrar lo que "
        "las empresas saben de ellas. La privacidad es un derecho básico, no un lujo.",
    },
]


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(REASONS)}."
    )


def make_template(rng: random.Random) -> list[str]:
    """A template: 4-7 sentences, about half of them with a mail-merge slot of 2-3 alternatives."""
    sentences = []
    for _ in range(rng.randint(4, 7)):
        words = _sentence(rng).split()
        if rng.random() < 0.5:
            k = rng.randrange(2, len(words) - 2)
            alternatives = [words[k], *rng.sample(list(SYNONYMS.values()), 2)][: rng.randint(2, 3)]
            words[k] = "{" + "|".join(alternatives) + "}"
        sentences.append(" ".join(words))
    return sentences


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _fill(sentence: str, rng: random.Random) -> str:
    return re.sub(r"\{([^}]*)\}", lambda m: rng.choice(m.group(1).split("|")), sentence)


def make_member(template: list[str], rng: random.Random) -> str:
    sentences = [_fill(s, rng) for s in template]
    if len(sentences) > 3 and rng.random() < 0.25:
        del sentences[rng.randrange(len(sentences))]
    if rng.random() < 0.25:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    out = []
    for s in sentences:
        words = s.split()
        if rng.random() < 0.15:
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        if rng.random() < 0.15:
            for j, w in enumerate(words):
                if w.lower() in SYNONYMS:
                    words[j] = SYNONYMS[w.lower()]
                    break
        out.append(" ".join(words))
    if rng.random() < 0.3:
        out.insert(rng.randrange(len(out) + 1), _sentence(rng))  # a personal sentence
    body = " ".join(out)
    if rng.random() < 0.5:
        body = f"{rng.choice(GREETINGS)}\n{body}\n{rng.choice(SIGNOFFS)}\n{rng.choice(NAMES)}"
    return body


def generate(n: int, *, seed: int = 0, unique_share: float = 0.06, templates: int | None = None):
    """``n`` records ``{"id", "text", "lang", "campaign", "translation_of"}`` (the last two are the truth)."""
    rng = random.Random(seed)
    n_templates = templates or max(5, min(2000, n // 400))
    bases = [make_template(rng) for _ in range(n_templates)]
    weights = [1.0 / (k + 1) for k in range(n_templates)]  # Zipf: a few huge campaigns, many small ones
    records = []
    # Translated campaigns: each language version is its own campaign, linked to the English original.
    for t, versions in enumerate(TRANSLATED):
        for lang in ("en", "fr", "es"):
            for _ in range(3):
                text = versions[lang]
                if rng.random() < 0.5:
                    text = f"{rng.choice(GREETINGS)}\n{text}\n{rng.choice(NAMES)}"
                records.append({"text": text, "lang": lang, "campaign": f"tr{t}-{lang}", "translation_group": t})
    n_unique = int(n * unique_share)
    n_campaign = n - n_unique - len(records)
    choices = rng.choices(range(n_templates), weights=weights, k=n_campaign)
    for t in choices:
        records.append({"text": make_member(bases[t], rng), "lang": "en", "campaign": f"t{t}"})
    for _ in range(n_unique):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        records.append({"text": text, "lang": "en", "campaign": None})
    rng.shuffle(records)
    for i, r in enumerate(records):
        r["id"] = str(i)
    # A campaign of one member is no campaign.
    sizes: dict = {}
    for r in records:
        sizes[r["campaign"]] = sizes.get(r["campaign"], 0) + 1
    for r in records:
        if r["campaign"] is not None and sizes[r["campaign"]] < 2:
            r["campaign"] = None
    return records
