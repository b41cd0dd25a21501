"""SMHI Nationella emissionsdatabasen (RUS): emissions per sector of every municipality, county and
Sweden, in tonnes per year.

Formats read (see ``PROVENANCE.md`` §1 of the source folder):

* the raw Excel "Länsrapport" SMHI serves at
  ``https://nationellaemissionsdatabasen.smhi.se/api/getexcelfile/?county=0&municipality=0&sub=CO2``
  (:func:`read_smhi_excel`): metadata rows ("Rapportnamn:", "Länsrapport, <date>",
  "Emissioner av <gas>", "Enhet: ton/år"), a row of years, then the header ``Huvudsektor,
  Undersektor, Län, Kommun`` and one column per year; "Alla" marks SMHI's own aggregates;
* the tidy CSVs derived from SMHI exports (:func:`read_smhi_co2_csv`, :func:`read_smhi_ghg_csvs`,
  :func:`read_smhi_ghg_all_levels_csv`).

Every reader turns its file into the same cell records (one row per published number, with file,
row and column) and hands them to one assembly step that runs every check and splits SMHI's
sector rows (``emissions``), subsector rows (``subsectors``) and "Alla" totals (``totals``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from ..errors import SourceError
from ..schema import COLUMNS, GAS_CO2, GAS_CO2E, NATIONAL_CODE, SECTOR_NAMES_SV, SECTORS
from ._common import (
    LEVEL_NAMES,
    ExcelError,
    check_area_codes,
    check_area_names,
    check_header,
    check_known,
    check_not_empty,
    check_not_negative,
    check_unique,
    check_workbook,
    error_at,
    is_year,
    map_values,
    parse_numbers,
    read_csv_table,
    tolerance,
)

#: no area, sector and year of Sweden emits 10 Gt of CO2 (Sweden as a whole: about 0.05 Gt)
MAX_EMISSIONS_T = 1e10

__all__ = [
    "ALL",
    "SECTOR_IDS",
    "UNIT",
    "SmhiRelease",
    "peek_smhi_excel",
    "read_smhi_co2_csv",
    "read_smhi_excel",
    "read_smhi_ghg_all_levels_csv",
    "read_smhi_ghg_csvs",
    "require_gas",
]

log = logging.getLogger(__name__)

#: SMHI's word for an aggregate (all sectors, all subsectors, all counties, all municipalities).
ALL = "Alla"

#: The only unit SMHI's Länsrapport is read in.
UNIT = "ton/år"

#: SMHI huvudsektor name → sector id, including SMHI's typo "uppärmning".
SECTOR_IDS: dict[str, str] = {name: sid for sid, name in SECTOR_NAMES_SV.items()} | {
    "Egen uppärmning av bostäder och lokaler": "egen-uppvarmning",
}

_SMHI_URL = (
    "https://nationellaemissionsdatabasen.smhi.se/api/getexcelfile/?county=0&municipality=0&sub=CO2"
)
_EXCEL_KEYS = ("Huvudsektor", "Undersektor", "Län", "Kommun")
_RELEASE = re.compile(r"Länsrapport,\s*(\d{4}-\d{2}-\d{2})")
_RECORD_COLUMNS = ("_file", "_row", "_col", "code", "sector", "subsector", "year", "emissions_t")


@dataclass(frozen=True, eq=False)
class SmhiRelease:
    """One SMHI release, read and checked.

    ``emissions`` (``schema.COLUMNS["emissions"]``): main sectors as published, every level.
    ``subsectors`` (``schema.COLUMNS["subsectors"]``): subsectors where published (may be empty).
    ``totals`` (code, year, emissions_t): SMHI's own "Alla" totals (empty when the file has none).
    ``unallocated`` (year, emissions_t): Sweden's total − Σ municipalities ("ofördelat").
    """

    gas: str
    release: str
    unit: str
    emissions: pd.DataFrame
    subsectors: pd.DataFrame
    totals: pd.DataFrame
    unallocated: pd.DataFrame
    source_files: tuple[Path, ...] = field(default_factory=tuple)


def require_gas(release: SmhiRelease, gas: str) -> None:
    """Refuse ``release`` unless it holds ``gas`` (``schema.GAS_CO2`` or ``schema.GAS_CO2E``)."""
    if release.gas == gas:
        return
    file = release.source_files[0] if release.source_files else "SMHI export"
    if gas == GAS_CO2 and release.gas == GAS_CO2E:
        raise SourceError(
            file=file,
            value=release.gas,
            key="smhi_release_is_co2e",
            hint_key="smhi_download_hint",
            release=release.release,
            url=_SMHI_URL,
        )
    raise SourceError(
        file=file,
        value=release.gas,
        key="smhi_release_wrong_gas",
        hint_key="smhi_release_wrong_gas_hint",
        release=release.release,
        got=release.gas,
        gas=gas,
    )


# ---------------------------------------------------------------------------------------------
# the raw Excel Länsrapport


@dataclass(frozen=True)
class _Meta:
    gas: str
    release: str
    unit: str
    sheet: str
    header_row: int  # 0-based index of the "Huvudsektor" row
    first_column: int  # 0-based index of the "Huvudsektor" column


def _excel_column(j: int) -> str:
    """Excel's letter for 0-based column ``j`` (0 → A, 26 → AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _open_sheet(path: Path) -> tuple[str, list[list[object]]]:
    if not path.is_file():
        raise SourceError(
            file=path,
            key="file_not_found",
            hint_key="smhi_file_not_found_hint",
            url=_SMHI_URL,
        )
    error_cells = check_workbook(
        path,
        hint_key="smhi_download_again_hint",
        url=_SMHI_URL,
    )
    try:
        with CalamineWorkbook.from_path(str(path)) as wb:
            ws = wb.get_sheet_by_index(0)
            rows = ws.to_python(skip_empty_area=False)
            # the reader gives Excel's error values (#DIV/0!) as empty cells: put them back
            r0, c0 = ws.start or (0, 0)
            for (row, col), value in error_cells.items():
                i, j = row - 1 - r0, col - 1 - c0
                if 0 <= i < len(rows) and 0 <= j < len(rows[i]):
                    rows[i][j] = ExcelError(value)
            return ws.name, rows
    except CalamineError as e:
        raise SourceError(
            file=path,
            key="not_excel",
            hint_key="smhi_download_again_hint",
            error=str(e),
            url=_SMHI_URL,
        ) from e


def _find_header(rows: list[list[object]], *, file: Path, sheet: str) -> tuple[int, int]:
    """Row and column index of the table's first cell: the first row whose first non-empty cell
    is "Huvudsektor" (SMHI's table starts in column A, but a moved table is found too)."""
    for i, r in enumerate(rows):
        first = next(
            ((j, v) for j, v in enumerate(r) if not (isinstance(v, str) and not v.strip())), None
        )
        if first is not None and str(first[1]).strip() == _EXCEL_KEYS[0]:
            return i, first[0]
    raise SourceError(
        file=file,
        sheet=sheet,
        column="A",
        key="smhi_no_header",
        hint_key="smhi_no_header_hint",
        url=_SMHI_URL,
    )


def _gas_of(text: str) -> str | None:
    t = text.strip()
    if t in ("Koldioxid (CO2)", "Koldioxid", "CO2"):
        return GAS_CO2
    if t.startswith("Växthusgaser totalt") or "GGT" in t:
        return GAS_CO2E
    return None


def _read_meta(rows: list[list[object]], h: int, c: int, *, file: Path, sheet: str) -> _Meta:
    """Release date, gas and unit from the metadata rows above the header."""
    cells = [
        (i, j, str(v).strip())
        for i, r in enumerate(rows[:h])
        for j, v in enumerate(r)
        if isinstance(v, str) and v.strip()
    ]
    release = next((m.group(1) for _, _, t in cells if (m := _RELEASE.search(t))), None)
    if release is None:
        raise SourceError(
            file=file,
            sheet=sheet,
            key="smhi_no_release_line",
            hint_key="smhi_no_release_line_hint",
        )
    gas_cell = next(((i, j, t) for i, j, t in cells if t.startswith("Emissioner av")), None)
    if gas_cell is None:
        raise SourceError(
            file=file,
            sheet=sheet,
            key="smhi_no_gas_line",
            hint_key="smhi_unedited_hint",
        )
    gas_text = gas_cell[2].removeprefix("Emissioner av").strip()
    gas = _gas_of(gas_text)
    if gas is None:
        raise SourceError(
            file=file,
            sheet=sheet,
            row=gas_cell[0] + 1,
            column=_excel_column(gas_cell[1]),
            value=gas_text,
            key="smhi_unknown_gas",
            hint_key="smhi_unknown_gas_hint",
        )
    unit = _check_unit(cells, file=file, sheet=sheet)
    return _Meta(gas=gas, release=release, unit=unit, sheet=sheet, header_row=h, first_column=c)


def _check_unit(cells: list[tuple[int, int, str]], *, file: Path, sheet: str) -> str:
    """The metadata say "Enhet: ton/år"."""
    cell = next(((i, j, t) for i, j, t in cells if t.startswith("Enhet:")), None)
    if cell is None:
        raise SourceError(
            file=file,
            sheet=sheet,
            key="smhi_no_unit_line",
            hint_key="smhi_no_unit_line_hint",
        )
    unit = cell[2].removeprefix("Enhet:").strip()
    if unit != UNIT:
        raise SourceError(
            file=file,
            sheet=sheet,
            row=cell[0] + 1,
            column=_excel_column(cell[1]),
            value=unit,
            key="smhi_unexpected_unit",
            hint_key="smhi_unexpected_unit_hint",
            unit=UNIT,
        )
    return unit


def _excel_table(
    rows: list[list[object]], meta: _Meta, *, file: Path
) -> tuple[pd.DataFrame, list[str]]:
    """The table under the header as a frame indexed by Excel row; the year columns named "1990"…

    ``rows[i]`` is Excel row i + 1; table column j is Excel column ``first_column + j``.
    """
    h, c, sheet = meta.header_row, meta.first_column, meta.sheet
    header = rows[h][c:]
    year_row = rows[h - 1][c:] if h > 0 else []
    body_rows = [r[c:] for r in rows[h + 1 :]]
    width = max([len(header), *(len(r) for r in body_rows)])

    def letter(j: int) -> str:
        return _excel_column(c + j)

    names: list[str] = []
    years: list[str] = []
    unnamed: list[str] = []
    for j in range(width):
        ycell = year_row[j] if j < len(year_row) else ""
        hcell = str(header[j]).strip() if j < len(header) else ""
        if isinstance(ycell, str) and not ycell.strip():
            name = hcell or letter(j)
            if not hcell:
                unnamed.append(name)
        else:
            name = _year_name(ycell, file=file, sheet=sheet, row=h, column=letter(j))
            if name in years:
                raise SourceError(
                    file=file,
                    sheet=sheet,
                    row=h,
                    column=letter(j),
                    value=ycell,
                    key="smhi_year_twice",
                    hint_key="smhi_unedited_hint",
                    year=name,
                )
            years.append(name)
        names.append(name)
    check_header(
        names,
        _EXCEL_KEYS,
        file=file,
        sheet=sheet,
        row=h + 1,
        extra_ok=lambda n: n in years or n in unnamed,
    )
    if not years:
        raise SourceError(
            file=file,
            sheet=sheet,
            row=h,
            key="smhi_no_year_columns",
            hint_key="smhi_unedited_hint",
        )
    body = [r + [""] * (width - len(r)) for r in body_rows]
    frame = pd.DataFrame(body, columns=names, dtype=object)
    frame.index = pd.RangeIndex(h + 2, h + 2 + len(frame))
    frame = frame[~frame.eq("").all(axis=1)]
    for name in unnamed:
        filled = ~frame[name].eq("").to_numpy()
        if filled.any():
            pos = int(filled.argmax())
            raise error_at(
                frame,
                pos,
                file=file,
                sheet=sheet,
                column=name,
                value=frame[name].iat[pos],
                key="column_without_header",
                hint_key="column_without_header_hint",
            )
    for key in _EXCEL_KEYS:
        frame[key] = frame[key].astype(str).str.strip()
    return frame, years


def _year_name(cell: object, *, file: Path, sheet: str, row: int, column: str) -> str:
    text = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell).strip()
    if not is_year(text):
        raise SourceError(
            file=file,
            sheet=sheet,
            row=row,
            column=column,
            value=cell,
            key="smhi_not_a_year",
            hint_key="smhi_not_a_year_hint",
        )
    return text


def _codes_from_names(
    frame: pd.DataFrame, *, areas: pd.DataFrame, file: Path, sheet: str
) -> pd.Series:
    """Area codes from the Län and Kommun names ("Alla"/"Alla" is Sweden, Kommun "Alla" a county)."""
    lan, kom = frame["Län"], frame["Kommun"]
    national = ((lan == ALL) & (kom == ALL)).to_numpy()
    county = (kom == ALL).to_numpy() & ~national
    lan_rows = areas[areas["level"] == "lan"]
    kom_rows = areas[areas["level"] == "kommun"]
    lan_code = dict(zip(lan_rows["name"], lan_rows["code"], strict=True))
    lan_name = dict(zip(lan_rows["code"], lan_rows["name"], strict=True))
    kom_code = {
        f"{lan_name.get(lc, '')}\x1f{n}": c
        for c, n, lc in zip(kom_rows["code"], kom_rows["name"], kom_rows["lan_code"], strict=True)
    }
    codes = pd.Series(NATIONAL_CODE, index=frame.index, dtype=object)
    codes[county] = map_values(lan[county], lan_code)
    muni = ~national & ~county
    codes[muni] = map_values(lan[muni] + "\x1f" + kom[muni], kom_code)
    _check_area_names_known(frame, codes, county, areas=areas, file=file, sheet=sheet)
    return codes.astype(str)


def _check_area_names_known(
    frame: pd.DataFrame,
    codes: pd.Series,
    county: np.ndarray,
    *,
    areas: pd.DataFrame,
    file: Path,
    sheet: str,
) -> None:
    """Every Län name is a county, every (Län, Kommun) pair a municipality of that county."""
    missing = codes.isna().to_numpy()
    if not missing.any():
        return
    pos = int(missing.argmax())
    lan, kom = frame["Län"].iat[pos], frame["Kommun"].iat[pos]
    if county[pos]:
        names = areas.loc[areas["level"] == "lan", "name"]
        raise error_at(
            frame,
            pos,
            file=file,
            sheet=sheet,
            column="Län",
            value=lan,
            key="unknown_county_name",
            valid=list(names),
        )
    names = areas.loc[areas["level"] == "kommun", "name"]
    raise error_at(
        frame,
        pos,
        file=file,
        sheet=sheet,
        column="Kommun",
        value=kom,
        key="unknown_municipality_name",
        hint_key="unknown_municipality_name_hint",
        county=repr(lan),
        valid=list(names),
    )


def _read_lansrapport(path: Path, *, areas: pd.DataFrame) -> tuple[_Meta, pd.DataFrame]:
    sheet, rows = _open_sheet(path)
    h, c = _find_header(rows, file=path, sheet=sheet)
    meta = _read_meta(rows, h, c, file=path, sheet=sheet)
    frame, years = _excel_table(rows, meta, file=path)
    check_not_empty(frame, _EXCEL_KEYS, file=path, sheet=sheet)
    codes = _codes_from_names(frame, areas=areas, file=path, sheet=sheet)
    sectors = _sector_ids(frame, "Huvudsektor", file=path, sheet=sheet)
    subsectors = frame["Undersektor"]
    _check_totals_have_no_subsector(
        frame, sectors, subsectors, column="Undersektor", file=path, sheet=sheet
    )
    _check_duplicates(
        frame.assign(code=codes, sector=sectors, subsector=subsectors),
        ["code", "sector", "subsector"],
        column="Huvudsektor",
        file=path,
        sheet=sheet,
    )
    values = parse_numbers(
        frame, years, file=path, sheet=sheet, allow_empty=True, limit=MAX_EMISSIONS_T
    )
    return meta, _wide_records(path, frame.index, codes, sectors, subsectors, values)


def peek_smhi_excel(path: str | Path) -> tuple[str, str]:
    """The gas (``schema.GAS_CO2``/``GAS_CO2E``) and release date of a Länsrapport, without reading
    its table."""
    path = Path(path)
    sheet, rows = _open_sheet(path)
    h, c = _find_header(rows, file=path, sheet=sheet)
    meta = _read_meta(rows, h, c, file=path, sheet=sheet)
    return meta.gas, meta.release


def read_smhi_excel(path: str | Path, *, areas: pd.DataFrame) -> SmhiRelease:
    """Read SMHI's raw Excel "Länsrapport" (all areas, one gas) and check it.

    The gas comes from the "Emissioner av …" line ("Koldioxid (CO2)" → CO2, "Växthusgaser
    totalt"/GGT → CO2e), the release from "Länsrapport, YYYY-MM-DD", the years from the row above
    the "Huvudsektor" header. Area names are matched to SCB codes through ``areas``. Errors name the
    sheet and the row as Excel shows it. See the module docstring for the checks.
    """
    path = Path(path)
    meta, records = _read_lansrapport(path, areas=areas)
    out = _assemble(
        records,
        areas=areas,
        gas=meta.gas,
        release=meta.release,
        unit=meta.unit,
        files=(path,),
        sheet=meta.sheet,
    )
    log.info(
        "read SMHI Länsrapport %s (%s): %d sector rows, %d subsector rows",
        meta.release,
        meta.gas,
        len(out.emissions),
        len(out.subsectors),
    )
    return out


# ---------------------------------------------------------------------------------------------
# the tidy CSVs


@dataclass(frozen=True)
class _Layout:
    """How one tidy CSV layout names things (declarative: column → field).

    ``levels`` maps each level the file holds ("kommun", "lan", "riket") to its code and name
    columns; ``level_column`` (values municipality/county/national) says which applies per row, or
    is None for single-level files. ``values`` is the value column of a long file, None for a wide
    file with one column per year.
    """

    keys: tuple[str, ...]
    levels: dict[str, tuple[str, str]]
    level_column: str | None = None
    values: str | None = "t_co2e"
    sector: str = "sector"
    subsector: str | None = None
    year: str | None = "year"


_BY_LEVEL = {
    "kommun": ("kommunkod", "kommun"),
    "lan": ("lanskod", "lan"),
    "riket": ("lanskod", "lan"),
}
_CO2_WIDE = _Layout(
    keys=("level", "lanskod", "lan", "kommunkod", "kommun", "sector", "subsector"),
    levels=_BY_LEVEL,
    level_column="level",
    values=None,
    subsector="subsector",
    year=None,
)
_GHG_MUNICIPALITY = _Layout(
    keys=("kommunkod", "kommun", "lanskod", "lan", "year", "sector"),
    levels={"kommun": ("kommunkod", "kommun")},
)
_GHG_COUNTY = _Layout(keys=("lanskod", "lan", "year", "sector"), levels={"lan": ("lanskod", "lan")})
_GHG_NATIONAL = _Layout(keys=("code", "name", "year", "sector"), levels={"riket": ("code", "name")})
_GHG_ALL_LEVELS = _Layout(
    keys=("level", "lanskod", "lan", "kommunkod", "kommun", "year", "sector"),
    levels=_BY_LEVEL,
    level_column="level",
)
_GHG_SUBSECTORS = _Layout(
    keys=("level", "code", "name", "year", "sector", "subsector"),
    levels={"lan": ("code", "name"), "riket": ("code", "name")},
    level_column="level",
    subsector="subsector",
)


def _pick(frame: pd.DataFrame, columns: pd.Series) -> pd.Series:
    """Per row, the cell of the column ``columns`` names."""
    out = pd.Series("", index=frame.index, dtype=object)
    for col in columns.unique():
        mask = (columns == col).to_numpy()
        out[mask] = frame.loc[mask, col]
    return out.astype(str)


def _csv_records(path: Path, layout: _Layout, *, areas: pd.DataFrame) -> pd.DataFrame:
    """Read one tidy CSV into cell records, checking everything that concerns single rows."""
    header = layout.keys + ((layout.values,) if layout.values else ())
    raw = read_csv_table(path, columns=header, extra_ok=None if layout.values else is_year)
    if layout.level_column:
        words = {w: lv for w, lv in LEVEL_NAMES.items() if lv in layout.levels}
        check_known(raw, layout.level_column, words, what="level", file=path)
        levels = map_values(raw[layout.level_column], words).astype(str)
    else:
        (only,) = layout.levels
        levels = pd.Series(only, index=raw.index, dtype=object)
    code_cols = map_values(levels, {lv: c for lv, (c, _) in layout.levels.items()})
    name_cols = map_values(levels, {lv: n for lv, (_, n) in layout.levels.items()})
    codes = _pick(raw, code_cols)
    check_area_codes(raw, codes, levels, areas=areas, code_column=code_cols, file=path)
    check_area_names(
        raw, codes, _pick(raw, name_cols), areas=areas, name_column=name_cols, file=path
    )
    check_not_empty(raw, [layout.sector], file=path)
    sectors = _sector_ids(raw, layout.sector, file=path)
    if layout.subsector:
        check_not_empty(raw, [layout.subsector], file=path)
        subsectors = raw[layout.subsector]
        _check_totals_have_no_subsector(
            raw, sectors, subsectors, column=layout.subsector, file=path
        )
    else:
        subsectors = pd.Series(ALL, index=raw.index, dtype=object)
    if layout.values is None:
        years = [c for c in raw.columns if c not in layout.keys]
        if not years:
            raise SourceError(
                file=path,
                row=1,
                key="no_year_columns",
                hint_key="no_year_columns_hint",
                want=", ".join(layout.keys),
            )
        keys = ["code", "sector", "subsector"]
        _check_duplicates(
            raw.assign(code=codes, sector=sectors, subsector=subsectors),
            keys,
            column=layout.sector,
            file=path,
        )
        values = parse_numbers(raw, years, file=path, allow_empty=True, limit=MAX_EMISSIONS_T)
        return _wide_records(path, raw.index, codes, sectors, subsectors, values)
    assert layout.year is not None
    year = parse_numbers(raw, [layout.year], file=path, integer=True)[layout.year]
    _check_duplicates(
        raw.assign(code=codes, year=year, sector=sectors, subsector=subsectors),
        ["code", "year", "sector", "subsector"],
        column=layout.sector,
        file=path,
    )
    values = parse_numbers(
        raw, [layout.values], file=path, allow_empty=True, limit=MAX_EMISSIONS_T
    )[layout.values]
    return _records(
        path,
        rows=raw.index.to_numpy(),
        columns=layout.values,
        codes=_category(codes),
        sectors=_category(sectors),
        subsectors=_category(subsectors),
        years=year.to_numpy(),
        values=values.to_numpy(),
    )


def read_smhi_co2_csv(
    path: str | Path, *, areas: pd.DataFrame, release: str = "2024-04-18"
) -> SmhiRelease:
    """Read the tidy wide CO2 CSV (``co2_by_sector_subsector_all_levels_vintage2024.csv``).

    Columns ``level, lanskod, lan, kommunkod, kommun, sector, subsector`` and one column per year;
    it is SMHI's Länsrapport of ``release`` reshaped, so it carries SMHI's "Alla" totals and
    subsectors and is checked like the Excel file.
    """
    path = Path(path)
    records = _csv_records(path, _CO2_WIDE, areas=areas)
    return _assemble(records, areas=areas, gas=GAS_CO2, release=release, unit=UNIT, files=(path,))


def read_smhi_ghg_csvs(
    municipality_csv: str | Path,
    county_csv: str | Path,
    national_csv: str | Path,
    *,
    areas: pd.DataFrame,
    release: str = "2026",
) -> SmhiRelease:
    """Read the three long CO2e files ``ghg_by_sector_{municipality,county,national}.csv``.

    One row per (area, year, sector), value column ``t_co2e``; no SMHI totals and no subsectors,
    so the sector-total check is skipped and the cross-level checks do the work.
    """
    files = (Path(municipality_csv), Path(county_csv), Path(national_csv))
    records = pd.concat(
        [
            _csv_records(f, layout, areas=areas)
            for f, layout in zip(
                files, (_GHG_MUNICIPALITY, _GHG_COUNTY, _GHG_NATIONAL), strict=True
            )
        ],
        ignore_index=True,
    )
    return _assemble(records, areas=areas, gas=GAS_CO2E, release=release, unit=UNIT, files=files)


def read_smhi_ghg_all_levels_csv(
    path: str | Path,
    *,
    areas: pd.DataFrame,
    subsector_csv: str | Path | None = None,
    release: str = "2025",
) -> SmhiRelease:
    """Read ``ghg_by_sector_all_levels_vintage2025.csv`` (CO2e, every level, long), and optionally
    the same vintage's county and national subsectors (``ghg_by_subsector_county_national_*.csv``,
    columns ``level, code, name, year, sector, subsector, t_co2e``), checked against the sectors."""
    files: tuple[Path, ...] = (Path(path),)
    parts = [_csv_records(files[0], _GHG_ALL_LEVELS, areas=areas)]
    if subsector_csv is not None:
        files += (Path(subsector_csv),)
        parts.append(_csv_records(files[1], _GHG_SUBSECTORS, areas=areas))
    records = pd.concat(parts, ignore_index=True)
    return _assemble(records, areas=areas, gas=GAS_CO2E, release=release, unit=UNIT, files=files)


# ---------------------------------------------------------------------------------------------
# shared: records, checks, assembly


def _wide_records(
    path: Path,
    rows: pd.Index,
    codes: pd.Series,
    sectors: pd.Series,
    subsectors: pd.Series,
    values: pd.DataFrame,
) -> pd.DataFrame:
    """One record per cell of a wide table (rows × year columns)."""
    n, k = values.shape
    return _records(
        path,
        rows=np.repeat(rows.to_numpy(), k),
        columns=_category(pd.Series(values.columns), tile=n),
        codes=_category(codes, repeat=k),
        sectors=_category(sectors, repeat=k),
        subsectors=_category(subsectors, repeat=k),
        years=np.tile(np.asarray([int(c) for c in values.columns], dtype="int64"), n),
        values=values.to_numpy().ravel(),
    )


def _category(values: pd.Series, *, repeat: int = 1, tile: int = 1) -> pd.Categorical:
    """``values`` as a categorical, each value repeated ``repeat`` times, the whole ``tile`` times."""
    codes, uniques = pd.factorize(values)
    return pd.Categorical.from_codes(np.tile(np.repeat(codes, repeat), tile), categories=uniques)


def _records(
    path: Path,
    *,
    rows: np.ndarray,
    columns: pd.Categorical | str,
    codes: pd.Categorical,
    sectors: pd.Categorical,
    subsectors: pd.Categorical,
    years: np.ndarray,
    values: np.ndarray,
) -> pd.DataFrame:
    """The cell records every reader produces (columns ``_RECORD_COLUMNS``)."""
    return pd.DataFrame(
        {
            "_file": pd.Categorical.from_codes(np.zeros(len(rows), dtype="int8"), [str(path)]),
            "_row": rows,
            "_col": columns,
            "code": codes,
            "sector": sectors,
            "subsector": subsectors,
            "year": years,
            "emissions_t": values,
        },
        columns=list(_RECORD_COLUMNS),
    )


def _sector_ids(
    frame: pd.DataFrame, column: str, *, file: Path, sheet: str | None = None
) -> pd.Series:
    """Sector ids from SMHI's huvudsektor names ("Alla" stays "Alla"); unknown names refused."""
    _check_sector_names(frame, column, file=file, sheet=sheet)
    return map_values(frame[column], SECTOR_IDS | {ALL: ALL}).astype(str)


def _check_sector_names(
    frame: pd.DataFrame, column: str, *, file: Path, sheet: str | None = None
) -> None:
    """Every huvudsektor is one of SMHI's nine sectors or "Alla"."""
    known = frame[column].isin([*SECTOR_IDS, ALL]).to_numpy()
    if known.all():
        return
    pos = int((~known).argmax())
    value = frame[column].iat[pos]
    raise error_at(
        frame,
        pos,
        file=file,
        sheet=sheet,
        column=column,
        value=value,
        key="smhi_unknown_sector",
        hint_key="smhi_unknown_sector_hint",
        valid=[*SECTOR_NAMES_SV.values(), ALL],
    )


def _check_totals_have_no_subsector(
    frame: pd.DataFrame,
    sectors: pd.Series,
    subsectors: pd.Series,
    *,
    column: str,
    file: Path,
    sheet: str | None = None,
) -> None:
    """A huvudsektor "Alla" row (SMHI's total) has undersektor "Alla"."""
    bad = ((sectors == ALL) & (subsectors != ALL)).to_numpy()
    if bad.any():
        pos = int(bad.argmax())
        raise error_at(
            frame,
            pos,
            file=file,
            sheet=sheet,
            column=column,
            value=subsectors.iat[pos],
            key="total_row_with_subsector",
            hint_key="total_row_with_subsector_hint",
            all=repr(ALL),
        )


def _check_duplicates(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    column: str,
    file: Path,
    sheet: str | None = None,
) -> None:
    """No (area, [year,] sector, subsector) appears twice."""
    check_unique(frame, keys, what="area_sector_row", file=file, sheet=sheet, column=column)


def _check_empty_cells(rec: pd.DataFrame, *, sheet: str | None) -> pd.DataFrame:
    """Empty cells are refused, except a year empty in the whole file, which is dropped."""
    empty = rec["emissions_t"].isna()
    if not empty.any():
        return rec
    whole = empty.groupby([rec["_file"], rec["year"]], observed=True).transform("all")
    for file, year in rec.loc[whole, ["_file", "year"]].drop_duplicates().itertuples(index=False):
        log.warning("year %d has no values in %s; it is left out", year, Path(file).name)
    rest = rec[~whole]
    pos = np.flatnonzero(rest["emissions_t"].isna().to_numpy())
    if pos.size:
        raise error_at(
            rest,
            int(pos[0]),
            sheet=sheet,
            key="empty_number_cell",
            hint_key="smhi_empty_number_cell_hint",
        )
    return rest


def _check_complete(
    emissions: pd.DataFrame, *, areas: pd.DataFrame, files: tuple[Path, ...]
) -> None:
    """Every area of ``areas`` has every sector in every year the release covers."""
    codes, years = areas["code"].tolist(), sorted(emissions["year"].unique())
    sectors = sorted(emissions["sector"].unique())
    n_codes = emissions["code"].nunique()
    complete = n_codes == len(codes) and len(emissions) == n_codes * len(years) * len(sectors)
    if complete and emissions["code"].isin(codes).all():
        return
    want = pd.MultiIndex.from_product([codes, years, sectors], names=["code", "year", "sector"])
    have = pd.MultiIndex.from_frame(emissions[["code", "year", "sector"]])
    code, missing_year, sector = want.difference(have, sort=False)[0]
    name = areas.set_index("code")["name"][code]
    year = int(missing_year)
    raise SourceError(
        file=files[0] if len(files) == 1 else ", ".join(f.name for f in files),
        value=code,
        key="smhi_missing_emissions",
        hint_key="smhi_missing_emissions_hint",
        name=name,
        code=code,
        sector=sector,
        year=year,
    )


def _check_sectors_sum_to_total(
    emissions: pd.DataFrame, totals: pd.DataFrame, *, sheet: str | None
) -> None:
    """Σ sectors of an area and year equals SMHI's "Alla" total (1e-6 relative or 1 t)."""
    if totals.empty:
        return
    sums = emissions.groupby(["code", "year"], observed=True)["emissions_t"].sum().rename("_sum")
    cmp = totals.join(sums, on=["code", "year"])
    _refuse_mismatch(
        cmp,
        (cmp["emissions_t"] - cmp["_sum"].fillna(0.0)).abs() > tolerance(cmp["emissions_t"]),
        sheet=sheet,
        key="smhi_sectors_vs_total",
    )


def _check_subsectors_sum_to_sector(
    subsectors: pd.DataFrame, emissions: pd.DataFrame, *, sheet: str | None
) -> None:
    """Where subsectors are published, they add up to their sector's row.

    Refused for Sweden. For counties and municipalities SMHI's own export does not always add up
    (the 2024-04-18 CO2 release differs in Avfall and Transporter by up to 0.13 Mt, e.g. Kumla's
    hazardous-waste incineration shows in the subsector but not in the sector row in some years),
    so there a mismatch is logged as a warning and the published numbers are kept.
    """
    if subsectors.empty:
        return
    keys = ["code", "year", "sector"]
    sums = subsectors.groupby(keys, observed=True)["emissions_t"].sum().rename("_sum")
    orphan = ~subsectors.set_index(keys).index.isin(emissions.set_index(keys).index)
    if orphan.any():
        pos = int(orphan.argmax())
        raise error_at(
            subsectors,
            pos,
            sheet=sheet,
            value=subsectors["subsector"].iat[pos],
            key="subsector_without_sector",
            hint_key="subsector_without_sector_hint",
            all=repr(ALL),
        )
    cmp = emissions.join(sums, on=keys, how="inner")
    off = ((cmp["emissions_t"] - cmp["_sum"]).abs() > tolerance(cmp["emissions_t"])).to_numpy()
    national = (cmp["code"] == NATIONAL_CODE).to_numpy()
    _refuse_mismatch(
        cmp,
        pd.Series(off & national, index=cmp.index),
        sheet=sheet,
        key="smhi_subsectors_vs_sector",
    )
    if off.any():
        local = cmp[off]
        worst = int((local["emissions_t"] - local["_sum"]).abs().to_numpy().argmax())
        r = local.iloc[worst]
        log.warning(
            "SMHI's subsectors differ from their sector in %d county or municipal rows "
            "(largest: %s %s %d, subsectors %.1f t, sector %.1f t); they are kept as published "
            "and the sector rows are used",
            len(local),
            r["code"],
            r["sector"],
            int(r["year"]),
            float(r["_sum"]),
            float(r["emissions_t"]),
        )


def _check_municipalities_sum_to_county(
    emissions: pd.DataFrame, *, areas: pd.DataFrame, sheet: str | None
) -> None:
    """Σ municipalities of a county equals the county's row, per sector and year."""
    kommun = areas[areas["level"] == "kommun"].set_index("code")["lan_code"]
    mun = emissions[emissions["code"].isin(kommun.index)]
    sums = (
        mun.assign(code=map_values(mun["code"], kommun.to_dict()))
        .groupby(["code", "year", "sector"], observed=True)["emissions_t"]
        .sum()
        .rename("_sum")
    )
    cty = emissions[emissions["code"].isin(areas.loc[areas["level"] == "lan", "code"])]
    cmp = cty.join(sums, on=["code", "year", "sector"])
    _refuse_mismatch(
        cmp,
        (cmp["emissions_t"] - cmp["_sum"].fillna(0.0)).abs() > tolerance(cmp["emissions_t"]),
        sheet=sheet,
        key="smhi_municipalities_vs_county",
    )


def _check_national_covers_counties(
    emissions: pd.DataFrame, *, areas: pd.DataFrame, sheet: str | None
) -> None:
    """Sweden's row is at least Σ counties (it may exceed it by SMHI's "ofördelat"), per sector and
    year."""
    cty = emissions[emissions["code"].isin(areas.loc[areas["level"] == "lan", "code"])]
    sums = cty.groupby(["year", "sector"], observed=True)["emissions_t"].sum().rename("_sum")
    nat = emissions[emissions["code"] == NATIONAL_CODE].join(sums, on=["year", "sector"])
    _refuse_mismatch(
        nat,
        nat["emissions_t"] < nat["_sum"].fillna(0.0) - tolerance(nat["_sum"].fillna(0.0)),
        sheet=sheet,
        key="smhi_national_below_counties",
    )


def _refuse_mismatch(cmp: pd.DataFrame, bad: pd.Series, *, sheet: str | None, key: str) -> None:
    """Raise for the first ``bad`` row of a comparison (columns emissions_t and _sum).

    ``key`` is its catalogue message; its slots are the row's code, year, sector, ``{total}``
    (the row's number) and ``{sum}``, both as ``Decimal`` to one place.
    """
    flags = bad.to_numpy(dtype=bool)
    if not flags.any():
        return
    pos = int(flags.argmax())
    r = cmp.iloc[pos]
    value = float(r["emissions_t"])
    slots = {
        "code": r["code"],
        "year": int(r["year"]),
        "sector": r["sector"],
        "sum": float(r["_sum"]) if pd.notna(r["_sum"]) else 0.0,
    }
    raise error_at(
        cmp,
        pos,
        sheet=sheet,
        value=value,
        key=key,
        hint_key="smhi_inconsistent_hint",
        **(slots | {"sum": Decimal(f"{slots['sum']:.1f}"), "total": Decimal(f"{value:.1f}")}),
    )


def _assemble(
    records: pd.DataFrame,
    *,
    areas: pd.DataFrame,
    gas: str,
    release: str,
    unit: str,
    files: tuple[Path, ...],
    sheet: str | None = None,
) -> SmhiRelease:
    """Run the checks that span rows, levels and files, then split into the release's tables."""
    rec = _check_empty_cells(records, sheet=sheet)
    check_not_negative(rec, rec["emissions_t"], what="emissions", sheet=sheet)
    is_total = (rec["sector"] == ALL).to_numpy()
    is_sub = ~is_total & (rec["subsector"] != ALL).to_numpy()
    emissions = rec[~is_total & ~is_sub]
    totals = rec[is_total]
    subsectors = rec[is_sub]
    _check_complete(emissions, areas=areas, files=files)
    _check_sectors_sum_to_total(emissions, totals, sheet=sheet)
    _check_subsectors_sum_to_sector(subsectors, emissions, sheet=sheet)
    _check_municipalities_sum_to_county(emissions, areas=areas, sheet=sheet)
    _check_national_covers_counties(emissions, areas=areas, sheet=sheet)

    em = _table(emissions, COLUMNS["emissions"], ["code", "year", "sector"])
    sub = _table(subsectors, COLUMNS["subsectors"], ["code", "year", "sector", "subsector"])
    tot = _table(totals, ("code", "year", "emissions_t"), ["code", "year"])
    return SmhiRelease(
        gas=gas,
        release=release,
        unit=unit,
        emissions=em,
        subsectors=sub,
        totals=tot,
        unallocated=_unallocated(em, areas=areas),
        source_files=files,
    )


def _table(rec: pd.DataFrame, columns: Sequence[str], sort: list[str]) -> pd.DataFrame:
    """``columns`` of ``rec`` with schema dtypes, sorted by ``sort`` (sectors in SMHI's order)."""
    order = {s: i for i, s in enumerate(SECTORS)}
    keys = []
    for c in reversed(sort):  # np.lexsort sorts by the last key first
        col = rec[c]
        if c == "sector":
            keys.append(map_values(col, order).to_numpy(dtype="int64"))
        elif c == "year":
            keys.append(col.to_numpy())
        else:  # rank of each distinct text (categoricals would sort by first appearance)
            codes, uniques = pd.factorize(col)
            rank = np.argsort(np.argsort(np.asarray(uniques, dtype=str), kind="stable"))
            keys.append(rank[codes])
    idx = np.lexsort(keys) if len(rec) else np.arange(0)
    out = rec[list(columns)].iloc[idx].reset_index(drop=True)
    types = {
        "code": str,
        "sector": str,
        "subsector": str,
        "year": "int64",
        "emissions_t": "float64",
    }
    return out.astype({c: t for c, t in types.items() if c in out.columns})


def _unallocated(emissions: pd.DataFrame, *, areas: pd.DataFrame) -> pd.DataFrame:
    """Sweden's total minus Σ municipalities, per year (SMHI's "ofördelat")."""
    kommun = areas.loc[areas["level"] == "kommun", "code"]
    national = emissions[emissions["code"] == NATIONAL_CODE].groupby("year")["emissions_t"].sum()
    mun = emissions[emissions["code"].isin(kommun)].groupby("year")["emissions_t"].sum()
    out = (national - mun.reindex(national.index, fill_value=0.0)).rename("emissions_t")
    return out.reset_index()[["year", "emissions_t"]]
