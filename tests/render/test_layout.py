"""The print report's pages: Typst lays it out without a warning, no page but a chapter's last is
left much short of full (a chart or table moved on, a forced break), and a chart that floats to
a later page keeps its order and its chapter: for every area's report, in Swedish and English.

The fill of a page is how far down its text area the lowest ink reaches (the page rendered by
poppler's ``pdftoppm`` at low resolution); the chapters are the PDF's top-level bookmarks.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from koldioxidbudget.files import write_atomic

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
            ["pdftoppm", "-gray", "-r", str(DPI), "r.pdf", "p"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        out = []
        for pgm in sorted(Path(tmp).glob("p-*.pgm")):
            with Image.open(pgm) as im:
                body = im.convert("L").crop((0, int(top), im.width, int(bottom)))
            # the lowest row with ink (a pixel darker than 235 of 255): the foot of the box
            # around the inked pixels
            box = body.point(lambda v: 255 if v < 235 else 0).getbbox()
            out.append(box[3] / body.height if box else 0.0)
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


def _measure(doc: Any, svgs: dict[str, str]) -> dict[str, Any]:
    """Typst's warnings and the laid-out pages of ``doc``: each page's fill, the pages that
    start a chapter at their top, each chapter's first page and each chart caption's page."""
    from koldioxidbudget.render.pdf import compile_pdf

    pdf, warnings = compile_pdf(doc, svgs)
    numbers = [n for ns in _charts_by_chapter(doc) for n in ns]
    return {
        "warnings": warnings,
        "fills": _fills(pdf),
        "chapter_tops": sorted(_chapter_tops(pdf)),
        "chapter_starts": _chapter_starts(pdf),
        "captions": _caption_pages(pdf, numbers),
    }


def _faults(doc: Any, m: dict[str, Any]) -> list[str]:
    """What is wrong with the pages measured in ``m``: a Typst warning, a page within a chapter
    less than MIN_FILL full, a chart out of order or outside its chapter."""
    faults = [f"Typst warns: {w}" for w in m["warnings"]]
    fills = m["fills"]
    holes = {i + 1: round(f, 2) for i, f in _within_chapters(m).items() if f < MIN_FILL}
    if holes:
        faults.append(f"pages less than {MIN_FILL:.0%} full: {holes}")
    # a chart that floats to a later page keeps its order among the charts and stays in its
    # chapter: it may share the page the next chapter starts on (above its heading), no later
    by_chapter = _charts_by_chapter(doc)
    numbers = [n for ns in by_chapter for n in ns]
    pages = m["captions"]
    if sorted(pages) != sorted(numbers):
        return [*faults, f"chart captions not found: {sorted(set(numbers) - set(pages))}"]
    order = [pages[n] for n in numbers]
    if order != sorted(order):
        faults.append(f"charts out of order: {pages}")
    starts = m["chapter_starts"]
    if len(starts) != len(by_chapter):
        return [*faults, f"{len(starts)} chapters bookmarked, {len(by_chapter)} written"]
    for k, ns in enumerate(by_chapter):
        end = starts[k + 1] if k + 1 < len(starts) else len(fills) - 1
        outside = {n: pages[n] + 1 for n in ns if not starts[k] <= pages[n] <= end}
        if outside:
            faults.append(f"charts outside their chapter: {outside}")
    return faults


def _within_chapters(m: dict[str, Any]) -> dict[int, float]:
    """The fill of each page but the cover, the last page and a chapter's last page (the next
    starts a chapter at its top), by page index."""
    fills, tops = m["fills"], set(m["chapter_tops"])
    return {i: f for i, f in enumerate(fills) if 0 < i < len(fills) - 1 and i + 1 not in tops}


def _cache_root() -> Path:
    """Where the measured layouts are kept between test sessions (and clones)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "koldioxidbudget-tests"


@functools.cache
def _layout_salt() -> bytes:
    """What decides a layout besides the document: the template and the code that compiles it,
    the fonts, Typst's and vl-convert's versions and the charts' SVG post-processing."""
    from importlib.metadata import version

    from koldioxidbudget.render.chartstore import STORE_VERSION
    from koldioxidbudget.render.svg import font_dir

    h = hashlib.sha256()
    for part in (version("typst"), version("vl-convert-python"), STORE_VERSION, str(DPI)):
        h.update(part.encode() + b"\0")
    render = resources.files("koldioxidbudget.render")
    for part in ("typst/report.typ", "pdf.py", "typst_child.py", "svg.py"):
        h.update(render.joinpath(part).read_bytes())
    for font in sorted(Path(font_dir()).glob("*.ttf")):
        h.update(font.name.encode() + font.read_bytes())
    return h.digest()


def _layout_key(doc: Any, specs: dict[str, str]) -> str:
    """A digest of everything Typst reads for ``doc`` (its charts by their spec, which decides
    their SVG), so equal keys lay out to equal pages."""
    from koldioxidbudget.render.pdf import document_json

    h = hashlib.sha256(_layout_salt())
    by_id = {fid: hashlib.sha256(spec.encode()).hexdigest() for fid, spec in specs.items()}
    h.update(json.dumps(document_json(doc, by_id), sort_keys=True, ensure_ascii=False).encode())
    for img in (doc.cover.image, doc.cover.logo):
        h.update(img.data if img is not None else b"-")
    return h.hexdigest()


def _laid_out(doc: Any, cache: Path) -> tuple[dict[str, Any], bool]:
    """The measured layout of ``doc`` and whether it was kept from an earlier session: a report
    whose Typst input has not changed since is not compiled again."""
    from koldioxidbudget.render.chartstore import ChartStore
    from koldioxidbudget.render.svg import chart_svg

    specs = {f.id: json.dumps(f.spec, sort_keys=True) for f in doc.figures()}
    path = cache / "layout" / f"{_layout_key(doc, specs)}.json"
    try:
        return json.loads(path.read_text("utf-8")), True
    except (OSError, ValueError):
        pass
    # by their spec and the converter's version (the store's key) and the code that converts them
    svg_code = resources.files("koldioxidbudget.render").joinpath("svg.py").read_bytes()
    store = ChartStore(cache / "charts" / hashlib.sha256(svg_code).hexdigest()[:16])
    svgs = {}
    for fid, spec in specs.items():
        svg = store.get(spec, doc.lang, fid)
        if svg is None:
            svg = chart_svg(json.loads(spec), lang=doc.lang, id_prefix=fid)
            store.put(spec, doc.lang, fid, svg)
        svgs[fid] = svg
    m = _measure(doc, svgs)
    write_atomic(path, json.dumps(m), best_effort=True)
    return m, False


#: the areas whose pages are printed one by one: a large municipality, the smallest ones, a
#: region, a county and Sweden
SHOWN = {"0380", "2403", "2460", "0980", "01", "00"}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_report_is_laid_out_without_warnings_or_holes(
    editions_root: Path, lang: str, record_property: Any
) -> None:
    """Every area's print report, as ``koldioxidbudget report`` makes it: no Typst warning, no
    page within a chapter less than MIN_FILL full, charts in order and in their chapter.

    A report's measured layout is kept under ``$XDG_CACHE_HOME/koldioxidbudget-tests`` by a
    digest of its Typst input, so a session compiles only the reports that changed (the first
    session on a machine compiles all 312, some ten minutes per language)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: 'make browsers' installs it")
    from koldioxidbudget.render import ReportJob, report_document
    from koldioxidbudget.service.scenario import scenario

    job = ReportJob(lang=lang, editions_dir=str(editions_root))
    run = scenario(job.spec).run
    cache = _cache_root()
    bad: dict[str, list[str]] = {}
    pages: dict[str, int] = {}
    lowest: dict[str, float] = {}
    compiled = 0
    for code in run.codes:
        doc = report_document(code, job)
        m, kept = _laid_out(doc, cache)
        compiled += not kept
        pages[code] = len(m["fills"])
        lowest[code] = min(_within_chapters(m).values(), default=1.0)
        if faults := _faults(doc, m):
            bad[code] = faults
        if code in SHOWN:
            print(
                f"\n{code} ({lang}): {pages[code]} pages; every page: "
                + " ".join(f"{i + 1}:{f:.2f}" for i, f in enumerate(m["fills"]))
            )
    worst = sorted(lowest, key=lowest.__getitem__)[:5]
    summary = (
        f"{len(pages)} reports ({compiled} compiled, {len(pages) - compiled} unchanged since an "
        f"earlier session); pages min {min(pages.values())}, median "
        f"{statistics.median(pages.values()):g}, max {max(pages.values())}; lowest fill of a "
        f"page within a chapter: median {statistics.median(lowest.values()):.2f}, worst "
        + ", ".join(f"{c} {lowest[c]:.2f}" for c in worst)
        + "; "
        + ", ".join(f"{c} {pages[c]} pages ({lowest[c]:.2f})" for c in run.codes if c in SHOWN)
    )
    print(f"\n{lang}: {summary}")
    record_property("summary", summary)  # printed after the results (tests/conftest.py)
    assert len(pages) == 312
    assert not bad, f"{len(bad)} reports ({lang}) laid out badly: {dict(list(bad.items())[:10])}"
