"""Units of PDF-extracted letters: a bullet list run into one line still gives one unit per bullet."""

from concord.analysis.units import split_units


def test_each_bullet_is_a_unit_even_on_one_line():
    text = (
        "The Orvane office asks the committee to: ● Fund regional centres; ● Establish the registry, as planned. Next."
    )
    assert [u.text for u in split_units(text)] == [
        "The Orvane office asks the committee to:",
        "● Fund regional centres;",
        "● Establish the registry, as planned.",
        "Next.",
    ]


def test_offsets_still_point_into_the_text():
    text = "Priorities • Training • Funding for the registry."
    for unit in split_units(text):
        assert text[unit.start : unit.end] == unit.text
