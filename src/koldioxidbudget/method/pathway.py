"""The pathway: a constant-rate decline from ``E0`` whose cumulative emissions equal the budget.

Conventions (METHOD.md, step P), with ``E0`` the last known or estimated annual emissions and ``B``
the remaining budget from 1 January of the first pathway year:

====  ===============================================  ==========================
 id   definition                                       rate ``r``
====  ===============================================  ==========================
 A    ``B = Σ_{n≥1} E0 (1−r)^n`` (first year cut)       ``r = E0 / (B + E0)``
 B    ``B = ∫_0^∞ E0 e^{−kt} dt``                       ``r = 1 − exp(−E0/B)``
 C    ``B = Σ_{n≥0} E0 (1−r)^n`` (first year at E0)     ``r = E0 / B``
 D    ``B = Σ_{n=1}^{N} [ρE0 + (1−ρ)E0(1−r)^n]``        numeric root (bisection)
====  ===============================================  ==========================

All functions are vectorised over numpy arrays of ``E0`` and ``B`` (one element per area), pure,
and return plain floats/arrays. An exhausted budget (``B ≤ 0``) gives ``r = 1`` (every emission
this year is over budget); ``E0 = 0`` gives ``r = 0``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ParameterError

__all__ = [
    "CONVENTIONS",
    "Convention",
    "annual_path",
    "linear_path",
    "near_zero_year",
    "required_rate",
]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Convention:
    """A rate convention: its id, a one-line definition and its rate function."""

    id: str
    definition: str
    rate: Callable[[Array, Array, Any], Array]


def _safe(e0: Array, b: Array) -> tuple[Array, Array, npt.NDArray[np.bool_]]:
    e0 = np.asarray(e0, dtype=float)
    b = np.asarray(b, dtype=float)
    exhausted = b <= 0
    return e0, np.where(exhausted, 1.0, b), exhausted


def _finish(r: Array, e0: Array, exhausted: npt.NDArray[np.bool_]) -> Array:
    r = np.where(exhausted, 1.0, r)
    return np.where((e0 <= 0) & ~exhausted, 0.0, r)


def _rate_a(e0: Array, b: Array, n_years: int) -> Array:
    e0, bb, ex = _safe(e0, b)
    return _finish(e0 / (bb + e0), e0, ex)


def _rate_b(e0: Array, b: Array, n_years: int) -> Array:
    e0, bb, ex = _safe(e0, b)
    return _finish(-np.expm1(-e0 / bb), e0, ex)


def _rate_c(e0: Array, b: Array, n_years: int) -> Array:
    e0, bb, ex = _safe(e0, b)
    return _finish(np.minimum(e0 / bb, 1.0), e0, ex)


def _sum_d(r: Array, e0: Array, nn: Array, rho: float) -> Array:
    # Σ_{n=1..N} (1−r)^n, computed stably also for r → 0 (sum → N); N may differ per element.
    # The caller silences the division warnings of the branch np.where does not take.
    q = 1.0 - r
    geo = np.where(np.abs(r) < 1e-12, nn, q * (1.0 - q**nn) / np.where(r == 0, 1.0, r))
    return np.asarray(e0 * (rho * nn + (1.0 - rho) * geo), dtype=np.float64)


def rate_d(e0: Array, b: Array, n_years: Array | int, residual_fraction: float = 0.0) -> Array:
    """Convention D: the constant rate that uses ``B`` in ``n_years`` years, with a residual ``ρ·E0``.

    Solved by bisection on ``r ∈ [−1, 1]`` (``r < 0`` means the budget allows growth). If even
    ``r = 1`` uses too much (the residual alone exceeds ``B``) the result is 1 and flagged by the
    caller through ``B``. The bisection stops early once a step changes nothing (every later
    step would then change nothing either), so the result is the same as after all 80 steps.
    """
    e0, bb, ex = _safe(e0, b)
    nn = np.asarray(n_years, dtype=float)
    lo = np.full_like(e0, -1.0)
    hi = np.full_like(e0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            too_much = _sum_d(mid, e0, nn, residual_fraction) > bb
            new_lo = np.where(too_much, mid, lo)
            new_hi = np.where(too_much, hi, mid)
            if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
                break
            lo, hi = new_lo, new_hi
    return _finish(0.5 * (lo + hi), e0, ex)


CONVENTIONS: dict[str, Convention] = {
    "A": Convention(
        "A", "discrete, first budget year already cut: B = Σ_{n≥1} E0 (1−r)^n", _rate_a
    ),
    "B": Convention("B", "continuous: B = ∫_0^∞ E0 e^{−kt} dt, r = 1 − e^{−k}", _rate_b),
    "C": Convention("C", "discrete, first budget year at E0: B = Σ_{n≥0} E0 (1−r)^n", _rate_c),
    "D": Convention(
        "D",
        "finite horizon: B = Σ_{n=1}^{N} [ρE0 + (1−ρ)E0(1−r)^n], N years to the horizon",
        lambda e0, b, n: rate_d(e0, b, n),
    ),
}


def _convention(cid: str) -> Convention:
    try:
        return CONVENTIONS[cid]
    except KeyError:
        raise ParameterError(
            key="unknown_convention",
            value=cid,
            valid=list(CONVENTIONS),
        ) from None


def required_rate(
    *,
    e0: Array,
    budget: Array,
    convention: str,
    n_years: Array | int = 25,
    residual_fraction: float = 0.0,
) -> Array:
    """The constant annual cut ``r`` (a fraction) that makes the pathway use exactly ``budget``.

    ``n_years`` and ``residual_fraction`` are used by convention D only.
    """
    c = _convention(convention)
    if convention == "D":
        return rate_d(np.asarray(e0, float), np.asarray(budget, float), n_years, residual_fraction)
    return c.rate(np.asarray(e0, float), np.asarray(budget, float), n_years)


def annual_path(
    *,
    e0: Array,
    budget: Array,
    rate: Array,
    convention: str,
    n_years: int,
    horizon_years: int = 25,
    residual_fraction: float = 0.0,
) -> Array:
    """Annual emissions for the first ``n_years`` pathway years (rows: areas, columns: years).

    Year index 0 is the first budget year (``as_of``). Under A the first year is already cut
    (``E0(1−r)``), under C it is ``E0``; under B each bar is the integral of the continuous path
    over its year, so the bars sum exactly to ``B``; under D emissions stop after the horizon.
    An exhausted budget gives a path of zeros.
    """
    e0 = np.atleast_1d(np.asarray(e0, float))[:, None]
    b = np.atleast_1d(np.asarray(budget, float))[:, None]
    r = np.atleast_1d(np.asarray(rate, float))[:, None]
    n = np.arange(n_years, dtype=float)[None, :]
    q = 1.0 - r
    if convention == "A":
        path = e0 * q ** (n + 1)
    elif convention == "C":
        # a budget smaller than one year at E0 cannot start at E0: the first year gets what is left
        path = np.where(b < e0, np.where(n == 0, b, 0.0), e0 * q**n)
    elif convention == "B":
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(b > 0, e0 / np.where(b > 0, b, 1.0), 0.0)
        path = b * np.exp(-k * n) * -np.expm1(-k)
    elif convention == "D":
        path = e0 * (residual_fraction + (1.0 - residual_fraction) * q ** (n + 1))
        path = np.where(n < horizon_years, path, 0.0)
        # a residual the budget cannot hold (r = 1 and still too much) stops when it is used up
        before = np.cumsum(path, axis=1) - path
        path = np.clip(b - before, 0.0, path)
    else:
        _convention(convention)
        raise AssertionError("unreachable")
    return np.where(b > 0, np.maximum(path, 0.0), 0.0)


def linear_path(*, e0: float, budget: float, n_years: int) -> list[float]:
    """Linear decline to zero that uses ``budget``: zero after ``T = 2B/E0`` years.

    Bars are the integral of the straight line over each year, so they sum to ``B`` exactly.
    """
    if budget <= 0 or e0 <= 0:
        return [0.0] * n_years
    t_zero = 2.0 * budget / e0
    out = []
    for n in range(n_years):
        if n >= t_zero:  # the line has reached zero: every year from here on is 0
            out.extend([0.0] * (n_years - n))
            break
        a, b = n, min(n + 1, t_zero)
        out.append(max(0.0, e0 * ((b - a) - (b * b - a * a) / (2 * t_zero))))
    return out


def near_zero_year(
    *,
    as_of: int,
    rate: float,
    convention: str,
    share: float = 0.95,
    path: list[float] | None = None,
    budget: float | None = None,
) -> float | None:
    """Year (fractional) by which ``share`` of the budget is used on the exponential path.

    Under D (finite horizon, residual) the year is read off the annual ``path`` itself: where its
    cumulative sum reaches ``share × budget``, interpolated within the year.
    """
    if convention == "D" and path is not None and budget is not None:
        target = share * budget
        used = 0.0
        for n, v in enumerate(path):
            if v > 0 and used + v >= target:
                return as_of + n + (target - used) / v
            used += v
        return None
    if rate >= 1:
        return float(as_of)
    if rate <= 0:
        return None
    # log1p: for a rate so small that 1 − rate rounds to 1, log(1 − rate) would be 0
    m = math.log1p(-share) / math.log1p(-rate)
    if not math.isfinite(m):
        return None
    # the same m under A, B and C: Σ of the first m years = B (1 − (1−r)^m)
    return as_of + m
