"""Spun, mail-merged letters: every sentence drawn from a few interchangeable variants, personal fields in several.

A bank is a list of sentence slots, each with ``variants`` wordings of one idea; a letter takes one wording per
slot, in order, and fills the sender's name, town and occupation wherever the wording asks for them. Two letters
of one campaign then share a sentence only where they drew the same wording (one slot in ``variants``), and no
sentence with a personal field is ever the same twice. Deterministic for a given seed.
"""

from __future__ import annotations

import random

from .generate import NAMES, OBJECTS, OPENERS, REASONS, SUBJECTS, VERBS

TOWNS = ["Springfield", "Riverton", "Oakdale", "Fairview", "Lakewood", "Milford", "Ashland", "Clinton", "Dayton"]
OCCUPATIONS = ["teacher", "nurse", "farmer", "mechanic", "student", "retired engineer", "shop owner", "pastor"]


def make_bank(rng: random.Random, slots: int = 6, variants: int = 3, personal: float = 0.7) -> list[list[str]]:
    """Sentence slots, each with ``variants`` wordings; a share ``personal`` of them carry a personal field, at the
    start, in the middle or at the end of the sentence."""
    bank = []
    for _ in range(slots):
        subject, obj = rng.choice(SUBJECTS), rng.choice(OBJECTS)
        wordings = []
        for _ in range(variants):
            parts = [rng.choice(OPENERS), subject, rng.choice(VERBS), obj, rng.choice(REASONS)]
            if rng.random() < personal:
                field = rng.choice(["in {town}", "says {name}", "as a {occupation}", "for {years} years"])
                parts.insert(rng.randrange(1, len(parts) + 1), field)
            wordings.append(" ".join(parts) + ".")
        bank.append(wordings)
    return bank


def make_letter(bank: list[list[str]], rng: random.Random) -> str:
    fields = {
        "name": rng.choice(NAMES),
        "town": rng.choice(TOWNS),
        "occupation": rng.choice(OCCUPATIONS),
        "years": str(rng.randint(2, 40)),
    }
    body = " ".join(rng.choice(wordings).format(**fields) for wordings in bank)
    return f"Dear Commissioners,\n{body}\nSincerely,\n{fields['name']}, {fields['town']}"


def spun_campaigns(sizes: list[int], *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Letters of one spun campaign per size, shuffled: ``(texts, campaign of each)``."""
    rng = random.Random(seed)
    letters = []
    for k, size in enumerate(sizes):
        bank = make_bank(rng)
        letters += [(make_letter(bank, rng), f"spun{k}") for _ in range(size)]
    rng.shuffle(letters)
    return [text for text, _ in letters], [campaign for _, campaign in letters]
