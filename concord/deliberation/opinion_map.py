"""The opinion map as plain geometry for an SVG drawn on the server: no script, readable by screen readers.

Each participant the mathematics placed is a point of the projection, scaled into the drawing; a group's points
share a colour and a shape (so the map does not rely on colour alone), each group has a label at its centre, and
the viewer's own point is ringed and named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT, MARGIN = 400, 300, 24
# Colour-blind-safe (Okabe-Ito) with a shape each: circle, square, triangle, diamond...
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SHAPES = ["circle", "square", "triangle", "diamond", "circle", "square", "triangle"]
UNGROUPED = "#999999"


@dataclass
class Point:
    x: float
    y: float
    group: str | None
    colour: str
    shape: str
    mine: bool = False

    @property
    def polygon(self) -> str:
        """The points attribute of a triangle or a diamond around the point (3.5 units across)."""
        r = 3.5
        if self.shape == "triangle":
            corners = [(self.x, self.y - r), (self.x + r, self.y + r), (self.x - r, self.y + r)]
        else:
            corners = [(self.x, self.y - r), (self.x + r, self.y), (self.x, self.y + r), (self.x - r, self.y)]
        return " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)


@dataclass
class Map:
    width: int = WIDTH
    height: int = HEIGHT
    points: list[Point] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    mine: Point | None = None


def build_map(data: dict, labels: dict[str, str], viewer: int | None = None) -> Map:
    """The map of ``data`` (``opinions.opinion_results``); ``labels`` names each group id, ``viewer`` is the
    viewing voter's number, if any."""
    projection = data.get("projection", {})
    drawing = Map()
    if not projection:
        return drawing
    xs = [xy[0] for xy in projection.values()]
    ys = [xy[1] for xy in projection.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    order = {str(g["id"]): i for i, g in enumerate(data.get("groups", []))}

    def place(x: float, y: float) -> tuple[float, float]:
        return (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            # SVG's y grows downwards; the projection's upwards.
            HEIGHT - MARGIN - (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
        )

    sums: dict[str, list[float]] = {}
    for participant, (x, y) in sorted(projection.items()):
        group = data.get("participants", {}).get(participant)
        key = None if group is None else str(group)
        index = order.get(key) if key is not None else None
        px, py = place(x, y)
        point = Point(
            x=px,
            y=py,
            group=labels.get(key) if key is not None else None,
            colour=PALETTE[index % len(PALETTE)] if index is not None else UNGROUPED,
            shape=SHAPES[index % len(SHAPES)] if index is not None else "circle",
            mine=viewer is not None and participant == str(viewer),
        )
        drawing.points.append(point)
        if point.mine:
            drawing.mine = point
        if key is not None:
            total = sums.setdefault(key, [0.0, 0.0, 0])
            total[0], total[1], total[2] = total[0] + px, total[1] + py, total[2] + 1
    for key, (sx, sy, n) in sums.items():
        index = order.get(key, 0)
        drawing.labels.append(
            {"x": sx / n, "y": sy / n, "label": labels.get(key, key), "colour": PALETTE[index % len(PALETTE)]}
        )
    return drawing
