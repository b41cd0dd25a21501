"""Document → accessible HTML (WCAG 2.1 AA) through Jinja2.

Semantic HTML: ``lang``, a skip link, landmarks (``header``, ``nav``, ``main``, ``footer``),
headings in order (the title ``h1``, chapters ``h2``, sections ``h3``), tables with ``caption``
and ``scope``, and every figure as ``<figure>`` with the chart (``role="img"`` and the text
alternative as its label), the text alternative in words, the source, its data table and a
``figcaption``. Print CSS included. ``self_contained=True`` embeds the fonts, so the file works
alone; otherwise the fonts are linked from ``assets/fonts/`` beside it (``write_assets``).
Templates: ``render/templates/`` (``autoescape=True``).
"""

from __future__ import annotations

import base64
import shutil
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..story.document import Document, Section
from .svg import FONT_FILES, font_files

__all__ = ["ASSETS_DIR", "render_html", "section_numbers", "write_assets"]

#: Where linked (not embedded) fonts live, relative to the HTML file.
ASSETS_DIR = "assets/fonts"


@cache
def _env(strict: bool) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("koldioxidbudget.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


@cache
def _css() -> str:
    return (
        resources.files(__package__).joinpath("templates").joinpath("report.css").read_text("utf-8")
    )


@cache
def _font_data_urls() -> tuple[tuple[str, int, str], ...]:
    out = []
    for key, path in font_files().items():
        _, weight, style = FONT_FILES[key]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        out.append((f"data:font/ttf;base64,{data}", weight, style))
    return tuple(out)


def _fonts(self_contained: bool) -> list[dict[str, Any]]:
    if self_contained:
        return [{"url": u, "weight": w, "style": s} for u, w, s in _font_data_urls()]
    return [
        {"url": f"{ASSETS_DIR}/{name}", "weight": w, "style": s}
        for name, w, s in FONT_FILES.values()
    ]


def write_assets(out_dir: Path) -> None:
    """Copy the font files the linked HTML needs into ``out_dir/assets/fonts`` (idempotent)."""
    dest = out_dir / ASSETS_DIR
    dest.mkdir(parents=True, exist_ok=True)
    for path in font_files().values():
        target = dest / path.name
        if not target.is_file() or target.stat().st_size != path.stat().st_size:
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(path, tmp)
            tmp.replace(target)


def section_numbers(doc: Document) -> dict[str, str]:
    """Chapter and section numbers as printed: "1", "1.2"; appendices "A", "A.1"."""
    out: dict[str, str] = {}
    n = a = 0

    def sub(s: Section, prefix: str) -> None:
        for i, x in enumerate(s.subsections, 1):
            out[x.id] = f"{prefix}.{i}" if x.numbered else ""
            sub(x, out[x.id] or prefix)

    for s in doc.sections:
        if not s.numbered:
            out[s.id] = ""
        elif s.appendix:
            a += 1
            out[s.id] = chr(ord("A") + a - 1)
        else:
            n += 1
            out[s.id] = str(n)
        sub(s, out[s.id])
    return out


def _qr_codes(doc: Document) -> dict[str, str]:
    """The QR code (SVG, hidden from assistive technology: the link beside it says it) of each
    address a :class:`QrCode` block names."""
    from ..story.document import QrCode
    from .qr import qr_svg

    return {
        b.url: qr_svg(b.url).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        for b in doc.blocks()
        if isinstance(b, QrCode)
    }


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(
    doc: Document, svgs: dict[str, str], *, self_contained: bool = False, strict: bool = False
) -> str:
    """The HTML page of ``doc``; ``svgs`` maps figure ids to their SVG (``render.svg``)."""
    images = {}
    if doc.cover.image is not None:
        images["cover"] = _data_url(doc.cover.image.mime, doc.cover.image.data)
    if doc.cover.logo is not None:
        images["logo"] = _data_url(doc.cover.logo.mime, doc.cover.logo.data)
    hidden = {
        k: v.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        for k, v in svgs.items()
    }
    html: str = (
        _env(strict)
        .get_template("report.html")
        .render(
            doc=doc,
            svgs=hidden,
            numbers=section_numbers(doc),
            fonts=_fonts(self_contained),
            css=_css(),
            images=images,
            qrs=_qr_codes(doc),
        )
    )
    return html
