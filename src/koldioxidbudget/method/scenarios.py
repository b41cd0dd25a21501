"""Scenarios around one area's budget: reference paths, the cost of delay, sector what-ifs and
local targets checked against the budget. Pure functions over plain numbers.

Reference paths (years ``as_of`` … ``end``; every value in t/yr):

- ``budget``: the pathway of the required rate (convention as chosen);
- ``no-reduction``: ``E0`` every year;
- ``trend``: the linear trend over the trend window, floored at zero; each year's value is what
  the line emits over that year (``trend.trend_year_amounts``), so its running total reaches the
  budget when ``trend_exhaustion`` says;
- ``sweden-targets``: Sweden's targets applied to the area's own 1990 level: straight lines from
  ``E0`` to 37 % of 1990 in 2030 (−63 %) and 15 % in 2045 (at least −85 % territorial), then flat
  (no removals are credited); never above ``E0``;
- ``carbon-law``: ``E(t) = E(t_from − 1)·(1 − 11.72 %)^(t − t_from + 1)``;
- ``local-target``: straight lines from ``E0`` through the area's own targets, flat after the last;
- ``linear``: straight line to zero that uses exactly the budget (``T = 2B/E0``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .params import LocalTarget
from .pathway import annual_path, linear_path, near_zero_year, required_rate
from .trend import trend_year_amounts

__all__ = [
    "DelayCase",
    "PathId",
    "SectorWhatIf",
    "TargetCheck",
    "cost_of_delay",
    "reference_paths",
    "sector_what_if",
    "target_check",
]


class PathId(StrEnum):
    """The reference paths (see the module doc); each is equal to its id in the JSON contract."""

    BUDGET = "budget"
    NO_REDUCTION = "no-reduction"
    TREND = "trend"
    SWEDEN_TARGETS = "sweden-targets"
    CARBON_LAW = "carbon-law"
    LOCAL_TARGET = "local-target"
    LINEAR = "linear"
    TREND_LAD = "trend-lad"  #: the trend by least absolute deviations (budget.py, for comparison)
    TREND_OLS = "trend-ols"  #: the trend by least squares (budget.py, for comparison)


SWEDEN_TARGETS: tuple[tuple[int, float], ...] = ((2030, 0.37), (2045, 0.15))


def _interp_path(years: list[int], anchors: list[tuple[float, float]]) -> list[float]:
    xs = [a for a, _ in anchors]
    ys = [b for _, b in anchors]
    return [float(max(0.0, v)) for v in np.interp(years, xs, ys)]


def reference_paths(
    *,
    as_of: int,
    end: int,
    e0: float,
    remaining_t: float,
    rate: float,
    convention: str,
    horizon_years: int,
    residual_fraction: float,
    trend_intercept: float,
    trend_slope: float,
    level_1990: float | None,
    level_at: dict[int, float],
    carbon_law_rate: float,
    carbon_law_from: int,
    local_targets: tuple[LocalTarget, ...],
) -> dict[PathId, list[float]]:
    """Every reference path as annual values for ``as_of … end`` (ids as in the module doc)."""
    years = list(range(as_of, end + 1))
    n = len(years)
    paths: dict[PathId, list[float]] = {}
    paths[PathId.BUDGET] = [
        float(x)
        for x in annual_path(
            e0=np.array([e0]),
            budget=np.array([remaining_t]),
            rate=np.array([rate]),
            convention=convention,
            n_years=n,
            horizon_years=horizon_years,
            residual_fraction=residual_fraction,
        )[0]
    ]
    paths[PathId.NO_REDUCTION] = [e0] * n
    paths[PathId.TREND] = trend_year_amounts(trend_intercept, trend_slope, years)
    if level_1990 is not None:
        anchors = [(as_of - 1.0, e0)] + [
            (float(y), min(e0, f * level_1990)) for y, f in SWEDEN_TARGETS
        ]
        paths[PathId.SWEDEN_TARGETS] = _interp_path(years, anchors)
    anchor_year = carbon_law_from - 1
    anchor = level_at.get(anchor_year, e0)
    paths[PathId.CARBON_LAW] = [
        anchor * (1 - carbon_law_rate) ** max(0, y - anchor_year) if y >= carbon_law_from else e0
        for y in years
    ]
    if local_targets:
        anchors = [(as_of - 1.0, e0)]
        for t in sorted(local_targets, key=lambda t: t.year):
            base = level_at.get(t.base_year)
            if base is None:
                continue
            anchors.append((float(t.year), (1 - t.reduction) * base))
        if len(anchors) > 1:
            paths[PathId.LOCAL_TARGET] = _interp_path(years, anchors)
    paths[PathId.LINEAR] = linear_path(e0=e0, budget=remaining_t, n_years=n)
    return paths


@dataclass(frozen=True)
class DelayCase:
    """Start of the cut slips ``delay_years``: emissions stay at ``E0`` until then."""

    delay_years: int
    start_year: int
    remaining_t: float
    rate: float
    extra_t: float
    near_zero_year: float | None
    exhausted: bool
    infeasible: bool


def cost_of_delay(
    *,
    as_of: int,
    e0: float,
    remaining_t: float,
    convention: str,
    horizon_year: int,
    residual_fraction: float,
    max_delay: int,
    infeasible_rate: float,
) -> list[DelayCase]:
    """Required rate, extra tonnes and 95 %-used year for start delays 0 … ``max_delay`` years.

    ``extra_t`` is what the delay emits above the budget pathway over the delayed years
    (``d·E0`` minus the pathway's first ``d`` years).
    """
    r0 = float(
        required_rate(
            e0=np.array([e0]),
            budget=np.array([remaining_t]),
            convention=convention,
            n_years=max(1, horizon_year - as_of + 1),
            residual_fraction=residual_fraction,
        )[0]
    )
    base = annual_path(
        e0=np.array([e0]),
        budget=np.array([remaining_t]),
        rate=np.array([r0]),
        convention=convention,
        n_years=max_delay + 1,
        horizon_years=max(1, horizon_year - as_of + 1),
        residual_fraction=residual_fraction,
    )[0]
    delays = np.arange(max_delay + 1)
    budgets = np.asarray(remaining_t - delays * e0, dtype=np.float64)
    rates = required_rate(
        e0=np.full(len(delays), e0),
        budget=budgets,
        convention=convention,
        n_years=np.maximum(1, horizon_year - as_of - delays + 1),
        residual_fraction=residual_fraction,
    )
    out = []
    for d in range(max_delay + 1):
        b = float(budgets[d])
        r = float(rates[d])
        out.append(
            DelayCase(
                delay_years=d,
                start_year=as_of + d,
                remaining_t=b,
                rate=r,
                extra_t=float(d * e0 - base[:d].sum()),
                near_zero_year=near_zero_year(as_of=as_of + d, rate=r, convention=convention)
                if b > 0
                else None,
                exhausted=b <= 0,
                infeasible=b <= 0 or r > infeasible_rate,
            )
        )
    return out


@dataclass(frozen=True)
class SectorWhatIf:
    """Cumulative emissions when each sector cuts at its own rate, against the budget."""

    years: tuple[int, ...]
    by_sector: dict[str, list[float]]
    cumulative_t: float
    budget_t: float
    within_budget: bool


def sector_what_if(
    *,
    as_of: int,
    end: int,
    sector_e0: dict[str, float],
    sector_rates: dict[str, float],
    remaining_t: float,
) -> SectorWhatIf:
    """Each sector ``s`` declines from its ``E0_s`` at ``r_s`` per year (first year already cut,
    as convention A); the cumulative total to ``end`` is compared with the remaining budget."""
    years = tuple(range(as_of, end + 1))
    by: dict[str, list[float]] = {}
    for s, e in sector_e0.items():
        r = sector_rates.get(s, 0.0)
        by[s] = [e * (1 - r) ** (i + 1) for i in range(len(years))]
    cum = float(sum(sum(v) for v in by.values()))
    return SectorWhatIf(years, by, cum, remaining_t, cum <= remaining_t)


@dataclass(frozen=True)
class TargetCheck:
    """A local target path's cumulative emissions (``as_of`` … ``end``) against the budget."""

    cumulative_t: float
    budget_t: float
    ratio: float
    within_budget: bool
    overshoot_t: float


def target_check(*, path: list[float], remaining_t: float) -> TargetCheck:
    cum = float(sum(path))
    ratio = cum / remaining_t if remaining_t > 0 else float("inf")
    return TargetCheck(cum, remaining_t, ratio, cum <= remaining_t, max(0.0, cum - remaining_t))
