"""What the visualiser shows, taken from the engine: one JSON document per area.

Every number comes from a :class:`~koldioxidbudget.method.budget.AreaResult` (``to_dict()``); the
site only selects and reshapes. The browser recomputes the delay and sector what-ifs with a port of
``method/pathway.py`` and ``method/scenarios.py`` (``static/js/pathway.js``); for that it gets the
inputs the engine used (``e0_t``, ``remaining_t``, the convention and its horizon) and a test
checks the port against the engine for every area.

**Temperature and probability.** The site offers every cell of the global-budget table the
parameters name (``global_source``: 1.5/1.7/2.0 °C × the published probabilities). A cell is the
base parameters with that temperature and probability; the engine places Sweden's budget for it on
the line through the release's two published points (``method/national.py``), so a cell has one
answer whichever preset the site was built from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..method.budget import AreaResult, BudgetRun
from ..method.cells import Cell, cell_id, cells_for, compute_cells
from ..schema import Tables
from ..service.scenario import Scenario

__all__ = ["Cell", "SiteData", "area_payload", "cell_id", "cells_for", "compute_cells", "site_data"]

log = logging.getLogger(__name__)

#: Reference paths that do not depend on the budget (the browser draws them as given).
FIXED_REFERENCES = ("no-reduction", "trend", "sweden-targets", "carbon-law", "local-target")


_CELL_KEYS = (
    "budget_t",
    "share",
    "remaining_t",
    "rate",
    "years_left",
    "exhaustion_year",
    "burn_share",
    "one_in_n",
    "near_zero_year",
    "linear_zero_year",
    "trend_exhaustion_date",
    "budget_per_capita_t",
    "exhausted",
    "infeasible",
    "warnings",
    "members_available_t",
    "members_overspent_t",
)


def _series(points: list[dict[str, Any]]) -> list[float]:
    return [round(float(p["t"]), 3) for p in points]


def area_payload(
    results: dict[str, AreaResult],
    default_cell: str,
    *,
    subsectors: list[dict[str, Any]] | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON one area page reads: the engine's figures for every cell, the default cell's
    history, sectors, references, ledger, and the inputs of the browser's recomputation."""
    r = results[default_cell]
    d = r.to_dict()
    p = r.parameters
    refs = d["references"]
    years = [pt["year"] for pt in refs["budget"]]
    cells = {}
    for cid, res in results.items():
        rd = res.to_dict()
        cells[cid] = {k: rd[k] for k in _CELL_KEYS}
        cells[cid]["per_capita_context"] = rd.get("per_capita_context")
        cells[cid]["pathway_first"] = rd["pathway"][0]["t"] if rd["pathway"] else 0.0
        cells[cid]["national_budget_derived"] = "national-budget-derived" in rd["warnings"]
        cells[cid]["preset"] = res.parameters.preset
    sector_e0 = {
        s["sector"]: d["e0_t"]
        * s["share"]  # the engine's sector split of the budget, applied to E0
        for s in d["sectors"]
    }
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "lan_code": r.lan_code,
        "edition": r.edition,
        "default_cell": default_cell,
        "as_of": r.remaining_as_of,
        "budget_from": r.budget_from,
        "e0_t": d["e0_t"],
        "e0_year": d["e0_year"],
        "e0_estimated": d["e0_estimated"],
        "last_data_year": d["last_data_year"],
        "convention": p.convention,
        "horizon_year": p.horizon_year,
        "residual_fraction": p.residual_fraction,
        "path_end_year": p.path_end_year,
        "max_delay_years": p.max_delay_years,
        "infeasible_rate": p.infeasible_rate,
        "carbon_law_rate": p.carbon_law_rate,
        "recent_change": d["recent_change"],
        "trend_method": d["trend_method"],
        "trend_zero_year": d["trend_zero_year"],
        "population": d["population"],
        "population_year": d["population_year"],
        "emissions_per_capita_t": d["emissions_per_capita_t"],
        "history": [[h["year"], round(h["t"], 3), h["estimated"]] for h in d["history"]],
        "history_by_sector": {
            s: [[y, round(v, 3)] for y, v in pts] for s, pts in r.history_by_sector.items()
        },
        "sectors": d["sectors"],
        "sector_e0_t": sector_e0,
        "years": years,
        "references": {k: _series(refs[k]) for k in FIXED_REFERENCES if k in refs},
        "cumulative_t": d["cumulative_t"],
        "cost_of_delay": d["cost_of_delay"],
        "target_check": d["target_check"],
        "ledger": d["ledger"],
        "cells": cells,
        "subsectors": subsectors or [],
        "changes": changes,
    }


@dataclass(frozen=True)
class SiteData:
    """Everything the site build needs from the engine, computed once."""

    tables: Tables
    cells: list[Cell]
    runs: dict[str, BudgetRun]

    @property
    def default(self) -> BudgetRun:
        return self.runs[self.cells[0].id]

    def results(self, code: str) -> dict[str, AreaResult]:
        return {cid: run.area(code) for cid, run in self.runs.items()}


def site_data(sc: Scenario) -> SiteData:
    """The scenario's run of every cell, as the site reads them."""
    return SiteData(sc.tables, cells_for(sc.tables, sc.params), sc.cells)
