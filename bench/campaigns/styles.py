"""One set of letters per template style, so each style is scored apart (issue 16).

The styles campaigns use, each built alone, among distinct letters written from the same vocabulary (which must
stay out of every campaign):

- ``edited``: copies edited by hand: typos, a synonym, a sentence dropped or two swapped, a personal sentence added,
  a greeting and a signature.
- ``mail-merge``: one wording, the sender's name, town, occupation and years filled in several sentences.
- ``spun``: every sentence drawn from a few interchangeable wordings, with personal fields (``spun.make_letter``).
- ``reordered``: the template's paragraphs in another order in each copy.
- ``embedded``: the template inside a longer personal letter, personal paragraphs before and after it.
- ``translated``: one template in English, French and Spanish, copies of each with greetings and typos; each
  language version is its own campaign, linked to the others, never merged with them.

``style_set(style, seed=...)`` is deterministic. Seed 0 is the tuning seed; seed 1 was never used to tune the
detector, and its translated templates (``HELD_OUT_TRANSLATED``) are texts the detector never saw.
"""

from __future__ import annotations

import random

from .generate import GREETINGS, NAMES, SIGNOFFS, TRANSLATED, _sentence, _typo, make_member
from .spun import OCCUPATIONS, TOWNS, make_bank, make_letter

STYLES = ("edited", "mail-merge", "spun", "reordered", "embedded", "translated")
TUNING_SEED, HELD_OUT_SEED = 0, 1

# Written for Concord, never shown to the detector while it was tuned: translated templates of the held-out seed.
HELD_OUT_TRANSLATED = [
    {
        "en": "Rural schools in our district still wait for a broadband connection that works. Children do their "
        "homework in car parks to find a signal. We ask for public funding of fibre to every school before the "
        "end of the decade. Connectivity is part of education now, not a luxury.",
        "fr": "Les écoles rurales de notre district attendent toujours une connexion haut débit qui fonctionne. Les "
        "enfants font leurs devoirs sur des parkings pour trouver du réseau. Nous demandons un financement public "
        "de la fibre pour chaque école avant la fin de la décennie. La connectivité fait désormais partie de "
        "l'éducation, ce n'est pas un luxe.",
        "es": "Las escuelas rurales de nuestro distrito siguen esperando una conexión de banda ancha que funcione. "
        "Los niños hacen los deberes en los aparcamientos para encontrar señal. Pedimos financiación pública de "
        "fibra para cada escuela antes del final de la década. La conectividad ya forma parte de la educación, "
        "no es un lujo.",
    },
    {
        "en": "Small businesses receive hundreds of fraudulent messages every week. Filtering them costs us time "
        "and money that large firms do not notice. We call for common rules against unsolicited messages across "
        "borders and for a single place to report them. Trust in electronic mail depends on it.",
        "fr": "Les petites entreprises reçoivent chaque semaine des centaines de messages frauduleux. Les filtrer "
        "nous coûte un temps et un argent que les grandes sociétés ne remarquent pas. Nous appelons à des règles "
        "communes contre les messages non sollicités par-delà les frontières et à un guichet unique pour les "
        "signaler. La confiance dans le courrier électronique en dépend.",
        "es": "Las pequeñas empresas reciben cientos de mensajes fraudulentos cada semana. Filtrarlos nos cuesta un "
        "tiempo y un dinero que las grandes empresas no notan. Pedimos normas comunes contra los mensajes no "
        "solicitados más allá de las fronteras y un único lugar para denunciarlos. La confianza en el correo "
        "electrónico depende de ello.",
    },
]

MERGE_FIELDS = ["in {town}", "says {name}", "as a {occupation}", "for {years} years", "here in {town}"]


def _plain_template(rng: random.Random, sentences: tuple[int, int] = (5, 7)) -> list[str]:
    return [_sentence(rng) for _ in range(rng.randint(*sentences))]


def _fields(rng: random.Random) -> dict[str, str]:
    return {
        "name": rng.choice(NAMES),
        "town": rng.choice(TOWNS),
        "occupation": rng.choice(OCCUPATIONS),
        "years": str(rng.randint(2, 40)),
    }


def _merge_template(rng: random.Random) -> list[str]:
    """Sentences of which three or more carry a personal field, at the start, in the middle or at the end."""
    out = []
    for k, sentence in enumerate(_plain_template(rng)):
        if k < 3 or rng.random() < 0.5:
            words = sentence.rstrip(".").split()
            words.insert(rng.randrange(1, len(words) + 1), rng.choice(MERGE_FIELDS))
            sentence = " ".join(words) + "."
        out.append(sentence)
    return out


def _merge_letter(template: list[str], rng: random.Random) -> str:
    fields = _fields(rng)
    body = " ".join(s.format(**fields) for s in template)
    return f"Dear Commissioners,\n{body}\nYours,\n{fields['name']}, {fields['town']}"


def _reordered_letter(paragraphs: list[str], rng: random.Random) -> str:
    order = paragraphs[:]
    rng.shuffle(order)
    return "\n\n".join(order)


def _personal(rng: random.Random, low: int, high: int) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(low, high)))


def _embedded_letter(template: list[str], rng: random.Random) -> str:
    """The template, a little edited, between personal paragraphs as long as it or longer."""
    before, after = _personal(rng, 2, 5), _personal(rng, 2, 5)
    return f"{rng.choice(GREETINGS)}\n{before}\n\n{' '.join(template)}\n\n{after}\n{rng.choice(SIGNOFFS)}"


def _translated_copy(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.3:
        j = rng.randrange(len(words))
        words[j] = _typo(words[j], rng)
    body = " ".join(words)
    if rng.random() < 0.5:
        body = f"{rng.choice(GREETINGS)}\n{body}\n{rng.choice(NAMES)}"
    return body


def style_set(
    style: str, *, seed: int = TUNING_SEED, campaigns: int = 6, members: tuple[int, int] = (8, 40), distinct: int = 400
) -> list[dict]:
    """Records ``{"id", "text", "campaign", "translation_group"?}`` of one style: ``campaigns`` campaigns of
    ``members`` letters each and ``distinct`` letters outside any campaign (``campaign`` None), shuffled."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    rng = random.Random(f"{style}/{seed}")
    records: list[dict] = []
    if style == "translated":
        bank = TRANSLATED if seed == TUNING_SEED else HELD_OUT_TRANSLATED
        for group, versions in enumerate(bank):
            for lang, text in versions.items():
                for _ in range(rng.randint(*members)):
                    records.append(
                        {"text": _translated_copy(text, rng), "campaign": f"{group}-{lang}", "translation_group": group}
                    )
    for k in range(campaigns if style != "translated" else 0):
        size = rng.randint(*members)
        if style == "edited":
            template = _plain_template(rng)
            texts = [make_member(template, rng) for _ in range(size)]
        elif style == "mail-merge":
            template = _merge_template(rng)
            texts = [_merge_letter(template, rng) for _ in range(size)]
        elif style == "spun":
            bank = make_bank(rng)
            texts = [make_letter(bank, rng) for _ in range(size)]
        elif style == "reordered":
            paragraphs = [" ".join(_sentence(rng) for _ in range(2)) for _ in range(rng.randint(3, 5))]
            texts = [_reordered_letter(paragraphs, rng) for _ in range(size)]
        else:
            template = _plain_template(rng, (4, 5))
            texts = [_embedded_letter(template, rng) for _ in range(size)]
        records += [{"text": text, "campaign": f"{style}{k}"} for text in texts]
    # Distinct letters, of the lengths of the campaigns' letters (an embedded template's letter is long).
    longest = (6, 14) if style == "embedded" else (3, 7)
    records += [{"text": _personal(rng, *longest), "campaign": None} for _ in range(distinct)]
    rng.shuffle(records)
    for i, record in enumerate(records):
        record["id"] = str(i)
    return records


def score_style(records: list[dict], labels, translation_of=None) -> dict:
    """B-cubed precision, recall and F1 against the truth; distinct letters put in a campaign; for translations,
    language versions merged into one campaign and copies linked to another version of their template."""
    from eval.metrics import bcubed

    truth = [r["campaign"] for r in records]
    out = bcubed(truth, list(labels))
    out["distinct_merged"] = sum(1 for r, label in zip(records, labels, strict=True) if r["campaign"] is None and label)
    if any("translation_group" in r for r in records):
        langs_of: dict = {}
        for r, label in zip(records, labels, strict=True):
            if label is not None and "translation_group" in r:
                langs_of.setdefault(label, set()).add(r["campaign"])
        out["versions_merged"] = sum(1 for campaigns in langs_of.values() if len(campaigns) > 1)
        if translation_of is not None:
            group = [r.get("translation_group") for r in records]
            out["linked"] = sum(1 for r, t in zip(records, translation_of, strict=True) if t is not None)
            out["linked_wrong"] = sum(
                1
                for r, t in zip(records, translation_of, strict=True)
                if t is not None and (group[t] != r.get("translation_group") or records[t]["campaign"] == r["campaign"])
            )
            out["translated"] = sum(1 for r in records if "translation_group" in r)
    return out


def run_styles(seeds=(TUNING_SEED, HELD_OUT_SEED), styles=STYLES, printer=print) -> dict:
    """Each style's set through the function ``concord analyze campaigns`` calls, without language hints; prints a
    line per style and seed and returns the scores by ``(style, seed)``."""
    from concord.analysis import pipeline
    from concord.analysis.campaigns import CampaignDetector

    results = {}
    for seed in seeds:
        part = "tuning" if seed == TUNING_SEED else "held-out"
        for style in styles:
            records = style_set(style, seed=seed)
            detector = pipeline.campaigns([r["text"] for r in records], None, CampaignDetector())
            labels = [None if label < 0 else int(label) for label in detector.labels_]
            links = [None if t < 0 else int(t) for t in detector.translation_of_]
            score = score_style(records, labels, links)
            results[(style, seed)] = score
            extra = ""
            if "versions_merged" in score:
                extra = (
                    f"  versions merged {score['versions_merged']}, copies linked {score['linked']} of "
                    f"{score['translated']} ({score['linked_wrong']} wrong)"
                )
            printer(
                f"campaigns style {style:<10} {part:<8} (seed {seed}, {len(records)} letters, "
                f"{sum(1 for r in records if r['campaign'] is None)} distinct)  B-cubed P {score['precision']:.3f} "
                f"R {score['recall']:.3f} F1 {score['f1']:.3f}  distinct merged {score['distinct_merged']}{extra}"
            )
    return results


if __name__ == "__main__":
    run_styles()
