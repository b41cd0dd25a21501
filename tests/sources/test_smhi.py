"""SMHI Nationella emissionsdatabasen (sources/smhi.py): the raw Länsrapport and the tidy CSVs."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.schema import COLUMNS, GAS_CO2, GAS_CO2E
from koldioxidbudget.sources import (
    SmhiRelease,
    peek_smhi_excel,
    read_smhi_co2_csv,
    read_smhi_excel,
    read_smhi_ghg_all_levels_csv,
    read_smhi_ghg_csvs,
    require_gas,
)
from koldioxidbudget.sources.smhi import SECTOR_IDS
from tests.sources.helpers import (
    TINY_MUNICIPAL,
    co2_csv_text,
    lansrapport_rows,
    tiny_areas,
    write_xlsx,
)

RAW = "emissions/smhi_rus/raw/smhi_lansrapport_co2_2024-04-18_all_levels_subsectors.xlsx"
SMHI = "emissions/smhi_rus"

# Excel rows of the tiny Länsrapport (see helpers.lansrapport_rows); list index = row - 1
SVERIGE_TOTAL, SVERIGE_TRANSPORT, SVERIGE_PERSONBILAR = 7, 8, 10
ETTAN_TRANSPORT = 13
ALFA_TOTAL, ALFA_TRANSPORT, ALFA_PERSONBILAR = 17, 18, 20
GAMMA_JORDBRUK = 34


def _xlsx(tmp_path: Path, rows: list[list[object]] | None = None) -> Path:
    return write_xlsx(tmp_path / "lansrapport.xlsx", lansrapport_rows() if rows is None else rows)


def _read(tmp_path: Path, rows: list[list[object]]) -> SmhiRelease:
    return read_smhi_excel(_xlsx(tmp_path, rows), areas=tiny_areas())


def _set(rows: list[list[object]], excel_row: int, col: int, value: object) -> list[list[object]]:
    out = copy.deepcopy(rows)
    out[excel_row - 1][col] = value
    return out


def _bump(
    rows: list[list[object]], excel_rows: list[int], col: int, by: float
) -> list[list[object]]:
    out = copy.deepcopy(rows)
    for r in excel_rows:
        out[r - 1][col] = float(out[r - 1][col]) + by  # type: ignore[arg-type]
    return out


# --- real files


@pytest.fixture(scope="module")
def raw_release(sources: Path, areas: pd.DataFrame) -> SmhiRelease:
    return read_smhi_excel(sources / RAW, areas=areas)


def test_read_smhi_excel_real(raw_release: SmhiRelease, areas: pd.DataFrame) -> None:
    r = raw_release
    assert (r.gas, r.release, r.unit) == (GAS_CO2, "2024-04-18", "ton/år")
    assert tuple(r.emissions.columns) == COLUMNS["emissions"]
    assert tuple(r.subsectors.columns) == COLUMNS["subsectors"]
    tot = r.totals.set_index(["code", "year"])["emissions_t"]
    assert tot[("00", 1990)] == pytest.approx(57_880_523.5, abs=1)
    assert tot[("00", 2022)] == pytest.approx(36_028_463.0, abs=1)
    em = r.emissions
    levels = em["code"].map(areas.set_index("code")["level"])
    assert em.loc[levels == "kommun", "code"].nunique() == 290
    assert em.loc[levels == "lan", "code"].nunique() == 21
    mun_2022 = em.loc[(levels == "kommun") & (em["year"] == 2022), "emissions_t"].sum()
    assert mun_2022 == pytest.approx(35.78e6, abs=0.005e6)
    un = r.unallocated.set_index("year")["emissions_t"]
    assert un[2022] == pytest.approx(36_028_463.0 - mun_2022, abs=1)
    assert sorted(em["sector"].unique()) == sorted(set(SECTOR_IDS.values()))
    assert em["year"].dtype == "int64" and em["emissions_t"].dtype == "float64"
    assert r.source_files[0].name.startswith("smhi_lansrapport_co2")


def test_read_smhi_co2_csv_real_equals_excel(
    sources: Path, areas: pd.DataFrame, raw_release: SmhiRelease
) -> None:
    csv = read_smhi_co2_csv(
        sources / SMHI / "co2_by_sector_subsector_all_levels_vintage2024.csv", areas=areas
    )
    assert (csv.gas, csv.release) == (GAS_CO2, "2024-04-18")
    for name in ("emissions", "subsectors", "totals"):
        a, b = getattr(raw_release, name), getattr(csv, name)
        assert len(a) == len(b)
        assert (a.drop(columns="emissions_t") == b.drop(columns="emissions_t")).all().all()
        assert np.abs(a["emissions_t"] - b["emissions_t"]).max() < 0.01


def test_read_smhi_ghg_csvs_real(sources: Path, areas: pd.DataFrame) -> None:
    s = sources / SMHI
    r = read_smhi_ghg_csvs(
        s / "ghg_by_sector_municipality.csv",
        s / "ghg_by_sector_county.csv",
        s / "ghg_by_sector_national.csv",
        areas=areas,
    )
    assert (r.gas, r.release) == (GAS_CO2E, "2026")
    assert sorted(r.emissions["year"].unique()) == [
        1990,
        2000,
        2005,
        2010,
        2015,
        *range(2020, 2025),
    ]
    assert r.emissions["code"].nunique() == 312
    assert r.totals.empty and r.subsectors.empty
    nat_2024 = r.emissions.query("code == '00' and year == 2024")["emissions_t"].sum()
    assert nat_2024 == pytest.approx(47.65e6, abs=0.01e6)
    with pytest.raises(
        SourceError,
        match="is CO2e \\(all greenhouse gases\\) but the carbon budget needs fossil CO2",
    ) as e:
        require_gas(r, GAS_CO2)
    assert "sub=CO2" in str(e.value)


def test_read_smhi_ghg_all_levels_csv_real(sources: Path, areas: pd.DataFrame) -> None:
    s = sources / SMHI
    r = read_smhi_ghg_all_levels_csv(
        s / "ghg_by_sector_all_levels_vintage2025.csv",
        areas=areas,
        subsector_csv=s / "ghg_by_subsector_county_national_vintage2025.csv",
    )
    assert (r.gas, r.release) == (GAS_CO2E, "2025")
    assert sorted(r.emissions["year"].unique()) == [1990, 2000, 2005, 2010, *range(2015, 2024)]
    assert set(r.subsectors["code"].map(areas.set_index("code")["level"])) == {"lan", "riket"}
    assert len(r.source_files) == 2


def test_peek_smhi_excel_real(sources: Path) -> None:
    assert peek_smhi_excel(sources / RAW) == (GAS_CO2, "2024-04-18")


# --- the tiny Länsrapport


def test_read_smhi_excel_tiny(tmp_path: Path) -> None:
    r = _read(tmp_path, lansrapport_rows())
    assert (r.gas, r.release, r.unit) == (GAS_CO2, "2024-04-18", "ton/år")
    em = r.emissions.set_index(["code", "year", "sector"])["emissions_t"]
    assert em[("0101", 2022, "transporter")] == 11.0
    assert em[("01", 2021, "jordbruk")] == 6.0
    assert em[("00", 2021, "transporter")] == 63.0
    assert len(r.emissions) == 6 * 2 * 2
    assert set(r.subsectors["subsector"]) == {"Personbilar", "Bussar"}
    assert r.subsectors["sector"].unique().tolist() == ["transporter"]
    assert r.totals.set_index(["code", "year"]).loc[("0201", 2022), "emissions_t"] == 30.5
    assert r.unallocated.to_dict("list") == {"year": [2021, 2022], "emissions_t": [3.0, 2.0]}
    assert r.source_files == (tmp_path / "lansrapport.xlsx",)
    assert peek_smhi_excel(tmp_path / "lansrapport.xlsx") == (GAS_CO2, "2024-04-18")


def test_read_smhi_excel_ghg_gas(tmp_path: Path) -> None:
    r = _read(tmp_path, lansrapport_rows(gas="Växthusgaser totalt"))
    assert r.gas == GAS_CO2E
    with pytest.raises(SourceError, match="use the SMHI export with sub=CO2"):
        require_gas(r, GAS_CO2)
    require_gas(r, GAS_CO2E)


def test_read_smhi_excel_unknown_gas(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Unknown gas") as e:
        _read(tmp_path, lansrapport_rows(gas="Metan (CH4)"))
    assert (e.value.row, e.value.column, e.value.value) == (2, "A", "Metan (CH4)")
    assert e.value.sheet == "Koldioxid (CO2)"


def test_read_smhi_excel_wrong_unit(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Unexpected unit \\(expected ton/år\\)") as e:
        _read(tmp_path, lansrapport_rows(unit="kton/år"))
    assert (e.value.row, e.value.value) == (3, "kton/år")


def test_read_smhi_excel_no_release_date(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), 1, 1, "Länsrapport")
    with pytest.raises(SourceError, match='"Länsrapport, YYYY-MM-DD" line was not found'):
        _read(tmp_path, rows)


def test_read_smhi_excel_no_header_row(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), 6, 0, "Sektor")
    with pytest.raises(SourceError, match='The "Huvudsektor" header row was not found') as e:
        _read(tmp_path, rows)
    assert e.value.sheet == "Koldioxid (CO2)"


def test_read_smhi_excel_missing_header_column(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), 6, 3, "Kommunnamn")
    with pytest.raises(SourceError, match="Missing column 'Kommun'") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (6, "Kommun")


def test_read_smhi_excel_unexpected_header_column(tmp_path: Path) -> None:
    rows = [
        [*r[:4], *r[4:], "x" if i == 5 else ""] if i >= 5 else r
        for i, r in enumerate(lansrapport_rows())
    ]
    with pytest.raises(SourceError, match="Unexpected column 'x'") as e:
        _read(tmp_path, rows)
    assert e.value.row == 6


def test_read_smhi_excel_data_in_unnamed_column(tmp_path: Path) -> None:
    rows = [
        [*r, 1.0 if i == ALFA_TOTAL - 1 else ""] if i >= 5 else r
        for i, r in enumerate(lansrapport_rows())
    ]
    with pytest.raises(SourceError, match="Unexpected column without a header") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (ALFA_TOTAL, "G")


def test_read_smhi_excel_bad_year_cell(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), 5, 5, "år 2022")
    with pytest.raises(SourceError, match="Not a year in the year row") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (5, "F", "år 2022")


def test_read_smhi_excel_unknown_sector(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_TRANSPORT, 0, "Transportation")
    with pytest.raises(SourceError, match="Unknown SMHI sector") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (
        ALFA_TRANSPORT,
        "Huvudsektor",
        "Transportation",
    )
    assert "Did you mean 'Transporter'" in str(e.value)


def test_read_smhi_excel_accepts_smhi_typo(tmp_path: Path) -> None:
    rows = [
        ["Egen uppärmning av bostäder och lokaler", *r[1:]] if r and r[0] == "Jordbruk" else r
        for r in lansrapport_rows()
    ]
    r = _read(tmp_path, rows)
    assert set(r.emissions["sector"]) == {"transporter", "egen-uppvarmning"}


def test_read_smhi_excel_unknown_municipality(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_TRANSPORT, 3, "Alpha")
    with pytest.raises(SourceError, match="Unknown municipality name in 'Ettans län'") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (ALFA_TRANSPORT, "Kommun", "Alpha")
    assert "Alfa" in str(e.value)


def test_read_smhi_excel_municipality_in_wrong_county(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_TRANSPORT, 2, "Tvåans län")
    with pytest.raises(SourceError, match="Unknown municipality name in 'Tvåans län'") as e:
        _read(tmp_path, rows)
    assert e.value.row == ALFA_TRANSPORT


def test_read_smhi_excel_unknown_county(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ETTAN_TRANSPORT, 2, "Ettan")
    with pytest.raises(SourceError, match="Unknown county name") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (ETTAN_TRANSPORT, "Län", "Ettan")


def test_read_smhi_excel_duplicate_row(tmp_path: Path) -> None:
    rows = lansrapport_rows()
    rows.append(list(rows[ALFA_TRANSPORT - 1]))
    with pytest.raises(SourceError, match="Duplicate area and sector row") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (len(rows), "Huvudsektor")
    assert e.value.value == ("0101", "transporter", "Alla")
    assert f"row {ALFA_TRANSPORT}" in str(e.value)


def test_read_smhi_excel_text_in_number_cell(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_PERSONBILAR, 5, "12 3x")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (ALFA_PERSONBILAR, "2022", "12 3x")
    assert e.value.sheet == "Koldioxid (CO2)"


def test_read_smhi_excel_dash_is_text(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), GAMMA_JORDBRUK, 4, "-")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (GAMMA_JORDBRUK, "2021", "-")


def test_read_smhi_excel_numeric_text_is_a_number(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), GAMMA_JORDBRUK, 4, "2.5")
    r = _read(tmp_path, rows)
    assert (
        r.emissions.set_index(["code", "year", "sector"]).loc[
            ("0201", 2021, "jordbruk"), "emissions_t"
        ]
        == 2.5
    )


def test_read_smhi_excel_empty_cell(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_TRANSPORT, 4, "")
    with pytest.raises(SourceError, match="Empty number cell") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (ALFA_TRANSPORT, "2021")


def test_read_smhi_excel_empty_year_column_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [[*r[:5], ""] if i >= 6 else r for i, r in enumerate(lansrapport_rows())]
    with caplog.at_level(logging.WARNING, logger="koldioxidbudget.sources.smhi"):
        r = _read(tmp_path, rows)
    assert r.emissions["year"].unique().tolist() == [2021]
    assert "year 2022 has no values" in caplog.text


def test_read_smhi_excel_negative(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), GAMMA_JORDBRUK, 5, -2.5)
    with pytest.raises(SourceError, match="Negative emissions") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (GAMMA_JORDBRUK, "2022", -2.5)


def test_read_smhi_excel_total_row_with_subsector(tmp_path: Path) -> None:
    rows = _set(lansrapport_rows(), ALFA_TOTAL, 1, "Personbilar")
    with pytest.raises(SourceError, match="A total row \\(sector 'Alla'\\) with a subsector") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (ALFA_TOTAL, "Undersektor")


def test_read_smhi_excel_missing_area_sector(tmp_path: Path) -> None:
    rows = [r for i, r in enumerate(lansrapport_rows()) if i != GAMMA_JORDBRUK - 1]
    with pytest.raises(
        SourceError, match="No emissions for Gamma \\(0201\\), sector jordbruk, 2021"
    ) as e:
        _read(tmp_path, rows)
    assert e.value.value == "0201"


def test_read_smhi_excel_sectors_do_not_add_up_to_total(tmp_path: Path) -> None:
    rows = _bump(lansrapport_rows(), [ALFA_TOTAL], 5, 2.0)
    with pytest.raises(
        SourceError,
        match="The sectors of 0101 in 2022 add up to 16.0 t, but SMHI's 'Alla' total says 18.0 t",
    ) as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (ALFA_TOTAL, "2022", 18.0)


def test_read_smhi_excel_sum_tolerance(tmp_path: Path) -> None:
    rows = _bump(lansrapport_rows(), [ALFA_TOTAL], 5, 0.9)  # below 1 t: rounding
    _read(tmp_path, rows)


def test_read_smhi_excel_municipalities_do_not_add_up_to_county(tmp_path: Path) -> None:
    rows = _bump(lansrapport_rows(), [ALFA_TOTAL, ALFA_TRANSPORT, ALFA_PERSONBILAR], 5, 5.0)
    with pytest.raises(
        SourceError,
        match="The municipalities of county 01 add up to 35.0 t for transporter in 2022, but the county row says 30.0 t",
    ) as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column, e.value.value) == (ETTAN_TRANSPORT, "2022", 30.0)


def test_read_smhi_excel_national_below_counties(tmp_path: Path) -> None:
    rows = _bump(
        lansrapport_rows(), [SVERIGE_TOTAL, SVERIGE_TRANSPORT, SVERIGE_PERSONBILAR], 4, -10.0
    )
    with pytest.raises(
        SourceError,
        match="Sweden's transporter in 2021 is 53.0 t, below the sum of the counties \\(60.0 t\\)",
    ) as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (SVERIGE_TRANSPORT, "2021")


def test_read_smhi_excel_national_subsectors_do_not_add_up(tmp_path: Path) -> None:
    rows = _bump(lansrapport_rows(), [SVERIGE_PERSONBILAR], 4, 5.0)
    with pytest.raises(
        SourceError,
        match="The subsectors of transporter in 00, 2021 add up to 68.0 t, but the sector row says 63.0 t",
    ) as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (SVERIGE_TRANSPORT, "2021")


def test_read_smhi_excel_local_subsector_mismatch_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # as in SMHI's real export (e.g. Kumla, Avfall): kept as published, with a warning
    rows = _bump(lansrapport_rows(), [ALFA_PERSONBILAR], 4, 5.0)
    with caplog.at_level(logging.WARNING, logger="koldioxidbudget.sources.smhi"):
        r = _read(tmp_path, rows)
    assert "subsectors differ from their sector in 1 county or municipal rows" in caplog.text
    sub = r.subsectors.set_index(["code", "year", "subsector"])["emissions_t"]
    assert sub[("0101", 2021, "Personbilar")] == 11.0


def test_read_smhi_excel_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "fake.xlsx"
    p.write_text("Huvudsektor;Undersektor\n", "utf-8")
    with pytest.raises(SourceError, match="Not a readable Excel workbook"):
        read_smhi_excel(p, areas=tiny_areas())


def test_read_smhi_excel_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="File not found"):
        read_smhi_excel(tmp_path / "nope.xlsx", areas=tiny_areas())


# --- the tidy wide CO2 CSV


def _co2_csv(tmp_path: Path, text: str | None = None) -> Path:
    p = tmp_path / "co2.csv"
    p.write_text(co2_csv_text(lansrapport_rows()) if text is None else text, "utf-8")
    return p


def test_read_smhi_co2_csv_tiny_equals_excel(tmp_path: Path) -> None:
    csv = read_smhi_co2_csv(_co2_csv(tmp_path), areas=tiny_areas())
    xlsx = _read(tmp_path, lansrapport_rows())
    for name in ("emissions", "subsectors", "totals", "unallocated"):
        pd.testing.assert_frame_equal(getattr(csv, name), getattr(xlsx, name))


def test_read_smhi_co2_csv_unknown_code(tmp_path: Path) -> None:
    text = co2_csv_text(lansrapport_rows()).replace(",0102,Beta,", ",0199,Beta,", 1)
    with pytest.raises(SourceError, match="Unknown area code") as e:
        read_smhi_co2_csv(_co2_csv(tmp_path, text), areas=tiny_areas())
    assert (e.value.column, e.value.value) == ("kommunkod", "0199")
    assert e.value.row == 17  # Beta starts at Excel row 22; the CSV has no metadata rows: 22 − 5


def test_read_smhi_co2_csv_name_does_not_match_code(tmp_path: Path) -> None:
    text = co2_csv_text(lansrapport_rows()).replace(",0102,Beta,", ",0102,Gamma,", 1)
    with pytest.raises(SourceError, match="Area name does not match its code 0102 \\('Beta'") as e:
        read_smhi_co2_csv(_co2_csv(tmp_path, text), areas=tiny_areas())
    assert (e.value.column, e.value.value) == ("kommun", "Gamma")


def test_read_smhi_co2_csv_unknown_level(tmp_path: Path) -> None:
    text = co2_csv_text(lansrapport_rows()).replace("\ncounty,", "\nlan,", 1)
    with pytest.raises(SourceError, match="Unknown level") as e:
        read_smhi_co2_csv(_co2_csv(tmp_path, text), areas=tiny_areas())
    assert (e.value.row, e.value.column, e.value.value) == (7, "level", "lan")


def test_read_smhi_co2_csv_unexpected_column(tmp_path: Path) -> None:
    lines = co2_csv_text(lansrapport_rows()).splitlines()
    text = "\n".join([lines[0] + ",notes", *(line + "," for line in lines[1:])]) + "\n"
    with pytest.raises(SourceError, match="Unexpected column 'notes'") as e:
        read_smhi_co2_csv(_co2_csv(tmp_path, text), areas=tiny_areas())
    assert (e.value.row, e.value.column) == (1, "notes")


def test_read_smhi_co2_csv_missing_column(tmp_path: Path) -> None:
    text = co2_csv_text(lansrapport_rows()).replace("sector,subsector,", "sector,sub,", 1)
    with pytest.raises(SourceError, match="Missing column 'subsector'"):
        read_smhi_co2_csv(_co2_csv(tmp_path, text), areas=tiny_areas())


def test_read_smhi_co2_csv_text_in_number_cell(tmp_path: Path) -> None:
    lines = co2_csv_text(lansrapport_rows()).splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",12 3x"
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        read_smhi_co2_csv(_co2_csv(tmp_path, "\n".join(lines) + "\n"), areas=tiny_areas())
    assert (e.value.row, e.value.column, e.value.value) == (4, "2022", "12 3x")


# --- the long CO2e CSVs


def _ghg_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The tiny data as the three ghg_by_sector_* files (sector rows only)."""
    xl = _read(tmp_path, lansrapport_rows())
    a = tiny_areas().set_index("code")
    names = {"transporter": "Transporter", "jordbruk": "Jordbruk"}
    em = xl.emissions.assign(
        name=xl.emissions["code"].map(a["name"]),
        lanskod=xl.emissions["code"].map(a["lan_code"]),
        sector=xl.emissions["sector"].map(names),
    )
    em["lan"] = em["lanskod"].map(a["name"])
    level = em["code"].map(a["level"])
    mun = em[level == "kommun"].rename(
        columns={"code": "kommunkod", "name": "kommun", "emissions_t": "t_co2e"}
    )
    cty = em[level == "lan"].rename(columns={"code": "lanskod_", "emissions_t": "t_co2e"})
    nat = em[level == "riket"].rename(columns={"emissions_t": "t_co2e"})
    pm, pc, pn = tmp_path / "ghg_m.csv", tmp_path / "ghg_c.csv", tmp_path / "ghg_n.csv"
    mun[["kommunkod", "kommun", "lanskod", "lan", "year", "sector", "t_co2e"]].to_csv(
        pm, index=False
    )
    cty[["lanskod", "lan", "year", "sector", "t_co2e"]].to_csv(pc, index=False)
    nat[["code", "name", "year", "sector", "t_co2e"]].to_csv(pn, index=False)
    return pm, pc, pn


def test_read_smhi_ghg_csvs_tiny(tmp_path: Path) -> None:
    r = read_smhi_ghg_csvs(*_ghg_files(tmp_path), areas=tiny_areas())
    assert (r.gas, r.release, r.unit) == (GAS_CO2E, "2026", "ton/år")
    xl = _read(tmp_path, lansrapport_rows())
    pd.testing.assert_frame_equal(r.emissions, xl.emissions)
    assert r.totals.empty and r.subsectors.empty
    assert tuple(r.subsectors.columns) == COLUMNS["subsectors"]
    assert r.unallocated["emissions_t"].tolist() == [3.0, 2.0]


def test_read_smhi_ghg_csvs_duplicate(tmp_path: Path) -> None:
    pm, pc, pn = _ghg_files(tmp_path)
    lines = pc.read_text("utf-8").splitlines()
    pc.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")
    with pytest.raises(SourceError, match="Duplicate area and sector row") as e:
        read_smhi_ghg_csvs(pm, pc, pn, areas=tiny_areas())
    assert (e.value.row, e.value.column) == (len(lines) + 1, "sector")
    assert e.value.file == str(pc)


def test_read_smhi_ghg_csvs_text_in_number(tmp_path: Path) -> None:
    pm, pc, pn = _ghg_files(tmp_path)
    lines = pm.read_text("utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",12 3x"
    pm.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        read_smhi_ghg_csvs(pm, pc, pn, areas=tiny_areas())
    assert (e.value.row, e.value.column, e.value.value) == (3, "t_co2e", "12 3x")


def test_read_smhi_ghg_csvs_county_differs(tmp_path: Path) -> None:
    pm, pc, pn = _ghg_files(tmp_path)
    df = pd.read_csv(pc, dtype={"lanskod": str})
    df.loc[3, "t_co2e"] += 7.0
    df.to_csv(pc, index=False)
    with pytest.raises(SourceError, match="The municipalities of county 01 add up to") as e:
        read_smhi_ghg_csvs(pm, pc, pn, areas=tiny_areas())
    assert (e.value.file, e.value.row, e.value.column) == (str(pc), 5, "t_co2e")


def test_read_smhi_ghg_csvs_wrong_level_code(tmp_path: Path) -> None:
    pm, pc, pn = _ghg_files(tmp_path)
    pn.write_text(pn.read_text("utf-8").replace("\n00,", "\n01,", 1), "utf-8")
    with pytest.raises(
        SourceError, match="Area code 01 is a lan in the SCB area list, but the row is a riket"
    ) as e:
        read_smhi_ghg_csvs(pm, pc, pn, areas=tiny_areas())
    assert (e.value.row, e.value.column) == (2, "code")


def test_read_smhi_ghg_csvs_unknown_sector(tmp_path: Path) -> None:
    pm, pc, pn = _ghg_files(tmp_path)
    pn.write_text(pn.read_text("utf-8").replace("Jordbruk", "Lantbruk", 1), "utf-8")
    with pytest.raises(SourceError, match="Unknown SMHI sector") as e:
        read_smhi_ghg_csvs(pm, pc, pn, areas=tiny_areas())
    assert (e.value.column, e.value.value) == ("sector", "Lantbruk")


def _all_levels_files(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny data as ghg_by_sector_all_levels + ghg_by_subsector_county_national files."""
    xl = _read(tmp_path, lansrapport_rows())
    a = tiny_areas().set_index("code")
    names = {"transporter": "Transporter", "jordbruk": "Jordbruk"}
    words = {"kommun": "municipality", "lan": "county", "riket": "national"}
    rows = []
    for code, year, sector, t in xl.emissions.itertuples(index=False):
        lv = a.loc[code, "level"]
        lanskod = a.loc[code, "lan_code"]
        kom = (code, a.loc[code, "name"]) if lv == "kommun" else ("", "")
        rows.append((words[lv], lanskod, a.loc[lanskod, "name"], *kom, year, names[sector], t))
    p = tmp_path / "all.csv"
    pd.DataFrame(
        rows, columns=["level", "lanskod", "lan", "kommunkod", "kommun", "year", "sector", "t_co2e"]
    ).to_csv(p, index=False)
    sub = xl.subsectors[xl.subsectors["code"].str.len() == 2]
    s = tmp_path / "sub.csv"
    pd.DataFrame(
        {
            "level": sub["code"].map(a["level"]).map(words),
            "code": sub["code"],
            "name": sub["code"].map(a["name"]),
            "year": sub["year"],
            "sector": sub["sector"].map(names),
            "subsector": sub["subsector"],
            "t_co2e": sub["emissions_t"],
        }
    ).to_csv(s, index=False)
    return p, s


def test_read_smhi_ghg_all_levels_csv_tiny(tmp_path: Path) -> None:
    p, s = _all_levels_files(tmp_path)
    r = read_smhi_ghg_all_levels_csv(p, areas=tiny_areas(), subsector_csv=s)
    assert (r.gas, r.release) == (GAS_CO2E, "2025")
    assert set(r.subsectors["code"]) == {"00", "01", "02"}
    r2 = read_smhi_ghg_all_levels_csv(p, areas=tiny_areas())
    pd.testing.assert_frame_equal(r.emissions, r2.emissions)
    assert r2.subsectors.empty


def test_read_smhi_ghg_all_levels_national_subsectors_do_not_add_up(tmp_path: Path) -> None:
    p, s = _all_levels_files(tmp_path)
    df = pd.read_csv(s, dtype={"code": str})
    i = df.index[(df["code"] == "00") & (df["year"] == 2022) & (df["subsector"] == "Bussar")][0]
    df.loc[i, "t_co2e"] += 4.0
    df.to_csv(s, index=False)
    with pytest.raises(
        SourceError,
        match="The subsectors of transporter in 00, 2022 add up to 64.0 t, but the sector row says 60.0 t",
    ) as e:
        read_smhi_ghg_all_levels_csv(p, areas=tiny_areas(), subsector_csv=s)
    assert e.value.file == str(p)
    assert e.value.column == "t_co2e"


def test_read_smhi_ghg_all_levels_subsector_without_sector(tmp_path: Path) -> None:
    p, s = _all_levels_files(tmp_path)
    df = pd.read_csv(s, dtype={"code": str})
    df.loc[0, "year"] = 2019  # the sector file has no 2019
    df.to_csv(s, index=False)
    with pytest.raises(SourceError, match="Subsector row without its sector's row") as e:
        read_smhi_ghg_all_levels_csv(p, areas=tiny_areas(), subsector_csv=s)
    assert (e.value.file, e.value.row) == (str(s), 2)


def test_tiny_municipal_data_is_consistent() -> None:
    # the helper's data is what the tests above assume
    assert sum(v[0] for v in TINY_MUNICIPAL[("Ettans län", "Alfa")].values()) == 15.0


def test_read_smhi_excel_moved_table_keeps_excel_rows_and_columns(tmp_path: Path) -> None:
    # two empty rows above and an empty column A: errors still name the cell as Excel shows it
    rows = [[], []] + [["", *r] for r in lansrapport_rows()]
    assert _read(tmp_path, rows).unallocated["emissions_t"].tolist() == [3.0, 2.0]
    rows[ALFA_PERSONBILAR + 1][6] = "12 3x"
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (ALFA_PERSONBILAR + 2, "2022")
    rows[ALFA_PERSONBILAR + 1][6] = 7.0
    rows[7].append("")
    rows[ALFA_TOTAL + 1].append(5.0)
    with pytest.raises(SourceError, match="Unexpected column without a header") as e:
        _read(tmp_path, rows)
    assert (e.value.row, e.value.column) == (ALFA_TOTAL + 2, "H")
