"""L2: the local share of the allocated national budget, one documented rule per id.

With ``k`` a municipality, ``E_k(y)`` its inventory (after exclusions), ``Y`` the base years,
``P_k`` its population and ``B_alloc`` the allocated national budget:

- ``grandfathering``: ``share_k = Σ_Y E_k / Σ_j Σ_Y E_j``;
- ``per-capita``: ``share_k = P_k / Σ_j P_j``;
- ``blend``: ``w·grandfathering + (1−w)·per-capita``;
- ``contraction-convergence``: each year's share moves linearly from grandfathering at ``t0`` to
  per capita at the convergence year, applied to the national pathway from ``t0``;
  ``B_k = Σ_t share_k(t)·E_SE(t)``.

``B_k = share_k × B_alloc`` (for contraction-convergence the implied share is ``B_k / B_alloc``).
Shares sum to 1, so municipal budgets sum to the allocated national budget. International
transport shared per capita adds ``overhead × P_k/ΣP``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import ParameterError
from .inventory import Inventory
from .params import Parameters
from .pathway import annual_path, required_rate

__all__ = ["ALLOCATION_RULES", "Allocation", "base_years", "local_shares"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Allocation:
    """Municipal shares (in ``inventory.codes`` order) and what made them."""

    rule: str
    shares: Array
    base_years: tuple[int, ...]
    population_year: int


def base_years(inventory: Inventory, params: Parameters) -> tuple[int, ...]:
    """The grandfathering base years for ``params.base_years`` (data years only)."""
    dy = inventory.data_years
    choice = params.base_years
    if choice == "last-1":
        return dy[-1:]
    if choice == "last-3":
        return dy[-3:]
    if choice == "last-5":
        return dy[-5:]
    if choice == "trend-window":
        return tuple(y for y in dy if y >= params.trend_from)
    lo, hi = params.base_years_custom
    years = tuple(y for y in dy if lo <= y <= hi)
    if not years or lo not in dy or hi not in dy:
        raise ParameterError(
            key="no_base_year_in_range",
            first=lo,
            last=hi,
            years=", ".join(map(str, dy)),
        )
    return years


def _grandfathering(inv: Inventory, params: Parameters, years: tuple[int, ...]) -> Array:
    idx = [inv.data_years.index(y) for y in years]
    e = inv.allocation_total_t[:, idx].sum(axis=1)
    total = e.sum()
    if total <= 0:
        raise ParameterError(
            key="grandfathering_all_zero",
        )
    return np.asarray(e / total, dtype=np.float64)


def _per_capita(inv: Inventory, params: Parameters) -> tuple[Array, int]:
    pop_all, year = inv.population_of(params.as_of - 1)
    pop = pop_all[: len(inv.codes)]
    return pop / pop.sum(), year


Rule = Callable[[Inventory, Parameters, float], Allocation]


def _rule_gf(inv: Inventory, params: Parameters, allocated_t: float) -> Allocation:
    years = base_years(inv, params)
    _, py = _per_capita(inv, params)
    return Allocation("grandfathering", _grandfathering(inv, params, years), years, py)


def _rule_pc(inv: Inventory, params: Parameters, allocated_t: float) -> Allocation:
    s, py = _per_capita(inv, params)
    return Allocation("per-capita", s, (), py)


def _rule_blend(inv: Inventory, params: Parameters, allocated_t: float) -> Allocation:
    years = base_years(inv, params)
    pc, py = _per_capita(inv, params)
    w = params.blend_weight
    return Allocation("blend", w * _grandfathering(inv, params, years) + (1 - w) * pc, years, py)


def _rule_cc(inv: Inventory, params: Parameters, allocated_t: float) -> Allocation:
    years = base_years(inv, params)
    gf = _grandfathering(inv, params, years)
    pc, py = _per_capita(inv, params)
    t0 = params.national_budget_from
    if params.convergence_year <= t0:
        raise ParameterError(
            key="convergence_before_start",
            year=params.convergence_year,
            start=t0,
        )
    if allocated_t <= 0.0:
        # nothing to share (a cell whose national budget is spent): every share of nothing is
        # nothing; the starting (grandfathered) shares keep the arithmetic finite
        return Allocation("contraction-convergence", gf, years, py)
    annual, _ = inv.annual([t0 - 1])
    e0 = np.array([annual[:, 0].sum()])
    b = np.array([allocated_t])
    n = params.path_end_year - t0 + 200
    r = required_rate(e0=e0, budget=b, convention="A")
    path = annual_path(e0=e0, budget=b, rate=r, convention="A", n_years=n)[0]
    t = np.arange(n, dtype=float)
    w = np.minimum(1.0, t / (params.convergence_year - t0))
    shares_t = gf[:, None] * (1 - w)[None, :] + pc[:, None] * w[None, :]
    budgets = shares_t @ path + pc * (allocated_t - path.sum())  # the far tail is per capita
    return Allocation("contraction-convergence", budgets / allocated_t, years, py)


ALLOCATION_RULES: dict[str, Rule] = {
    "grandfathering": _rule_gf,
    "per-capita": _rule_pc,
    "blend": _rule_blend,
    "contraction-convergence": _rule_cc,
}


def local_shares(*, inventory: Inventory, params: Parameters, allocated_t: float) -> Allocation:
    """Each municipality's share of the allocated national budget under ``params.allocation``."""
    try:
        rule = ALLOCATION_RULES[params.allocation]
    except KeyError:
        raise ParameterError(
            key="unknown_allocation_rule",
            value=params.allocation,
            valid=list(ALLOCATION_RULES),
        ) from None
    return rule(inventory, params, allocated_t)
