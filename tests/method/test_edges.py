"""Edge cases a server or a curious user can reach: clear errors, never NaN or a crash."""

from __future__ import annotations

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.params import parameters_from
from tests.conftest import make_tables


def test_computed_chain_without_room_for_developed_countries_is_refused() -> None:
    with pytest.raises(ParameterError, match="leaves no budget for developed countries"):
        compute_budgets(
            tables=make_tables(),
            params=parameters_from(
                None, {"national_mode": "computed", "luc_deduction_gt": "1000000"}
            ),
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
