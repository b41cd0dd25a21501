"""method/figures.py against hand-computed values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from koldioxidbudget.method.figures import (
    annual_ceilings,
    deduction_in,
    global_totals,
    halving_years,
    largest_sector,
    per_capita_ranking,
    sector_burn_share,
    subsector_breakdown,
)


def test_halving_years_of_the_carbon_law_is_a_decade() -> None:
    r = 1 - 0.5 ** (1 / 10)  # 6.70 %
    assert halving_years(r) == pytest.approx(10.0)
    assert halving_years(0.1172) == pytest.approx(math.log(0.5) / math.log(0.8828))  # 5.56
    assert halving_years(0.1172) == pytest.approx(5.560, abs=1e-3)
    assert halving_years(0.0) is None and halving_years(1.0) is None


def test_global_totals_sums_fossil_and_land_use() -> None:
    ge = pd.DataFrame(
        {
            "year": [2021, 2020],
            "world_fossil_mt": [36_000.0, 35_000.0],
            "world_luc_mt": [4_000.0, 5_000.0],
        }
    )
    g = global_totals(ge)
    assert (g.first_year, g.last_year) == (2020, 2021)
    assert g.last_t == 40_000e6
    assert g.sum_t == 80_000e6


def test_largest_sector_and_its_share() -> None:
    by = {"a": {2022: 30.0}, "b": {2022: 60.0}, "c": {2022: 10.0}}
    assert largest_sector(by, 2022) == ("b", pytest.approx(0.6))
    assert largest_sector({"a": {2022: 0.0}}, 2022) is None


def test_per_capita_ranking_highest_first() -> None:
    e = [100.0, 50.0, 300.0]
    p = [10.0, 25.0, 100.0]
    assert per_capita_ranking([0, 1, 2], e, p) == [(0, 10.0), (2, 3.0), (1, 2.0)]


def test_sector_burn_share_uses_the_sectors_own_emissions() -> None:
    # the example: 37 kt of 2 300 kt remaining is 1/62 a year, about 1.6 %
    assert sector_burn_share(37_000.0, 2_300_000.0) == pytest.approx(37 / 2300)
    assert round(1 / sector_burn_share(37_000.0, 2_300_000.0)) == 62  # type: ignore[operator]
    assert sector_burn_share(37_000.0, -5.0) is None


def test_subsector_breakdown_keeps_only_sectors_that_add_up() -> None:
    ss = pd.DataFrame(
        {
            "code": ["0380"] * 5 + ["0381"],
            "year": [2022] * 6,
            "sector": [
                "transporter",
                "transporter",
                "transporter",
                "avfall",
                "avfall",
                "transporter",
            ],
            "subsector": ["Personbilar", "Bussar", "Smått", "A", "B", "Personbilar"],
            "emissions_t": [300.0, 100.0, 0.2, 10.0, 10.0, 999.0],
        }
    )
    out = subsector_breakdown(
        ss, code="0380", year=2022, sector_totals={"transporter": 400.0, "avfall": 50.0}
    )
    assert list(out) == ["transporter"]  # avfall: 20 t of 50 t is not a breakdown
    t = out["transporter"]
    assert [x.subsector for x in t] == ["Personbilar", "Bussar"]  # 0.2 t left out
    assert [x.share for x in t] == [0.75, 0.25]


def test_annual_ceilings_sum_and_leave_the_rest() -> None:
    path = [(2026, 80.0), (2027, 64.0), (2028, 51.2)]
    c = annual_ceilings(path, e0_t=100.0, remaining_t=400.0, horizon=2050, every_year_for=2)
    assert [x.year for x in c] == [2026, 2027]  # 2028 is neither early nor a multiple of 5
    assert c[0].cut_t == 20.0 and c[1].cut_t == 16.0
    assert c[1].used_t == 144.0 and c[1].left_t == 256.0


def test_deduction_in_adds_back_what_was_deducted() -> None:
    excluded = [(2021, 900.0), (2022, 1_000.0)]
    history = [(2021, 5_000.0, False), (2022, 4_000.0, False), (2023, 3_900.0, True)]
    d = deduction_in(excluded, history, 2022)
    assert d is not None
    assert (d.year, d.reported_t, d.deducted_t, d.counted_t) == (2022, 5_000.0, 1_000.0, 4_000.0)
    assert deduction_in(excluded, history, 2023) is None  # no deduction recorded that year
    assert deduction_in([(2022, 0.2)], history, 2022) is None  # rounding residue: no sentence
