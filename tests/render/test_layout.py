"""The print report's pages: Typst lays it out without a warning, no page but a chapter's last is
left much short of full (a chart or table moved on, a forced break), and a chart that floats to
a later page keeps its order and its chapter, for areas of every kind and size of report, in
Swedish and English.

The fill of a page is how far down its text area the lowest ink reaches (the page rendered by
poppler's ``pdftoppm`` at low resolution); the chapters are the PDF's top-level bookmarks.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

#: (area, language): a large municipality, the smallest ones, a region, a county and Sweden
CASES = [
    ("uppsala", "sv"),
    ("2403", "sv"),
    ("2460", "sv"),
    ("gotland", "sv"),
    ("Stockholms län", "sv"),
    ("Sverige", "sv"),
    ("uppsala", "en"),
]

#: a page that is not a chapter's last is at least this full (a chart that does not fit floats to
#: the next page and the text after it fills this one; a short table, kept whole, moving on
#: leaves the most, about a third)
MIN_FILL = 0.6
#: A4 and the body's margins (render/typst/report.typ), in points
PAGE_HEIGHT = 841.89
TOP_MARGIN = 2.5 / 2.54 * 72
BOTTOM_MARGIN = 2.4 / 2.54 * 72
#: a bookmark this close to the top of the text area starts its page
TOP_SLACK = 60.0
DPI = 30


def _fills(pdf: bytes) -> list[float]:
    """Per page: the fraction of the text area's height down to its lowest ink."""
    from PIL import Image

    scale = DPI / 72
    top, bottom = TOP_MARGIN * scale, (PAGE_HEIGHT - BOTTOM_MARGIN) * scale
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-gray", "-r", str(DPI), "r.pdf", "p"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        out = []
        for png in sorted(Path(tmp).glob("p-*.png")):
            with Image.open(png) as im:
                body = im.convert("L").crop((0, int(top), im.width, int(bottom)))
            # the lowest row with ink: a row's darkest pixel below 235 of 255
            rows = [
                body.crop((0, y, body.width, y + 1)).getextrema()[0] for y in range(body.height)
            ]
            inked = [y for y, v in enumerate(rows) if v < 235]
            out.append((inked[-1] + 1) / body.height if inked else 0.0)
    return out


def _chapter_tops(pdf: bytes) -> set[int]:
    """Indexes of the pages a chapter (a top-level bookmark) starts at the top of."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    tops: set[int] = set()
    for item in reader.outline:
        if isinstance(item, list):
            continue
        top = float(item.top) if item.top is not None else PAGE_HEIGHT
        if top >= PAGE_HEIGHT - TOP_MARGIN - TOP_SLACK:
            tops.add(reader.get_destination_page_number(item))
    return tops


def _chapter_starts(pdf: bytes) -> list[int]:
    """Per chapter (a top-level bookmark), in order: the index of the page it starts on."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def _caption_pages(pdf: bytes, numbers: list[str]) -> dict[str, int]:
    """Per chart number ("Figur 3"): the index of the page its caption ("Figur 3. …") is on."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "r.pdf", "-"], cwd=tmp, check=True, capture_output=True, text=True
        ).stdout
    found: dict[str, int] = {}
    for i, page in enumerate(text.split("\f")):
        for line in page.splitlines():
            for n in numbers:
                if line.startswith(n + ". "):
                    found.setdefault(n, i)
    return found


def _charts_by_chapter(doc: Any) -> list[list[str]]:
    """Per chapter (a top-level section), in order: the numbers of its charts, in order."""
    from koldioxidbudget.story.document import Figure

    def charts(s: Any) -> list[str]:
        own = [b.number for b in s.blocks if isinstance(b, Figure)]
        return own + [n for sub in s.subsections for n in charts(sub)]

    return [charts(s) for s in doc.sections]


@pytest.mark.slow
@pytest.mark.parametrize(("area", "lang"), CASES)
def test_pages_are_laid_out_without_warnings_or_holes(
    editions_root: Path, area: str, lang: str
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: 'make browsers' installs it")
    from koldioxidbudget.render import ReportJob, render_charts, report_document
    from koldioxidbudget.render.pdf import compile_pdf

    doc = report_document(area, ReportJob(lang=lang, editions_dir=str(editions_root)))
    pdf, warnings = compile_pdf(doc, render_charts(doc))
    assert warnings == [], f"Typst warns for {area} ({lang}): {warnings}"

    fills = _fills(pdf)
    chapters = _chapter_tops(pdf)
    # exempt: the cover, the last page, and a chapter's last page (the next starts a chapter)
    checked = {
        i: f for i, f in enumerate(fills) if 0 < i < len(fills) - 1 and i + 1 not in chapters
    }
    print(
        f"\n{area} ({lang}): {len(fills)} pages; fill of pages within chapters: "
        f"min {min(checked.values()):.2f}, median {statistics.median(checked.values()):.2f}; "
        "every page: " + " ".join(f"{i + 1}:{f:.2f}" for i, f in enumerate(fills))
    )
    holes = {i + 1: round(f, 2) for i, f in checked.items() if f < MIN_FILL}
    assert not holes, f"{area} ({lang}): pages less than {MIN_FILL:.0%} full: {holes}"

    # a chart that floats to a later page keeps its order among the charts and stays in its
    # chapter: it may share the page the next chapter starts on (above its heading), no later
    by_chapter = _charts_by_chapter(doc)
    numbers = [n for ns in by_chapter for n in ns]
    assert len(numbers) == len(doc.figures())
    pages = _caption_pages(pdf, numbers)
    assert sorted(pages) == sorted(numbers), f"{area} ({lang}): captions not found"
    order = [pages[n] for n in numbers]
    assert order == sorted(order), f"{area} ({lang}): charts out of order: {pages}"
    starts = _chapter_starts(pdf)
    assert len(starts) == len(by_chapter)
    for k, ns in enumerate(by_chapter):
        end = starts[k + 1] if k + 1 < len(starts) else len(fills) - 1
        outside = {n: pages[n] + 1 for n in ns if not starts[k] <= pages[n] <= end}
        assert not outside, f"{area} ({lang}): charts outside their chapter: {outside}"
