"""The temperature × probability cells: one definition for the report, the site and the API.

A cell is the base parameters with another temperature and probability of the same global-budget
source. Sweden's budget for a cell lies on the line through the release's two published points
(``national.py``), so a cell has one answer whichever preset it was reached from. Every output
that shows a cell reads it from :func:`compute_cells`; none derives one itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..schema import Tables
from .budget import BudgetRun, compute_budgets
from .global_budget import global_cells
from .params import Parameters

__all__ = ["VARIANT_CELL", "Cell", "cell_id", "cells_for", "compute_cells"]


@dataclass(frozen=True)
class Cell:
    """One temperature × probability choice and the parameters that compute it."""

    id: str
    temperature_c: float
    probability_pct: int
    params: Parameters


def cell_id(temperature_c: float, probability_pct: int) -> str:
    """``1.7-50``: the id of a cell in URLs and JSON."""
    return f"{temperature_c:.1f}-{int(probability_pct)}"


#: The cell every output shows beside the headline when the headline is another one.
VARIANT_CELL = cell_id(1.5, 50)


def cells_for(tables: Tables, base: Parameters) -> list[Cell]:
    """Every temperature × probability of ``base.global_source`` in the edition, the base's own
    cell first, the others in order of temperature, then probability."""
    pairs = sorted({(t, p) for _s, t, p in global_cells(tables, base.global_source)})
    own = (float(base.temperature_c), int(base.probability_pct))
    out = [Cell(cell_id(*own), *own, base)]
    for t, p in pairs:
        if cell_id(t, p) != out[0].id:
            params = dataclasses.replace(base, temperature_c=t, probability_pct=p)
            out.append(Cell(cell_id(t, p), t, p, params))
    return out


def compute_cells(
    tables: Tables, base: Parameters, *, own: BudgetRun | None = None
) -> dict[str, BudgetRun]:
    """One engine run per cell, keyed by cell id, the base's own cell first (``own`` when the
    caller has already computed it). The inventory is memoised, so each further cell costs only
    the vectorised arithmetic."""
    out: dict[str, BudgetRun] = {}
    for c in cells_for(tables, base):
        if own is not None and c.params == base:
            out[c.id] = own
        else:
            out[c.id] = compute_budgets(tables=tables, params=c.params)
    return out
