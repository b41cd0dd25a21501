"""The print PDF: PDF/UA-1, tagged, outline, running header and page numbers, the engine's key
figures in the extracted text, 35–55 pages for a municipality, under 3 MB."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.render.conftest import Rendered


def _reader(pdf: bytes) -> object:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    reader = _reader(pdf)
    text = "\n".join(p.extract_text() or "" for p in reader.pages)  # type: ignore[attr-defined]
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"-\n", "", text)  # hyphenation at line ends
    return re.sub(r"\s+", " ", text)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " "))


def test_pdf_is_pdf_ua_1_tagged_with_title_and_language(uppsala: Rendered) -> None:
    pdf = uppsala.pdf
    assert pdf.startswith(b"%PDF-")
    assert b"pdfuaid:part>1<" in pdf
    assert b"/StructTreeRoot" in pdf
    assert b"/MarkInfo" in pdf
    reader = _reader(pdf)
    meta = reader.metadata  # type: ignore[attr-defined]
    assert meta.title == uppsala.doc.title
    assert b"/Lang (sv)" in pdf or b"<dc:language><rdf:Bag><rdf:li>sv</rdf:li>" in pdf


def test_pdf_has_outline_bookmarks(uppsala: Rendered) -> None:
    reader = _reader(uppsala.pdf)
    outline = reader.outline  # type: ignore[attr-defined]
    titles = []

    def walk(items: list[object]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles.append(str(it.title))  # type: ignore[attr-defined]

    walk(outline)
    chapter_titles = [s.title for s in uppsala.doc.sections]
    for t in chapter_titles:
        assert any(t in x for x in titles), t


def test_pdf_page_count_and_size(uppsala: Rendered) -> None:
    reader = _reader(uppsala.pdf)
    n = len(reader.pages)  # type: ignore[attr-defined]
    assert 35 <= n <= 55, n
    assert len(uppsala.pdf) < 3 * 1024 * 1024


def test_pdf_text_holds_the_engines_key_figures(uppsala: Rendered) -> None:
    text = _text(uppsala.pdf)
    kf = uppsala.doc.key_figures
    for key in ("budget", "remaining", "rate", "rate_15", "delay_rate_1", "years_left"):
        assert _norm(kf[key]) in text, (key, kf[key])
    assert "Uppsala kommun" in text
    assert "Sammanfattning för beslutsfattare" in text


def test_pdf_has_running_header_and_page_numbers(uppsala: Rendered) -> None:
    reader = _reader(uppsala.pdf)
    header = _norm(uppsala.doc.labels["running_header"])
    page10 = _norm(reader.pages[9].extract_text())  # type: ignore[attr-defined]
    assert header in page10
    assert re.search(r"Sida 10\b", page10)


def test_pdf_uses_only_the_report_font(uppsala: Rendered) -> None:
    reader = _reader(uppsala.pdf)
    families: set[str] = set()

    def fonts_of(res: object) -> None:
        res = res.get_object() if hasattr(res, "get_object") else res
        if not res:
            return
        for f in (res.get("/Font") or {}).values():  # type: ignore[union-attr]
            families.add(str(f.get_object()["/BaseFont"]).split("+")[-1])
        for x in (res.get("/XObject") or {}).values():  # type: ignore[union-attr]
            fonts_of(x.get_object().get("/Resources"))

    for page in reader.pages:  # type: ignore[attr-defined]
        fonts_of(page.get("/Resources"))
    assert families, "no fonts found"
    # the faces' PostScript names: SourceSans3-Regular, SourceSans3-It, …
    assert all(f.startswith("SourceSans3") for f in families), families


def test_pdf_english_version(uppsala_en: Rendered) -> None:
    text = _text(uppsala_en.pdf)
    assert "Summary for decision makers" in text
    assert _norm(uppsala_en.doc.key_figures["budget"]) in text
    assert b"<rdf:li>en</rdf:li>" in uppsala_en.pdf


def test_pdf_is_reproducible(uppsala: Rendered) -> None:
    from koldioxidbudget.render.pdf import render_pdf

    assert render_pdf(uppsala.doc, uppsala.svgs) == uppsala.pdf


@pytest.mark.slow
def test_pdf_does_not_depend_on_the_reports_laid_out_before(editions_root: Path) -> None:
    """Sweden's report is the same PDF before and after Norrbottens län's: laid out in one
    process, the county's left Typst's passes settling Sweden's charts elsewhere (44 pages and
    a page 57 % full instead of 43)."""
    from koldioxidbudget.render import ReportJob, render_charts, report_document
    from koldioxidbudget.render.pdf import render_pdf

    job = ReportJob(editions_dir=str(editions_root))
    sweden, county = report_document("00", job), report_document("25", job)
    sweden_svgs = render_charts(sweden)
    first = render_pdf(sweden, sweden_svgs)
    render_pdf(county, render_charts(county))
    assert render_pdf(sweden, sweden_svgs) == first


def test_pdf_creation_date_is_the_day_it_was_made(
    uppsala: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not 1 January of the budget year: the day the report was made, or the fixed date of
    ``SOURCE_DATE_EPOCH`` (reproducible builds)."""
    import datetime as dt

    from koldioxidbudget.render.pdf import render_pdf

    made = _reader(uppsala.pdf).metadata.creation_date  # type: ignore[attr-defined]
    today = dt.datetime.now(dt.UTC).date()
    assert made.date() in (today, today - dt.timedelta(days=1))  # made before a midnight
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    fixed = render_pdf(uppsala.doc, uppsala.svgs)
    assert _reader(fixed).metadata.creation_date == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # type: ignore[attr-defined]


@pytest.mark.parametrize("pattern", [r"\{", r"\bNone\b", "TODO", r"\bnan\b", r"\(\s*\)"])
def test_pdf_has_no_empty_slot(uppsala: Rendered, pattern: str) -> None:
    assert not re.search(pattern, _text(uppsala.pdf))
