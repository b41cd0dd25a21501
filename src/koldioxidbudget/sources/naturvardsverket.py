"""Naturvårdsverket: process CO2 of the Swedish cement plants ("Utsläpp i siffror" facility
reports), from ``facilities/cement_process_co2.csv`` (``PROVENANCE.md`` §10).

Columns: ``kommunkod, kommun, facility, year, t_co2_process, source``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..schema import COLUMNS
from ._common import (
    check_area_codes,
    check_area_names,
    check_not_empty,
    check_not_negative,
    check_unique,
    parse_numbers,
    read_csv_table,
)

__all__ = ["read_facilities"]

log = logging.getLogger(__name__)

_COLUMNS = ("kommunkod", "kommun", "facility", "year", "t_co2_process", "source")


def read_facilities(cement_csv: str | Path, *, areas: pd.DataFrame) -> pd.DataFrame:
    """The ``facilities`` table: process CO2 (t/yr) of each cement plant (``kind`` "cement") in its
    host municipality.

    Raises :class:`SourceError` for a missing or unexpected column, an empty cell, a ``kommunkod``
    that is not a municipality in ``areas`` (or whose name differs), text in a number cell, negative
    emissions and a repeated (kommunkod, facility, year).
    """
    raw = read_csv_table(cement_csv, columns=_COLUMNS)
    check_not_empty(
        raw, ["kommunkod", "kommun", "facility", "year", "t_co2_process"], file=cement_csv
    )
    codes = raw["kommunkod"]
    check_area_codes(
        raw,
        codes,
        pd.Series("kommun", index=raw.index),
        areas=areas,
        code_column="kommunkod",
        file=cement_csv,
    )
    check_area_names(raw, codes, raw["kommun"], areas=areas, name_column="kommun", file=cement_csv)
    year = parse_numbers(raw, ["year"], file=cement_csv, integer=True)["year"]
    tonnes = parse_numbers(raw, ["t_co2_process"], file=cement_csv)["t_co2_process"]
    check_not_negative(
        raw, tonnes, what="process_emissions", file=cement_csv, column="t_co2_process"
    )
    check_unique(
        raw.assign(year=year),
        ["kommunkod", "facility", "year"],
        what="facility_year",
        file=cement_csv,
    )
    out = pd.DataFrame(
        {
            "code": codes.astype(str),
            "facility": raw["facility"].astype(str),
            "kind": "cement",
            "year": year,
            "emissions_t": tonnes,
        }
    ).reset_index(drop=True)
    log.info("read %d cement plant years", len(out))
    return out[list(COLUMNS["facilities"])]
