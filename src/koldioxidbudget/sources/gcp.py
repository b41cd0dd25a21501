"""Global Carbon Project (Global Carbon Budget): world and Swedish fossil CO2, and the territorial
CO2 of country groups (``PROVENANCE.md`` §6).

* ``global/owid_gcb2024_co2_sweden_world_*.csv`` (GCB 2024 via Our World in Data): rows ``Sweden``
  and ``World`` per year, Mt CO2 → :func:`read_global_emissions`;
* ``global/gcb2019_fossil_co2_sweden_annexB_world_*.csv`` (GCB 2019 national file):
  ``perspective, entity, year, MtC, MtCO2`` → :func:`read_blocs` (territorial rows only).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SourceError
from ..schema import COLUMNS
from ._common import (
    check_known,
    check_not_empty,
    check_not_negative,
    check_unique,
    parse_numbers,
    read_csv_table,
)

__all__ = ["BALANCING_ITEM", "REQUIRED_ENTITIES", "read_blocs", "read_global_emissions"]

log = logging.getLogger(__name__)

#: GCB's balancing item (global total − Σ countries − bunkers); the only series that may be negative.
BALANCING_ITEM = "Statistical Difference"

#: Rows both GCB files must have.
REQUIRED_ENTITIES = ("World", "Sweden")

_OWID_COLUMNS = (
    "country",
    "year",
    "population",
    "co2_fossil_MtCO2",
    "co2_incl_land_use_change_MtCO2",
    "consumption_co2_MtCO2",
    "cumulative_co2_fossil_since_1750_MtCO2",
    "cumulative_co2_incl_luc_since_1750_MtCO2",
    "co2_fossil_per_capita_t",
    "total_ghg_incl_lulucf_MtCO2e",
    "total_ghg_excl_lulucf_MtCO2e",
)
_GCB_COLUMNS = ("perspective", "entity", "year", "MtC", "MtCO2")


def read_global_emissions(owid_csv: str | Path) -> pd.DataFrame:
    """The ``global_emissions`` table, one row per year both World and Sweden have.

    ``world_fossil_mt`` = World ``co2_fossil_MtCO2``; ``world_luc_mt`` = World
    ``co2_incl_land_use_change_MtCO2`` − ``co2_fossil_MtCO2`` (land-use change);
    ``sweden_fossil_mt`` = Sweden ``co2_fossil_MtCO2``. Raises :class:`SourceError` for a missing or
    unexpected column, text or an empty cell where a number is needed, negative fossil CO2, a
    missing World or Sweden series, a repeated (country, year), a gap in the years, and years
    that World and Sweden do not share.
    """
    raw = read_csv_table(owid_csv, columns=_OWID_COLUMNS)
    rows = raw[raw["country"].isin(REQUIRED_ENTITIES)]
    values = ["co2_fossil_MtCO2", "co2_incl_land_use_change_MtCO2"]
    year = parse_numbers(rows, ["year"], file=owid_csv, integer=True)["year"]
    nums = parse_numbers(rows, values, file=owid_csv)
    check_not_negative(
        rows, nums["co2_fossil_MtCO2"], what="fossil_co2", file=owid_csv, column="co2_fossil_MtCO2"
    )
    data = rows.assign(year=year)
    _check_series(data, "country", file=owid_csv)
    frame = pd.concat([data[["country", "year"]], nums], axis=1)
    world = frame[frame["country"] == "World"].set_index("year")
    sweden = frame[frame["country"] == "Sweden"].set_index("year")
    _check_same_years(world.index, sweden.index, file=owid_csv)
    out = pd.DataFrame(
        {
            "year": world.index.to_numpy(dtype="int64"),
            "world_fossil_mt": world["co2_fossil_MtCO2"].to_numpy(),
            "world_luc_mt": (
                world["co2_incl_land_use_change_MtCO2"] - world["co2_fossil_MtCO2"]
            ).to_numpy(),
            "sweden_fossil_mt": sweden["co2_fossil_MtCO2"].reindex(world.index).to_numpy(),
        }
    ).sort_values("year", ignore_index=True)
    log.info("read global CO2 %d–%d", out["year"].min(), out["year"].max())
    return out[list(COLUMNS["global_emissions"])]


def read_blocs(gcb2019_csv: str | Path) -> pd.DataFrame:
    """The ``blocs`` table: territorial fossil CO2 (Mt CO2/yr) of every entity in the GCB national
    file (Sweden, KP Annex B, Non KP Annex B, OECD, EU28, Bunkers, World, …).

    Consumption-based rows are left out. Raises :class:`SourceError` for a missing or unexpected
    column, an unknown perspective, text in a number cell, negative emissions (except GCB's
    balancing item "Statistical Difference", which may be negative), a missing World or
    Sweden series, a repeated (entity, year) and a gap in an entity's years.
    """
    raw = read_csv_table(gcb2019_csv, columns=_GCB_COLUMNS)
    check_not_empty(raw, ["perspective", "entity", "year"], file=gcb2019_csv)
    check_known(
        raw, "perspective", ["territorial", "consumption"], what="perspective", file=gcb2019_csv
    )
    rows = raw[raw["perspective"] == "territorial"]
    year = parse_numbers(rows, ["year"], file=gcb2019_csv, integer=True)["year"]
    mt = parse_numbers(rows, ["MtCO2"], file=gcb2019_csv)["MtCO2"]
    emitters = (rows["entity"] != BALANCING_ITEM).to_numpy()
    check_not_negative(
        rows[emitters], mt[emitters], what="emissions", file=gcb2019_csv, column="MtCO2"
    )
    data = rows.assign(year=year)
    _check_series(data, "entity", file=gcb2019_csv)
    out = pd.DataFrame(
        {"year": year.to_numpy(), "entity": rows["entity"].astype(str), "emissions_mt": mt}
    ).sort_values(["entity", "year"], ignore_index=True)
    log.info("read %d GCB entities", out["entity"].nunique())
    return out[list(COLUMNS["blocs"])]


def _check_series(data: pd.DataFrame, key: str, *, file: str | Path) -> None:
    """World and Sweden are present, each (entity, year) once, and every series has no gaps."""
    _check_required(data, key, file=file)
    what = "country_year" if key == "country" else "entity_year"  # "<key> and year"
    check_unique(data, [key, "year"], what=what, file=file)
    _check_no_gaps(data, key, file=file)


def _check_required(data: pd.DataFrame, key: str, *, file: str | Path) -> None:
    """Both required entities have rows."""
    present = set(data[key])
    for name in REQUIRED_ENTITIES:
        if name not in present:
            raise SourceError(
                file=file,
                column=key,
                value=name,
                key="no_rows_for",
                hint_key="no_rows_for_hint",
                name=repr(name),
                first=REQUIRED_ENTITIES[0],
                second=REQUIRED_ENTITIES[1],
            )


def _check_no_gaps(data: pd.DataFrame, key: str, *, file: str | Path) -> None:
    """Every series covers consecutive years."""
    for name, years in data.groupby(key, sort=False)["year"]:
        ys = np.sort(years.to_numpy())
        gaps = np.flatnonzero(np.diff(ys) != 1)
        if gaps.size:
            missing = int(ys[gaps[0]]) + 1
            raise SourceError(
                file=file,
                column="year",
                value=missing,
                key="year_missing_from_series",
                hint_key="year_missing_from_series_hint",
                year=missing,
                series=name,
            )


def _check_same_years(world: pd.Index, sweden: pd.Index, *, file: str | Path) -> None:
    """World and Sweden cover the same years."""
    diff = world.symmetric_difference(sweden)
    if len(diff):
        year = int(diff[0])
        which = "Sweden" if year in world else "World"
        raise SourceError(
            file=file,
            column="year",
            value=year,
            key="year_missing_from_series",
            hint_key="same_years_hint",
            year=year,
            series=which,
        )
