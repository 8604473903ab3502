"""The report's charts in every script: matplotlib with the fonts fontconfig knows, Arabic shaped right to left.

Matplotlib keeps the list of fonts it found on its first run in a cache file and never looks again: on a machine
where the Noto fonts were installed after that run, every Chinese label is a missing-glyph box and matplotlib says
``findfont: Font family 'Noto Sans CJK SC' not found`` although ``fc-list`` lists it. So the families the report
needs are asked of fontconfig (the library WeasyPrint and the desktop use) and added to matplotlib by file; a family
fontconfig does not have either is left out of the list, so that matplotlib falls back without a warning.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import textwrap

# Latin first (its digits and punctuation), then each script's family; DejaVu Sans last, matplotlib's own.
FAMILIES = ["Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans CJK SC", "DejaVu Sans"]


def fontconfig_files(family: str) -> list[str]:
    """The files of ``family`` as fontconfig knows it (exactly that family, not fontconfig's substitute)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run(
            [fc_list, f":family={family}", "file"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip().rstrip(":") for line in out.splitlines() if line.strip()})


@functools.cache
def families() -> tuple[str, ...]:
    """Set up matplotlib (once per process) and return the font families it now has, in order of preference."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, rcParams

    known = {font.name for font in font_manager.fontManager.ttflist}
    for family in FAMILIES:
        if family in known:
            continue
        for path in fontconfig_files(family):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # a file FreeType cannot read: the other files of the family may do
        known = {font.name for font in font_manager.fontManager.ttflist}
    available = tuple(family for family in FAMILIES if family in known)
    rcParams["font.family"] = list(available) or ["sans-serif"]
    # Text drawn as outlines in SVG: the browser needs none of these fonts to show the labels.
    rcParams["svg.fonttype"] = "path"
    return available


@functools.cache
def lays_out_complex_text() -> bool:
    """Whether matplotlib shapes and orders text itself (built with libraqm, as from 3.11): then Arabic is given to it
    as written, and shaping it again here would join nothing and reverse it back to left to right."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", None))


def shape(label) -> str:
    """A label as matplotlib must be given it to draw Arabic joined and right to left: as written where matplotlib
    lays text out itself; otherwise shaped (joined forms) and put in display order here."""
    label = str(label)
    if lays_out_complex_text():
        return label
    if any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in label):
        import arabic_reshaper
        from bidi.algorithm import get_display

        return get_display(arabic_reshaper.reshape(label))
    return label


def _wrap(label: str, width: int) -> str:
    # Wrapped before shaping: a right-to-left label's lines stay in reading order.
    return "\n".join(shape(line) for line in textwrap.wrap(str(label), width) or [""])


def _outputs(figure) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    out = {}
    for fmt, options in (("svg", {}), ("png", {"dpi": 150})):
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, bbox_inches="tight", **options)
        out[fmt] = buffer.getvalue()
    plt.close(figure)
    out["svg"] = _scalable(out["svg"])
    return out


def _scalable(svg: bytes) -> bytes:
    """Matplotlib writes a fixed width and height in points: without them the chart takes its container's width
    (a phone's, a page's) and keeps its proportions through its viewBox."""
    head, sep, rest = svg.partition(b"<svg ")
    tag, close, body = rest.partition(b">")

    tag = re.sub(rb'\s(width|height)="[^"]*"', b"", tag)
    return head + sep + tag + close + body


def by_group_and_channel(table, ylabel: str, rtl: bool = False) -> dict[str, bytes]:
    """Contributions by stakeholder group (bars grouped) and channel (one colour each): SVG and PNG."""
    families()
    import matplotlib.pyplot as plt
    import numpy as np

    figure, axes = plt.subplots(figsize=(7, 3.2))
    rows = list(table.rows)[::-1] if rtl else list(table.rows)
    x = np.arange(len(rows))
    width = 0.8 / max(len(table.channels), 1)
    for i, label in enumerate(table.channel_labels):
        axes.bar(x + i * width, [row.cells[i] for row in rows], width, label=shape(label))
    axes.set_xticks(x + width * (len(table.channels) - 1) / 2, [_wrap(row.label, 16) for row in rows], fontsize=8)
    axes.set_ylabel(shape(ylabel))
    if rtl:
        axes.yaxis.tick_right()
        axes.yaxis.set_label_position("right")
    axes.legend(fontsize=7)
    axes.spines[["top", "left" if rtl else "right"]].set_visible(False)
    return _outputs(figure)


def issues_by_group(rows, groups, xlabel: str, rtl: bool = False) -> dict[str, bytes]:
    """The ten issues most raised, one bar each, stacked by stakeholder group: SVG and PNG."""
    families()
    import matplotlib.pyplot as plt
    import numpy as np

    rows = sorted(rows, key=lambda r: r["total"])[-10:]
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(rows) + 1))
    left = np.zeros(len(rows))
    for group in groups:
        counts = np.array([r["groups"][group.slug]["count"] for r in rows])
        axes.barh(range(len(rows)), counts, left=left, label=shape(group.label))
        left += counts
    axes.set_yticks(range(len(rows)), [_wrap(r["issue"].label, 40) for r in rows], fontsize=8)
    axes.set_xlabel(shape(xlabel))
    if rtl:
        # Bars grow from the right, labels on the right: the chart reads in the report's direction.
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    axes.legend(fontsize=7)
    axes.spines[["top", "left" if rtl else "right"]].set_visible(False)
    return _outputs(figure)
