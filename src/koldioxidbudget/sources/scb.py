"""SCB (Statistics Sweden): municipal and county codes, and population on 31 December.

Formats read (see ``PROVENANCE.md`` §3–4 of the source folder):

* ``regions/municipalities.csv``: ``kommunkod, kommun, kommun_officiellt, lanskod, lan``
* ``regions/counties.csv``: ``lanskod, lan, lan_kort, antal_kommuner``
* ``population/population_municipality_*.csv``: ``kommunkod, kommun, year, population, source``
* ``population/population_county_national_*.csv``: ``lanskod, lan, year, population, source``
  (``lanskod`` "00" is Sweden)
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import COLUMNS, NATIONAL_CODE
from ._common import (
    check_area_codes,
    check_codes,
    check_known,
    check_not_empty,
    check_not_negative,
    check_unique,
    error_at,
    parse_numbers,
    read_csv_table,
)

__all__ = ["NATIONAL_NAME", "read_areas", "read_population"]

log = logging.getLogger(__name__)

#: Name of the national level in the ``areas`` table.
NATIONAL_NAME = "Sverige"

#: Official names that no rule of thumb gives (no genitive s, a different stem, or a region),
#: and that the long-name column of ``regions/municipalities.csv`` (a third-party compilation,
#: see PROVENANCE.md) has wrong: it reads "Kalmars kommun", "Faluns kommun", "Kalixs kommun".
OFFICIAL_NAMES: dict[str, str] = {
    "Falun": "Falu kommun",
    "Kalmar": "Kalmar kommun",
    "Kalix": "Kalix kommun",
    "Överkalix": "Överkalix kommun",
    "Gotland": "Region Gotland",
}

_MUNICIPALITY_COLUMNS = ("kommunkod", "kommun", "kommun_officiellt", "lanskod", "lan")
_COUNTY_COLUMNS = ("lanskod", "lan", "lan_kort", "antal_kommuner")
_POP_MUNICIPALITY_COLUMNS = ("kommunkod", "kommun", "year", "population", "source")
_POP_COUNTY_COLUMNS = ("lanskod", "lan", "year", "population", "source")


# ---------------------------------------------------------------------------------------------
# areas


def read_areas(municipalities_csv: str | Path, counties_csv: str | Path) -> pd.DataFrame:
    """The ``areas`` table: 290 municipalities, 21 counties and Sweden (``schema.COLUMNS["areas"]``).

    Municipalities keep SCB's ``kommunkod`` (4 digits) and county ``lanskod`` (2 digits) as text;
    Sweden is code "00", name "Sverige". Raises :class:`SourceError` for a missing or unexpected
    column, an empty cell, a malformed or duplicate code, a municipality whose county is not in the
    county file (or is named differently there), and a county whose ``antal_kommuner`` differs from
    its number of municipalities.
    """
    mun = read_csv_table(municipalities_csv, columns=_MUNICIPALITY_COLUMNS)
    cty = read_csv_table(counties_csv, columns=_COUNTY_COLUMNS)
    check_not_empty(mun, _MUNICIPALITY_COLUMNS, file=municipalities_csv)
    check_not_empty(cty, _COUNTY_COLUMNS, file=counties_csv)
    check_codes(mun, "kommunkod", digits=4, what="kommunkod", file=municipalities_csv)
    check_codes(
        mun, "lanskod", digits=2, what="lanskod", file=municipalities_csv, forbidden=[NATIONAL_CODE]
    )
    check_codes(
        cty, "lanskod", digits=2, what="lanskod", file=counties_csv, forbidden=[NATIONAL_CODE]
    )
    check_unique(mun, ["kommunkod"], what="kommunkod", file=municipalities_csv)
    check_unique(cty, ["lanskod"], what="lanskod", file=counties_csv)
    _check_kommun_lan_known(mun, cty, file=municipalities_csv)
    _check_kommun_lan_name(mun, cty, file=municipalities_csv)
    _check_antal_kommuner(mun, cty, file=counties_csv)

    kommuner = pd.DataFrame(
        {
            "code": mun["kommunkod"],
            "name": mun["kommun"],
            "level": "kommun",
            "lan_code": mun["lanskod"],
            "official_name": [
                OFFICIAL_NAMES.get(k, o)
                for k, o in zip(mun["kommun"], mun["kommun_officiellt"], strict=True)
            ],
        }
    )
    lan = pd.DataFrame(
        {
            "code": cty["lanskod"],
            "name": cty["lan"],
            "level": "lan",
            "lan_code": cty["lanskod"],
            "official_name": cty["lan"],
        }
    )
    riket = pd.DataFrame(
        [(NATIONAL_CODE, NATIONAL_NAME, "riket", NATIONAL_CODE, NATIONAL_NAME)],
        columns=list(COLUMNS["areas"]),
    )
    out = pd.concat([kommuner, lan, riket], ignore_index=True)[list(COLUMNS["areas"])]
    log.info("read %d municipalities and %d counties", len(kommuner), len(lan))
    return out.astype(str)


def _check_kommun_lan_known(mun: pd.DataFrame, cty: pd.DataFrame, *, file: str | Path) -> None:
    """Every municipality's county is in the county file."""
    check_known(
        mun,
        "lanskod",
        cty["lanskod"],
        what="county_code_not_in_file",
        file=file,
        hint_key="county_code_not_in_file_hint",
        known=", ".join(cty["lanskod"]),
    )


def _check_kommun_lan_name(mun: pd.DataFrame, cty: pd.DataFrame, *, file: str | Path) -> None:
    """A municipality's county name is the county file's name for its code."""
    expected = mun["lanskod"].map(cty.set_index("lanskod")["lan"])
    bad = (expected != mun["lan"]).to_numpy(dtype=bool, na_value=True)
    if bad.any():
        pos = int(bad.argmax())
        raise error_at(
            mun,
            pos,
            file=file,
            column="lan",
            value=mun["lan"].iat[pos],
            key="county_name_differs",
            hint_key="county_name_differs_hint",
            expected=repr(expected.iat[pos]),
            code=mun["lanskod"].iat[pos],
        )


def _check_antal_kommuner(mun: pd.DataFrame, cty: pd.DataFrame, *, file: str | Path) -> None:
    """A county's ``antal_kommuner`` equals its number of municipalities in the municipality file."""
    stated = parse_numbers(cty, ["antal_kommuner"], file=file, integer=True)["antal_kommuner"]
    counted = cty["lanskod"].map(mun["lanskod"].value_counts()).fillna(0).astype("int64")
    bad = (stated != counted).to_numpy()
    if bad.any():
        pos = int(bad.argmax())
        count = int(counted.iat[pos])
        raise error_at(
            cty,
            pos,
            file=file,
            column="antal_kommuner",
            value=int(stated.iat[pos]),
            key="county_municipality_count",
            hint_key="county_municipality_count_hint",
            county=cty["lan"].iat[pos],
            count=count,
        )


# ---------------------------------------------------------------------------------------------
# population


def read_population(
    municipality_csv: str | Path, county_national_csv: str | Path, *, areas: pd.DataFrame
) -> pd.DataFrame:
    """The ``population`` table (code, year, population) for municipalities, counties and Sweden.

    Population on 31 December of ``year``. Raises :class:`SourceError` for a missing or unexpected
    column, a code not in ``areas`` at the file's level, a duplicate (code, year), text in a number
    cell, a negative population, and a county or Sweden whose population differs from the sum of its
    municipalities in a year both files cover.
    """
    mun = _read_population_file(municipality_csv, _POP_MUNICIPALITY_COLUMNS, "kommunkod", areas)
    cty = _read_population_file(county_national_csv, _POP_COUNTY_COLUMNS, "lanskod", areas)
    _check_population_sums(mun, cty, areas=areas, file=county_national_csv)
    out = pd.concat([mun, cty], ignore_index=True)[list(COLUMNS["population"])]
    log.info(
        "read population for %d areas, %d–%d",
        out["code"].nunique(),
        out["year"].min(),
        out["year"].max(),
    )
    return out


def _read_population_file(
    path: str | Path, columns: tuple[str, ...], code_col: str, areas: pd.DataFrame
) -> pd.DataFrame:
    raw = read_csv_table(path, columns=columns)
    check_not_empty(raw, [code_col, "year", "population"], file=path)
    nums = parse_numbers(raw, ["year", "population"], file=path, integer=True)
    codes = raw[code_col]
    if code_col == "kommunkod":
        levels = pd.Series("kommun", index=raw.index)
    else:
        levels = pd.Series(np.where(codes == NATIONAL_CODE, "riket", "lan"), index=raw.index)
    check_area_codes(raw, codes, levels, areas=areas, code_column=code_col, file=path)
    check_not_negative(raw, nums["population"], what="population", file=path, column="population")
    located = raw.assign(year=nums["year"])
    check_unique(located, [code_col, "year"], what="population_row", file=path)
    return pd.DataFrame(
        {
            "code": codes.astype(str),
            "year": nums["year"],
            "population": nums["population"],
            "_row": raw.index,
        }
    )


def _check_population_sums(
    mun: pd.DataFrame, cty: pd.DataFrame, *, areas: pd.DataFrame, file: str | Path
) -> None:
    """A county's (and Sweden's) population is the sum of its municipalities', in years both cover."""
    lan_of = areas.set_index("code")["lan_code"]
    by_lan = mun.assign(code=mun["code"].map(lan_of)).groupby(["code", "year"])["population"].sum()
    national = mun.assign(code=NATIONAL_CODE).groupby(["code", "year"])["population"].sum()
    sums = pd.concat([by_lan, national]).rename("sum")
    years = set(mun["year"].unique())
    cmp = cty[cty["year"].isin(years)].join(sums, on=["code", "year"])
    cmp["sum"] = cmp["sum"].fillna(0).astype("int64")
    bad = (cmp["sum"] != cmp["population"]).to_numpy()
    if bad.any():
        pos = int(bad.argmax())
        r = cmp.iloc[pos]
        raise error_at(
            cmp,
            pos,
            file=file,
            column="population",
            value=int(r["population"]),
            key="population_sum_differs",
            hint_key="population_sum_differs_hint",
            code=r["code"],
            year=int(r["year"]),
            sum=int(r["sum"]),
        )
