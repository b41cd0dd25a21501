"""The engine against published figures: Klimatkollen's municipal budgets of June 2024.

Klimatkollen published budgets for all 290 municipalities (80 Mt from 2024 minus 55/285 for
international transport, SMHI CO2 release 2024-04-18, cement process CO2 deducted, grandfathering
over 2015–2022, OLS trend, continuous pathway). The values below are from their published
``climate-data.json`` of 4 June 2024 (budget in tonnes, needed annual cut in %, the date the
budget runs out on the trend). The preset ``klimatkollen-2024`` must reproduce them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.schema import Tables
from koldioxidbudget.service.inputs import parameters_from

PUBLISHED = {
    # code: (budget_t, needed %, budget runs out)
    "1440": (237220.939, 43.59, "2025-10-03"),  # Ale
    "0980": (469617.506, 27.347, "2029-02-27"),  # Gotland (cement deducted)
    "0380": (979189.462, 30.842, "2027-04-19"),  # Uppsala
    "1480": (3768761.052, 42.588, "2025-10-27"),  # Göteborg
    "2584": (1193770.114, 43.735, "2025-09-29"),  # Kiruna
    "1484": (2720738.004, 37.387, "2026-04-03"),  # Lysekil
    "0840": (77607.682, 36.538, "2026-05-06"),  # Mörbylånga (cement deducted)
    "0191": (521167.903, 42.719, "2025-10-23"),  # Sigtuna
    "1496": (240155.679, 39.272, "2026-01-28"),  # Skövde (cement deducted)
    "0180": (2265529.056, 22.645, None),  # Stockholm: the trend stays within the budget
}


@pytest.fixture(scope="module")
def klimatkollen(real: Tables):
    return compute_budgets(tables=real, params=parameters_from("klimatkollen-2024"))


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_klimatkollen_2024_reproduced(klimatkollen, code: str) -> None:
    budget, needed_pct, runs_out = PUBLISHED[code]
    r = klimatkollen.area(code)
    assert r.budget_t == pytest.approx(budget, abs=0.01)
    assert round(r.rate * 100, 3) == pytest.approx(needed_pct, abs=0.0011)
    if runs_out is None:
        assert r.trend_exhaustion_date is None
    else:
        # Klimatkollen counted 365-day years from 2025; across a leap day that is one day apart
        assert abs((r.trend_exhaustion_date - dt.date.fromisoformat(runs_out)).days) <= 1


def test_klimatkollen_2024_national_total(klimatkollen) -> None:
    assert klimatkollen.national.allocated_t == pytest.approx(80e6 - 80e6 * 55 / 285)
    assert klimatkollen.area("00").budget_t == pytest.approx(64_561_403.51, abs=0.01)


def test_published_national_figures(real: Tables) -> None:
    r17 = compute_budgets(tables=real, params=parameters_from("uppsala-2024-1.7"))
    assert r17.national.budget_t == 285_113_000
    assert r17.national.allocated_t == pytest.approx(285_113_000 - 53_433_000 - 1_364_000)
    r15 = compute_budgets(tables=real, params=parameters_from("uppsala-2024-1.5"))
    assert r15.national.budget_t == 80_000_000
    assert r15.national.allocated_t == pytest.approx(80e6 * (1 - 54_797 / 285_113))


def test_real_edition_sums(real: Tables) -> None:
    run = compute_budgets(tables=real, params=parameters_from())
    mun = [r for r in run.areas("kommun")]
    assert len(mun) == 290
    assert sum(r.budget_t for r in mun) == pytest.approx(run.national.allocated_t, rel=1e-12)
    for lan in run.areas("lan"):
        members = [r for r in mun if r.lan_code == lan.code]
        assert lan.budget_t == pytest.approx(sum(r.budget_t for r in members), rel=1e-12)
        assert lan.remaining_t == pytest.approx(sum(r.remaining_t for r in members), rel=1e-9)
    assert len(run.areas("lan")) == 21


def test_the_trend_path_and_the_exhaustion_date_tell_one_story(real: Tables) -> None:
    """For every area: the trend path's running total (table "Utsläpp till 2050 per bana")
    stays within the remaining budget exactly when the trend's exhaustion date is null, and
    exceeds it when the date falls before the horizon (Stockholms län said "the trend stays
    within the budget" beside a trend path at 104 % of it)."""
    run = compute_budgets(tables=real, params=parameters_from("uppsala-2024-1.7"))
    horizon = run.params.horizon_year
    checked = 0
    for code in run.codes:
        r = run.area(code)
        if r.remaining_t <= 0:
            continue
        total = r.cumulative_t["trend"]
        if r.trend_exhaustion_date is None:
            assert total <= r.remaining_t * (1 + 1e-9), (code, total, r.remaining_t)
        elif r.trend_exhaustion_date.year < horizon:
            assert total >= r.remaining_t * (1 - 1e-9), (code, total, r.remaining_t)
        checked += 1
    assert checked > 250
