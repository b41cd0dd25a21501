"""A minimal Excel writer for test fixtures (one sheet, inline strings and numbers), and helpers
that turn SMHI's real Länsrapport into other releases: an older one (a year dropped, earlier
years revised) or another gas. Enough for calamine and SMHI's reader; not a general writer."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from python_calamine import CalamineWorkbook

Row = list[object]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _col(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def xlsx_bytes(rows: Sequence[Sequence[object]], sheet: str = "Blad1") -> bytes:
    """The bytes of an .xlsx with ``rows`` on one sheet (str → inline string, number → value)."""
    cols = [_col(j) for j in range(max((len(r) for r in rows), default=0))]
    out = []
    for i, row in enumerate(rows, 1):
        cells = []
        for j, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = f"{cols[j]}{i}"
            if isinstance(v, bool) or not isinstance(v, int | float):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{float(v)!r}</v></c>')
        out.append(f'<row r="{i}">{"".join(cells)}</row>')
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(out)
        + "</sheetData></worksheet>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def read_rows(path: Path) -> tuple[str, list[Row]]:
    with CalamineWorkbook.from_path(str(path)) as wb:
        ws = wb.get_sheet_by_index(0)
        return ws.name, [list(r) for r in ws.to_python(skip_empty_area=False)]


def header_index(rows: list[Row]) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == "Huvudsektor")


def smhi_variant(
    src: Path,
    *,
    release: str | None = None,
    gas_line: str | None = None,
    drop_years: Sequence[int] = (),
    scale: Callable[[str, str, int], float] | None = None,
) -> bytes:
    """SMHI's Länsrapport ``src`` changed: another release date or gas line, ``drop_years``
    removed, and every value multiplied by ``scale(län, kommun, year)`` for municipal rows; county
    and national rows are recomputed from the changes so that every SMHI sum still holds."""
    sheet, rows = read_rows(src)
    h = header_index(rows)
    years = {j: int(v) for j, v in enumerate(rows[h - 1]) if isinstance(v, float)}
    for r in rows[:h]:
        for j, v in enumerate(r):
            if release and isinstance(v, str) and v.startswith("Länsrapport,"):
                r[j] = f"Länsrapport, {release}"
            if gas_line and isinstance(v, str) and v.startswith("Emissioner av"):
                r[j] = gas_line
    if scale is not None:
        _scale(rows[h + 1 :], years, scale)
    keep = [j for j in range(len(rows[h])) if years.get(j) not in set(drop_years)]
    rows = [[r[j] if j < len(r) else "" for j in keep] for r in rows]
    return xlsx_bytes(rows, sheet)


def _scale(body: list[Row], years: dict[int, int], scale: Callable[[str, str, int], float]) -> None:
    """Multiply municipal values by ``scale`` keeping SMHI's sums: a sector row with subsectors
    moves by the sum of its subsectors' changes, a total row by its sectors', and every change is
    added to the same row of the county and of Sweden."""
    by_area: dict[tuple[str, str], list[Row]] = {}
    index: dict[tuple[object, object, object, object], Row] = {}
    for r in body:
        if not r or r[0] == "":
            continue
        index[(r[0], r[1], r[2], r[3])] = r
        if r[2] != "Alla" and r[3] != "Alla":
            by_area.setdefault((str(r[2]), str(r[3])), []).append(r)
    for (lan, kom), rows in by_area.items():
        for j, y in years.items():
            f = scale(lan, kom, y)
            if f == 1.0:
                continue
            d: dict[tuple[object, object], float] = {}
            subs = [r for r in rows if r[0] != "Alla" and r[1] != "Alla"]
            for r in subs:
                d[(r[0], r[1])] = float(r[j]) * (f - 1.0)
            for r in rows:
                if r[0] != "Alla" and r[1] == "Alla":
                    parts = [v for (s, u), v in d.items() if s == r[0]]
                    d[(r[0], "Alla")] = sum(parts) if parts else float(r[j]) * (f - 1.0)
            d[("Alla", "Alla")] = sum(v for (s, u), v in d.items() if u == "Alla" and s != "Alla")
            for (s, u), v in d.items():
                for key in ((s, u, lan, kom), (s, u, lan, "Alla"), (s, u, "Alla", "Alla")):
                    row = index.get(key)
                    if row is not None:
                        row[j] = float(row[j]) + v
