"""SCB areas and population (sources/scb.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.schema import COLUMNS
from koldioxidbudget.sources import read_areas, read_population
from tests.sources.helpers import write_csv

MUNICIPALITIES = """
kommunkod,kommun,kommun_officiellt,lanskod,lan
0101,Alfa,Alfa kommun,01,Ettans län
0102,Beta,Beta kommun,01,Ettans län
0201,Gamma,Gamma kommun,02,Tvåans län
"""
COUNTIES = """
lanskod,lan,lan_kort,antal_kommuner
01,Ettans län,Ettan,2
02,Tvåans län,Tvåan,1
"""
POP_MUNICIPALITY = """
kommunkod,kommun,year,population,source
0101,Alfa,2023,100,SCB
0102,Beta,2023,50,SCB
0201,Gamma,2023,30,SCB
0101,Alfa,2024,101,SCB
0102,Beta,2024,49,SCB
0201,Gamma,2024,31,SCB
"""
POP_COUNTY = """
lanskod,lan,year,population,source
00,Sverige (summa kommuner),2023,180,sum
01,Ettans län,2023,150,sum
02,Tvåans län,2023,30,sum
00,Sverige (summa kommuner),2024,181,sum
01,Ettans län,2024,150,sum
02,Tvåans län,2024,31,sum
"""


def _areas(tmp_path: Path, mun: str = MUNICIPALITIES, cty: str = COUNTIES) -> pd.DataFrame:
    return read_areas(write_csv(tmp_path / "m.csv", mun), write_csv(tmp_path / "c.csv", cty))


def _population(tmp_path: Path, mun: str = POP_MUNICIPALITY, cty: str = POP_COUNTY) -> pd.DataFrame:
    return read_population(
        write_csv(tmp_path / "pm.csv", mun),
        write_csv(tmp_path / "pc.csv", cty),
        areas=_areas(tmp_path),
    )


# --- real files


def test_read_areas_real(sources: Path, areas: pd.DataFrame) -> None:
    assert tuple(areas.columns) == COLUMNS["areas"]
    assert areas["level"].value_counts().to_dict() == {"kommun": 290, "lan": 21, "riket": 1}
    uppsala = areas.set_index("code").loc["0380"]
    assert (uppsala["name"], uppsala["lan_code"]) == ("Uppsala", "03")
    assert areas.set_index("code").loc["03", "name"] == "Uppsala län"
    assert areas.set_index("code").loc["01", "name"] == "Stockholms län"
    assert areas.set_index("code").loc["00", "official_name"] == "Sverige"
    assert all(isinstance(c, str) for c in areas["code"])


def test_read_population_real(sources: Path, areas: pd.DataFrame) -> None:
    pop = read_population(
        sources / "population" / "population_municipality_1950-2025.csv",
        sources / "population" / "population_county_national_1950-2025.csv",
        areas=areas,
    )
    assert tuple(pop.columns) == COLUMNS["population"]
    p = pop.set_index(["code", "year"])["population"]
    assert p[("00", 2024)] == 10_587_710
    assert p[("00", 2022)] == 10_521_556
    assert pop["year"].dtype == "int64"
    assert pop["code"].nunique() == 312


# --- tiny files


def test_read_areas_tiny(tmp_path: Path) -> None:
    a = _areas(tmp_path)
    assert a["code"].tolist() == ["0101", "0102", "0201", "01", "02", "00"]
    assert a.iloc[-1].tolist() == ["00", "Sverige", "riket", "00", "Sverige"]
    assert a.set_index("code").loc["02", "lan_code"] == "02"


def test_read_areas_missing_column(tmp_path: Path) -> None:
    bad = (
        MUNICIPALITIES.replace(",lan\n", "\n", 1)
        .replace(",Ettans län", "")
        .replace(",Tvåans län", "")
    )
    with pytest.raises(SourceError, match="Missing column 'lan'") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.column) == (1, "lan")
    assert "kommunkod, kommun, kommun_officiellt, lanskod, lan" in str(e.value)


def test_read_areas_extra_column(tmp_path: Path) -> None:
    bad = COUNTIES.replace("antal_kommuner", "antal_kommuner,extra").replace(",2\n", ",2,x\n")
    bad = bad.replace(",1\n", ",1,y\n")
    with pytest.raises(SourceError, match="Unexpected column 'extra'") as e:
        _areas(tmp_path, cty=bad)
    assert e.value.column == "extra"


def test_read_areas_duplicate_code(tmp_path: Path) -> None:
    bad = MUNICIPALITIES.replace("0102,Beta", "0101,Beta")
    with pytest.raises(SourceError, match="Duplicate kommunkod") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.column, e.value.value) == (3, "kommunkod", "0101")
    assert "row 2" in str(e.value)


def test_read_areas_malformed_kommunkod(tmp_path: Path) -> None:
    bad = MUNICIPALITIES.replace("0102,Beta", "102,Beta")
    with pytest.raises(SourceError, match="Malformed kommunkod") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.value) == (3, "102")


def test_read_areas_malformed_lanskod(tmp_path: Path) -> None:
    bad = COUNTIES.replace("02,Tvåans", "2,Tvåans")
    with pytest.raises(SourceError, match="Malformed lanskod") as e:
        _areas(tmp_path, cty=bad)
    assert (e.value.row, e.value.column, e.value.value) == (3, "lanskod", "2")


def test_read_areas_national_code_is_not_a_county(tmp_path: Path) -> None:
    bad = COUNTIES.replace("02,Tvåans", "00,Tvåans")
    with pytest.raises(SourceError, match="Malformed lanskod"):
        _areas(tmp_path, cty=bad)


def test_read_areas_kommun_in_unknown_lan(tmp_path: Path) -> None:
    bad = MUNICIPALITIES.replace("0201,Gamma,Gamma kommun,02", "0201,Gamma,Gamma kommun,03")
    with pytest.raises(SourceError, match="Unknown county code \\(not in the county file\\)") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.column, e.value.value) == (4, "lanskod", "03")


def test_read_areas_county_name_differs(tmp_path: Path) -> None:
    bad = MUNICIPALITIES.replace(
        "0201,Gamma,Gamma kommun,02,Tvåans län", "0201,Gamma,Gamma kommun,02,Trean"
    )
    with pytest.raises(SourceError, match="County name differs from the county file") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.column, e.value.value) == (4, "lan", "Trean")


def test_read_areas_antal_kommuner_differs(tmp_path: Path) -> None:
    bad = COUNTIES.replace("Ettan,2", "Ettan,3")
    with pytest.raises(SourceError, match="has 2 municipalities in the municipality file") as e:
        _areas(tmp_path, cty=bad)
    assert (e.value.row, e.value.column, e.value.value) == (2, "antal_kommuner", 3)


def test_read_areas_empty_cell(tmp_path: Path) -> None:
    bad = MUNICIPALITIES.replace("0102,Beta,", "0102,,")
    with pytest.raises(SourceError, match="Empty cell") as e:
        _areas(tmp_path, mun=bad)
    assert (e.value.row, e.value.column) == (3, "kommun")


def test_read_population_tiny(tmp_path: Path) -> None:
    pop = _population(tmp_path)
    assert tuple(pop.columns) == COLUMNS["population"]
    assert len(pop) == 12
    assert pop.set_index(["code", "year"]).loc[("00", 2024), "population"] == 181


def test_read_population_unknown_code(tmp_path: Path) -> None:
    bad = POP_MUNICIPALITY.replace("0201,Gamma,2024", "0299,Gamma,2024")
    with pytest.raises(SourceError, match="Unknown area code") as e:
        _population(tmp_path, mun=bad)
    assert (e.value.row, e.value.column, e.value.value) == (7, "kommunkod", "0299")


def test_read_population_county_code_in_municipality_file(tmp_path: Path) -> None:
    bad = POP_MUNICIPALITY.replace("0201,Gamma,2024", "02,Gamma,2024")
    with pytest.raises(SourceError, match="is a lan in the SCB area list, but the row is a kommun"):
        _population(tmp_path, mun=bad)


def test_read_population_duplicate(tmp_path: Path) -> None:
    bad = POP_MUNICIPALITY.replace("0102,Beta,2024", "0102,Beta,2023")
    with pytest.raises(SourceError, match="Duplicate population row") as e:
        _population(tmp_path, mun=bad)
    assert (e.value.row, e.value.value) == (6, ("0102", 2023))


def test_read_population_text_in_number(tmp_path: Path) -> None:
    bad = POP_MUNICIPALITY.replace("0102,Beta,2024,49", "0102,Beta,2024,12 3x")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _population(tmp_path, mun=bad)
    assert (e.value.row, e.value.column, e.value.value) == (6, "population", "12 3x")


def test_read_population_negative(tmp_path: Path) -> None:
    bad = POP_COUNTY.replace("02,Tvåans län,2023,30", "02,Tvåans län,2023,-30")
    with pytest.raises(SourceError, match="Negative population") as e:
        _population(tmp_path, cty=bad)
    assert (e.value.row, e.value.column, e.value.value) == (4, "population", -30)


def test_read_population_county_differs_from_sum(tmp_path: Path) -> None:
    bad = POP_COUNTY.replace("01,Ettans län,2024,150", "01,Ettans län,2024,151")
    with pytest.raises(
        SourceError, match="differs from the sum of its municipalities \\(150\\)"
    ) as e:
        _population(tmp_path, cty=bad)
    assert (e.value.row, e.value.column, e.value.value) == (6, "population", 151)
    assert e.value.file.endswith("pc.csv")


def test_read_population_national_differs_from_sum(tmp_path: Path) -> None:
    bad = POP_COUNTY.replace(
        "Sverige (summa kommuner),2023,180", "Sverige (summa kommuner),2023,179"
    )
    with pytest.raises(SourceError, match="Population of 00 in 2023 differs") as e:
        _population(tmp_path, cty=bad)
    assert e.value.row == 2


def test_read_population_years_only_in_county_file_are_not_summed(tmp_path: Path) -> None:
    extra = POP_COUNTY + "01,Ettans län,1950,7,sum\n"
    pop = _population(tmp_path, cty=extra)
    assert pop.set_index(["code", "year"]).loc[("01", 1950), "population"] == 7
