import pytest

from concord.positions import services
from tests.factories import make_consultation, make_contribution, make_entity


@pytest.fixture
def consultation(db):
    return make_consultation()


@pytest.fixture
def position(consultation):
    return services.create_position(
        "test",
        consultation,
        slug="new-body",
        statement="A new intergovernmental body should be created.",
        translations={"fr": {"statement": "Un nouvel organe intergouvernemental devrait être créé."}},
    )


@pytest.fixture
def contribution(consultation):
    return make_contribution(consultation, make_entity(group="government"), text="We call for a new body.")


def stance_row(slug, stance="support", text="We call for a new body.", score=0.9):
    return {
        "position": slug,
        "stance": stance,
        "score": score,
        "evidence": [{"text": text, "start": 0, "end": len(text)}],
    }
