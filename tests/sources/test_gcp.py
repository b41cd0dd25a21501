"""Global Carbon Project series (sources/gcp.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.schema import COLUMNS
from koldioxidbudget.sources import read_blocs, read_global_emissions
from tests.sources.helpers import write_csv

OWID_HEADER = (
    "country,year,population,co2_fossil_MtCO2,co2_incl_land_use_change_MtCO2,consumption_co2_MtCO2,"
    "cumulative_co2_fossil_since_1750_MtCO2,cumulative_co2_incl_luc_since_1750_MtCO2,"
    "co2_fossil_per_capita_t,total_ghg_incl_lulucf_MtCO2e,total_ghg_excl_lulucf_MtCO2e"
)
OWID = f"""
{OWID_HEADER}
Sweden,2021,10000,38.0,30.0,60,1,1,3.8,40,45
Sweden,2022,10000,37.5,29.0,59,1,1,3.7,40,45
World,2021,8000000,37000.0,41000.0,,1,1,4.6,,
World,2022,8000000,37300.0,40800.5,,1,1,4.6,,
Norway,2021,5000,x,x,,,,,,
"""
GCB = """
perspective,entity,year,MtC,MtCO2
territorial,Sweden,2017,11.5,42.1
territorial,Sweden,2018,11.2,41.0
territorial,World,2017,9900,36300
territorial,World,2018,10000,36573
territorial,Statistical Difference,2018,-0.1,-0.4
consumption,Sweden,2017,20,73
"""


def test_read_global_emissions_real(sources: Path) -> None:
    g = read_global_emissions(sources / "global" / "owid_gcb2024_co2_sweden_world_1990-2023.csv")
    assert tuple(g.columns) == COLUMNS["global_emissions"]
    assert g["year"].tolist() == list(range(1990, 2024))
    last = g.set_index("year").loc[2023]
    assert last["world_fossil_mt"] == pytest.approx(37_791.57)
    assert last["sweden_fossil_mt"] == pytest.approx(36.556)
    assert last["world_luc_mt"] == pytest.approx(3_624.91)


def test_read_blocs_real(sources: Path) -> None:
    b = read_blocs(sources / "global" / "gcb2019_fossil_co2_sweden_annexB_world_1959-2018.csv")
    assert tuple(b.columns) == COLUMNS["blocs"]
    v = b.set_index(["entity", "year"])["emissions_mt"]
    assert v[("Sweden", 2018)] == pytest.approx(41.03, abs=0.01)
    assert v[("KP Annex B", 2018)] == pytest.approx(13_058, abs=1)
    assert v[("World", 2018)] == pytest.approx(36_573, abs=1)
    assert {"Non KP Annex B", "Bunkers"} <= set(b["entity"])


def test_read_global_emissions_tiny(tmp_path: Path) -> None:
    g = read_global_emissions(write_csv(tmp_path / "o.csv", OWID))
    assert g.to_dict("list") == {
        "year": [2021, 2022],
        "world_fossil_mt": [37000.0, 37300.0],
        "world_luc_mt": [4000.0, 3500.5],
        "sweden_fossil_mt": [38.0, 37.5],
    }


def test_read_global_emissions_missing_column(tmp_path: Path) -> None:
    bad = OWID.replace("co2_fossil_MtCO2,", "co2_MtCO2,", 1)
    with pytest.raises(SourceError, match="Missing column 'co2_fossil_MtCO2'"):
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))


def test_read_global_emissions_text_in_number(tmp_path: Path) -> None:
    bad = OWID.replace("World,2022,8000000,37300.0", "World,2022,8000000,37 300")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))
    assert (e.value.row, e.value.column, e.value.value) == (5, "co2_fossil_MtCO2", "37 300")


def test_read_global_emissions_missing_world(tmp_path: Path) -> None:
    bad = "\n".join(line for line in OWID.splitlines() if not line.startswith("World"))
    with pytest.raises(SourceError, match="No rows for 'World'") as e:
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))
    assert (e.value.column, e.value.value) == ("country", "World")


def test_read_global_emissions_gap_in_years(tmp_path: Path) -> None:
    bad = OWID.replace("Sweden,2022", "Sweden,2024").replace("World,2022", "World,2024")
    with pytest.raises(SourceError, match="Year 2022 is missing from the Sweden series") as e:
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))
    assert e.value.value == 2022


def test_read_global_emissions_years_differ(tmp_path: Path) -> None:
    bad = "\n".join(line for line in OWID.splitlines() if not line.startswith("Sweden,2022"))
    with pytest.raises(SourceError, match="Year 2022 is missing from the Sweden series"):
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))


def test_read_global_emissions_duplicate(tmp_path: Path) -> None:
    bad = OWID.replace("Sweden,2022", "Sweden,2021")
    with pytest.raises(SourceError, match="Duplicate country and year") as e:
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))
    assert e.value.row == 3


def test_read_global_emissions_negative_fossil(tmp_path: Path) -> None:
    bad = OWID.replace("Sweden,2022,10000,37.5", "Sweden,2022,10000,-37.5")
    with pytest.raises(SourceError, match="Negative fossil CO2") as e:
        read_global_emissions(write_csv(tmp_path / "o.csv", bad))
    assert e.value.row == 3


def test_read_blocs_tiny_territorial_only(tmp_path: Path) -> None:
    b = read_blocs(write_csv(tmp_path / "g.csv", GCB))
    assert b["entity"].tolist() == ["Statistical Difference", "Sweden", "Sweden", "World", "World"]
    assert b.set_index(["entity", "year"]).loc[("Sweden", 2017), "emissions_mt"] == 42.1
    assert (
        b.set_index(["entity", "year"]).loc[("Statistical Difference", 2018), "emissions_mt"]
        == -0.4
    )


def test_read_blocs_unexpected_column(tmp_path: Path) -> None:
    bad = GCB.replace("MtC,MtCO2", "MtC,MtCO2,GtCO2")
    with pytest.raises(SourceError, match="Unexpected column 'GtCO2'"):
        read_blocs(write_csv(tmp_path / "g.csv", bad))


def test_read_blocs_text_in_number(tmp_path: Path) -> None:
    bad = GCB.replace("2018,11.2,41.0", "2018,11.2,41,0")
    with pytest.raises(SourceError, match="cannot be parsed"):
        read_blocs(write_csv(tmp_path / "g.csv", bad))
    bad = GCB.replace("2018,11.2,41.0", "2018,11.2,n/a")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        read_blocs(write_csv(tmp_path / "g.csv", bad))
    assert (e.value.row, e.value.column, e.value.value) == (3, "MtCO2", "n/a")


def test_read_blocs_missing_sweden(tmp_path: Path) -> None:
    bad = GCB.replace("territorial,Sweden", "territorial,Sverige")
    with pytest.raises(SourceError, match="No rows for 'Sweden'"):
        read_blocs(write_csv(tmp_path / "g.csv", bad))


def test_read_blocs_gap(tmp_path: Path) -> None:
    bad = GCB.replace("territorial,World,2017", "territorial,World,2015")
    with pytest.raises(SourceError, match="Year 2016 is missing from the World series"):
        read_blocs(write_csv(tmp_path / "g.csv", bad))


def test_read_blocs_negative(tmp_path: Path) -> None:
    bad = GCB.replace("2018,11.2,41.0", "2018,-11.2,-41.0")
    with pytest.raises(SourceError, match="Negative emissions") as e:
        read_blocs(write_csv(tmp_path / "g.csv", bad))
    assert e.value.row == 3


def test_read_blocs_unknown_perspective(tmp_path: Path) -> None:
    bad = GCB.replace("consumption,Sweden", "production,Sweden")
    with pytest.raises(SourceError, match="Unknown perspective") as e:
        read_blocs(write_csv(tmp_path / "g.csv", bad))
    assert (e.value.row, e.value.value) == (7, "production")


def test_read_blocs_duplicate(tmp_path: Path) -> None:
    bad = GCB.replace("territorial,World,2017", "territorial,World,2018")
    with pytest.raises(SourceError, match="Duplicate entity and year") as e:
        read_blocs(write_csv(tmp_path / "g.csv", bad))
    assert e.value.row == 5
