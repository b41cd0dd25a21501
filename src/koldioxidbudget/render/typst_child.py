"""One Typst compile in a process of its own: ``python typst_child.py REQUEST``.

Run by path (``pdf.compile_pdf``), so it imports Typst and the standard library only (about
30 ms). A new process starts with Typst's memoisation empty: within one process, what an
earlier report left in it changes how the charts' places settle across Typst's passes (Sweden's
report came out 44 pages with a 57 % page after its counties, 43 without it), so every report
is laid out from nothing and the same input always gives the same PDF.

``REQUEST`` is a JSON file: ``root`` (the folder with ``data.json`` and the images),
``template`` (the template's file), ``fonts`` (the fonts' folder), ``timestamp`` (ISO 8601, the
PDF's creation date) and ``out`` (where the PDF goes). Beside it, ``out`` + ``.json`` gets
Typst's warnings (``warnings``, a list of strings) and whether the charts' places had to be
fixed (``fixed_floats``). A Typst error is printed to stderr and the exit status is 1.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path
from typing import Any


def _warning_text(w: Any) -> str:
    hints = "; ".join(getattr(w, "hints", None) or [])
    return f"{w.message} ({hints})" if hints else str(w.message)


def compile_request(request: dict[str, Any]) -> None:
    """Lay out and write the report ``request`` describes (see the module's docstring)."""
    import typst

    root = request["root"]
    template = Path(request["template"]).read_bytes()
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[request["fonts"]]
    )
    compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
    kw: dict[str, Any] = {
        "input": template,
        "root": root,
        "pdf_standards": "ua-1",
        "timestamp": _dt.datetime.fromisoformat(request["timestamp"]),
    }
    pdf, found = compiler.compile_with_warnings(**kw)
    fixed = any("converge" in str(w.message) for w in found)
    if fixed:
        # Typst's passes ran out before the charts' places settled (each choice of standing or
        # floating reads the pass before; see report.typ): lay the report out again with the
        # choices of the last pass fixed, which needs no pass to settle them
        floats = typst.query(
            template,
            "<chart-float>",
            field="value",
            root=root,
            font_paths=fonts,
            ignore_system_fonts=True,
        )
        kw["sys_inputs"] = {"chart-floats": ",".join(str(x) for x in json.loads(floats))}
        pdf, found = compiler.compile_with_warnings(**kw)
    out = Path(request["out"])
    out.write_bytes(pdf)
    result = {"warnings": [_warning_text(w) for w in found], "fixed_floats": fixed}
    Path(f"{out}.json").write_text(json.dumps(result), "utf-8")


def main(argv: list[str]) -> int:
    import typst

    try:
        compile_request(json.loads(Path(argv[1]).read_text("utf-8")))
    except typst.TypstError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
