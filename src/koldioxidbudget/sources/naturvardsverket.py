"""Naturvårdsverket: the Swedish cement plants' reported CO2 ("Utsläpp i siffror" facility
reports), from ``facilities/cement_process_co2.csv`` (``PROVENANCE.md`` §10; columns
``kommunkod, kommun, facility, year, t_co2_process, source``: despite the name, the plants'
reported totals), and Sweden's international aviation and shipping CO2 (bunkers, the national
inventory's memo items) from ``emissions/national/international_transport_co2.csv`` (columns
``year, aviation_t, shipping_t, source``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..schema import COLUMNS
from . import registry
from ._common import (
    check_area_codes,
    check_area_names,
    check_not_empty,
    check_not_negative,
    check_unique,
    parse_numbers,
    read_csv_table,
)

__all__ = ["INTERNATIONAL_FILE", "read_facilities", "read_international_transport"]

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


#: where the bunker series lies in a source folder (kept by hand; ``registry.SOURCES``)
INTERNATIONAL_FILE = registry.input_file("international_transport")
_INTERNATIONAL_COLUMNS = ("year", "aviation_t", "shipping_t", "source")


def read_international_transport(path: str | Path) -> pd.DataFrame:
    """The ``international_transport`` table: Sweden's international aviation and shipping CO2
    (t/yr) per year.

    Raises :class:`SourceError` for a missing or unexpected column, an empty cell, text in a number
    cell, negative emissions and a repeated year.
    """
    raw = read_csv_table(path, columns=_INTERNATIONAL_COLUMNS)
    check_not_empty(raw, ["year", "aviation_t", "shipping_t"], file=path)
    year = parse_numbers(raw, ["year"], file=path, integer=True)["year"]
    values = parse_numbers(raw, ["aviation_t", "shipping_t"], file=path)
    for column in ("aviation_t", "shipping_t"):
        check_not_negative(
            raw, values[column], what="international_emissions", file=path, column=column
        )
    check_unique(raw.assign(year=year), ["year"], what="international_year", file=path)
    out = pd.DataFrame(
        {"year": year, "aviation_t": values["aviation_t"], "shipping_t": values["shipping_t"]}
    ).reset_index(drop=True)
    return out[list(COLUMNS["international_transport"])]
