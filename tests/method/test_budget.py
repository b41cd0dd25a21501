"""The engine on a tiny hand-made edition: every figure against a hand computation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koldioxidbudget.errors import EditionError, ParameterError
from koldioxidbudget.method.budget import compute_budgets, fractional_year_to_date
from koldioxidbudget.method.params import PRESETS, LocalTarget
from koldioxidbudget.schema import GAS_CO2E, Tables
from koldioxidbudget.service.inputs import parameters_from
from tests.conftest import make_tables

#: a small national budget (10 000 t at 1.7 °C, 2 000 t at 1.5 °C, both 50 %) and the OLS nowcast
#: (the tiny editions carry no greenhouse-gas release; the ghg-ratio nowcast is tested below)
SMALL = {
    "national_budget_t": "10000",
    "national_overhead_t": "1000",
    "national_other_t": "2000",
    "as_of": "2026",
    "nowcast": "ols",
}


def run(tables: Tables, **overrides: str):
    return compute_budgets(tables=tables, params=parameters_from(None, {**SMALL, **overrides}))


def test_grandfathering_last_three_years_hand_computed(tiny: Tables) -> None:
    r = run(tiny)
    # base years 2020–2022: Alfa 70+68+66 = 204, Beta 120, Gamma 360; total 684; 9000 t allocated
    assert r.area("0101").budget_t == pytest.approx(9000 * 204 / 684)
    assert r.area("0102").budget_t == pytest.approx(9000 * 120 / 684)
    assert r.area("0201").share == pytest.approx(360 / 684)


def test_county_is_sum_of_municipalities_and_sweden_is_allocated_budget(tiny: Tables) -> None:
    r = run(tiny)
    assert r.area("01").budget_t == pytest.approx(r.area("0101").budget_t + r.area("0102").budget_t)
    assert r.area("01").remaining_t == pytest.approx(
        r.area("0101").remaining_t + r.area("0102").remaining_t
    )
    assert r.area("00").budget_t == pytest.approx(9000.0)
    assert r.area("00").level == "riket"


def test_nowcast_ols_and_remaining_hand_computed(tiny: Tables) -> None:
    r = run(tiny).area("0101")
    # Alfa 2015–2022 falls by exactly 2 t/yr from 80: OLS trend 2023 = 64, 2024 = 62, 2025 = 60
    assert r.e0_t == pytest.approx(60.0)
    assert r.e0_estimated is True and r.e0_year == 2025
    assert r.remaining_t == pytest.approx(r.budget_t - 62.0 - 60.0)
    assert r.rate == pytest.approx(60.0 / (r.remaining_t + 60.0))  # convention A
    assert r.years_left == pytest.approx(r.remaining_t / 60.0)
    assert r.exhaustion_year == math.floor(2026 + r.remaining_t / 60.0)
    assert r.one_in_n == round(1 / r.rate)
    assert r.trend_zero_year == pytest.approx(2055.0)  # 60 − 2·(t − 2025) = 0


def test_nowcast_lad_ignores_one_outlier() -> None:
    vals = [100.0, 80.0, 78.0, 76.0, 74.0, 500.0, 70.0, 68.0, 66.0]  # 2019 outlier
    t = make_tables(levels={"0101": vals, "0102": [50.0] * 9, "0201": [200.0] * 9})
    lad = run(t, nowcast="lad").area("0101")
    assert lad.e0_t == pytest.approx(60.0)
    ols = run(t, nowcast="ols").area("0101")
    assert ols.e0_t != pytest.approx(60.0)


def test_recent_change_is_mean_of_last_five_annual_changes(tiny: Tables) -> None:
    r = run(tiny).area("0102")
    assert r.recent_change == pytest.approx(0.0)
    a = run(tiny).area("0101")
    expected = np.mean([72 / 74 - 1, 70 / 72 - 1, 68 / 70 - 1, 66 / 68 - 1, 74 / 76 - 1])
    assert a.recent_change == pytest.approx(expected)


def test_per_capita_allocation_and_blend(tiny: Tables) -> None:
    pc = run(tiny, allocation="per-capita")
    assert pc.area("0102").budget_t == pytest.approx(9000 * 3000 / 5000)
    bl = run(tiny, allocation="blend", blend_weight="0.25")
    expected = 9000 * (0.25 * 120 / 684 + 0.75 * 3000 / 5000)
    assert bl.area("0102").budget_t == pytest.approx(expected)


def test_contraction_convergence_sums_to_allocated(tiny: Tables) -> None:
    cc = run(tiny, allocation="contraction-convergence", convergence_year="2035")
    total = sum(cc.area(c).budget_t for c in ("0101", "0102", "0201"))
    assert total == pytest.approx(9000.0)
    # Beta has 60 % of the people and 17.5 % of the emissions: it gains against grandfathering
    assert (
        run(tiny).area("0102").budget_t
        < cc.area("0102").budget_t
        < run(tiny, allocation="per-capita").area("0102").budget_t
    )


def test_international_transport_per_capita_on_both_sides(tiny: Tables) -> None:
    r = run(tiny, international_transport="per-capita")
    assert r.area("00").budget_t == pytest.approx(10000.0)
    # budget: grandfathered share of the rest (bunkers kept out of the base) + per-capita overhead
    assert r.area("0102").budget_t == pytest.approx(9000 * 120 / 684 + 1000 * 3000 / 5000)
    # emissions: Beta's flat 40 t plus its population share (3000/5000) of 300 t of bunkers
    beta = r.area("0102")
    assert dict((y, v) for y, v, _ in beta.history)[2022] == pytest.approx(40.0 + 180.0)
    assert beta.e0_t == pytest.approx(220.0)
    assert r.area("00").e0_t == pytest.approx(r.area("00").history[-1][1])
    assert dict((y, v) for y, v, _ in r.area("00").history)[2022] == pytest.approx(221.0 + 300.0)


def test_international_transport_per_capita_refused_without_the_series() -> None:
    t = dataclasses.replace(
        make_tables(), international_transport=make_tables().international_transport.iloc[0:0]
    )
    with pytest.raises(ParameterError, match="needs Sweden's international aviation and shipping"):
        run(t, international_transport="per-capita")


def test_cement_excluded_from_host_municipality() -> None:
    t = make_tables(cement={"0201": 20.0})
    r = run(t).area("0201")
    # Gamma industri is 30 % of 115 = 34.5 in 2022; the process share 0.63 of the plant's 20 t
    assert dict(r.excluded_t)[2022] == pytest.approx(0.63 * 20.0)
    assert dict((y, v) for y, v, _ in r.history)[2022] == pytest.approx(115.0 - 12.6)
    whole = run(t, cement_process_share="1").area("0201")
    assert dict((y, v) for y, v, _ in whole.history)[2022] == pytest.approx(95.0)
    kept = run(t, exclude_cement="false").area("0201")
    assert dict((y, v) for y, v, _ in kept.history)[2022] == pytest.approx(115.0)


def test_cement_deduction_capped_at_industri_and_warned() -> None:
    t = make_tables(cement={"0201": 50.0})
    # Gamma industri 2022: 34.5 t; the whole plant (50 t) exceeds it
    capped = run(t, cement_process_share="1").area("0201")
    assert dict(capped.excluded_t)[2022] == pytest.approx(34.5)
    assert dict((y, v) for y, v, _ in capped.history)[2022] == pytest.approx(115.0 - 34.5)
    assert "deduction-capped" in capped.warnings
    assert "deduction-capped" in run(t, cement_process_share="1").area("00").warnings
    # transport and farming keep every tonne
    assert capped.history_by_sector["transporter"][-1][1] == pytest.approx(0.6 * 115.0)
    # Klimatkollen's reading: the excess comes off the other sectors pro rata
    pro = run(t, cement_process_share="1", deduction_excess="pro-rata").area("0201")
    assert dict((y, v) for y, v, _ in pro.history)[2022] == pytest.approx(115.0 - 50.0)
    assert "deduction-capped" not in pro.warnings


def test_co2e_edition_is_refused() -> None:
    t = make_tables(gas=GAS_CO2E)
    with pytest.raises(EditionError, match="carbon budget is fossil CO2 only"):
        run(t)


def test_remaining_before_budget_start_adds_emissions_back(tiny: Tables) -> None:
    r = run(tiny, as_of="2023", horizon_year="2050").area("0102")
    assert r.remaining_t == pytest.approx(r.budget_t + 40.0)  # 2023 nowcast of a flat 40 t series
    assert r.ledger == ()


def test_ledger_against_adopted_path(tiny: Tables) -> None:
    r = run(tiny).area("0101")
    assert [row.year for row in r.ledger] == [2024, 2025]
    first = r.ledger[0]
    assert first.opening_t == pytest.approx(r.budget_t)
    assert first.closing_t == pytest.approx(r.budget_t - 62.0)
    # adopted as of 2024: E0 = 2023 nowcast 64, A: r = 64 / (B + 64), planned 2024 = 64 (1 − r)
    r24 = 64 / (r.budget_t + 64)
    assert first.planned_t == pytest.approx(64 * (1 - r24))
    assert first.variance_t == pytest.approx(62 - 64 * (1 - r24))
    assert r.ledger[-1].closing_t == pytest.approx(r.remaining_t)


def test_cost_of_delay_hand_computed(tiny: Tables) -> None:
    r = run(tiny).area("0101")
    d2 = r.cost_of_delay[2]
    assert d2.remaining_t == pytest.approx(r.remaining_t - 2 * 60.0)
    assert d2.rate == pytest.approx(60.0 / (r.remaining_t - 120.0 + 60.0))
    p = r.pathway
    assert d2.extra_t == pytest.approx(120.0 - p[0][1] - p[1][1])
    assert [d.delay_years for d in r.cost_of_delay] == list(range(11))


def test_exhausted_budget_flags() -> None:
    t = make_tables()
    r = compute_budgets(
        tables=t,
        params=parameters_from(
            None, {"national_budget_t": "300", "national_overhead_t": "0", "as_of": "2026"}
        ),
    )
    a = r.area("0201")
    assert a.remaining_t < 0 and a.exhausted and a.rate == 1.0 and a.years_left == 0.0
    assert "budget-exhausted" in a.warnings


def test_reference_paths_and_local_target(tiny: Tables) -> None:
    p = dataclasses.replace(
        parameters_from(None, SMALL),
        local_targets=(LocalTarget(2030, 0.5, 1990), LocalTarget(2045, 1.0, 1990)),
    )
    a = compute_budgets(tables=tiny, params=p).area("0101")
    refs = {k: dict(v) for k, v in a.references.items()}
    assert refs["no-reduction"][2040] == pytest.approx(60.0)
    # the trend line is at 50 t on 1 January 2030 and falls by 2 t a year: 49 t over 2030
    assert a.trend_slope_t == pytest.approx(-2.0)
    assert refs["trend"][2030] == pytest.approx(49.0)
    assert refs["local-target"][2030] == pytest.approx(50.0)  # −50 % of 1990's 100 t
    assert refs["local-target"][2045] == 0.0
    assert refs["sweden-targets"][2030] == pytest.approx(37.0)
    assert refs["sweden-targets"][2050] == pytest.approx(15.0)
    assert refs["carbon-law"][2025 + 1] == pytest.approx(62.0 * (1 - 0.1172) ** 2)
    assert a.target_check is not None
    assert a.target_check.cumulative_t == pytest.approx(
        sum(list(refs["local-target"].values())[: 2050 - 2026 + 1])
    )


def test_national_budget_on_the_line_through_the_published_points(tiny: Tables) -> None:
    r17 = run(tiny)
    r15 = run(tiny, temperature_c="1.5")
    r20 = run(tiny, temperature_c="2.0")
    # global budgets rolled to 2024 (40 Gt/yr used 2020–2023): 1.5 °C 340, 1.7 °C 690, 2.0 °C 1190
    assert r15.national.budget_t == pytest.approx(2000.0)
    assert not r15.national.derived_from_preset and not r17.national.derived_from_preset
    assert r20.national.budget_t == pytest.approx(
        10000 + (2000 - 10000) * (1190 - 690) / (340 - 690)
    )
    assert r20.national.derived_from_preset and r20.national.extrapolated
    r1767 = run(tiny, probability_pct="67")  # 700 − 160 = 540: between the points
    assert r1767.national.budget_t == pytest.approx(
        10000 + (2000 - 10000) * (540 - 690) / (340 - 690)
    )
    assert not r1767.national.extrapolated
    # the same answer from the other published point's side
    other = run(
        tiny,
        temperature_c="2.0",
        national_budget_t="2000",
        national_preset_temperature_c="1.5",
        national_other_t="10000",
        national_other_temperature_c="1.7",
    )
    assert other.national.budget_t == pytest.approx(r20.national.budget_t)
    # one published point only: scaled by the ratio of the global budgets
    single = run(tiny, temperature_c="2.0", national_other_t="0")
    assert single.national.budget_t == pytest.approx(10000 * 1190 / 690)
    # a cell below the line's zero gets no budget at all (everything is then spent)
    none = run(tiny, temperature_c="1.5", probability_pct="83")  # 300 − 160 = 140 Gt
    assert none.national.budget_t == 0.0
    assert all(r.exhausted for r in none.areas())


def test_computed_national_chain(tiny: Tables) -> None:
    r = run(tiny, national_mode="computed")
    n = r.national
    assert n.energy_gt == pytest.approx(850 - 160 - 60 - 40)
    assert n.sweden_share_of_developed == pytest.approx(40 / 13000)
    assert n.budget_t == pytest.approx(n.developed_gt * 40 / 13000 * 1e9)


def test_unknown_parameter_and_value_messages() -> None:
    with pytest.raises(
        ParameterError, match="Unknown parameter 'conventon'. Did you mean 'convention'"
    ):
        parameters_from(None, {"conventon": "A"})
    with pytest.raises(ParameterError, match="Unknown preset 'uppsala-2025'"):
        parameters_from("uppsala-2025")
    with pytest.raises(ParameterError, match="Cannot read 'abc' as a value for temperature_c"):
        parameters_from(None, {"temperature_c": "abc"})
    with pytest.raises(ParameterError, match="publishes no budget for 1.6 °C"):
        run(make_tables(), temperature_c="1.6")


def test_fractional_year_to_date() -> None:
    assert fractional_year_to_date(2030.0) == dt.date(2030, 1, 1)
    assert fractional_year_to_date(2030.5) == dt.date(2030, 7, 2)


@settings(max_examples=30, deadline=None)
@given(
    factor=st.floats(min_value=0.1, max_value=10),
    preset=st.sampled_from(sorted(PRESETS)),
    rule=st.sampled_from(["grandfathering", "per-capita", "blend"]),
)
def test_shares_sum_to_one_and_budgets_scale(  # C&C shares depend on the path, so it is tested above
    factor: float, preset: str, rule: str
) -> None:
    t = make_tables()
    base = dataclasses.replace(PRESETS[preset], as_of=2026, allocation=rule)
    r1 = compute_budgets(tables=t, params=base)
    r2 = compute_budgets(
        tables=t,
        params=dataclasses.replace(
            base,
            national_budget_t=base.national_budget_t * factor,
            national_overhead_t=base.national_overhead_t * factor,
        ),
    )
    mun = [i for i, lv in enumerate(r1.levels) if lv == "kommun"]
    shares = r1.allocation.shares
    assert np.all((shares >= 0) & (shares <= 1))
    assert shares.sum() == pytest.approx(1.0)
    assert r1.budget_t[mun].sum() == pytest.approx(r1.national.allocated_t)
    assert r2.budget_t == pytest.approx(r1.budget_t * factor, rel=1e-9)
