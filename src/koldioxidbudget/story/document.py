"""The document model: what a report says, independent of how it is printed.

``story.report.build_report`` fills a :class:`Document` from the engine's results; the renderers
(``render.html``, ``render.pdf``) read only the fields declared here and compute nothing. Every
string is final reader text in the document's language: numbers are already formatted (Babel,
``story.fmt``), every table cell is a string, every figure carries its caption, its text
alternative and the table of the numbers it shows.

Block types (the contract the renderers implement):

- :class:`Paragraph` — inline :class:`Run` s (plain, strong, emphasis);
- :class:`BulletList` — items, each a paragraph;
- :class:`KeyFigures` — a grid of :class:`KeyFigure` (label, value, note);
- :class:`Table` — caption, header row, body rows of strings, alignment, optional notes;
- :class:`Figure` — a Vega-Lite spec, caption, text alternative and its data :class:`Table`;
- :class:`Callout` — a highlighted box (``note``, ``warning``, ``insight``) with a title;
- :class:`QrCode` — a web address, printed as a link and a QR code (the area's visualiser);
- :class:`Section` — a titled, levelled container of blocks and subsections.

A :class:`Document` adds the cover, the labels the renderers need for their own furniture
(contents, skip link, running header) and metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Block",
    "BulletList",
    "Callout",
    "Cover",
    "Document",
    "Figure",
    "Image",
    "KeyFigure",
    "KeyFigures",
    "Paragraph",
    "QrCode",
    "Run",
    "Section",
    "Table",
]


@dataclass(frozen=True)
class Run:
    """A piece of inline text; ``strong`` and ``emph`` may combine."""

    text: str
    strong: bool = False
    emph: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline runs."""

    runs: tuple[Run, ...]

    @classmethod
    def of(cls, text: str) -> Paragraph:
        """A paragraph of one plain run."""
        return cls((Run(text),))

    @property
    def text(self) -> str:
        """The paragraph as plain text."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class BulletList:
    """An unordered list."""

    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class KeyFigure:
    """One figure people quote: ``label`` above, ``value`` large, ``note`` small below."""

    id: str
    label: str
    value: str
    note: str = ""
    alert: bool = False


@dataclass(frozen=True)
class KeyFigures:
    """A grid of key figures (the summary's tiles)."""

    figures: tuple[KeyFigure, ...]
    caption: str = ""


@dataclass(frozen=True)
class Table:
    """A table whose every cell is final text.

    ``row_header`` marks the first column as the header of its row (``<th scope="row">``);
    ``align`` is ``"left"`` or ``"right"`` per column; ``notes`` print under the table;
    ``marked_rows`` are row indexes shown in italics (estimates).
    """

    id: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[Literal["left", "right"], ...] = ()
    row_header: bool = True
    notes: tuple[str, ...] = ()
    marked_rows: tuple[int, ...] = ()
    compact: bool = False

    def alignment(self) -> tuple[str, ...]:
        """``align`` padded to the column count (text left, the rest right)."""
        n = len(self.header)
        a = tuple(self.align) + ("right",) * n
        return a[:n]


@dataclass(frozen=True)
class Figure:
    """A chart: a self-contained Vega-Lite spec (plain data inline), its caption, a text
    alternative in the document's language and the table of every number it shows.

    ``number`` is the figure's label ("Figur 3"); ``svg`` is filled by the renderer's chart
    step (``render.svg``) and is not part of the document's meaning.
    """

    id: str
    kind: str
    number: str
    caption: str
    alt: str
    spec: dict[str, Any]
    table: Table
    source: str = ""
    wide: bool = False


@dataclass(frozen=True)
class Callout:
    """A highlighted box."""

    kind: Literal["note", "warning", "insight"]
    title: str
    body: tuple[Paragraph | BulletList, ...]


@dataclass(frozen=True)
class QrCode:
    """A web address a reader of the print can follow: the renderers show ``label`` and the
    address as a link beside a QR code of ``url`` (``label`` is also the code's text
    alternative)."""

    url: str
    label: str


Block = Paragraph | BulletList | KeyFigures | Table | Figure | Callout | QrCode


@dataclass(frozen=True)
class Section:
    """A titled part of the document. ``level`` 1 is a chapter (new page in print).

    ``new_page`` starts a section of level 2 or deeper on a new page in print (sector pages).
    ``figure_tables`` marks the appendix where print lists the data table of every figure (the
    HTML shows each table beside its figure and links to them from here).
    """

    id: str
    title: str
    level: int
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    numbered: bool = True
    appendix: bool = False
    figure_tables: bool = False
    new_page: bool = False

    def walk(self) -> Iterator[Section]:
        """This section and every subsection, depth first."""
        yield self
        for s in self.subsections:
            yield from s.walk()


@dataclass(frozen=True)
class Image:
    """A raster image ready to embed (already fitted and compressed)."""

    data: bytes
    mime: Literal["image/jpeg", "image/png"]
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Cover:
    """The cover page."""

    kicker: str
    title: str
    subtitle: str
    area: str
    edition_line: str
    date_line: str
    image: Image | None = None
    logo: Image | None = None
    credit: str = ""
    #: who publishes the report ("Utgiven av Uppsala kommun"), from the customer profile
    publisher: str = ""


@dataclass(frozen=True)
class Document:
    """A whole report.

    ``labels`` hold the words renderers print around the content (``contents``, ``skip``,
    ``page``, ``figure_data``, ``text_alternative``, ``running_header`` …); ``key_figures``
    maps ids (``budget``, ``remaining``, ``rate`` …) to the exact strings shown, so tests can
    find them in the rendered output.
    """

    lang: str
    title: str
    subtitle: str
    area_code: str
    area_slug: str
    area_name: str
    level: str
    budget_from: int
    edition: str
    cover: Cover
    sections: tuple[Section, ...]
    labels: dict[str, str]
    key_figures: dict[str, str]
    author: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def walk(self) -> Iterator[Section]:
        """Every section, depth first."""
        for s in self.sections:
            yield from s.walk()

    def blocks(self) -> Iterator[Block]:
        """Every block in reading order (callout bodies included)."""
        for s in self.walk():
            for b in s.blocks:
                yield b
                if isinstance(b, Callout):
                    yield from b.body

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks() if isinstance(b, Figure)]

    def texts(self) -> Iterator[str]:
        """Every reader-visible string (for the "no empty slot" checks)."""
        c = self.cover
        yield from (c.kicker, c.title, c.subtitle, c.area, c.edition_line, c.date_line, c.credit)
        yield c.publisher
        yield self.title
        yield self.subtitle
        yield from self.labels.values()
        yield from self.key_figures.values()
        for s in self.walk():
            yield s.title
        for b in self.blocks():
            yield from _block_texts(b)


def _block_texts(b: Block) -> Iterator[str]:
    if isinstance(b, Paragraph):
        yield b.text
    elif isinstance(b, BulletList):
        for p in b.items:
            yield p.text
    elif isinstance(b, KeyFigures):
        yield b.caption
        for f in b.figures:
            yield from (f.label, f.value, f.note)
    elif isinstance(b, Table):
        yield b.caption
        yield from b.header
        for row in b.rows:
            yield from row
        yield from b.notes
    elif isinstance(b, Figure):
        yield from (b.number, b.caption, b.alt, b.source)
        yield from _block_texts(b.table)
        desc = b.spec.get("description")
        if isinstance(desc, str):
            yield desc
    elif isinstance(b, QrCode):
        yield from (b.label, b.url)
    elif isinstance(b, Callout):
        yield b.title
