"""The years after the last data year: the ghg-ratio nowcast, its backtest, and what is flagged.

Hand computations on tiny editions, and the real 2024-04-18 CO2 edition carried forward with
SMHI's greenhouse-gas releases of 2025 and 2026.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from koldioxidbudget.method.backtest import backtest_nowcasts, best_nowcast
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.params import PRESETS, preset
from koldioxidbudget.schema import SECTORS, Tables
from koldioxidbudget.service.inputs import parameters_from
from tests.conftest import make_tables

SMALL = {"national_budget_t": "10000", "national_overhead_t": "1000", "as_of": "2026"}


def run(tables: Tables, **overrides: str):
    return compute_budgets(tables=tables, params=parameters_from(None, {**SMALL, **overrides}))


def ghg_tables() -> Tables:
    # one release "2099" for 2022–2024: Alfa +10 % then −20 % against 2022, Beta flat
    return make_tables(
        ghg={
            "0101": {2022: 1000.0, 2023: 1100.0, 2024: 800.0},
            "0102": {2022: 500.0, 2023: 500.0, 2024: 500.0},
            "0201": {2022: 0.0, 2023: 10.0, 2024: 10.0},
        }
    )


def test_ghg_ratio_carries_each_sector_with_the_release_change() -> None:
    r = run(ghg_tables())
    alfa = dict((y, (v, e)) for y, v, e in r.area("0101").history)
    # Alfa 2022 = 66 t; the release says 2023/2022 = 1.1 and 2024/2022 = 0.8 in every sector
    assert alfa[2023] == (pytest.approx(66 * 1.1), True)
    assert alfa[2024] == (pytest.approx(66 * 0.8), True)
    # a sector the release has at zero in 2022 keeps its level (Gamma: 115 t)
    gamma = dict((y, v) for y, v, _ in r.area("0201").history)
    assert gamma[2024] == pytest.approx(115.0)
    inv = r.inventory
    assert inv.est_years == (2023, 2024) and inv.est_releases == ("2099", "2099")
    # sector figures follow: Alfa's transport 60 % of 66 × 0.8
    sec = r.inventory.annual_sectors([2024])[0][0, 0]
    assert sec[SECTORS.index("transporter")] == pytest.approx(0.6 * 66 * 0.8)


def test_years_no_release_covers_follow_the_national_trend() -> None:
    r = run(ghg_tables())
    inv = r.inventory
    # Sweden (Σ municipalities) over 2015–2024: 270, 263, 256, 249, 242, 235, 228, 221 (data),
    # then 2023 = 72.6 + 40 + 115, 2024 = 52.8 + 40 + 115 (carried forward)
    ys = np.array([*range(2015, 2023), 2023, 2024], dtype=float)
    tot = np.array([270, 263, 256, 249, 242, 235, 228, 221, 72.6 + 155, 52.8 + 155])
    slope = ((ys - ys.mean()) * (tot - tot.mean())).sum() / ((ys - ys.mean()) ** 2).sum()
    g = slope / tot[-1]
    assert inv.growth == pytest.approx(g)
    alfa = r.area("0101")
    assert alfa.e0_year == 2025 and alfa.e0_estimated
    assert alfa.e0_t == pytest.approx(66 * 0.8 * (1 + g))
    # what the figures rest on is said: E0 and the remaining budget are estimates
    assert alfa.estimated_years == (2024, 2025)
    assert alfa.remaining_estimated
    assert {"e0-estimated", "remaining-estimated"} <= set(alfa.warnings)
    assert alfa.remaining_t == pytest.approx(alfa.budget_t - 66 * 0.8 - alfa.e0_t)


def test_ratios_never_mix_releases() -> None:
    t = ghg_tables()
    older = t.ghg_sectors.assign(release="2098")
    older = older[older["year"] <= 2023].assign(emissions_t=older["emissions_t"] * 3)
    import dataclasses

    import pandas as pd

    t2 = dataclasses.replace(t, ghg_sectors=pd.concat([older, t.ghg_sectors]))
    # the newest release holding both years is used for each year, so the older one changes nothing
    a = dict((y, v) for y, v, _ in run(t).area("0101").history)
    b = dict((y, v) for y, v, _ in run(t2).area("0101").history)
    assert b == pytest.approx(a)


def test_without_any_release_every_later_year_follows_the_national_trend(tiny: Tables) -> None:
    r = run(tiny)
    assert r.inventory.est_years == ()
    beta = r.area("0102")
    # Sweden falls by 7 t/yr to 221 t in 2022: g = −7/221 per year; Beta 40 t in 2022
    g = -7 / 221
    assert r.inventory.growth == pytest.approx(g)
    assert beta.e0_t == pytest.approx(40 * (1 + g) ** 3)


def test_real_2024_follows_the_greenhouse_gas_release(real: Tables) -> None:
    run17 = compute_budgets(tables=real, params=preset("uppsala-2024-1.7", as_of=2025))
    assert run17.inventory.est_years == (2023, 2024)
    ghg = real.ghg_sectors
    newest = ghg[ghg["release"] == max(ghg["release"])]
    for code in ("00", "0380", "1480", "2403"):
        r = run17.area(code)
        hist = {y: v for y, v, _ in r.history}
        # the sector changes the release shows, weighted by the CO2 in each sector in 2022
        members = (
            set(real.areas.loc[real.areas["level"] == "kommun", "code"]) if code == "00" else {code}
        )
        g = newest[newest["code"].isin(members)].groupby(["sector", "year"])["emissions_t"].sum()
        implied = 0.0
        for s, series in r.history_by_sector.items():
            last = dict(series)[2022]
            if last and (s, 2022) in g and g[(s, 2022)] > 0:
                implied += last * g[(s, 2024)] / g[(s, 2022)]
            else:
                implied += last
        ratio = hist[2024] / hist[2022]
        assert ratio == pytest.approx(implied / hist[2022], rel=0.03)
    sweden = {y: v for y, v, _ in run17.area("00").history}
    assert 1.04 < sweden[2024] / sweden[2022] < 1.10  # transport and machinery rose in 2024


def test_real_gotland_keeps_its_industry_under_the_uppsala_presets(real: Tables) -> None:
    r = compute_budgets(tables=real, params=PRESETS["uppsala-2024-1.7"]).area("0980")
    industri = dict(r.history_by_sector["industri"])
    transport = dict(r.history_by_sector["transporter"])
    # SMHI: industry 1 509 kt in 2022; Slite reported 1 514 kt, 63 % of it process CO2
    assert 500e3 < industri[2022] < 600e3
    em = real.emissions
    published = em[(em["code"] == "0980") & (em["year"] == 2022) & (em["sector"] == "transporter")]
    assert transport[2022] == pytest.approx(float(published["emissions_t"].iloc[0]))  # untouched
    assert "deduction-capped" not in r.warnings


def test_backtest_table_in_the_docs_is_the_backtest_of_the_real_edition(real: Tables) -> None:
    from bench.backtest import markdown

    rows = backtest_nowcasts(tables=real, params=PRESETS["uppsala-2024-1.7"])
    assert best_nowcast(rows) == PRESETS["uppsala-2024-1.7"].nowcast == "ghg-ratio"
    docs = (Path(__file__).resolve().parents[2] / "docs" / "method.md").read_text("utf-8")
    assert markdown(rows) in docs
    by = {(r.method, r.horizon): r for r in rows}
    assert by[("ghg-ratio", 1)].municipal_median < by[("ols", 1)].municipal_median / 3
