"""The local inventory: SMHI's fossil CO2 per municipality, sector and year, after exclusions,
extended to every year up to "now" with actual data or a flagged nowcast.

Steps (METHOD.md L1 and L3):

1. gross emissions per municipality × data year × sector, as SMHI published them;
2. years after the last data year ``L`` (``nowcast``):

   - ``ghg-ratio`` (default, chosen by the backtest in ``backtest.py``): each municipality's CO2
     in each sector is carried forward with the change the newest greenhouse-gas release shows for
     the same municipality and sector, ``E_ks(y) = E_ks(L) · G_ks(y) / G_ks(L)``, both ``G`` from
     one release (never across releases; a sector with ``G_ks(L) = 0`` keeps its level). Years no
     release covers yet continue from the last covered year ``Lc`` with the national trend,
     ``E_k(y) = E_k(Lc) · (1 + g)^(y − Lc)``, ``g`` the OLS slope of Sweden's total over
     ``trend_from`` → ``Lc`` divided by its level in ``Lc`` (bounded to ±50 %/yr);
   - ``ols`` / ``lad``: the linear trend over ``trend_from`` → ``L`` (floored at zero);
   - ``national-scaling``: ``L`` scaled by national preliminary totals;

3. leave out excluded sectors (default: "Utrikes transporter", handled nationally);
4. deduct cement process CO2 (``exclude_cement``: ``cement_process_share`` × each plant's
   reported total) and national facilities from the host municipality's "Industri" sector;
   where a deduction exceeds that sector, ``deduction_excess`` decides: ``industri-only`` deducts
   the sector and records the rest as not deducted (warned), ``pro-rata`` takes the rest from the
   other sectors (Klimatkollen). Cement years the facility file lacks are interpolated linearly
   between known years (nearest at the ends);
5. years between data years are interpolated linearly (flagged as estimates).

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

__all__ = ["Inventory", "inventory_key", "local_inventory", "require_co2"]

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
    #: ghg-ratio: years after ``L`` carried forward by a greenhouse-gas release, their sector
    #: cube after exclusions (municipalities × years × sectors), the release used for each year,
    #: and the national growth ``g`` for the years after them
    est_years: tuple[int, ...]
    est_sector_t: Array
    est_releases: tuple[str, ...]
    growth: float
    #: international aviation and shipping shared per capita into "utrikes-transporter"
    #: (``international_transport = per-capita``): kept out of grandfathering's base
    international_per_capita: bool
    #: tonnes a deduction could not take from the Industri sector (municipalities × years of
    #: ``data_years + est_years``; ``deduction_excess = industri-only``)
    not_deducted_t: Array
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
        sectors, est = self.annual_sectors(years)
        return np.asarray(sectors.sum(axis=2), dtype=np.float64), est

    def annual_sectors(self, years: list[int]) -> tuple[Array, npt.NDArray[np.bool_]]:
        """Municipal emissions by sector for ``years`` (municipalities × years × sectors) and an
        'estimated' mask. Trend nowcasts split their total like the last data year."""
        dy = np.asarray(self.data_years)
        out = np.empty((len(self.codes), len(years), len(SECTORS)))
        est = np.zeros(len(years), dtype=bool)
        last = self.last_data_year
        for i, y in enumerate(years):
            if y in self.data_years:
                out[:, i] = self.sector_t[:, self.data_years.index(y)]
            elif y > last:
                out[:, i] = self._nowcast(y)
                est[i] = True
            elif y < dy[0]:
                raise ParameterError(
                    key="no_emissions_before",
                    first=int(dy[0]),
                    year=y,
                )
            else:
                j = int(np.searchsorted(dy, y))
                y0, y1 = dy[j - 1], dy[j]
                w = (y - y0) / (y1 - y0)
                out[:, i] = (1 - w) * self.sector_t[:, j - 1] + w * self.sector_t[:, j]
                est[i] = True
        return out, est

    @property
    def allocation_total_t(self) -> Array:
        """Totals per data year for grandfathering (without international transport shared per
        capita: that part of the budget is shared by population)."""
        if not self.international_per_capita:
            return self.total_t
        u = SECTORS.index("utrikes-transporter")
        return np.asarray(self.total_t - self.sector_t[:, :, u], dtype=np.float64)

    @property
    def last_estimate_year(self) -> int:
        """The last year the inventory holds figures for without extrapolating a trend."""
        return self.est_years[-1] if self.est_years else self.last_data_year

    def _nowcast(self, year: int) -> Array:
        """Municipalities × sectors in ``year`` (after the last data year)."""
        if self.nowcast == "ghg-ratio":
            if year in self.est_years:
                return self.est_sector_t[:, self.est_years.index(year)]
            base = self.est_sector_t[:, -1] if self.est_years else self.sector_t[:, -1]
            factor = (1.0 + self.growth) ** (year - self.last_estimate_year)
            return np.asarray(base * factor, dtype=np.float64)
        return self._split_like_last(self._nowcast_total(year))

    def _split_like_last(self, total: Array) -> Array:
        """``total`` (per municipality) split over sectors like the last data year (like all
        data years where the last one is zero, evenly where every year is)."""
        split = self.sector_t[:, -1].copy()
        empty = split.sum(axis=1) <= 0
        split[empty] = self.sector_t[empty].sum(axis=1)
        empty = split.sum(axis=1) <= 0
        split[empty] = 1.0
        split /= split.sum(axis=1)[:, None]
        return np.asarray(split * total[:, None], dtype=np.float64)

    def _nowcast_total(self, year: int) -> Array:
        if self.nowcast == "national-scaling":
            prelim = dict(self.preliminary)
            if year not in prelim:
                raise ParameterError(
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
            key="edition_not_co2",
            edition=tables.edition_id,
            gas=tables.gas,
        )


_CACHE: weakref.WeakKeyDictionary[Tables, dict[tuple[object, ...], Inventory]] = (
    weakref.WeakKeyDictionary()
)


#: Inventories kept per loaded edition (one per combination of exclusions and nowcast settings).
_MAX_PER_TABLES = 16


def inventory_key(params: Parameters) -> tuple[object, ...]:
    """The parameters an inventory depends on (what its memo is keyed by)."""
    return (
        params.exclude_cement,
        params.cement_process_share,
        params.deduction_excess,
        params.exclude_sectors,
        params.national_facilities,
        params.nowcast,
        params.trend_from,
        params.international_transport,
        params.national_preliminary_t,
    )


def local_inventory(*, tables: Tables, params: Parameters) -> Inventory:
    """The municipal inventory for ``params`` (memoised per tables object and relevant params)."""
    require_co2(tables)
    per_tables = _CACHE.setdefault(tables, {})
    key = inventory_key(params)
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
            key="unknown_sectors",
            unknown=str(sorted(unknown)),
            sectors=", ".join(SECTORS),
        )

    em = tables.emissions
    em = em[em["code"].isin(codes)]
    years = tuple(sorted(int(y) for y in em["year"].unique()))
    gross_cube = _cube(em, codes, years)
    gross = gross_cube.sum(axis=2)
    est_years: tuple[int, ...] = ()
    est_releases: tuple[str, ...] = ()
    est_gross = np.zeros((len(codes), 0, len(SECTORS)))
    if params.nowcast == "ghg-ratio":
        est_years, est_releases, est_gross = _carry_forward(
            tables.ghg_sectors, codes, years[-1], gross_cube[:, -1]
        )
    all_years = years + est_years
    keep = np.array([s not in params.exclude_sectors for s in SECTORS], dtype=float)
    cube = np.concatenate([gross_cube, est_gross], axis=1) * keep[None, None, :]
    per_capita = params.international_transport == "per-capita"
    if per_capita:
        # Sweden's bunkers in every municipality by its share of the population, replacing
        # SMHI's small "Utrikes transporter" (domestic waters and low altitudes)
        cube[:, :, SECTORS.index("utrikes-transporter")] = _international_per_capita(
            tables, codes, all_years
        )

    deduct = np.zeros((len(codes), len(all_years)))
    if params.exclude_cement:
        deduct += params.cement_process_share * _facility_matrix(
            tables.facilities, codes, all_years, kind="cement"
        )
    for f in params.national_facilities:
        if f.code not in codes:
            raise ParameterError(
                key="facility_code_unknown",
                facility=repr(f.name),
                code=repr(f.code),
            )
        deduct[codes.index(f.code), :] += f.emissions_t
    cube, excluded, not_deducted = _deduct(
        cube, deduct, SECTORS.index("industri"), pro_rata=params.deduction_excess == "pro-rata"
    )
    n = len(years)
    sector, est_sector = cube[:, :n], cube[:, n:]
    total = sector.sum(axis=2)

    trend_years = tuple(y for y in years if y >= params.trend_from)
    method = params.nowcast if params.nowcast in ("ols", "lad") else "ols"
    idx = [years.index(y) for y in trend_years]
    trend = fit_trend(years=list(trend_years), values=total[:, idx], method=method)
    growth = _national_growth(
        years=trend_years + est_years,
        totals=np.concatenate([total[:, idx], est_sector.sum(axis=2)], axis=1).sum(axis=0),
    )

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
        excluded_t=excluded[:, :n],
        trend=trend,
        trend_years=trend_years,
        area_trends={
            m: fit_trend(years=list(trend_years), values=agg @ total[:, idx], method=m)
            for m in ("ols", "lad")
        },
        nowcast=params.nowcast,
        preliminary=params.national_preliminary_t,
        est_years=est_years,
        est_sector_t=est_sector,
        est_releases=est_releases,
        growth=growth,
        international_per_capita=per_capita,
        not_deducted_t=not_deducted,
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
            key="population_incomplete",
        )
    return out


def _deduct(
    sector: Array, deduct: Array, ind: int, *, pro_rata: bool
) -> tuple[Array, Array, Array]:
    """Deduct ``deduct`` (municipalities × years) from the "Industri" sector of ``sector``
    (municipalities × years × sectors). What exceeds the sector is taken pro rata from the other
    sectors when ``pro_rata`` (never below zero), else left in place and returned as not deducted.

    Returns the cube after deduction, the tonnes deducted and the tonnes not deducted.
    """
    out = sector.copy()
    from_ind = np.minimum(out[:, :, ind], deduct)
    out[:, :, ind] -= from_ind
    excess = deduct - from_ind
    if pro_rata:
        rest = out.sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(
                rest > 0, np.maximum(rest - excess, 0.0) / np.where(rest > 0, rest, 1.0), 1.0
            )
        out *= factor[:, :, None]
        excess = np.zeros_like(excess)
    return out, sector.sum(axis=2) - out.sum(axis=2), excess


def _cube(em: pd.DataFrame, codes: tuple[str, ...], years: tuple[int, ...]) -> Array:
    """Emission rows → municipalities × years × sectors (sectors outside SMHI's nine main ones
    are not part of the inventory)."""
    cube = np.zeros((len(codes), len(years), len(SECTORS)))
    ki = pd.Index(codes).get_indexer(pd.Index(em["code"]))
    yi = pd.Index(years).get_indexer(pd.Index(em["year"]))
    si = pd.Index(SECTORS).get_indexer(pd.Index(em["sector"]))
    ok = (si >= 0) & (ki >= 0) & (yi >= 0)
    np.add.at(cube, (ki[ok], yi[ok], si[ok]), em["emissions_t"].to_numpy(dtype=float)[ok])
    return cube


def _carry_forward(
    ghg: pd.DataFrame, codes: tuple[str, ...], last: int, level: Array
) -> tuple[tuple[int, ...], tuple[str, ...], Array]:
    """Years after ``last`` that a greenhouse-gas release covers together with ``last``, the
    release used for each (the newest that has both years), and ``level`` (municipalities ×
    sectors in ``last``) carried to each year with that release's sector changes."""
    years_of = {
        str(r): {int(y) for y in g["year"].unique()} for r, g in ghg.groupby("release", sort=True)
    }
    out_years: list[int] = []
    out_releases: list[str] = []
    cubes: list[Array] = []
    y = last + 1
    while True:
        have = [r for r, ys in years_of.items() if last in ys and y in ys]
        if not have:
            break
        release = max(have)
        rows = ghg[ghg["release"] == release]
        g = _cube(rows, codes, (last, y))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(g[:, 0] > 0, g[:, 1] / np.where(g[:, 0] > 0, g[:, 0], 1.0), 1.0)
        cubes.append(level * ratio)
        out_years.append(y)
        out_releases.append(release)
        y += 1
    cube = np.stack(cubes, axis=1) if cubes else np.zeros((len(codes), 0, len(SECTORS)))
    return tuple(out_years), tuple(out_releases), cube


def _international_per_capita(
    tables: Tables, codes: tuple[str, ...], years: tuple[int, ...]
) -> Array:
    """Municipalities × years: Sweden's international aviation and shipping CO2 in each year
    (the last published year held for later years) times the municipality's population share."""
    it = tables.international_transport
    if it.empty:
        raise ParameterError(
            key="international_series_missing",
        )
    xs = it["year"].to_numpy(dtype=float)
    total = it["aviation_t"].to_numpy(dtype=float) + it["shipping_t"].to_numpy(dtype=float)
    order = np.argsort(xs)
    national = np.interp(np.asarray(years, dtype=float), xs[order], total[order])
    pop = tables.population
    pop = pop[pop["code"].isin(codes)]
    wide = pop.pivot_table(index="code", columns="year", values="population", aggfunc="sum")
    wide = wide.reindex(index=list(codes))
    out = np.zeros((len(codes), len(years)))
    known = sorted(int(c) for c in wide.columns if not wide[c].isna().any())
    if not known:
        raise EditionError(
            key="population_incomplete",
        )
    for j, y in enumerate(years):
        py = max([k for k in known if k <= y] or known[:1])
        col = wide[py].to_numpy(dtype=float)
        out[:, j] = national[j] * col / col.sum()
    return out


#: bound of the national growth used for years no release covers (per year)
_MAX_GROWTH = 0.5


def _national_growth(*, years: tuple[int, ...], totals: Array) -> float:
    """``g``: the OLS slope of Sweden's total over ``years``, relative to its last value."""
    if len(years) < 2 or totals[-1] <= 0:
        return 0.0
    x = np.asarray(years, dtype=float)
    slope = float(((x - x.mean()) * (totals - totals.mean())).sum() / ((x - x.mean()) ** 2).sum())
    return float(np.clip(slope / totals[-1], -_MAX_GROWTH, _MAX_GROWTH))


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
