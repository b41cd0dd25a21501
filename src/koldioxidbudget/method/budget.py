"""The engine: Parameters + an edition's Tables → every area's carbon budget and figures.

``compute_budgets`` does the whole chain for all areas at once (vectorised over areas):
global budget → Sweden's budget → municipal shares → county and national sums → remaining budget
as of 1 January of ``as_of`` → ``E0`` → required rate under the chosen convention → the figures of
METHOD.md table M. ``BudgetRun.area(code)`` adds one area's pathway, reference paths, cost of
delay, sectors and ledger. Pure: no I/O, no clock (``as_of`` is a parameter).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import AreaNotFound
from ..schema import SECTORS, Level, Tables
from .allocation import Allocation, local_shares
from .inventory import Inventory, local_inventory
from .ledger import LedgerRow, budget_ledger
from .national import NationalBudget, national_budget
from .params import Parameters
from .pathway import annual_path, near_zero_year, required_rate
from .scenarios import (
    DelayCase,
    PathId,
    TargetCheck,
    cost_of_delay,
    reference_paths,
    target_check,
)
from .trend import Trend, trend_exhaustion, trend_year_amounts, trend_zero_year

__all__ = [
    "METHOD_VERSION",
    "AreaResult",
    "BudgetRun",
    "ResultWarning",
    "Step",
    "compute_budgets",
    "fractional_year_to_date",
]

#: Bumped whenever a change to the method changes a number; recorded in editions and results.
METHOD_VERSION = "1.0.0"

Array = npt.NDArray[np.float64]


class ResultWarning(StrEnum):
    """What a reader must know about an area's figures (``AreaResult.warnings``); each is equal
    to its id, the id the JSON contract and the text catalogues use."""

    E0_ESTIMATED = "e0-estimated"  #: this year's starting level is an estimate (nowcast)
    REMAINING_ESTIMATED = "remaining-estimated"  #: estimated years were spent from the budget
    MEMBERS_OVERSPENT = "members-overspent"  #: some member municipalities have spent theirs
    DEDUCTION_CAPPED = "deduction-capped"  #: a facility's deduction exceeded its sector
    RESIDUAL_EXCEEDS_BUDGET = "residual-exceeds-budget"  #: convention D's residual is too large
    NATIONAL_BUDGET_EXTRAPOLATED = "national-budget-extrapolated"  #: beyond the published cells
    BUDGET_EXHAUSTED = "budget-exhausted"  #: the budget is spent
    RATE_BEYOND_EXPERIENCE = "rate-beyond-experience"  #: a cut faster than any achieved so far
    NATIONAL_BUDGET_DERIVED = "national-budget-derived"  #: derived from a preset's published cell
    GLOBAL_EMISSIONS_EXTRAPOLATED = "global-emissions-extrapolated"  #: world emissions estimated
    NO_MUNICIPALITIES = "no-municipalities"  #: a county or Sweden without member municipalities


@dataclass(frozen=True)
class Step:
    """One step of the computation, for the method appendix and the API ("how this was computed").

    ``id`` names a message in the text catalogues; ``values`` fill it.
    """

    id: str
    values: dict[str, Any]


def fractional_year_to_date(t: float) -> _dt.date:
    """1 January of ``floor(t)`` plus the fraction of that year, as a calendar date."""
    year = math.floor(t)
    start = _dt.date(year, 1, 1)
    days = (_dt.date(year + 1, 1, 1) - start).days
    return start + _dt.timedelta(days=min(days - 1, int((t - year) * days)))


@dataclass(frozen=True)
class SectorFigure:
    sector: str
    share: float
    emissions_t: float
    year: int
    change_per_year: float | None
    budget_t: float
    years_of_budget_per_year: float | None


@dataclass(frozen=True)
class AreaResult:
    """Every figure for one area, with the parameters and edition that made them."""

    code: str
    name: str
    level: Level
    lan_code: str
    edition: str
    parameters: Parameters
    budget_t: float
    budget_from: int
    share: float
    remaining_t: float
    remaining_as_of: int
    #: the remaining budget counts estimated years (after the last data year) as spent
    remaining_estimated: bool
    #: counties and Sweden: Σ of the members' remaining budgets that are positive ("still
    #: available") and of those that are negative ("over-spent by members"); None for a kommun
    members_available_t: float | None
    members_overspent_t: float | None
    e0_t: float
    e0_year: int
    e0_estimated: bool
    #: years up to ``as_of − 1`` whose emissions are estimates (spent years and E0)
    estimated_years: tuple[int, ...]
    rate: float
    rate_convention: str
    years_left: float | None
    exhaustion_year: int | None
    burn_share: float | None
    one_in_n: int | None
    recent_change: float | None
    trend_method: str
    trend_slope_t: float
    trend_intercept_t: float
    trend_exhaustion_date: _dt.date | None
    trend_zero_year: float | None
    near_zero_year: float | None
    linear_zero_year: float | None
    population: float
    population_year: int
    budget_per_capita_t: float
    emissions_per_capita_t: float
    per_capita_context: dict[str, dict[str, Any]]
    exhausted: bool
    infeasible: bool
    last_data_year: int
    history: tuple[tuple[int, float, bool], ...]
    history_by_sector: dict[str, tuple[tuple[int, float], ...]]
    #: the estimated years a greenhouse-gas release gives sector by sector, per sector
    estimated_by_sector: dict[str, tuple[tuple[int, float], ...]]
    excluded_t: tuple[tuple[int, float], ...]
    sectors: tuple[SectorFigure, ...]
    pathway: tuple[tuple[int, float], ...]
    references: dict[PathId, tuple[tuple[int, float], ...]]
    cumulative_t: dict[PathId, float]
    cost_of_delay: tuple[DelayCase, ...]
    target_check: TargetCheck | None
    ledger: tuple[LedgerRow, ...]
    warnings: tuple[ResultWarning, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (see docs/api.md): every field but ``_NOT_IN_JSON``, units in key
        names, rates as fractions, series as ``[{year, t}]`` rows.

        (Sector, delay, ledger and target rows are flat dataclasses: ``vars`` copies them far
        faster than ``dataclasses.asdict``, which matters on the API's hot path.)"""
        out: dict[str, Any] = {}
        for name in _JSON_FIELDS:
            value = getattr(self, name)
            convert = _JSON_CONVERT.get(name)
            out[name] = convert(value) if convert is not None and value is not None else value
        return out


def _rows(series: tuple[tuple[int, float], ...]) -> list[dict[str, Any]]:
    return [{"year": y, "t": t} for y, t in series]


def _vars_rows(rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(vars(r)) for r in rows]


#: fields kept out of the JSON contract (the document carries the edition and parameters once)
_NOT_IN_JSON = frozenset(
    {"edition", "parameters", "history_by_sector", "estimated_by_sector", "excluded_t"}
)
_JSON_CONVERT: dict[str, Any] = {
    "trend_exhaustion_date": lambda d: d.isoformat(),
    "history": lambda h: [{"year": y, "t": t, "estimated": e} for y, t, e in h],
    "sectors": _vars_rows,
    "pathway": _rows,
    "references": lambda refs: {k: _rows(v) for k, v in refs.items()},
    "cost_of_delay": _vars_rows,
    "target_check": lambda tc: dict(vars(tc)),
    "ledger": _vars_rows,
    "warnings": list,
    "estimated_years": list,
}
_JSON_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(AreaResult) if f.name not in _NOT_IN_JSON
)


@dataclass(frozen=True)
class BudgetRun:
    """All areas' headline figures for one parameter set and edition (arrays in ``codes`` order)."""

    edition: str
    params: Parameters
    national: NationalBudget
    allocation: Allocation
    inventory: Inventory
    area_trend: Trend
    area_trends: dict[str, Trend]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    levels: tuple[str, ...]
    lan_codes: tuple[str, ...]
    budget_t: Array
    share: Array
    remaining_t: Array
    e0_t: Array
    e0_estimated: bool
    e0_year: int
    rate: Array
    population: Array
    population_year: int
    spent_years: tuple[int, ...]
    series_years: tuple[int, ...]
    series_t: Array
    series_estimated: tuple[bool, ...]
    #: every area's sectors in the years a greenhouse-gas release estimates sector by sector
    #: (areas × ``inventory.est_years`` × sectors; empty for trend nowcasts)
    estimated_sector_t: Array
    steps: tuple[Step, ...]
    adoption_tables: Tables | None = None

    @functools.cached_property
    def adopted(self) -> BudgetRun | None:
        """The run as of the budget start (the path agreed at adoption), for the ledger.

        Computed on first use from the adoption edition (default: this run's edition).
        """
        t0 = self.national.budget_from
        if self.params.as_of <= t0 or self.adoption_tables is None:
            return None
        p = dataclasses.replace(
            self.params, as_of=t0, horizon_year=max(self.params.horizon_year, t0 + 1)
        )
        return _adopted_run(self.adoption_tables, p)

    @property
    def as_of(self) -> int:
        return self.params.as_of

    def index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise AreaNotFound(code) from None

    def area(self, code: str) -> AreaResult:
        """Every figure for one area (pathway, references, delay, sectors, ledger)."""
        return _area_result(self, self.index(code))

    def areas(self, level: str | None = None) -> list[AreaResult]:
        return [_area_result(self, i) for i, lv in enumerate(self.levels) if level in (None, lv)]


@functools.lru_cache(maxsize=64)
def _adopted_run(tables: Tables, params: Parameters) -> BudgetRun:
    """The adopted run is the same for every ``as_of``: computed once per edition and parameters."""
    return compute_budgets(tables=tables, params=params)


def compute_budgets(
    *, tables: Tables, params: Parameters, adoption_tables: Tables | None = None
) -> BudgetRun:
    """Every area's budget and headline figures under ``params`` on ``tables``.

    ``adoption_tables`` is the edition whose pathway the ledger compares against (default:
    ``tables``); the adopted path is the pathway computed as of the budget start.
    """
    inv = local_inventory(tables=tables, params=params)
    nat = national_budget(tables=tables, params=params)
    rule_t = nat.budget_t - nat.overhead_t  # what the allocation rule shares out
    alloc = local_shares(inventory=inv, params=params, allocated_t=rule_t)
    t0 = nat.budget_from
    as_of = params.as_of
    n_mun = len(inv.codes)

    pop_all, pop_year = inv.population_of(as_of - 1)
    municipal_budget = alloc.shares * rule_t
    if params.international_transport == "per-capita":
        # international aviation and shipping shared per capita instead of kept nationally
        pop_mun = pop_all[:n_mun]
        municipal_budget = municipal_budget + nat.overhead_t * pop_mun / pop_mun.sum()
    budget = inv.per_area(municipal_budget)

    # an annual series from the earliest year we need to as_of − 1
    first = min(
        t0,
        as_of - 1,
        inv.trend_years[0] if inv.trend_years else inv.data_years[-1],
        inv.data_years[-1],
    )
    series_years = list(range(first, max(as_of, t0)))
    mun_sectors, est = inv.annual_sectors(series_years)
    series = inv.per_area(mun_sectors.sum(axis=2))
    by_release = [series_years.index(y) for y in inv.est_years if y in series_years]
    estimated_sectors = np.tensordot(inv.aggregate, mun_sectors[:, by_release, :], axes=(1, 0))

    if as_of >= t0:
        idx = [series_years.index(y) for y in range(t0, as_of)]
        spent = series[:, idx].sum(axis=1)
        remaining = budget - spent
        spent_years = tuple(range(t0, as_of))
    else:
        idx = [series_years.index(y) for y in range(as_of, t0)]
        remaining = budget + series[:, idx].sum(axis=1)
        spent_years = ()

    trends = inv.area_trends
    area_trend = trends[params.nowcast if params.nowcast in ("ols", "lad") else "ols"]

    if params.e0_basis == "trend-at-as-of":
        e0 = np.maximum(area_trend.at(as_of), 0.0)
        e0_year, e0_est = as_of, True
    else:
        e0 = series[:, series_years.index(as_of - 1)]
        e0_year, e0_est = as_of - 1, bool(est[series_years.index(as_of - 1)])

    horizon_years = max(1, params.horizon_year - as_of + 1)
    rate = required_rate(
        e0=e0,
        budget=remaining,
        convention=params.convention,
        n_years=horizon_years,
        residual_fraction=params.residual_fraction,
    )

    steps = (
        Step(
            "global-budget",
            {
                "source": nat.global_budget.source_id,
                "temperature_c": params.temperature_c,
                "probability_pct": params.probability_pct,
                "published_gt": nat.global_budget.published_gt,
                "published_from": nat.global_budget.published_from,
                "year": t0,
                "remaining_gt": nat.global_budget.remaining_gt,
                "extrapolated_years": list(nat.global_budget.extrapolated_years),
            },
        ),
        Step(
            "national-budget",
            {
                "mode": nat.mode,
                "budget_t": nat.budget_t,
                "from": t0,
                "derived": nat.derived_from_preset,
                "overhead_t": nat.overhead_t,
                "allocated_t": nat.allocated_t,
                "international_transport": params.international_transport,
            },
        ),
        Step(
            "exclusions",
            {
                "exclude_cement": params.exclude_cement,
                "exclude_sectors": list(params.exclude_sectors),
                "facilities": [f.name for f in params.national_facilities],
                "excluded_last_year_t": float(inv.excluded_t[:, -1].sum()),
            },
        ),
        Step(
            "allocation",
            {
                "rule": alloc.rule,
                "base_years": list(alloc.base_years),
                "population_year": alloc.population_year,
                "municipalities": n_mun,
                "sum_t": float(municipal_budget.sum()),
            },
        ),
        Step(
            "nowcast",
            {
                "method": params.nowcast,
                "trend_years": list(inv.trend_years),
                "last_data_year": inv.last_data_year,
                "estimated_years": [y for y, e in zip(series_years, est, strict=True) if e],
            },
        ),
        Step(
            "pathway",
            {
                "convention": params.convention,
                "as_of": as_of,
                "e0_year": e0_year,
                "e0_basis": params.e0_basis,
            },
        ),
    )
    run = BudgetRun(
        edition=tables.edition_id,
        params=params,
        national=nat,
        allocation=alloc,
        inventory=inv,
        area_trend=area_trend,
        area_trends=trends,
        codes=inv.area_codes,
        names=inv.area_names,
        levels=inv.area_levels,
        lan_codes=inv.area_lan_codes,
        budget_t=budget,
        share=_shares(budget, nat.allocated_t, inv.per_area(alloc.shares)),
        remaining_t=remaining,
        e0_t=e0,
        e0_estimated=e0_est,
        e0_year=e0_year,
        rate=rate,
        population=pop_all,
        population_year=pop_year,
        spent_years=spent_years,
        series_years=tuple(series_years),
        series_t=series,
        series_estimated=tuple(bool(x) for x in est),
        estimated_sector_t=estimated_sectors,
        steps=steps,
        adoption_tables=adoption_tables or tables,
    )
    return run


def _shares(budget: Array, allocated_t: float, rule_shares: Array) -> Array:
    """Each area's share of the allocated national budget (the rule's shares when nothing is
    allocated, e.g. a cell whose national budget is zero)."""
    if allocated_t > 0:
        return np.asarray(budget / allocated_t, dtype=np.float64)
    return rule_shares


def _recent_change(hist: Sequence[tuple[int, float]]) -> float | None:
    values = dict(hist)
    years = sorted(values)[-5:]
    changes = [
        values[y] / values[y - 1] - 1 for y in years if y - 1 in values and values[y - 1] > 0
    ]
    return sum(changes) / len(changes) if changes else None


def _area_result(run: BudgetRun, i: int) -> AreaResult:
    p = run.params
    inv = run.inventory
    as_of = p.as_of
    e0 = float(run.e0_t[i])
    rem = float(run.remaining_t[i])
    rate = float(run.rate[i])
    exhausted = rem <= 0
    weights = inv.aggregate[i]
    mun_mask = weights > 0

    data_hist = [(y, float(weights @ inv.total_t[:, j])) for j, y in enumerate(inv.data_years)]
    history = [(y, t, False) for y, t in data_hist]
    for j, y in enumerate(run.series_years):
        if run.series_estimated[j] and y > inv.last_data_year:
            history.append((y, float(run.series_t[i, j]), True))
    sector_cube = np.tensordot(weights, inv.sector_t, axes=(0, 0))  # years × sectors
    # each sector's years as Python floats, converted in one call (this is the API's hot path)
    sector_cols: list[list[float]] = sector_cube.T.tolist()
    by_sector = {
        s: tuple(zip(inv.data_years, sector_cols[k], strict=True)) for k, s in enumerate(SECTORS)
    }
    excluded = tuple(
        (y, float(weights @ inv.excluded_t[:, j])) for j, y in enumerate(inv.data_years)
    )
    by_release = [y for y in inv.est_years if y in run.series_years]
    est_cols: list[list[float]] = run.estimated_sector_t[i, : len(by_release)].T.tolist()
    estimated_by_sector = {
        s: tuple(zip(by_release, est_cols[k], strict=True)) for k, s in enumerate(SECTORS)
    }

    base = run.allocation.base_years or inv.data_years[-3:]
    bidx = [inv.data_years.index(y) for y in base]
    base_sec = sector_cube[bidx].sum(axis=0)
    base_total = float(base_sec.sum())
    sectors = []
    last_j = len(inv.data_years) - 1
    for k, s in enumerate(SECTORS):
        if s in p.exclude_sectors:
            continue
        share = float(base_sec[k] / base_total) if base_total > 0 else 0.0
        last = sector_cols[k][last_j]
        sec_hist = by_sector[s]
        sectors.append(
            SectorFigure(
                sector=s,
                share=share,
                emissions_t=last,
                year=inv.last_data_year,
                change_per_year=_recent_change(sec_hist),
                budget_t=share * max(rem, 0.0),
                years_of_budget_per_year=(share * e0 / rem) if rem > 0 else None,
            )
        )

    years_left = rem / e0 if e0 > 0 and rem > 0 else (0.0 if rem <= 0 else None)
    exhaustion_year = math.floor(as_of + years_left) if years_left is not None else None
    a, b = float(run.area_trend.intercept[i]), float(run.area_trend.slope[i])
    te = trend_exhaustion(intercept=a, slope=b, start=float(as_of), budget=rem)
    tz = trend_zero_year(a, b)

    end = p.path_end_year
    horizon_years = max(1, p.horizon_year - as_of + 1)
    level_at = {y: t for y, t, _ in history}
    level_at.update({y: float(run.series_t[i, j]) for j, y in enumerate(run.series_years)})
    refs = reference_paths(
        as_of=as_of,
        end=end,
        e0=e0,
        remaining_t=rem,
        rate=rate,
        convention=p.convention,
        horizon_years=horizon_years,
        residual_fraction=p.residual_fraction,
        trend_intercept=a,
        trend_slope=b,
        level_1990=level_at.get(1990),
        level_at=level_at,
        carbon_law_rate=p.carbon_law_rate,
        carbon_law_from=p.carbon_law_from,
        local_targets=p.local_targets,
    )
    years = list(range(as_of, end + 1))
    for m, tr in run.area_trends.items():  # the current trend by both fits, for comparison
        ai, bi = float(tr.intercept[i]), float(tr.slope[i])
        refs[PathId(f"trend-{m}")] = trend_year_amounts(ai, bi, years)
    n_h = p.horizon_year - as_of + 1
    references = {k: tuple(zip(years, v, strict=True)) for k, v in refs.items()}
    cumulative = {k: float(sum(v[:n_h])) for k, v in refs.items()}
    delay = cost_of_delay(
        as_of=as_of,
        e0=e0,
        remaining_t=rem,
        convention=p.convention,
        horizon_year=p.horizon_year,
        residual_fraction=p.residual_fraction,
        max_delay=p.max_delay_years,
        infeasible_rate=p.infeasible_rate,
    )
    tc = (
        target_check(path=refs[PathId.LOCAL_TARGET][:n_h], remaining_t=rem)
        if PathId.LOCAL_TARGET in refs
        else None
    )

    ledger: list[LedgerRow] = []
    if run.adopted is not None:
        ad = run.adopted
        j = ad.index(run.codes[i])
        ad_path = annual_path(
            e0=ad.e0_t[j : j + 1],
            budget=ad.remaining_t[j : j + 1],
            rate=ad.rate[j : j + 1],
            convention=ad.params.convention,
            n_years=as_of - ad.params.as_of,
            horizon_years=max(1, ad.params.horizon_year - ad.params.as_of + 1),
            residual_fraction=ad.params.residual_fraction,
        )[0]
        adopted_path = {ad.params.as_of + n: float(v) for n, v in enumerate(ad_path)}
        emissions = {
            y: (float(run.series_t[i, k]), run.series_estimated[k])
            for k, y in enumerate(run.series_years)
        }
        ledger = budget_ledger(
            budget_t=float(run.budget_t[i]),
            budget_from=run.national.budget_from,
            emissions=emissions,
            adopted_path=adopted_path,
            until=as_of,
        )

    pop = float(run.population[i])
    context = {}
    for key, code in (("lan", run.lan_codes[i]), ("riket", run.codes[-1])):
        j = run.codes.index(code)
        pj = float(run.population[j])
        context[key] = {
            "code": code,
            "name": run.names[j],
            "budget_per_capita_t": float(run.budget_t[j]) / pj if pj > 0 else 0.0,
            "emissions_per_capita_t": float(run.e0_t[j]) / pj if pj > 0 else 0.0,
        }
    est_years = tuple(
        y
        for y, e in zip(run.series_years, run.series_estimated, strict=True)
        if e and y > inv.last_data_year and (y in run.spent_years or y == run.e0_year)
    )
    remaining_estimated = any(y in run.spent_years for y in est_years)
    members_available = members_overspent = None
    if run.levels[i] != "kommun":
        n_mun = len(inv.codes)
        member_rem = run.remaining_t[:n_mun][mun_mask]
        members_available = float(member_rem[member_rem > 0].sum())
        members_overspent = max(0.0, float(-member_rem[member_rem < 0].sum()))
    warnings: list[ResultWarning] = []
    if run.e0_estimated:
        warnings.append(ResultWarning.E0_ESTIMATED)
    if remaining_estimated:
        warnings.append(ResultWarning.REMAINING_ESTIMATED)
    if members_overspent:
        warnings.append(ResultWarning.MEMBERS_OVERSPENT)
    recent = [y >= p.trend_from for y in inv.data_years + inv.est_years]
    if float(weights @ inv.not_deducted_t[:, recent].sum(axis=1)) > 0:
        warnings.append(ResultWarning.DEDUCTION_CAPPED)
    if p.convention == "D" and rem > 0 and e0 * p.residual_fraction * horizon_years > rem:
        warnings.append(ResultWarning.RESIDUAL_EXCEEDS_BUDGET)
    if run.national.extrapolated:
        warnings.append(ResultWarning.NATIONAL_BUDGET_EXTRAPOLATED)
    if exhausted:
        warnings.append(ResultWarning.BUDGET_EXHAUSTED)
    elif rate > p.infeasible_rate:
        warnings.append(ResultWarning.RATE_BEYOND_EXPERIENCE)
    if run.national.derived_from_preset:
        warnings.append(ResultWarning.NATIONAL_BUDGET_DERIVED)
    if run.national.global_budget.extrapolated_years and p.national_mode == "computed":
        warnings.append(ResultWarning.GLOBAL_EMISSIONS_EXTRAPOLATED)
    if not mun_mask.any():
        warnings.append(ResultWarning.NO_MUNICIPALITIES)

    return AreaResult(
        code=run.codes[i],
        name=run.names[i],
        level=Level(run.levels[i]),
        lan_code=run.lan_codes[i],
        edition=run.edition,
        parameters=p,
        budget_t=float(run.budget_t[i]),
        budget_from=run.national.budget_from,
        share=float(run.share[i]),
        remaining_t=rem,
        remaining_as_of=as_of,
        remaining_estimated=remaining_estimated,
        members_available_t=members_available,
        members_overspent_t=members_overspent,
        e0_t=e0,
        e0_year=run.e0_year,
        e0_estimated=run.e0_estimated,
        estimated_years=est_years,
        rate=rate,
        rate_convention=p.convention,
        years_left=years_left,
        exhaustion_year=exhaustion_year,
        burn_share=e0 / rem if rem > 0 else None,
        one_in_n=max(1, round(1 / rate)) if rate > 0 else None,
        recent_change=_recent_change(data_hist),
        trend_method=run.area_trend.method,
        trend_slope_t=b,
        trend_intercept_t=a,
        # a trend that takes millennia to use the budget has no meaningful calendar date
        trend_exhaustion_date=fractional_year_to_date(te) if te is not None and te < 9999 else None,
        trend_zero_year=tz,
        near_zero_year=near_zero_year(
            as_of=as_of, rate=rate, convention=p.convention, path=refs[PathId.BUDGET], budget=rem
        )
        if rem > 0
        else None,
        linear_zero_year=as_of + 2 * rem / e0 if e0 > 0 and rem > 0 else None,
        population=pop,
        population_year=run.population_year,
        budget_per_capita_t=float(run.budget_t[i]) / pop if pop > 0 else 0.0,
        emissions_per_capita_t=e0 / pop if pop > 0 else 0.0,
        per_capita_context=context,
        exhausted=exhausted,
        infeasible=exhausted or rate > p.infeasible_rate,
        last_data_year=inv.last_data_year,
        history=tuple(history),
        history_by_sector=by_sector,
        estimated_by_sector=estimated_by_sector,
        excluded_t=excluded,
        sectors=tuple(sectors),
        pathway=references[PathId.BUDGET],
        references=references,
        cumulative_t=cumulative,
        cost_of_delay=tuple(delay),
        target_check=tc,
        ledger=tuple(ledger),
        warnings=tuple(warnings),
    )
