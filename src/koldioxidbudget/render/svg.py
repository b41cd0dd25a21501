"""Chart specs → SVG through vl-convert (offline), with the report's one font family.

The fonts are the static Source Sans 3 faces of ``koldioxidbudget.fonts``; Typst (``font_paths``)
and the HTML (``@font-face``) read them as they are. vl-convert gets copies that carry a second
family name, ``fonts.MEASURE_FAMILY`` (``fonts.measure_font_dir``, registered once per process
with ``vl_convert.register_font_directory``), and the spec with that name, which it can measure
text with (it cannot with "Source Sans 3", see ``koldioxidbudget.fonts``); the SVG names the
family as CSS does, ``fonts.CSS_FAMILY``. SVG ids are prefixed per figure so several charts can
live inline in one HTML page without clashing clip paths.

The converter is one JavaScript runtime per process behind a lock (vl-convert converts one chart
at a time), and starting it costs about a second of CPU. ``warm_converter`` starts it in a
background thread, so a command that will convert charts pays for it while it computes the
budgets and builds the document on the other core (the conversion releases the GIL).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any

from ..fonts import (
    CSS_FAMILY,
    FAMILY,
    FONT_FILES,
    MEASURE_FAMILY,
    font_dir,
    font_files,
    measure_font_dir,
)

__all__ = ["FONT_FILES", "chart_svg", "font_dir", "font_files", "warm_converter"]

log = logging.getLogger(__name__)

_LOCALES = {"sv": "sv-SE", "en": "en-GB"}
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'href="#([^"]+)"')
#: the family in a spec (as CSS names it, or bare) and in vl-convert's SVG
_SPEC_FAMILIES = (json.dumps(CSS_FAMILY), json.dumps(FAMILY))
_SVG_FAMILY = re.compile(rf"""font-family=(["']){MEASURE_FAMILY}\1""")


def _measurable(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with the family under the name vl-convert can measure text with."""
    raw = json.dumps(spec)
    for name in _SPEC_FAMILIES:
        raw = raw.replace(name, json.dumps(MEASURE_FAMILY))
    result: dict[str, Any] = json.loads(raw)
    return result


_REGISTER_LOCK = threading.Lock()
_registered: list[bool] = []


def _register() -> None:
    """Register the fonts with the converter, once per process (safe from any thread)."""
    if _registered:
        return
    with _REGISTER_LOCK:
        if not _registered:
            import vl_convert

            vl_convert.register_font_directory(str(measure_font_dir()))
            _registered.append(True)


#: a chart with text, so the warm-up also loads the fonts and measures a label
_WARM_SPEC: dict[str, Any] = {
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
    "config": {"font": MEASURE_FAMILY},
}
_WARM_LOCK = threading.Lock()
_warm_thread: list[threading.Thread] = []


def _warm() -> None:
    try:
        import vl_convert

        _register()
        vl_convert.vegalite_to_svg(_WARM_SPEC)
    except Exception:  # only a head start: the first real conversion raises what is wrong
        log.debug("could not warm the chart converter", exc_info=True)


def warm_converter() -> threading.Thread:
    """Start the converter in a daemon thread (once per process) and return that thread; the
    first ``chart_svg`` then finds it running, or waits for it on the converter's own lock."""
    with _WARM_LOCK:
        if not _warm_thread:
            t = threading.Thread(target=_warm, name="vl-convert-warm", daemon=True)
            t.start()
            _warm_thread.append(t)
        return _warm_thread[0]


def chart_svg(spec: dict[str, Any], *, lang: str, id_prefix: str) -> str:
    """The SVG of a Vega-Lite ``spec``; every id gets ``id_prefix``."""
    import vl_convert

    _register()
    locale: Any = _LOCALES.get(lang, "sv-SE")
    svg: str = vl_convert.vegalite_to_svg(_measurable(spec), format_locale=locale)
    svg = _SVG_FAMILY.sub(f"font-family=\"'{FAMILY}'\"", svg)
    svg = _ID.sub(lambda m: f'id="{id_prefix}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{id_prefix}-{m.group(1)})", svg)
    return _HREF.sub(lambda m: f'href="#{id_prefix}-{m.group(1)}"', svg)
