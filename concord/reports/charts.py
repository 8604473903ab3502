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


def _outputs(figure, formats=("svg", "png")) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    out = {}
    for fmt, options in (("svg", {}), ("png", {"dpi": 150})):
        if fmt not in formats:
            continue
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, bbox_inches="tight", **options)
        out[fmt] = buffer.getvalue()
    plt.close(figure)
    if "svg" in out:
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


# The phone's charts: 3.6 inches (259 points) wide, about the width a 390-pixel screen gives the report, so that one
# point of the drawing takes more than one CSS pixel there and 9-point text reads at 12 pixels or so.
PHONE_WIDTH = 3.6
PHONE_TEXT = 9  # points
# One line of 9-point text and its leading, in inches: the unit in which a phone chart's rows are stacked.
PHONE_LINE = PHONE_TEXT * 1.3 / 72
# How many of those units a line of a wrapped label takes (matplotlib spaces lines 1.15 times 1.2 ems apart).
LABEL_LINE = 1.1


def _is_wide(ch: str) -> bool:
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff00" <= ch <= "\uffef"
    )


def _phone_lines(label, width: int = 44) -> list[str]:
    """A label's lines on a phone chart, wrapped at ``width`` Latin characters: a Chinese character takes two (it
    is as wide as two), and Chinese has no spaces, so it is cut between characters."""
    label = str(label)
    if any(_is_wide(ch) for ch in label):
        return textwrap.wrap(label, width // 2) or [""]
    return textwrap.wrap(label, width) or [""]


def _phone_bars(labels, series, xlabel: str, rtl: bool, stacked: bool) -> bytes:
    """Horizontal bars for a narrow screen, one row per label, the label on its own lines above its bars (never
    squeezed beside them), few ticks, every text at 9 points: ``series`` is (name, counts) with one count per label.
    Grouped bars one under the other unless ``stacked``. SVG only: the PDF and the DOCX keep the page's charts."""
    families()
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    wrapped = [_phone_lines(label) for label in labels]
    bar, gap = 1.0, 0.7  # in lines: a bar as thick as a line of text, and the space between two rows
    row_bars = bar if stacked else bar * max(len(series), 1)
    label_height = [LABEL_LINE * len(lines) + 0.15 for lines in wrapped]
    height = sum(h + row_bars + gap for h in label_height)
    figure, axes = plt.subplots(figsize=(PHONE_WIDTH, max(height, 1) * PHONE_LINE))
    figure.subplots_adjust(left=0, right=1, top=1, bottom=0)
    text_side, align = (1, "right") if rtl else (0, "left")
    # Rows stacked downwards from 0, in lines.
    tops, top = [], 0.0
    for h in label_height:
        tops.append((top, top + h))
        top += h + row_bars + gap
    for k, (name, counts) in enumerate(series):
        if stacked:
            left = [sum(s[1][i] for s in series[:k]) for i in range(len(labels))]
            ys = [bars_top + bar / 2 for _label_top, bars_top in tops]
        else:
            left = [0] * len(labels)
            ys = [bars_top + bar * k + bar / 2 for _label_top, bars_top in tops]
        axes.barh(ys, counts, height=bar * 0.85, left=left, label=shape(name))
    for lines, (label_top, _bars_top) in zip(wrapped, tops, strict=True):
        axes.text(
            text_side,
            label_top,
            "\n".join(shape(line) for line in lines),
            transform=axes.get_yaxis_transform(),  # x across the axes, y in lines
            ha=align,
            va="top",
            fontsize=PHONE_TEXT,
            linespacing=1.15,
        )
    axes.set_ylim(top - gap, 0)
    axes.set_yticks([])
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.tick_params(axis="x", labelsize=PHONE_TEXT)
    axes.set_xlabel(shape(xlabel), fontsize=PHONE_TEXT)
    if rtl:
        axes.invert_xaxis()
    # Above the bars, one name a line: a phone has the height, not the width.
    axes.legend(
        fontsize=PHONE_TEXT,
        loc="lower right" if rtl else "lower left",
        bbox_to_anchor=(1 if rtl else 0, 1.0),
        frameon=False,
        markerfirst=not rtl,
        ncol=1,
    )
    axes.spines[["top", "left", "right"]].set_visible(False)
    return _outputs(figure, formats=("svg",))["svg"]


def phone_by_group_and_channel(table, xlabel: str, rtl: bool = False) -> bytes:
    """Figure I for a phone: a row per stakeholder group, a bar per channel."""
    rows = list(table.rows)
    series = [(label, [row.cells[i] for row in rows]) for i, label in enumerate(table.channel_labels)]
    return _phone_bars([row.label for row in rows], series, xlabel, rtl, stacked=False)


def phone_issues_by_group(rows, groups, xlabel: str, rtl: bool = False) -> bytes:
    """Figure II for a phone: the ten issues most raised, most raised first, each bar stacked by stakeholder group."""
    rows = sorted(rows, key=lambda r: r["total"])[-10:][::-1]  # the page chart's ten, read from the top
    series = [(group.label, [r["groups"][group.slug]["count"] for r in rows]) for group in groups]
    return _phone_bars([r["issue"].label for r in rows], series, xlabel, rtl, stacked=True)
