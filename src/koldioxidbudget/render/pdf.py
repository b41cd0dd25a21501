"""Document → print PDF (PDF/UA-1) through Typst.

The template ``render/typst/report.typ`` reads the document as JSON (``data.json`` in a private
temporary folder, with the cover image and logo beside it) and lays it out; nothing is turned
into Typst markup, so no text from a profile can inject any. Typst refuses a figure without alt
text under ``pdf_standards="ua-1"``. Each report is laid out by Typst in a process of its own
(``typst_child``: it starts in about 30 ms), so a report's pages never depend on the reports a
process laid out before.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import subprocess
import sys
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..story.document import (
    Block,
    BulletList,
    Callout,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    QrCode,
    Section,
    Table,
)
from .qr import qr_svg
from .svg import font_dir

__all__ = ["compile_pdf", "document_json", "render_pdf"]

_log = logging.getLogger(__name__)


@cache
def _template() -> bytes:
    return resources.files(__package__).joinpath("typst").joinpath("report.typ").read_bytes()


def _runs(p: Paragraph) -> list[dict[str, Any]]:
    return [{"text": r.text, "strong": r.strong, "emph": r.emph} for r in p.runs]


def _table(t: Table) -> dict[str, Any]:
    return {
        "type": "table",
        "id": t.id,
        "caption": t.caption,
        "header": list(t.header),
        "rows": [list(r) for r in t.rows],
        "align": list(t.alignment()),
        "row_header": t.row_header,
        "notes": list(t.notes),
        "marked_rows": list(t.marked_rows),
        "compact": t.compact,
    }


def _block(b: Block, svgs: dict[str, str]) -> dict[str, Any]:
    if isinstance(b, Paragraph):
        return {"type": "p", "runs": _runs(b)}
    if isinstance(b, BulletList):
        return {"type": "list", "items": [_runs(p) for p in b.items]}
    if isinstance(b, KeyFigures):
        return {
            "type": "keyfigures",
            "caption": b.caption,
            "figures": [
                {"label": f.label, "value": f.value, "note": f.note, "alert": f.alert}
                for f in b.figures
            ],
        }
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Figure):
        return {
            "type": "figure",
            "id": b.id,
            "number": b.number,
            "caption": b.caption,
            "alt": b.alt,
            "svg": svgs[b.id],
            "source": b.source,
            "wide": b.wide,
            "table": _table(b.table),
        }
    if isinstance(b, QrCode):
        return {"type": "qr", "url": b.url, "label": b.label, "svg": qr_svg(b.url)}
    if isinstance(b, Callout):
        return {
            "type": "callout",
            "kind": b.kind,
            "title": b.title,
            "body": [_block(x, svgs) for x in b.body],
        }
    raise TypeError(f"unknown block {type(b).__name__}")


def _section(s: Section, svgs: dict[str, str]) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "level": s.level,
        "numbered": s.numbered,
        "appendix": s.appendix,
        "figure_tables": s.figure_tables,
        "new_page": s.new_page,
        "blocks": [_block(b, svgs) for b in s.blocks],
        "subsections": [_section(x, svgs) for x in s.subsections],
    }


def document_json(doc: Document, svgs: dict[str, str]) -> dict[str, Any]:
    """The document as the Typst template reads it (images named, not embedded)."""
    c = doc.cover
    first_appendix = next((s.id for s in doc.sections if s.appendix), "")
    return {
        "lang": doc.lang,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "author": doc.author,
        "keywords": list(doc.keywords),
        "labels": doc.labels,
        "first_appendix": first_appendix,
        "cover": {
            "kicker": c.kicker,
            "title": c.title,
            "subtitle": c.subtitle,
            "area": c.area,
            "edition_line": c.edition_line,
            "date_line": c.date_line,
            "publisher": c.publisher,
            "credit": c.credit,
            "image": ("cover" + _ext(c.image.mime)) if c.image else None,
            "image_alt": c.image.alt if c.image else "",
            "logo": ("logo" + _ext(c.logo.mime)) if c.logo else None,
            "logo_alt": c.logo.alt if c.logo else "",
        },
        "sections": [_section(s, svgs) for s in doc.sections],
        "figures": [
            {"number": f.number, "caption": f.caption, "table": _table(f.table)}
            for f in doc.figures()
        ],
    }


def _ext(mime: str) -> str:
    return ".png" if mime == "image/png" else ".jpg"


def creation_time() -> _dt.datetime:
    """The creation date a report's PDF states: the day it is made (midnight UTC, so reports
    made on one day are byte for byte the same), or ``$SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention, for a fixed date)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
    today = _dt.datetime.now(_dt.UTC).date()
    return _dt.datetime(today.year, today.month, today.day, tzinfo=_dt.UTC)


def compile_pdf(
    doc: Document, svgs: dict[str, str], *, timestamp: _dt.datetime | None = None
) -> tuple[bytes, list[str]]:
    """The PDF/UA-1 bytes of ``doc`` and Typst's warnings (none when all is well: a warning
    such as "layout did not converge" means the pages may not be what the template meant).

    Typst runs in a new process (``typst_child``), so the pages do not depend on what this
    process laid out before."""
    data = document_json(doc, svgs)
    ts = timestamp or creation_time()
    with tempfile.TemporaryDirectory(prefix="koldioxidbudget-typst-") as tmp:
        root = Path(tmp)
        if doc.cover.image is not None:
            (root / data["cover"]["image"]).write_bytes(doc.cover.image.data)
        if doc.cover.logo is not None:
            (root / data["cover"]["logo"]).write_bytes(doc.cover.logo.data)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        out = root / "report.pdf"
        request = {
            "root": str(root),
            "template": str(root / "report.typ"),
            "fonts": str(font_dir()),
            "timestamp": ts.isoformat(),
            "out": str(out),
        }
        (root / "report.typ").write_bytes(_template())
        (root / "request.json").write_text(json.dumps(request), "utf-8")
        child = Path(__file__).with_name("typst_child.py")
        proc = subprocess.run(
            [sys.executable, str(child), str(root / "request.json")],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"typst: {proc.stderr.strip() or proc.returncode}")
        result = json.loads((root / "report.pdf.json").read_text("utf-8"))
        if result["fixed_floats"]:
            _log.info("typst: the charts' places did not settle; fixed them")
        return out.read_bytes(), list(result["warnings"])


def render_pdf(
    doc: Document, svgs: dict[str, str], *, timestamp: _dt.datetime | None = None
) -> bytes:
    """The PDF/UA-1 bytes of ``doc``; ``svgs`` maps figure ids to their SVG. Typst's warnings
    are logged (:func:`compile_pdf` returns them).

    ``timestamp`` fixes the PDF's creation date (default: see :func:`creation_time`).
    """
    pdf, warnings = compile_pdf(doc, svgs, timestamp=timestamp)
    for w in warnings:
        _log.warning("typst: %s", w)
    return pdf
