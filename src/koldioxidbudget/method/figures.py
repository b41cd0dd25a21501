"""Figures the report quotes that no single engine result holds, as pure functions.

The report chooses words; the numbers it puts in them come from here or from the engine's
results. Each function is pure (no I/O, no text) and documented with its formula:

- :func:`halving_years` — how long a fixed annual cut takes to halve emissions;
- :func:`global_totals` — the world's emissions in the last year and summed over a period;
- :func:`largest_sector` — the sector with the most emissions in a year, and its share;
- :func:`per_capita_ranking` — areas ordered by emissions per inhabitant;
- :func:`sector_burn_share` — the share of the remaining budget a sector's own emissions use
  per year;
- :func:`subsector_breakdown` — an area's subsectors in one year, per sector, kept only where
  SMHI's subsectors add up to the sector;
- :func:`recent_variation` — whether a series' last five annual changes point one way or swing,
  with the range of its values over those years;
- :func:`deduction_in` — what SMHI reports for an area in a year, what the inventory deducted
  (cement process CO2, national facilities) and what the budget counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DEDUCTION_MIN_T",
    "ERRATIC_CHANGE",
    "SUBSECTOR_MIN_T",
    "SUBSECTOR_TOLERANCE",
    "Ceiling",
    "Deduction",
    "GlobalTotals",
    "RecentVariation",
    "SubsectorShare",
    "annual_ceilings",
    "deduction_in",
    "global_totals",
    "halving_years",
    "largest_sector",
    "per_capita_ranking",
    "recent_variation",
    "sector_burn_share",
    "subsector_breakdown",
]

#: Subsectors below this many tonnes are left out of a breakdown (rounding residue in SMHI's files).
SUBSECTOR_MIN_T = 0.5
#: A sector's subsectors are shown only when their sum is within this share of the sector's total
#: (SMHI publishes some subsectors that do not add up to their sector: those are not a breakdown).
SUBSECTOR_TOLERANCE = 0.05


def halving_years(rate: float) -> float | None:
    """Years a constant annual cut ``r`` takes to halve emissions: ``ln 0.5 / ln(1 − r)``.

    The Carbon Law (Rockström et al. 2017) halves emissions every decade, ``r ≈ 6.7 %``.
    None when ``r`` is not in (0, 1).
    """
    if not 0.0 < rate < 1.0:
        return None
    return math.log(0.5) / math.log(1.0 - rate)


@dataclass(frozen=True)
class GlobalTotals:
    """The world's CO2 (fossil + land-use change) in ``last_year`` and summed ``first..last``,
    in tonnes."""

    first_year: int
    last_year: int
    last_t: float
    sum_t: float


def global_totals(global_emissions: pd.DataFrame) -> GlobalTotals:
    """From the edition's ``global_emissions`` table (``world_fossil_mt``, ``world_luc_mt`` per
    ``year``): ``E(last) = F(last) + L(last)`` and ``Σ_y F(y) + L(y)``, converted to tonnes."""
    ge = global_emissions.sort_values("year")
    total = (ge["world_fossil_mt"].to_numpy(float) + ge["world_luc_mt"].to_numpy(float)) * 1e6
    years = ge["year"].to_numpy(int)
    return GlobalTotals(
        first_year=int(years[0]),
        last_year=int(years[-1]),
        last_t=float(total[-1]),
        sum_t=float(total.sum()),
    )


def largest_sector(
    by_sector: Mapping[str, Mapping[int, float]], year: int
) -> tuple[str, float] | None:
    """The sector with the largest emissions in ``year`` and its share of all sectors' sum that
    year (``E_s / Σ E``); None when no sector has positive emissions."""
    vals = {s: float(v.get(year, 0.0)) for s, v in by_sector.items()}
    total = sum(vals.values())
    if not vals or total <= 0:
        return None
    top = max(vals, key=lambda s: vals[s])
    return top, vals[top] / total


def per_capita_ranking(
    indices: Sequence[int], emissions_t: Sequence[float], population: Sequence[float]
) -> list[tuple[int, float]]:
    """``(index, E_i / P_i)`` for ``indices``, highest first (population floored at 1)."""
    e = np.asarray(emissions_t, dtype=float)
    p = np.maximum(np.asarray(population, dtype=float), 1.0)
    per = [(int(i), float(e[i] / p[i])) for i in indices]
    return sorted(per, key=lambda x: (-x[1], x[0]))


#: A year-on-year change this large (either way), among changes of both signs, makes a series'
#: mean change meaningless: +180 %, +46 %, −82 %, +281 %, −45 % averages +76 % while the last
#: year is 50 % above the first (Vännäs, el och fjärrvärme, 2017–2022)
ERRATIC_CHANGE = 0.30


@dataclass(frozen=True)
class RecentVariation:
    """A series over its last five annual changes: its lowest and highest value then, and whether
    it swung (changes of both signs, one at least :data:`ERRATIC_CHANGE`)."""

    low_t: float
    high_t: float
    erratic: bool


def recent_variation(history: Sequence[tuple[int, float]]) -> RecentVariation | None:
    """The last six values of ``history`` (year, t) — the five changes the mean change
    ``recent_change`` averages — and whether they swing; None with fewer than two values."""
    values = dict(history)
    years = sorted(values)[-5:]
    pairs = [(values[y - 1], values[y]) for y in years if y - 1 in values]
    if not pairs:
        return None
    changes = [b / a - 1 for a, b in pairs if a > 0]
    window = [values[y] for y in sorted({y - 1 for y in years if y - 1 in values} | set(years))]
    erratic = (
        any(ch > 0 for ch in changes)
        and any(ch < 0 for ch in changes)
        and max(abs(ch) for ch in changes) >= ERRATIC_CHANGE
    )
    return RecentVariation(low_t=min(window), high_t=max(window), erratic=erratic)


def sector_burn_share(sector_emissions_t: float, remaining_t: float) -> float | None:
    """The share of the remaining budget one year of the sector's own emissions uses:
    ``E_s / B_rem``; None when the budget is spent."""
    if remaining_t <= 0:
        return None
    return max(sector_emissions_t, 0.0) / remaining_t


@dataclass(frozen=True)
class SubsectorShare:
    """One subsector's emissions (t) and its share of the subsectors' sum."""

    subsector: str
    emissions_t: float
    share: float


def subsector_breakdown(
    subsectors: pd.DataFrame,
    *,
    code: str,
    year: int,
    sector_totals: Mapping[str, float] | None = None,
) -> dict[str, tuple[SubsectorShare, ...]]:
    """Per sector id, the subsectors of area ``code`` in ``year`` (largest first).

    Kept per sector only when at least two subsectors exceed ``SUBSECTOR_MIN_T`` and, where
    ``sector_totals`` gives the sector's total ``E_s``, ``|Σ sub − E_s| ≤ SUBSECTOR_TOLERANCE ·
    max(|E_s|, 1)``. Shares are of the subsectors' sum. Vectorised: one mask over the table.
    """
    if subsectors is None or subsectors.empty:
        return {}
    codes = subsectors["code"].to_numpy()
    years = subsectors["year"].to_numpy()
    sel = subsectors.loc[(codes == code) & (years == year)]
    sel = sel.loc[sel["emissions_t"].abs() > SUBSECTOR_MIN_T]
    out: dict[str, tuple[SubsectorShare, ...]] = {}
    for sector, grp in sel.groupby("sector", sort=True):
        if len(grp) < 2:
            continue
        vals = grp["emissions_t"].to_numpy(float)
        total = float(vals.sum())
        if sector_totals is not None and str(sector) in sector_totals:
            ref = float(sector_totals[str(sector)])
            if abs(total - ref) > SUBSECTOR_TOLERANCE * max(abs(ref), 1.0):
                continue
        order = np.argsort(-vals, kind="stable")
        names = grp["subsector"].to_numpy()
        out[str(sector)] = tuple(
            SubsectorShare(
                str(names[i]), float(vals[i]), float(vals[i]) / total if total > 0 else 0.0
            )
            for i in order
        )
    return out


@dataclass(frozen=True)
class Ceiling:
    """One year of the budget pathway read as a ceiling: the year's emissions ``E(y)``, the cut
    from the year before ``E(y−1) − E(y)``, the budget used since the start ``Σ E`` and what is
    left after the year ``B_rem − Σ E`` (tonnes)."""

    year: int
    ceiling_t: float
    cut_t: float
    used_t: float
    left_t: float


def annual_ceilings(
    pathway: Sequence[tuple[int, float]],
    *,
    e0_t: float,
    remaining_t: float,
    horizon: int,
    every_year_for: int = 10,
    step: int = 5,
) -> list[Ceiling]:
    """The pathway's annual ceilings up to ``horizon``: every year for the first
    ``every_year_for`` years, then years divisible by ``step`` (the cumulative sums run over all
    years). ``e0_t`` is the level before the first pathway year."""
    out: list[Ceiling] = []
    used = 0.0
    prev = e0_t
    first = pathway[0][0] if pathway else 0
    for y, v in pathway:
        used += v
        if y > horizon:
            break
        if y < first + every_year_for or y % step == 0:
            out.append(Ceiling(int(y), float(v), float(prev - v), used, remaining_t - used))
        prev = v
    return out


#: A deduction below this many tonnes is not worth a sentence (rounding residue).
DEDUCTION_MIN_T = 0.5


@dataclass(frozen=True)
class Deduction:
    """An area's emissions in ``year`` as SMHI reports them (``reported_t``), the tonnes the
    inventory deducted as counted nationally (``deducted_t``: cement process CO2 and national
    facilities) and what the budget counts, ``counted_t = reported_t − deducted_t``."""

    year: int
    reported_t: float
    deducted_t: float
    counted_t: float


def deduction_in(
    excluded: Sequence[tuple[int, float]],
    history: Sequence[tuple[int, float, bool]],
    year: int,
) -> Deduction | None:
    """The deduction in ``year`` from an area's ``excluded_t`` and ``history`` (its counted
    totals): ``reported = counted + deducted``. None when less than ``DEDUCTION_MIN_T`` was
    deducted or either series lacks the year."""
    deducted = dict(excluded).get(year)
    counted = next((t for y, t, _est in history if y == year), None)
    if deducted is None or counted is None or deducted < DEDUCTION_MIN_T:
        return None
    return Deduction(year, counted + deducted, deducted, counted)
