"""Chart specs → SVG through vl-convert (offline), with the report's one font family.

The fonts are the files of the ``font-source-sans-pro`` package, registered once per process
with ``vl_convert.register_font_directory``; the same files go to Typst (``font_paths``) and to
the HTML (``@font-face``). SVG ids are prefixed per figure so several charts can live inline in
one HTML page without clashing clip paths.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["FONT_FILES", "chart_svg", "font_dir", "font_files"]

#: The faces the report uses: (file name in the package, CSS weight, CSS style).
FONT_FILES: dict[str, tuple[str, int, str]] = {
    "regular": ("SourceSansPro-Regular.ttf", 400, "normal"),
    "italic": ("SourceSansPro-It.ttf", 400, "italic"),
    "semibold": ("SourceSansPro-Semibold.ttf", 600, "normal"),
    "bold": ("SourceSansPro-Bold.ttf", 700, "normal"),
    "bold-italic": ("SourceSansPro-BoldIt.ttf", 700, "italic"),
}

_LOCALES = {"sv": "sv-SE", "en": "en-GB"}
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'href="#([^"]+)"')


def font_dir() -> Path:
    """The folder of the font package's files."""
    import font_source_sans_pro

    return Path(font_source_sans_pro.font_directory)


@cache
def font_files() -> dict[str, Path]:
    """The report's faces as paths (see ``FONT_FILES``)."""
    d = font_dir()
    return {k: d / name for k, (name, _, _) in FONT_FILES.items()}


@cache
def _register() -> None:
    import vl_convert

    vl_convert.register_font_directory(str(font_dir()))


def chart_svg(spec: dict[str, Any], *, lang: str, id_prefix: str) -> str:
    """The SVG of a Vega-Lite ``spec``; every id gets ``id_prefix``."""
    import vl_convert

    _register()
    locale: Any = _LOCALES.get(lang, "sv-SE")
    svg: str = vl_convert.vegalite_to_svg(spec, format_locale=locale)
    svg = _ID.sub(lambda m: f'id="{id_prefix}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{id_prefix}-{m.group(1)})", svg)
    return _HREF.sub(lambda m: f'href="#{id_prefix}-{m.group(1)}"', svg)
