"""G: the remaining global CO2 budget, from any cell of the published tables, rolled to a year.

``B(t1) = B(t0) − Σ_{t0 ≤ t < t1} E_glob(t)`` with ``E_glob`` = fossil CO2 + land-use change CO2
from the Global Carbon Budget. Years after the last GCB year repeat the last year (flagged). Rolling
backwards (``t1 < t0``) adds the emissions back. No negative emissions or removals are credited.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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


def _cell(tables: Tables, source_id: str, temperature_c: float, probability_pct: int) -> pd.Series:
    gb = tables.global_budgets
    src = gb[gb["source_id"] == source_id]
    if src.empty:
        valid = ", ".join(sorted(gb["source_id"].unique()))
        raise ParameterError(f"Unknown global_source {source_id!r}. Valid values: {valid}")
    row = src[
        (abs(src["temperature_c"] - temperature_c) < 1e-9)
        & (src["probability_pct"] == probability_pct)
    ]
    if row.empty:
        cells = ", ".join(
            f"{t:g} °C/{p} %"
            for t, p in zip(src["temperature_c"], src["probability_pct"], strict=True)
        )
        raise ParameterError(
            f"{source_id} publishes no budget for {temperature_c:g} °C at {probability_pct} %. "
            f"Available: {cells}"
        )
    return row.iloc[0]


def global_budget(
    *, tables: Tables, source_id: str, temperature_c: float, probability_pct: int, year: int
) -> GlobalBudget:
    """The published cell, rolled forward (or back) to 1 January of ``year``."""
    row = _cell(tables, source_id, temperature_c, probability_pct)
    start = int(row["budget_from"])
    ge = tables.global_emissions.set_index("year")
    total = ge["world_fossil_mt"] + ge["world_luc_mt"]
    last = int(total.index.max())
    used = 0.0
    extrapolated: list[int] = []
    lo, hi, sign = (start, year, 1.0) if year >= start else (year, start, -1.0)
    for t in range(lo, hi):
        if t in total.index:
            used += float(total.loc[t])
        else:
            used += float(total.loc[last])
            extrapolated.append(t)
    used_gt = sign * used / 1000.0
    return GlobalBudget(
        source_id=source_id,
        temperature_c=float(temperature_c),
        probability_pct=int(probability_pct),
        published_gt=float(row["budget_gt"]),
        published_from=start,
        year=year,
        remaining_gt=float(row["budget_gt"]) - used_gt,
        emissions_used_gt=used_gt,
        extrapolated_years=tuple(extrapolated),
        verification=str(row["verification"]),
    )
