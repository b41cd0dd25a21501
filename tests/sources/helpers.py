"""Tiny source files written by the tests: CSV text and minimal xlsx workbooks.

The xlsx writer is hand-rolled (zipfile + XML, inline strings) so the tests need no Excel
library; python-calamine reads what it writes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

__all__ = [
    "TINY_MUNICIPAL",
    "TINY_UNALLOCATED",
    "TINY_YEARS",
    "co2_csv_text",
    "lansrapport_rows",
    "tiny_areas",
    "write_csv",
    "write_xlsx",
]


def write_csv(path: Path, text: str) -> Path:
    """Write ``text`` (leading newline and common indentation removed) as UTF-8."""
    lines = [line.strip() for line in text.strip("\n").splitlines()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _column(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Koldioxid (CO2)"
) -> Path:
    """A one-sheet workbook with ``rows`` from A1 (None or "" leaves a cell empty)."""
    data = "".join(
        f'<row r="{i + 1}">'
        + "".join(_cell(f"{_column(j)}{i + 1}", v) for j, v in enumerate(r))
        + "</row>"
        for i, r in enumerate(rows)
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{data}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def tiny_areas() -> pd.DataFrame:
    """Three municipalities in two counties, and Sweden (the shape ``read_areas`` returns)."""
    return pd.DataFrame(
        [
            ("0101", "Alfa", "kommun", "01", "Alfa kommun"),
            ("0102", "Beta", "kommun", "01", "Beta kommun"),
            ("0201", "Gamma", "kommun", "02", "Gamma kommun"),
            ("01", "Ettans län", "lan", "01", "Ettans län"),
            ("02", "Tvåans län", "lan", "02", "Tvåans län"),
            ("00", "Sverige", "riket", "00", "Sverige"),
        ],
        columns=["code", "name", "level", "lan_code", "official_name"],
    ).astype(str)


#: Municipal emissions of the tiny Länsrapport: (Län, Kommun) → (sector, subsector) → per year.
#: Transporter has subsectors; Jordbruk is published as a sector only (like Industri at SMHI).
TINY_MUNICIPAL: dict[tuple[str, str], dict[tuple[str, str], tuple[float, float]]] = {
    ("Ettans län", "Alfa"): {
        ("Transporter", "Personbilar"): (6.0, 7.0),
        ("Transporter", "Bussar"): (4.0, 4.0),
        ("Jordbruk", "Alla"): (5.0, 5.0),
    },
    ("Ettans län", "Beta"): {
        ("Transporter", "Personbilar"): (16.0, 15.0),
        ("Transporter", "Bussar"): (4.0, 4.0),
        ("Jordbruk", "Alla"): (1.0, 1.5),
    },
    ("Tvåans län", "Gamma"): {
        ("Transporter", "Personbilar"): (26.0, 25.0),
        ("Transporter", "Bussar"): (4.0, 3.0),
        ("Jordbruk", "Alla"): (2.5, 2.5),
    },
}
#: Sweden's emissions that no municipality gets (SMHI's "ofördelat"), in Transporter/Personbilar.
TINY_UNALLOCATED = (3.0, 2.0)
TINY_YEARS = (2021, 2022)


def _area_rows(lan: str, kom: str, cells: dict[tuple[str, str], list[float]]) -> list[list[object]]:
    """SMHI's rows for one area: total, each sector, each subsector."""
    sectors: dict[str, list[float]] = {}
    for (sector, _sub), vals in cells.items():
        acc = sectors.setdefault(sector, [0.0] * len(vals))
        sectors[sector] = [a + v for a, v in zip(acc, vals, strict=True)]
    total = [sum(v) for v in zip(*sectors.values(), strict=True)]
    rows: list[list[object]] = [["Alla", "Alla", lan, kom, *total]]
    rows += [[s, "Alla", lan, kom, *v] for s, v in sectors.items()]
    rows += [[s, sub, lan, kom, *v] for (s, sub), v in cells.items() if sub != "Alla"]
    return rows


def lansrapport_rows(
    *,
    gas: str = "Koldioxid (CO2)",
    release: str = "2024-04-18",
    unit: str = "ton/år",
) -> list[list[object]]:
    """A consistent tiny Länsrapport of :func:`tiny_areas` (Excel rows 1–6 metadata and header;
    row 7 Sweden's total, rows 7–11 Sweden, 12–16 Ettans län, 17–21 Alfa, 22–26 Beta,
    27–31 Tvåans län, 32–36 Gamma; in each area: total, Transporter, Jordbruk, Personbilar, Bussar).
    """

    def add(*parts: dict[tuple[str, str], tuple[float, ...]]) -> dict[tuple[str, str], list[float]]:
        out: dict[tuple[str, str], list[float]] = {}
        for part in parts:
            for key, vals in part.items():
                acc = out.setdefault(key, [0.0] * len(vals))
                out[key] = [a + v for a, v in zip(acc, vals, strict=True)]
        return out

    m = TINY_MUNICIPAL
    ettan = add(m[("Ettans län", "Alfa")], m[("Ettans län", "Beta")])
    tvaan = add(m[("Tvåans län", "Gamma")])
    sverige = add(ettan, tvaan, {("Transporter", "Personbilar"): TINY_UNALLOCATED})
    rows: list[list[object]] = [
        ["Rapportnamn:", f"Länsrapport, {release}"],
        [f"Emissioner av {gas}"],
        [f"Enhet: {unit}"],
        [],
        ["", "", "", "", *[float(y) for y in TINY_YEARS]],
        ["Huvudsektor", "Undersektor", "Län", "Kommun", *["CO2"] * len(TINY_YEARS)],
    ]
    rows += _area_rows("Alla", "Alla", sverige)
    rows += _area_rows("Ettans län", "Alla", ettan)
    rows += _area_rows("Ettans län", "Alfa", add(m[("Ettans län", "Alfa")]))
    rows += _area_rows("Ettans län", "Beta", add(m[("Ettans län", "Beta")]))
    rows += _area_rows("Tvåans län", "Alla", tvaan)
    rows += _area_rows("Tvåans län", "Gamma", add(m[("Tvåans län", "Gamma")]))
    return rows


def co2_csv_text(rows: list[list[object]]) -> str:
    """The tidy wide CO2 CSV layout of a tiny Länsrapport's table (header at Excel row 6)."""
    areas = tiny_areas().set_index("name")
    out = ["level,lanskod,lan,kommunkod,kommun,sector,subsector," + ",".join(map(str, TINY_YEARS))]
    for r in rows[6:]:
        sector, sub, lan, kom, *vals = r
        if lan == "Alla":
            head = ["national", "00", "Sverige", "", ""]
        elif kom == "Alla":
            head = ["county", areas.loc[lan, "code"], lan, "", ""]
        else:
            head = ["municipality", areas.loc[lan, "code"], lan, areas.loc[kom, "code"], kom]
        out.append(",".join([*head, str(sector), str(sub), *(str(v) for v in vals)]))
    return "\n".join(out) + "\n"
