"""The demo's codebook: written from the report's paragraphs 13-38, loaded through the services."""

from concord.consultations.demo import load_demo
from concord.core.models import AuditEntry
from concord.positions.codebook import DEMO_CODEBOOK, codebook_of, load_codebook, read_codebook
from concord.positions.models import Kind, Position

PROPOSALS = {
    "intergovernmental-body",
    "cstd-working-group",
    "permanent-un-committee",
    "capacity-building-commitments",
    "arbitration-mechanism",
    "igf-outcomes-to-intergovernmental-bodies",
}


def test_the_demo_loads_its_codebook_through_the_services(demo):
    positions = Position.objects.filter(consultation=demo)
    slugs = set(positions.values_list("slug", flat=True))
    assert slugs >= PROPOSALS
    assert {"global-principles", "cooperation-under-way", "not-addressed-interconnection-costs"} <= slugs
    assert AuditEntry.objects.filter(action="positions.position.create").count() == positions.count()
    for position in positions:
        # English and French at least: the detector reads every statement, and the public reads their own.
        assert {"en", "fr"} <= set(position.statements()), position.slug
    assessments = positions.filter(kind=Kind.ASSESSMENT, slug__startswith="not-addressed-")
    assert assessments.count() >= 8
    assert all(a.issues.count() == 1 for a in assessments)
    assert positions.get(slug="cstd-working-group").forums.get().slug == "cstd"


def test_loading_the_codebook_twice_changes_nothing(demo):
    before = Position.objects.count()
    assert load_codebook("demo", demo, read_codebook(DEMO_CODEBOOK)) == []
    assert Position.objects.count() == before
    assert load_demo() is None


def test_the_codebook_round_trips_in_the_command_line_shape(demo):
    data = codebook_of(demo)
    row = next(p for p in data["positions"] if p["slug"] == "intergovernmental-body")
    assert set(row["statement"]) >= {"en", "fr"}
    assert row["examples"] == []
    shipped = {p["slug"]: p["statement"] for p in read_codebook(DEMO_CODEBOOK)["positions"]}
    assert {p["slug"]: p["statement"] for p in data["positions"]} == shipped


def test_every_demo_statement_is_written_in_the_six_languages_and_assessments_stay_assessments():
    # The report prints the statement in its own language, unmarked, only where the secretariat wrote it; and the
    # detector treats a position as an assessment only if no statement, in any language, proposes something.
    from concord.analysis.stance import _MODAL

    for row in read_codebook(DEMO_CODEBOOK)["positions"]:
        assert set(row["statement"]) == {"ar", "zh-hans", "en", "fr", "ru", "es"}, row["slug"]
        proposes = [code for code, text in row["statement"].items() if _MODAL.search(text)]
        if row["kind"] == Kind.ASSESSMENT:
            assert proposes == [], row["slug"]
        else:
            assert sorted(proposes) == sorted(row["statement"]), row["slug"]
