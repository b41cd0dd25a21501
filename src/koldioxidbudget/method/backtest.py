"""The nowcast backtest: how well each nowcast would have predicted years SMHI has since published.

For every origin year ``L`` (the last data year a forecaster would have had, from
``trend_from + 2`` to the year before the edition's last data year) and every horizon ``h``
(1 or 2 years), the CO2 edition is cut back to the years up to ``L``, each nowcast predicts the
municipal totals of ``L + h`` through the same code the engine runs (``local_inventory``), and
the prediction is compared with what SMHI published for ``L + h``:

- ``ghg-ratio``: the greenhouse-gas releases may cover ``L + h`` (the usual case: they run one or
  two years ahead of the CO2 release), rows after ``L + h`` withheld;
- ``ghg-ratio`` *beyond the releases* (``h = 2``, the releases cut at ``L + 1``): the year after
  the last release, carried on by the national trend — the case of the current year's ``E0``;
- ``ols`` and ``lad``: the linear trend over ``trend_from`` → ``L``;
- ``national-scaling``: the municipal pattern of ``L`` scaled to Sweden's actual total in
  ``L + h`` (as if a preliminary national figure were exact: a bound on what it can do);
- ``persistence``: ``L`` repeated (the baseline).

Errors are absolute percentage errors of each municipality's total (municipalities with
positive published emissions), pooled over origins: median and 90th percentile; for Sweden
(the sum of the municipalities) the median and the largest over origins. Pure: no I/O.
Exclusions are off (cement, sectors): predictions are compared with the totals as published.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..schema import Tables
from .inventory import local_inventory
from .params import Parameters

__all__ = ["BACKTEST_METHODS", "BacktestRow", "backtest_nowcasts", "best_nowcast"]

Array = npt.NDArray[np.float64]

#: The methods compared, as (row id, nowcast parameter); ``ghg-ratio-beyond`` is ``ghg-ratio``
#: with the releases cut at ``L + 1`` (horizon 2 only), ``persistence`` a level held flat.
BACKTEST_METHODS: tuple[tuple[str, str], ...] = (
    ("ghg-ratio", "ghg-ratio"),
    ("ghg-ratio-beyond", "ghg-ratio"),
    ("ols", "ols"),
    ("lad", "lad"),
    ("national-scaling", "national-scaling"),
    ("persistence", "persistence"),
)


@dataclass(frozen=True)
class BacktestRow:
    """One method at one horizon: pooled errors (fractions) and the origins it was tried on."""

    method: str
    horizon: int
    origins: tuple[int, ...]
    municipal_median: float
    municipal_p90: float
    sweden_median: float
    sweden_max: float


def _cut(tables: Tables, last: int, ghg_until: int) -> Tables:
    em = tables.emissions
    ghg = tables.ghg_sectors
    return dataclasses.replace(
        tables,
        edition_id=f"{tables.edition_id}~backtest-{last}-{ghg_until}",
        emissions=em[em["year"] <= last],
        ghg_sectors=ghg[ghg["year"] <= ghg_until],
    )


def _predict(
    tables: Tables, params: Parameters, row: str, nowcast: str, last: int, year: int, actual: Array
) -> Array:
    ghg_until = last + 1 if row == "ghg-ratio-beyond" else year
    cut = _cut(tables, last, ghg_until)
    if nowcast == "persistence":
        inv = local_inventory(tables=cut, params=dataclasses.replace(params, nowcast="ols"))
        return np.asarray(inv.total_t[:, -1], dtype=np.float64)
    prelim: tuple[tuple[int, float], ...] = ()
    if nowcast == "national-scaling":
        prelim = ((year, float(actual.sum())),)
    p = dataclasses.replace(params, nowcast=nowcast, national_preliminary_t=prelim)  # type: ignore[arg-type]
    inv = local_inventory(tables=cut, params=p)
    totals, _ = inv.annual([year])
    return np.asarray(totals[:, 0], dtype=np.float64)


def backtest_nowcasts(*, tables: Tables, params: Parameters) -> list[BacktestRow]:
    """Every method of ``BACKTEST_METHODS`` at horizons 1 and 2 on ``tables`` (a CO2 edition
    with greenhouse-gas releases), with ``params``' trend window and exclusions switched off."""
    p = dataclasses.replace(params, exclude_cement=False, national_facilities=())
    full = local_inventory(tables=tables, params=p)
    years = full.data_years
    annual = [y for y in years if y >= p.trend_from]
    rows: list[BacktestRow] = []
    for horizon in (1, 2):
        for row, nowcast in BACKTEST_METHODS:
            if row == "ghg-ratio-beyond" and horizon == 1:
                continue
            errors: list[Array] = []
            national: list[float] = []
            origins: list[int] = []
            for last in annual[2:]:
                year = last + horizon
                if year not in years or any(y not in years for y in range(last, year + 1)):
                    continue
                actual = full.total_t[:, years.index(year)]
                pred = _predict(tables, p, row, nowcast, last, year, actual)
                ok = actual > 0
                errors.append(np.abs(pred[ok] - actual[ok]) / actual[ok])
                national.append(abs(float(pred.sum()) - float(actual.sum())) / float(actual.sum()))
                origins.append(last)
            if not errors:
                continue
            pooled = np.concatenate(errors)
            rows.append(
                BacktestRow(
                    method=row,
                    horizon=horizon,
                    origins=tuple(origins),
                    municipal_median=float(np.median(pooled)),
                    municipal_p90=float(np.quantile(pooled, 0.9)),
                    sweden_median=float(np.median(national)),
                    sweden_max=float(np.max(national)),
                )
            )
    return rows


def best_nowcast(rows: list[BacktestRow]) -> str:
    """The nowcast parameter with the lowest median municipal error at horizon 1 (the oracle
    ``national-scaling`` and the ``persistence`` baseline are not candidates)."""
    candidates = [r for r in rows if r.horizon == 1 and r.method in ("ghg-ratio", "ols", "lad")]
    return min(candidates, key=lambda r: r.municipal_median).method
