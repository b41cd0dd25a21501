"""G: the remaining global CO2 budget, from any cell of the published tables, rolled to a year.

``B(t1) = B(t0) − Σ_{t0 ≤ t < t1} E_glob(t)`` with ``E_glob`` = fossil CO2 + land-use change CO2
from the Global Carbon Budget. Years after the last GCB year repeat the last year (flagged). Rolling
backwards (``t1 < t0``) adds the emissions back. No negative emissions or removals are credited.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from ..errors import ParameterError
from ..schema import Tables

__all__ = ["GlobalBudget", "global_budget", "global_cells"]


@dataclass(frozen=True)
class GlobalBudget:
    """A remaining global budget (Gt CO2) as published, and rolled to ``year``."""

    source_id: str
    temperature_c: float
    probability_pct: int
    published_gt: float
    published_from: int
    year: int
    remaining_gt: float
    emissions_used_gt: float
    extrapolated_years: tuple[int, ...]
    verification: str


def global_cells(tables: Tables, source_id: str | None = None) -> list[tuple[str, float, int]]:
    """Every (source_id, temperature, probability) cell the edition's tables offer."""
    gb = tables.global_budgets
    if source_id is not None:
        gb = gb[gb["source_id"] == source_id]
    return [
        (str(s), float(t), int(p))
        for s, t, p in zip(
            gb["source_id"].tolist(),
            gb["temperature_c"].tolist(),
            gb["probability_pct"].tolist(),
            strict=True,
        )
    ]


@dataclass(frozen=True)
class _Lookup:
    cells: dict[tuple[str, float, int], tuple[int, float, str]]
    sources: tuple[str, ...]
    emissions_mt: dict[int, float]


_LOOKUPS: weakref.WeakKeyDictionary[Tables, _Lookup] = weakref.WeakKeyDictionary()


def _lookup(tables: Tables) -> _Lookup:
    """The published cells and global emissions as dicts (built once per loaded edition)."""
    found = _LOOKUPS.get(tables)
    if found is None:
        gb = tables.global_budgets
        cells = {
            (str(s), round(float(t), 3), int(p)): (int(f), float(v), str(ver))
            for s, t, p, f, v, ver in zip(
                gb["source_id"],
                gb["temperature_c"],
                gb["probability_pct"],
                gb["budget_from"],
                gb["budget_gt"],
                gb["verification"],
                strict=True,
            )
        }
        ge = tables.global_emissions
        em = {
            int(y): float(a) + float(b)
            for y, a, b in zip(ge["year"], ge["world_fossil_mt"], ge["world_luc_mt"], strict=True)
        }
        found = _Lookup(cells, tuple(sorted({k[0] for k in cells})), em)
        _LOOKUPS[tables] = found
    return found


def _cell(
    look: _Lookup, source_id: str, temperature_c: float, probability_pct: int
) -> tuple[int, float, str]:
    if source_id not in look.sources:
        raise ParameterError(
            key="unknown_global_source",
            value=source_id,
            sources=", ".join(look.sources),
        )
    key = (source_id, round(float(temperature_c), 3), int(probability_pct))
    if key not in look.cells:
        cells = ", ".join(f"{t:g} °C/{p} %" for s, t, p in sorted(look.cells) if s == source_id)
        raise ParameterError(
            key="no_published_budget",
            source=source_id,
            # a float as '{:g}' prints it (Babel writes it the same in English, "1,5" in Swedish)
            temperature=float(f"{temperature_c:g}"),
            probability=str(probability_pct),
            cells=cells,
        )
    return look.cells[key]


def global_budget(
    *, tables: Tables, source_id: str, temperature_c: float, probability_pct: int, year: int
) -> GlobalBudget:
    """The published cell, rolled forward (or back) to 1 January of ``year``."""
    look = _lookup(tables)
    start, published, verification = _cell(look, source_id, temperature_c, probability_pct)
    total = look.emissions_mt
    last = max(total)
    used = 0.0
    extrapolated: list[int] = []
    lo, hi, sign = (start, year, 1.0) if year >= start else (year, start, -1.0)
    for t in range(lo, hi):
        if t in total:
            used += total[t]
        else:
            used += total[last]
            extrapolated.append(t)
    used_gt = sign * used / 1000.0
    return GlobalBudget(
        source_id=source_id,
        temperature_c=float(temperature_c),
        probability_pct=int(probability_pct),
        published_gt=published,
        published_from=start,
        year=year,
        remaining_gt=published - used_gt,
        emissions_used_gt=used_gt,
        extrapolated_years=tuple(extrapolated),
        verification=verification,
    )
