"""Drawing a planned diagram (library/diagram.py) as a PNG, with matplotlib.

Laid out like a sequence diagram: the boxes side by side at the top, grouped by role, a dotted
line down from each, and one arrow a row below them, its data above it and its means under
it, so no label ever crosses another however the flows run. Printed in black and white it
reads the same: greys and line styles only — a dashed arrow carries data that identify the
persons, a dashed box is outside the EEA.

matplotlib is imported here only when a diagram is drawn (`clausier --help` and the interview
never pay for it). Its Agg renderer draws the shapes from their paths, without a Figure or
Artists (they cost time, memory, and cycles holding the pixels until a full collection); the
text is set by its FreeType, a line at a time, in the DejaVu Sans it ships, and laid over them:
matplotlib 3.11 draws text a glyph at a time in Python, some 0.1 ms a character, which made a
DPA's picture cost more than the DPA. A line of text is set once per process, so a batch of
DPAs told apart by their processor sets little more than its name. The same diagram gives the
same bytes: no system font, the few settings that reach the pixels fixed to matplotlib's
defaults whatever the user's matplotlibrc, and the PNG written by Pillow in grey, with no
time, software or other metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from io import BytesIO
from typing import Any

from ..library.diagram import Arrow, Group, PlannedDiagram

DPI = 150
PX = DPI / 2.54  # pixels a centimetre
# The room the picture takes on a landscape or a portrait page, in centimetres: the text
# width (tools/make_templates.py), and below the annex's title; a taller picture is shrunk.
WIDE, NARROW = (24.5, 13.0), (16.0, 19.0)

# Sizes in points, distances in centimetres.
LABEL, DATA, MEANS = 7.0, 6.5, 6.0
LINE = 1.25  # line height, in font sizes
PAD = 0.12  # inside a box, around the text
GUTTER = 0.3  # between two boxes
LABEL_LINES, NOTE_LINES, DATA_LINES = 3, 2, 2
RULE, BAND = 0.45, 0.90  # greys: lifelines, the band behind a group
REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"

# The settings that shape the text, set to matplotlib's own defaults for each line set.
_STYLE_KEYS = ("text.hinting", "text.hinting_factor", "text.kerning_factor")


@dataclass(frozen=True)
class Picture:
    png: bytes
    width: float  # centimetres on the page
    height: float


def picture(diagram: PlannedDiagram) -> Picture:
    """The diagram drawn (its alternative text aside: words that change no pixel)."""
    return _drawn(diagram.groups, diagram.arrows, diagram.legend, diagram.wide)


@lru_cache(maxsize=32)
def _drawn(
    groups: tuple[Group, ...],
    arrows: tuple[Arrow, ...],
    legend: tuple[tuple[str, str], ...],
    wide: bool,
) -> Picture:
    width, room = WIDE if wide else NARROW
    drawing = _Drawing(groups, arrows, legend, width)
    shrink = min(1.0, room / drawing.height)
    return Picture(drawing.png(), width * shrink, drawing.height * shrink)


@contextmanager
def _default_style() -> Iterator[None]:
    """matplotlib's own defaults for the settings that shape the text, whatever the user's
    matplotlibrc (the shapes' paths are too short for any setting to reach them)."""
    import matplotlib as mpl

    with mpl.rc_context({key: mpl.rcParamsDefault[key] for key in _STYLE_KEYS}):
        yield


def warm_up() -> None:
    """Import matplotlib: a batch calls this before forking its workers, which then share it
    instead of each importing it again."""
    import PIL.PngImagePlugin  # noqa: F401


def _face(name: str) -> Any:
    """One of the DejaVu Sans faces matplotlib ships (no system font is ever looked up).
    Never kept here: matplotlib's own cache of open fonts is emptied in a forked worker, which
    would otherwise read through the parent's file offset, shared with the other workers."""
    from pathlib import Path

    import matplotlib as mpl
    from matplotlib.font_manager import get_font

    return get_font(Path(mpl.get_data_path()) / "fonts" / "ttf" / f"{name}.ttf")


@cache
def _advances(face: str, size: float) -> dict[str, float]:
    return {}


def _width(text: str, face: str, size: float) -> float:
    """The width of `text` as set, in centimetres: its characters' hinted advances."""
    advances = _advances(face, size)
    return sum(advances.get(c) or _advance(advances, face, size, c) for c in _known(text, face))


@cache
def _charmap(face: str) -> frozenset[int]:
    return frozenset(_face(face).get_charmap())


def _known(text: str, face: str) -> str:
    """`text` with each character the face lacks (an emoji in a party's name) as « ? »:
    FreeType, asked for a missing glyph, warns and, the first time, may set none at all."""
    known = _charmap(face)
    return "".join(c if ord(c) in known else " " if c.isspace() else "?" for c in text)


def _advance(advances: dict[str, float], face: str, size: float, char: str) -> float:
    from matplotlib.backends.backend_agg import get_hinting_flag

    with _default_style():
        font = _face(face)
        font.set_size(size, DPI)
        glyph = font.load_char(ord(char), flags=get_hinting_flag())
    advances[char] = glyph.horiAdvance / 64 / PX
    return advances[char]


@lru_cache(maxsize=4096)
def _ink(text: str, face: str, size: float) -> tuple[Any, int, int]:
    """A line of text set in black, as a grey-level coverage bitmap (255: ink), with where
    its left edge and its bottom row fall from the pen's start on the baseline, in pixels."""
    import numpy as np

    with _default_style():
        font = _face(face)
        _set(font, _known(text, face), size)
    left = font.get_bitmap_offset()[0] / 64
    # A copy: the font's image is its own, overwritten by the next line it sets.
    return np.array(font.get_image()), round(left), round(font.get_descent() / 64)


def _set(font: Any, text: str, size: float) -> None:
    from matplotlib.backends.backend_agg import get_hinting_flag

    font.clear()
    font.set_size(size, DPI)
    font.set_text(text, 0.0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=True)


@lru_cache(maxsize=4096)
def _wrapped(text: str, width: float, face: str, size: float, lines: int) -> tuple[str, ...]:
    """`text` in lines no wider than `width` cm, at most `lines` of them, the last one ending
    in an ellipsis when the text is longer (the table beside the picture gives it whole).
    Once per process: a batch's documents share most of their words."""
    # At ordinary spaces only: a no-break space (French « : ») holds its words together.
    words = [w for w in re.split(r"[ \t\r\n]+", text) if w]
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        if _width(line, face, size) > width:  # a word too long for a line alone: cut it
            cut = len(line) - 1
            while cut > 1 and _width(line[:cut], face, size) > width:
                cut -= 1
            words.insert(0, line[cut:])
            line = line[:cut]
        while words and _width(f"{line} {words[0]}", face, size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        last = out[-1]
        while last and _width(last + "…", face, size) > width:
            last = last[:-1]
        out[-1] = last.rstrip(" ,;:") + "…"
    return tuple(out)


def _height(size: float, lines: int) -> float:
    return lines * size * LINE / 72 * 2.54


@dataclass(frozen=True)
class _Row:
    """An arrow laid out: where its line runs, and its words above and under it."""

    arrow: Arrow
    y: float  # of the line
    left: float
    right: float
    middle: float  # of the words
    data: tuple[str, ...]
    means: str


@dataclass
class _Text:
    """Lines of text to lay over the shapes, placed in centimetres from the top left."""

    lines: Sequence[str]
    face: str
    size: float
    x: float
    y: float
    align: str = "center"  # or "left" of x
    anchor: str = "top"  # y is the top of the first line, the bottom of the last, or "middle"
    clear: bool = False  # on white: the dotted lines it crosses are interrupted


@dataclass
class _Drawing:
    """The layout, in centimetres from the top left; then the shapes, and the text over them."""

    groups: tuple[Group, ...]
    arrows: tuple[Arrow, ...]
    legend: tuple[tuple[str, str], ...]
    width: float
    texts: list[_Text] = field(default_factory=list)

    def __post_init__(self) -> None:
        boxes = [b for g in self.groups for b in g.boxes]
        self.column = self.width / len(boxes)
        self.x = {b.key: (i + 0.5) * self.column for i, b in enumerate(boxes)}
        inner = self.column - GUTTER - 2 * PAD
        self.labels = {b.key: _wrapped(b.label, inner, REGULAR, LABEL, LABEL_LINES) for b in boxes}
        self.notes = {b.key: _wrapped(b.note, inner, ITALIC, LABEL, NOTE_LINES) for b in boxes}
        self.titles = [
            _wrapped(g.title, len(g.boxes) * self.column - GUTTER, BOLD, LABEL, 2)
            for g in self.groups
        ]
        self.box_top = _height(LABEL, max(len(t) for t in self.titles)) + 0.15
        lines = max(len(self.labels[b.key]) + len(self.notes[b.key]) for b in boxes)
        self.box_bottom = self.box_top + _height(LABEL, lines) + 2 * PAD
        y = self.box_bottom + 0.15
        self.rows = []
        for arrow in self.arrows:
            row = self._row(arrow, y)
            self.rows.append(row)
            y = row.y + (_height(MEANS, 1) + 0.1 if row.means else 0) + 0.15
        self.bottom = y
        self.height = y + (0.5 if self.legend else 0.05)

    def _row(self, arrow: Arrow, top: float) -> _Row:
        """Its words above and under it, as wide as the line or two columns, on the page."""
        xs = [self.x[k] for k in (*arrow.sources, *arrow.recipients)]
        left, right = min(xs), max(xs)
        span = max(right - left, min(2 * self.column, self.width)) - 0.2
        middle = min(max((left + right) / 2, span / 2 + 0.1), self.width - span / 2 - 0.1)
        data = _wrapped(arrow.data, span, REGULAR, DATA, DATA_LINES)
        means = _wrapped(arrow.means, span, ITALIC, MEANS, 1)
        y = top + _height(DATA, len(data)) + 0.1
        return _Row(arrow, y, left, right, middle, data, means[0] if means else "")

    def png(self) -> bytes:
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.transforms import Affine2D
        from PIL import Image

        size = round(self.width * PX), round(self.height * PX)
        self.renderer = RendererAgg(*size, DPI)
        # Centimetres from the top left, to the picture's pixels (from the bottom left).
        self.transform = Affine2D().scale(1, -1).translate(0, self.height).scale(PX)
        self._rectangle(-1, -1, self.width + 2, self.height + 2, fill=1.0)  # the white page
        self._groups()
        self._lifelines()
        for row in self.rows:
            self._arrow(row)
        if self.legend:
            self._legend(self.height - 0.25)
        grey = self._inked(self.renderer.buffer_rgba())
        out = BytesIO()
        Image.fromarray(grey, "L").save(out, format="PNG", dpi=(DPI, DPI), compress_level=1)
        return out.getvalue()

    def _inked(self, rgba: Any) -> Any:
        """The shapes' grey levels (they are greys: red is every channel), with the text laid
        over them in black."""
        import numpy as np

        grey = np.array(np.asarray(rgba)[:, :, 0])
        height, width = grey.shape
        for text in self.texts:
            step = text.size * LINE / 72 * DPI
            ascent = 0.93 * text.size / 72 * DPI  # DejaVu Sans: ascender 1901 of 2048 units
            first = {
                "top": text.y * PX + ascent,
                "bottom": text.y * PX - 0.24 * text.size / 72 * DPI - step * (len(text.lines) - 1),
                "middle": text.y * PX + 0.35 * text.size / 72 * DPI,
            }[text.anchor]
            for index, line in enumerate(text.lines):
                ink, left, descent = _ink(line, text.face, text.size)
                rows, columns = ink.shape
                x = round(text.x * PX) + left - (columns // 2 if text.align == "center" else 0)
                bottom = round(first + index * step) + descent
                top = bottom - rows
                # Clipped to the picture.
                y0, y1, x0, x1 = (
                    max(top, 0),
                    min(bottom, height),
                    max(x, 0),
                    min(x + columns, width),
                )
                if y0 >= y1 or x0 >= x1:
                    continue
                cover = ink[y0 - top : y1 - top, x0 - x : x1 - x]
                area = grey[y0:y1, x0:x1]
                if text.clear:
                    area[:] = 255
                area[:] = area.astype(np.uint16) * (255 - cover) // 255
        return grey

    # The shapes, drawn by Agg straight from their paths (no Figure, no Artist: nothing to
    # collect afterwards), placed in centimetres; line widths and dashes in points.

    def _path(
        self,
        points: list[tuple[float, float]],
        closed: bool = False,
        fill: float | None = None,
        line: float = 0.0,
        dashes: tuple[float, ...] | None = None,
        grey: float = 0.0,
    ) -> None:
        from matplotlib.path import Path

        path = Path([*points, points[0]] if closed else points, closed=closed)
        self._draw(path, fill, line, dashes, grey)

    def _draw(
        self, path: Any, fill: float | None, line: float, dashes: tuple[float, ...] | None,
        grey: float = 0.0,
    ) -> None:  # fmt: skip
        context = self.renderer.new_gc()
        context.set_linewidth(line)
        context.set_foreground((grey, grey, grey, 1.0 if line else 0.0), isRGBA=True)
        if dashes:
            context.set_dashes(0, list(dashes))
        self.renderer.draw_path(
            context, path, self.transform, None if fill is None else (fill, fill, fill)
        )
        context.restore()

    def _rectangle(self, x: float, y: float, w: float, h: float, **style: Any) -> None:
        self._path([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], closed=True, **style)

    def _groups(self) -> None:
        start = 0.0
        w = self.column - GUTTER
        for group, title in zip(self.groups, self.titles):
            span = len(group.boxes) * self.column
            self._rectangle(start + GUTTER / 4, 0.02, span - GUTTER / 2, self.box_bottom + 0.06,
                            fill=BAND)  # fmt: skip
            self.texts.append(_Text(title, BOLD, LABEL, start + span / 2, 0.1))
            for box in group.boxes:
                x = self.x[box.key]
                dashes = (3.2, 1.6) if box.outside else None
                self._rectangle(x - w / 2, self.box_top, w, self.box_bottom - self.box_top,
                                fill=1.0, line=0.8, dashes=dashes)  # fmt: skip
                label = self.labels[box.key]
                self.texts.append(_Text(label, REGULAR, LABEL, x, self.box_top + PAD))
                below = self.box_top + PAD + _height(LABEL, len(label))
                self.texts.append(_Text(self.notes[box.key], ITALIC, LABEL, x, below))
            start += span

    def _lifelines(self) -> None:
        for x in self.x.values():
            self._path([(x, self.box_bottom), (x, self.bottom)], line=0.6, dashes=(0.6, 1.2),
                       grey=RULE)  # fmt: skip

    def _arrow(self, row: _Row) -> None:
        arrow, y = row.arrow, row.y
        self._line(row.left, row.right, y, arrow.dashed)
        for source in arrow.sources:
            self._dot(self.x[source], y)
        for recipient in arrow.recipients:
            x = self.x[recipient]
            for direction in sorted({(x > self.x[s]) - (x < self.x[s]) for s in arrow.sources}):
                self._head(x, y, direction)
        self.texts.append(
            _Text(row.data, REGULAR, DATA, row.middle, y - 0.07, anchor="bottom", clear=True)
        )
        if row.means:
            self.texts.append(_Text([row.means], ITALIC, MEANS, row.middle, y + 0.09, clear=True))

    def _line(self, left: float, right: float, y: float, dashed: bool) -> None:
        self._path([(left, y), (right, y)], line=0.9, dashes=(3.6, 2.25) if dashed else None)

    def _dot(self, x: float, y: float) -> None:
        from matplotlib.path import Path

        self._draw(Path.circle((x, y), 0.06), fill=0.0, line=0.0, dashes=None)

    def _head(self, x: float, y: float, direction: int) -> None:
        back = x - direction * 0.22
        self._path([(x, y), (back, y - 0.08), (back, y + 0.08)], closed=True, fill=0.0)

    def _legend(self, y: float) -> None:
        x = 0.2
        for style, words in self.legend:
            if style == "outside":
                self._rectangle(x, y - 0.12, 0.6, 0.24, fill=1.0, line=0.8, dashes=(3.2, 1.6))
            else:
                self._line(x, x + 0.6, y, dashed=style == "dashed")
                self._head(x + 0.6, y, 1)
            self.texts.append(_Text([words], REGULAR, DATA, x + 0.8, y, "left", "middle"))
            x += 1.4 + _width(words, REGULAR, DATA)
