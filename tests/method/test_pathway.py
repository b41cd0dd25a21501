"""Rate conventions and pathways: closed forms, hand-computed values and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.method.pathway import (
    annual_path,
    linear_path,
    near_zero_year,
    required_rate,
)


def _r(e0: float, b: float, conv: str, n: int = 25, rho: float = 0.0) -> float:
    return float(
        required_rate(
            e0=np.array([e0]),
            budget=np.array([b]),
            convention=conv,
            n_years=n,
            residual_fraction=rho,
        )[0]
    )


def test_rate_convention_a_published_national_figure() -> None:
    # 80 Mt from 2024 with E0 ≈ 44.5 Mt under convention A gives ≈ 35.7 % (Uppsala briefing)
    assert _r(44.5e6, 80e6, "A") == pytest.approx(44.5 / 124.5)
    assert round(_r(44.5e6, 80e6, "A") * 100, 1) == 35.7


def test_rate_hand_computed_each_convention() -> None:
    assert _r(10.0, 90.0, "A") == pytest.approx(0.1)  # 10 / (90 + 10)
    assert _r(10.0, 100.0, "C") == pytest.approx(0.1)  # 10 / 100
    assert _r(10.0, 100.0, "B") == pytest.approx(1 - math.exp(-0.1))  # 0.0951626
    assert _r(10.0, 100.0, "B") == pytest.approx(0.09516258196)


def test_rate_convention_d_finite_horizon_hand_computed() -> None:
    # N = 1 year: E0 (1 − r) = B  →  r = 1 − B/E0
    assert _r(10.0, 7.0, "D", n=1) == pytest.approx(0.3, abs=1e-9)
    # budget equal to N·E0 means no cut
    assert _r(10.0, 50.0, "D", n=5) == pytest.approx(0.0, abs=1e-9)


def test_rate_exhausted_budget_is_one_and_zero_emissions_zero() -> None:
    for conv in "ABCD":
        assert _r(10.0, -5.0, conv) == 1.0
        assert _r(0.0, 100.0, conv) == 0.0


def test_rate_unknown_convention_names_valid_ones() -> None:
    with pytest.raises(
        ParameterError, match="Unknown rate convention 'E'.*Valid values: A, B, C, D"
    ):
        _r(1.0, 1.0, "E")


def _path_sum(
    e0: float, b: float, conv: str, n_years: int, horizon: int = 25, rho: float = 0.0
) -> float:
    r = required_rate(
        e0=np.array([e0]),
        budget=np.array([b]),
        convention=conv,
        n_years=horizon,
        residual_fraction=rho,
    )
    p = annual_path(
        e0=np.array([e0]),
        budget=np.array([b]),
        rate=r,
        convention=conv,
        n_years=n_years,
        horizon_years=horizon,
        residual_fraction=rho,
    )
    return float(p.sum())


budgets = st.floats(min_value=1e3, max_value=1e9)
levels = st.floats(min_value=1e2, max_value=1e8)


@given(
    e0=levels, years=st.floats(min_value=0.1, max_value=1000), conv=st.sampled_from(["A", "B", "C"])
)
def test_pathway_sums_to_budget_infinite_conventions(e0: float, years: float, conv: str) -> None:
    # a budget of 0.1 to 1000 years of today's emissions; sum until the tail is negligible
    b = e0 * years
    r = _r(e0, b, conv)
    n = int(max(50, 40 / r))
    assert _path_sum(e0, b, conv, n) == pytest.approx(b, rel=1e-6)


@given(e0=levels, b=budgets, horizon=st.integers(min_value=1, max_value=60), rho=st.floats(0, 0.5))
def test_pathway_sums_to_budget_finite_horizon(
    e0: float, b: float, horizon: int, rho: float
) -> None:
    # D is feasible when ρ·E0·N ≤ B ≤ 2·E0·N-ish (r ≥ −1); test inside that range
    lo, hi = rho * e0 * horizon * 1.001, e0 * horizon * 1.5
    b = lo + (b % max(hi - lo, 1.0))
    assert _path_sum(e0, b, "D", horizon + 5, horizon, rho) == pytest.approx(b, rel=1e-6)


@given(e0=levels, b1=budgets, b2=budgets, conv=st.sampled_from(["A", "B", "C", "D"]))
def test_larger_budget_never_needs_larger_cut(e0: float, b1: float, b2: float, conv: str) -> None:
    small, large = sorted((b1, b2))
    assert _r(e0, large, conv) <= _r(e0, small, conv) + 1e-12


def test_convention_b_bars_sum_exactly_to_budget() -> None:
    assert _path_sum(5.0, 100.0, "B", 2000) == pytest.approx(100.0, rel=1e-12)


def test_convention_a_first_year_is_already_cut() -> None:
    p = annual_path(
        e0=np.array([10.0]),
        budget=np.array([90.0]),
        rate=np.array([0.1]),
        convention="A",
        n_years=2,
    )
    assert p[0].tolist() == pytest.approx([9.0, 8.1])
    c = annual_path(
        e0=np.array([10.0]),
        budget=np.array([100.0]),
        rate=np.array([0.1]),
        convention="C",
        n_years=2,
    )
    assert c[0].tolist() == pytest.approx([10.0, 9.0])


def test_linear_path_reaches_zero_at_two_b_over_e0() -> None:
    path = linear_path(e0=10.0, budget=50.0, n_years=15)  # T = 2·50/10 = 10 years
    assert sum(path) == pytest.approx(50.0)
    assert path[9] > 0 and path[10] == 0.0
    assert path[0] == pytest.approx(9.5)  # ∫_0^1 10(1 − t/10) dt


def test_near_zero_year_95_percent() -> None:
    # (1 − 0.1)^m = 0.05 → m = ln 0.05 / ln 0.9 = 28.43
    assert near_zero_year(as_of=2026, rate=0.1, convention="A") == pytest.approx(
        2026 + math.log(0.05) / math.log(0.9)
    )
