"""Cement plant process CO2 (sources/naturvardsverket.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.schema import COLUMNS
from koldioxidbudget.sources import read_facilities
from tests.sources.helpers import tiny_areas, write_csv

GOOD = """
kommunkod,kommun,facility,year,t_co2_process,source
0101,Alfa,Cementa Alfa,2021,1000,NV
0101,Alfa,Cementa Alfa,2022,950.5,NV
0201,Gamma,Cementa Gamma,2022,0,NV
"""


def _read(tmp_path: Path, text: str = GOOD) -> pd.DataFrame:
    return read_facilities(write_csv(tmp_path / "c.csv", text), areas=tiny_areas())


def test_read_facilities_real(sources: Path, areas: pd.DataFrame) -> None:
    f = read_facilities(sources / "facilities" / "cement_process_co2.csv", areas=areas)
    assert tuple(f.columns) == COLUMNS["facilities"]
    v = f.set_index(["code", "year"])["emissions_t"]
    assert v[("0980", 2022)] == 1_514_132.0
    assert set(f["kind"]) == {"cement"}
    assert set(f["code"]) == {"0980", "1496", "0840"}


def test_read_facilities_tiny(tmp_path: Path) -> None:
    f = _read(tmp_path)
    assert f.values.tolist() == [
        ["0101", "Cementa Alfa", "cement", 2021, 1000.0],
        ["0101", "Cementa Alfa", "cement", 2022, 950.5],
        ["0201", "Cementa Gamma", "cement", 2022, 0.0],
    ]


def test_read_facilities_missing_column(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Missing column 't_co2_process'"):
        _read(tmp_path, GOOD.replace("t_co2_process", "t_co2"))


def test_read_facilities_unknown_kommunkod(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Unknown area code") as e:
        _read(tmp_path, GOOD.replace("0201,Gamma", "0299,Gamma"))
    assert (e.value.row, e.value.column, e.value.value) == (4, "kommunkod", "0299")


def test_read_facilities_county_code(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a lan in the SCB area list, but the row is a kommun"):
        _read(tmp_path, GOOD.replace("0201,Gamma", "02,Gamma"))


def test_read_facilities_name_differs(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Area name does not match its code 0201") as e:
        _read(tmp_path, GOOD.replace("0201,Gamma", "0201,Gama"))
    assert (e.value.column, e.value.value) == ("kommun", "Gama")


def test_read_facilities_text_in_number(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _read(tmp_path, GOOD.replace("950.5", "12 3x"))
    assert (e.value.row, e.value.column, e.value.value) == (3, "t_co2_process", "12 3x")


def test_read_facilities_negative(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Negative process emissions") as e:
        _read(tmp_path, GOOD.replace("950.5", "-950.5"))
    assert (e.value.row, e.value.value) == (3, -950.5)


def test_read_facilities_duplicate(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Duplicate facility year") as e:
        _read(tmp_path, GOOD.replace("Alfa,2022", "Alfa,2021"))
    assert (e.value.row, e.value.value) == (3, ("0101", "Cementa Alfa", 2021))


BUNKERS = """
year,aviation_t,shipping_t,source
2021,1500000,6000000,NV
2022,2200000,6500000.5,NV
"""


def test_read_international_transport_tiny(tmp_path: Path) -> None:
    from koldioxidbudget.sources import read_international_transport

    f = read_international_transport(write_csv(tmp_path / "b.csv", BUNKERS))
    assert tuple(f.columns) == COLUMNS["international_transport"]
    assert f.values.tolist() == [[2021, 1_500_000.0, 6_000_000.0], [2022, 2_200_000.0, 6_500_000.5]]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (BUNKERS.replace("6000000,", "-6,"), "Negative international transport emissions"),
        (BUNKERS.replace("2022,", "2021,"), "Duplicate year of international transport"),
        (BUNKERS.replace("2200000", "2.2 Mt"), "aviation_t"),
    ],
)
def test_read_international_transport_refuses(tmp_path: Path, text: str, match: str) -> None:
    from koldioxidbudget.sources import read_international_transport

    with pytest.raises(SourceError, match=match):
        read_international_transport(write_csv(tmp_path / "b.csv", text))
