"""The local inventory: SMHI's fossil CO2 per municipality, sector and year, after exclusions,
extended to every year up to "now" with actual data or a flagged nowcast.

Steps (METHOD.md L1 and L3):

1. gross emissions per municipality × data year × sector, as SMHI published them;
2. leave out excluded sectors (default: "Utrikes transporter", handled nationally);
3. deduct cement process CO2 (if ``exclude_cement``) and national facilities from the host
   municipality's "Industri" sector (floored at zero); cement years SMHI published but the
   facility file lacks are interpolated linearly between known years (nearest at the ends);
4. years between data years are interpolated linearly (flagged as estimates); years after the last
   data year are a nowcast: the OLS or LAD trend over ``trend_from`` → last data year (floored at
   zero), or the last data year scaled by national preliminary totals.

The result holds matrices with one row per municipality (codes sorted); counties and Sweden are
sums of their municipalities (SMHI's "ofördelat" belongs to no municipality and is left out).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import EditionError, ParameterError
from ..schema import GAS_CO2, NATIONAL_CODE, SECTORS, Tables
from .params import Parameters
from .trend import Trend, fit_trend

__all__ = ["Inventory", "local_inventory", "require_co2"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Inventory:
    """Municipal emissions after exclusions, with aggregation to counties and Sweden.

    ``sector_t[k, y, s]``: tonnes of municipality ``k`` in ``data_years[y]``, sector ``SECTORS[s]``
    (excluded sectors are zero). ``total_t = sector_t.sum(-1)``. ``excluded_t[k, y]``: tonnes
    deducted for cement and national facilities. ``trend``: fitted over ``trend_years``.
    """

    codes: tuple[str, ...]
    lan_of: tuple[str, ...]
    data_years: tuple[int, ...]
    sector_t: Array
    total_t: Array
    gross_t: Array
    excluded_t: Array
    trend: Trend
    trend_years: tuple[int, ...]
    #: OLS and LAD trends of every area's own total (counties and Sweden fitted on their sums)
    area_trends: dict[str, Trend]
    nowcast: str
    preliminary: tuple[tuple[int, float], ...]
    population_by_year: dict[int, Array]
    county_codes: tuple[str, ...]
    #: aggregation matrix: rows = every area (municipalities, then counties, then Sweden)
    area_codes: tuple[str, ...]
    area_names: tuple[str, ...]
    area_levels: tuple[str, ...]
    area_lan_codes: tuple[str, ...]
    aggregate: Array

    @property
    def last_data_year(self) -> int:
        return self.data_years[-1]

    def annual(self, years: list[int]) -> tuple[Array, npt.NDArray[np.bool_]]:
        """Municipal totals for ``years`` (municipalities × years) and an 'estimated' mask."""
        dy = np.asarray(self.data_years)
        out = np.empty((len(self.codes), len(years)))
        est = np.zeros(len(years), dtype=bool)
        last = self.last_data_year
        for i, y in enumerate(years):
            if y in self.data_years:
                out[:, i] = self.total_t[:, self.data_years.index(y)]
            elif y > last:
                out[:, i] = self._nowcast(y)
                est[i] = True
            elif y < dy[0]:
                raise ParameterError(
                    f"No emissions before {dy[0]} in this edition (asked for {y}). "
                    "Choose a later national_budget_from or as_of.",
                    key="no_emissions_before",
                    first=int(dy[0]),
                    year=y,
                )
            else:
                j = int(np.searchsorted(dy, y))
                y0, y1 = dy[j - 1], dy[j]
                w = (y - y0) / (y1 - y0)
                out[:, i] = (1 - w) * self.total_t[:, j - 1] + w * self.total_t[:, j]
                est[i] = True
        return out, est

    def _nowcast(self, year: int) -> Array:
        if self.nowcast == "national-scaling":
            prelim = dict(self.preliminary)
            if year not in prelim:
                raise ParameterError(
                    f"The national-scaling nowcast needs a national preliminary total for {year}: "
                    f"set national_preliminary_t={year}:<tonnes>, or use nowcast=ols.",
                    key="preliminary_total_missing",
                    year=year,
                )
            base = self.total_t[:, -1]
            return np.asarray(base * (prelim[year] / float(base.sum())), dtype=np.float64)
        return np.maximum(self.trend.at(year), 0.0)

    def per_area(self, municipal: Array) -> Array:
        """Aggregate a municipal vector/matrix (first axis municipalities) to every area."""
        return np.asarray(self.aggregate @ municipal, dtype=np.float64)

    def population_of(self, year: int) -> tuple[Array, int]:
        """Population of every area (in ``area_codes`` order) for ``year`` or the closest earlier."""
        years = sorted(self.population_by_year)
        usable = [y for y in years if y <= year] or years[:1]
        y = usable[-1]
        return self.population_by_year[y], y


def require_co2(tables: Tables) -> None:
    """Refuse an edition whose emissions are not fossil CO2 (never mix a CO2 budget with CO2e)."""
    if tables.gas != GAS_CO2:
        raise EditionError(
            f"Edition {tables.edition_id} holds {tables.gas} (all greenhouse gases as CO2-equivalents), "
            "but a carbon budget is fossil CO2 only: comparing it with CO2e emissions would be a scope "
            "error. Choose a CO2 edition (see 'koldioxidbudget data list').",
            key="edition_not_co2",
            edition=tables.edition_id,
            gas=tables.gas,
        )


_CACHE: weakref.WeakKeyDictionary[Tables, dict[tuple[object, ...], Inventory]] = (
    weakref.WeakKeyDictionary()
)


#: Inventories kept per loaded edition (one per combination of exclusions and nowcast settings).
_MAX_PER_TABLES = 16


def _key(params: Parameters) -> tuple[object, ...]:
    return (
        params.exclude_cement,
        params.exclude_sectors,
        params.national_facilities,
        params.nowcast,
        params.trend_from,
        params.national_preliminary_t,
    )


def local_inventory(*, tables: Tables, params: Parameters) -> Inventory:
    """The municipal inventory for ``params`` (memoised per tables object and relevant params)."""
    require_co2(tables)
    per_tables = _CACHE.setdefault(tables, {})
    key = _key(params)
    inv = per_tables.get(key)
    if inv is None:
        inv = _build(tables, params)
        if len(per_tables) >= _MAX_PER_TABLES:  # bounded: drop the oldest variant
            per_tables.pop(next(iter(per_tables)))
        per_tables[key] = inv
    return inv


def _build(tables: Tables, params: Parameters) -> Inventory:
    areas = tables.areas
    mun = areas[areas["level"] == "kommun"].sort_values("code")
    codes = tuple(mun["code"])
    lan_of = tuple(mun["lan_code"])
    counties = tuple(sorted(areas.loc[areas["level"] == "lan", "code"]))
    unknown = set(params.exclude_sectors) - set(SECTORS)
    if unknown:
        raise ParameterError(
            f"exclude_sectors names unknown sectors {sorted(unknown)}. Valid values: {', '.join(SECTORS)}",
            key="unknown_sectors",
            unknown=str(sorted(unknown)),
            sectors=", ".join(SECTORS),
        )

    em = tables.emissions
    em = em[em["code"].isin(codes)]
    years = tuple(sorted(int(y) for y in em["year"].unique()))
    cube = np.zeros((len(codes), len(years), len(SECTORS)))
    ki = pd.Index(codes).get_indexer(pd.Index(em["code"]))
    yi = pd.Index(years).get_indexer(pd.Index(em["year"]))
    si = pd.Index(SECTORS).get_indexer(pd.Index(em["sector"]))
    ok = si >= 0  # sectors outside SMHI's nine main sectors are not part of the inventory
    np.add.at(cube, (ki[ok], yi[ok], si[ok]), em["emissions_t"].to_numpy(dtype=float)[ok])
    gross = cube.sum(axis=2)
    keep = np.array([s not in params.exclude_sectors for s in SECTORS], dtype=float)
    sector = cube * keep[None, None, :]

    deduct = np.zeros((len(codes), len(years)))
    if params.exclude_cement:
        deduct += _facility_matrix(tables.facilities, codes, years, kind="cement")
    for f in params.national_facilities:
        if f.code not in codes:
            raise ParameterError(
                f"National facility {f.name!r} names municipality code {f.code!r}, which does not exist.",
                key="facility_code_unknown",
                facility=repr(f.name),
                code=repr(f.code),
            )
        deduct[codes.index(f.code), :] += f.emissions_t
    sector, excluded = _deduct(sector, deduct, SECTORS.index("industri"))
    total = sector.sum(axis=2)

    trend_years = tuple(y for y in years if y >= params.trend_from)
    method = params.nowcast if params.nowcast in ("ols", "lad") else "ols"
    idx = [years.index(y) for y in trend_years]
    trend = fit_trend(years=list(trend_years), values=total[:, idx], method=method)

    area_codes = (*codes, *counties, NATIONAL_CODE)
    agg = np.zeros((len(area_codes), len(codes)))
    agg[np.arange(len(codes)), np.arange(len(codes))] = 1.0
    for j, c in enumerate(counties):
        agg[len(codes) + j, :] = [1.0 if lan == c else 0.0 for lan in lan_of]
    agg[-1, :] = 1.0
    names = {
        str(c): (n, lv, lc)
        for c, n, lv, lc in zip(
            areas["code"], areas["name"], areas["level"], areas["lan_code"], strict=True
        )
    }

    return Inventory(
        codes=codes,
        lan_of=lan_of,
        data_years=years,
        sector_t=sector,
        total_t=total,
        gross_t=gross,
        excluded_t=excluded,
        trend=trend,
        trend_years=trend_years,
        area_trends={
            m: fit_trend(years=list(trend_years), values=agg @ total[:, idx], method=m)
            for m in ("ols", "lad")
        },
        nowcast=params.nowcast,
        preliminary=params.national_preliminary_t,
        population_by_year=_population(tables.population, codes, agg),
        county_codes=counties,
        area_codes=area_codes,
        area_names=tuple(str(names[c][0]) for c in area_codes),
        area_levels=tuple(str(names[c][1]) for c in area_codes),
        area_lan_codes=tuple(str(names[c][2]) for c in area_codes),
        aggregate=agg,
    )


def _population(population: pd.DataFrame, codes: tuple[str, ...], agg: Array) -> dict[int, Array]:
    """Population of every area per year (municipal figures aggregated like emissions); only
    years in which every municipality has a figure."""
    ki = pd.Index(codes).get_indexer(pd.Index(population["code"]))
    ok = ki >= 0
    years = np.asarray(population["year"].to_numpy()[ok], dtype=np.int64)
    first = int(years.min()) if len(years) else 0
    yi = years - first
    wide = np.full((len(codes), int(yi.max()) + 1 if len(yi) else 0), np.nan)
    wide[ki[ok], yi] = population["population"].to_numpy(dtype=float)[ok]
    out: dict[int, Array] = {}
    for j in range(wide.shape[1]):
        col = wide[:, j]
        if not np.isnan(col).any():
            out[first + j] = np.asarray(agg @ col, dtype=np.float64)
    if not out:
        raise EditionError(
            "No year has a population figure for every municipality; rebuild the edition with a "
            "complete SCB population file.",
            key="population_incomplete",
        )
    return out


def _deduct(sector: Array, deduct: Array, ind: int) -> tuple[Array, Array]:
    """Deduct ``deduct`` (municipalities × years) from the municipal totals, taking it from the
    "Industri" sector first and any excess pro rata from the other sectors (the facility reports
    and SMHI's sector split come from different sources: for Gotland 2020–2022 the cement plant's
    process CO2 exceeds SMHI's Industri sector). Totals never go below zero.
    """
    out = sector.copy()
    from_ind = np.minimum(out[:, :, ind], deduct)
    out[:, :, ind] -= from_ind
    excess = deduct - from_ind
    rest = out.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(
            rest > 0, np.maximum(rest - excess, 0.0) / np.where(rest > 0, rest, 1.0), 1.0
        )
    out *= factor[:, :, None]
    return out, sector.sum(axis=2) - out.sum(axis=2)


def _facility_matrix(
    facilities: pd.DataFrame, codes: tuple[str, ...], years: tuple[int, ...], *, kind: str
) -> Array:
    out = np.zeros((len(codes), len(years)))
    fac = facilities[facilities["kind"] == kind]
    for (code, _name), grp in fac.groupby(["code", "facility"]):
        if code not in codes:
            continue
        g = grp.sort_values("year")
        xs = g["year"].to_numpy(dtype=float)
        ys = g["emissions_t"].to_numpy(dtype=float)
        out[codes.index(str(code)), :] += np.interp(np.asarray(years, dtype=float), xs, ys)
    return out
