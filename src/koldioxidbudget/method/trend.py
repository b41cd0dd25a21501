"""Linear trends (OLS and LAD) over a window of data years, vectorised over areas.

A trend is ``E(t) = a + b·t``. OLS minimises squared residuals; LAD (least absolute deviations)
minimises absolute residuals and is exact here: an optimal LAD line passes through two data
points, so every pair is tried (the windows are short: 2015 → last data year). Ties are broken
by the smallest squared error, so the result is deterministic.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import ParameterError

__all__ = ["Trend", "fit_trend", "trend_exhaustion", "trend_zero_year"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Trend:
    """Intercept ``a`` and slope ``b`` (t/yr per year) per area, fitted over ``years``."""

    method: str
    years: tuple[int, ...]
    intercept: Array
    slope: Array

    def at(self, year: float) -> Array:
        """Trend value at ``year`` (may be negative; callers floor at zero)."""
        return self.intercept + self.slope * year


def fit_trend(*, years: list[int], values: Array, method: str) -> Trend:
    """Fit a line to ``values`` (areas × years) over ``years`` with ``method`` ('ols' or 'lad')."""
    x = np.asarray(years, dtype=float)
    y = np.atleast_2d(np.asarray(values, dtype=float))
    if len(x) < 2:
        raise ParameterError(
            key="trend_too_few_years",
            years=str(list(years)),
        )
    if method == "ols":
        xm = x.mean()
        ym = y.mean(axis=1)
        slope = ((x - xm)[None, :] * (y - ym[:, None])).sum(axis=1) / ((x - xm) ** 2).sum()
        return Trend("ols", tuple(years), ym - slope * xm, slope)
    if method == "lad":
        best_sad = np.full(y.shape[0], np.inf)
        best_sse = np.full(y.shape[0], np.inf)
        best_a = np.zeros(y.shape[0])
        best_b = np.zeros(y.shape[0])
        for i, j in itertools.combinations(range(len(x)), 2):
            b = (y[:, j] - y[:, i]) / (x[j] - x[i])
            a = y[:, i] - b * x[i]
            res = y - (a[:, None] + b[:, None] * x[None, :])
            sad = np.abs(res).sum(axis=1)
            sse = (res**2).sum(axis=1)
            better = (sad < best_sad * (1 - 1e-9) - 1e-9) | (
                np.isclose(sad, best_sad, rtol=1e-9) & (sse < best_sse)
            )
            best_sad = np.where(better, sad, best_sad)
            best_sse = np.where(better, sse, best_sse)
            best_a = np.where(better, a, best_a)
            best_b = np.where(better, b, best_b)
        return Trend("lad", tuple(years), best_a, best_b)
    raise ParameterError(
        key="unknown_trend_method",
        value=method,
    )


def trend_zero_year(intercept: float, slope: float) -> float | None:
    """Year where the trend line crosses zero, or None when it does not decline."""
    if slope >= 0:
        return None
    return -intercept / slope


def trend_year_amounts(intercept: float, slope: float, years: list[int]) -> list[float]:
    """What the trend line emits in each of ``years``: ``∫_y^(y+1) max(0, a + b·t) dt``.

    The same reading of the line as :func:`trend_exhaustion` (the line is the level at a point
    in time, as in Klimatkollen's published dates), so the trend path's running total reaches
    the budget in the year the exhaustion date falls in, and a trend that "stays within the
    budget" sums to less than it."""

    out: list[float] = []
    if slope < 0:
        # the line reaches zero at z: each year is cut there, and every year after it is 0
        z = -intercept / slope
        for k, y in enumerate(years):
            lo = float(y)
            if lo >= z:
                out.extend([0.0] * (len(years) - k))
                break
            hi = min(float(y + 1), z)
            out.append(max(0.0, intercept * (hi - lo) + slope * (hi * hi - lo * lo) / 2))
        return out
    for y in years:
        lo, hi = float(y), float(y + 1)
        if slope > 0:
            lo = max(lo, -intercept / slope)
        elif intercept <= 0:
            hi = lo
        out.append(
            max(0.0, intercept * (hi - lo) + slope * (hi * hi - lo * lo) / 2) if hi > lo else 0.0
        )
    return out


def trend_exhaustion(
    *, intercept: float, slope: float, start: float, budget: float
) -> float | None:
    """Fractional year ``T ≥ start`` where ``∫_start^T max(0, a + b·t) dt`` reaches ``budget``.

    Returns ``start`` for an exhausted budget and None when the trend reaches zero first.
    """
    if budget <= 0:
        return float(start)
    level = intercept + slope * start
    if level <= 0:
        return None
    if abs(slope) < 1e-12:
        return start + budget / level
    # ∫_0^s (level + slope·u) du = level·s + slope·s²/2 = budget
    if slope < 0:
        total = level * level / (2 * -slope)  # area under the line until it reaches zero
        if total < budget:
            return None
    disc = level * level + 2 * slope * budget
    s = (-level + math.sqrt(max(disc, 0.0))) / slope
    return start + s
