"""Edge cases a server or a curious user can reach: clear errors, never NaN or a crash."""

from __future__ import annotations

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from tests.conftest import make_tables


def test_computed_chain_without_room_for_developed_countries_is_refused() -> None:
    with pytest.raises(ParameterError, match="leaves no budget for developed countries"):
        compute_budgets(
            tables=make_tables(),
            params=parameters_from(None, {"national_mode": "computed", "luc_deduction_gt": "5000"}),
        )


def test_budget_lasting_millennia_has_no_calendar_date() -> None:
    # a tiny, rising emitter with a vast budget: the trend would take beyond year 9999
    t = make_tables(
        levels={"0101": [1.0] * 9, "0102": [1.0] * 9, "0201": [1.0 + i * 1e-3 for i in range(9)]}
    )
    r = compute_budgets(tables=t, params=parameters_from(None, {"as_of": "2026"})).area("0201")
    assert r.trend_exhaustion_date is None
    assert r.years_left is not None and r.years_left > 1000


def test_delay_rates_equal_single_computations_under_d() -> None:
    from koldioxidbudget.method.pathway import required_rate

    r = compute_budgets(
        tables=make_tables(),
        params=parameters_from(
            None,
            {
                "national_budget_t": "10000",
                "national_overhead_t": "0",
                "convention": "D",
                "as_of": "2026",
            },
        ),
    ).area("0101")
    for d in r.cost_of_delay:
        import numpy as np

        single = required_rate(
            e0=np.array([r.e0_t]),
            budget=np.array([r.remaining_t - d.delay_years * r.e0_t]),
            convention="D",
            n_years=max(1, 2050 - 2026 - d.delay_years + 1),
        )[0]
        assert d.rate == pytest.approx(single, rel=1e-12)


def test_convention_d_residual_larger_than_the_budget_is_warned_and_capped() -> None:
    from koldioxidbudget.service.inputs import parameters_from
    from tests.conftest import make_tables

    params = parameters_from(
        None,
        {
            "national_budget_t": "10000",
            "national_overhead_t": "1000",
            "as_of": "2026",
            "nowcast": "ols",
            "convention": "D",
            "residual_fraction": "0.5",
        },
    )
    run = compute_budgets(tables=make_tables(), params=params)
    for r in run.areas():
        if r.remaining_t <= 0:
            continue
        fits = r.e0_t * 0.5 * (params.horizon_year - 2026 + 1) <= r.remaining_t
        assert ("residual-exceeds-budget" in r.warnings) is (not fits)
        # the pathway never uses more than what is left
        assert sum(t for _, t in r.pathway) <= r.remaining_t * (1 + 1e-9)
        # the near-zero year is read off that pathway, inside the horizon
        assert r.near_zero_year is not None and r.near_zero_year <= params.horizon_year + 1


def test_custom_base_years_must_be_published_years() -> None:
    from koldioxidbudget.errors import ParameterError
    from koldioxidbudget.service.inputs import parameters_from
    from tests.conftest import make_tables

    with pytest.raises(ParameterError, match="must start and end with years SMHI published"):
        compute_budgets(
            tables=make_tables(),
            params=parameters_from(
                None, {"base_years": "custom", "base_years_custom": "2001,2016"}
            ),
        )


def test_counties_and_sweden_show_what_members_overspent() -> None:
    from koldioxidbudget.service.inputs import parameters_from
    from tests.conftest import make_tables

    # Beta grows while the others fall: under per capita Gamma (high emitter, few people) is over
    t = make_tables(population={"0101": 1000, "0102": 8000, "0201": 1000})
    params = parameters_from(
        None,
        {
            "national_budget_t": "1500",
            "national_overhead_t": "0",
            "national_other_t": "0",
            "as_of": "2026",
            "nowcast": "ols",
            "allocation": "per-capita",
        },
    )
    run = compute_budgets(tables=t, params=params)
    mun = {r.code: r.remaining_t for r in run.areas("kommun")}
    assert mun["0201"] < 0 < mun["0102"]
    sweden = run.area("00")
    assert sweden.members_available_t == pytest.approx(sum(v for v in mun.values() if v > 0))
    assert sweden.members_overspent_t == pytest.approx(-sum(v for v in mun.values() if v < 0))
    assert sweden.remaining_t == pytest.approx(
        sweden.members_available_t - sweden.members_overspent_t
    )
    assert "members-overspent" in sweden.warnings
    assert run.area("0201").members_available_t is None


@pytest.mark.parametrize(
    "allocation", ["grandfathering", "per-capita", "blend", "contraction-convergence"]
)
def test_a_cell_with_nothing_to_share_gives_zero_budgets_not_nan(allocation: str) -> None:
    """1,5 °C with 83 %: Sweden's budget on the line through the published points is spent,
    so nothing is left to share. Every rule gives every area a zero budget that reads as spent
    (contraction-convergence divided by the zero and gave NaN; the load test found it)."""
    import math

    params = parameters_from(
        None, {"temperature_c": "1.5", "probability_pct": "83", "allocation": allocation}
    )
    run = compute_budgets(tables=make_tables(), params=params)
    for r in run.areas():
        assert r.budget_t == 0.0, (allocation, r.code, r.budget_t)
        assert r.exhausted and math.isfinite(r.remaining_t) and math.isfinite(r.rate)
