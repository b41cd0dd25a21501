"""A synthetic edition with Sweden's real areas (290 kommuner, 21 län, riket) and made-up
emissions, for the site tests while (and where) no real edition can be built.

Codes, names and county membership come from the shared ``regions/`` files when present;
emissions and population are deterministic pseudo-random numbers of a plausible size.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from koldioxidbudget.schema import GAS_CO2, SECTORS, Tables
from tests.conftest import SOURCES, make_tables

YEARS = (1990, 2000, 2005, 2010, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022)


def _regions() -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str]]]:
    mun = SOURCES / "regions" / "municipalities.csv"
    lan = SOURCES / "regions" / "counties.csv"
    if not (mun.is_file() and lan.is_file()):
        return [], []
    with mun.open(encoding="utf-8") as f:
        kommuner = [
            (r["kommunkod"], r["kommun"], r["kommun_officiellt"], r["lanskod"])
            for r in csv.DictReader(f)
        ]
    with lan.open(encoding="utf-8") as f:
        counties = [(r["lanskod"], r["lan"]) for r in csv.DictReader(f)]
    return kommuner, counties


def sweden_tables(seed: int = 7, edition_id: str = "co2-synthetic-sweden") -> Tables:
    """290 municipalities, 21 counties and Sweden with synthetic emissions (t CO2/yr)."""
    kommuner, counties = _regions()
    if not kommuner:
        return make_tables()
    rng = np.random.default_rng(seed)
    base = make_tables()
    areas = [(c, n, "kommun", lc, off) for c, n, off, lc in kommuner]
    areas += [(c, n, "lan", c, n) for c, n in counties]
    areas.append(("00", "Sverige", "riket", "00", "Sverige"))
    areas_df = pd.DataFrame(areas, columns=["code", "name", "level", "lan_code", "official_name"])
    lan_of = {c: lc for c, _, _, lc in kommuner}
    rows = []
    pop_rows = []
    weights = np.array([0.32, 0.18, 0.08, 0.06, 0.1, 0.12, 0.03, 0.02, 0.09])
    for code, _, _, _ in kommuner:
        pop = int(rng.lognormal(10, 1.0)) + 2500
        level = pop * rng.uniform(2.0, 8.0)
        if rng.uniform() < 0.03:
            level *= 20  # an industrial municipality
        split = rng.dirichlet(weights * 40)
        decline = rng.uniform(0.005, 0.04)
        noise = rng.normal(0, 0.02, len(YEARS))
        for j, y in enumerate(YEARS):
            total = level * (1 - decline) ** (y - 2022) * (1 + noise[j])
            for k, s in enumerate(SECTORS):
                rows.append((code, y, s, float(total * split[k])))
        for y in range(2015, 2026):
            pop_rows.append((code, y, int(pop * (1 + 0.005 * (y - 2022)))))
    em = pd.DataFrame(rows, columns=["code", "year", "sector", "emissions_t"])
    agg = (
        em.assign(code=em["code"].map(lan_of))
        .groupby(["code", "year", "sector"], as_index=False)["emissions_t"]
        .sum()
    )
    nat = (
        em.assign(code="00")
        .groupby(["code", "year", "sector"], as_index=False)["emissions_t"]
        .sum()
    )
    emissions = pd.concat([em, agg, nat], ignore_index=True)
    pop = pd.DataFrame(pop_rows, columns=["code", "year", "population"])
    pop_lan = (
        pop.assign(code=pop["code"].map(lan_of))
        .groupby(["code", "year"], as_index=False)["population"]
        .sum()
    )
    pop_nat = pop.assign(code="00").groupby(["code", "year"], as_index=False)["population"].sum()
    population = pd.concat([pop, pop_lan, pop_nat], ignore_index=True)
    sub_rows = []
    for code in ["00", *sorted(set(lan_of.values()))]:
        part = emissions[(emissions["code"] == code) & (emissions["sector"] == "transporter")]
        for r in part.itertuples(index=False):
            sub_rows.append((code, r.year, "transporter", "Personbilar", r.emissions_t * 0.6))
            sub_rows.append((code, r.year, "transporter", "Tunga lastbilar", r.emissions_t * 0.3))
            sub_rows.append((code, r.year, "transporter", "Övrigt", r.emissions_t * 0.1))
    subsectors = pd.DataFrame(
        sub_rows, columns=["code", "year", "sector", "subsector", "emissions_t"]
    )
    fac = pd.DataFrame(
        [("0980", "Cementa Slite", "cement", y, 1_600_000.0) for y in (2015, 2022)],
        columns=["code", "facility", "kind", "year", "emissions_t"],
    )
    return Tables(
        edition_id=edition_id,
        gas=GAS_CO2,
        release="synthetic",
        areas=areas_df,
        emissions=emissions,
        population=population,
        global_budgets=base.global_budgets,
        global_emissions=base.global_emissions,
        blocs=base.blocs,
        facilities=fac,
        subsectors=subsectors,
    )


def write_sweden_edition(root: Path, edition_id: str = "co2-synthetic-00000000") -> Path:
    from tests.conftest import write_tiny_edition

    return write_tiny_edition(root, sweden_tables(edition_id=edition_id), edition_id=edition_id)
