"""The entry points the CLI, the API and the benchmarks call for budgets, one function per task.

They tie editions, areas and the method together (loading, lookup, computing) and shape the
public JSON contract; they print nothing.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

from ..areas import find_area
from ..edition import load_edition
from ..method.budget import METHOD_VERSION, AreaResult, BudgetRun, compute_budgets
from ..method.params import Parameters
from ..schema import Tables
from .inputs import parameters_from

__all__ = ["CSV_FIELDS", "budget_document", "compute", "csv_rows", "results_for"]


def compute(
    *,
    preset: str | None = None,
    overrides: dict[str, str] | None = None,
    edition: str | None = None,
    params: Parameters | None = None,
    tables: Tables | None = None,
) -> BudgetRun:
    """Load the edition (default: newest CO2 edition) and compute every area's budget."""
    p = params or parameters_from(preset, overrides)
    t = tables or load_edition(edition)
    return compute_budgets(tables=t, params=p)


def results_for(run: BudgetRun, tables: Tables, queries: list[str] | None) -> list[AreaResult]:
    """Results for the areas the queries name (names or codes), or every area when None."""
    if not queries:
        return run.areas()
    return [run.area(find_area(tables.areas, q).code) for q in queries]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


#: each live run's shared document part, by ``id(run)`` (dropped when the run is collected)
_HEADERS: dict[int, dict[str, Any]] = {}


def _run_header(run: BudgetRun) -> dict[str, Any]:
    """What every document of one run shares (its parameters, national budget and steps),
    made once per run: the API sends one area of a run per request."""
    header = _HEADERS.get(id(run))
    if header is None:
        header = _make_header(run)
        _HEADERS[id(run)] = header
        weakref.finalize(run, _HEADERS.pop, id(run), None)
    return header


def _make_header(run: BudgetRun) -> dict[str, Any]:
    nat = run.national
    return {
        "edition": run.edition,
        "method_version": METHOD_VERSION,
        "parameters": _jsonable(run.params),
        "national": {
            "mode": nat.mode,
            "budget_t": nat.budget_t,
            "budget_from": nat.budget_from,
            "overhead_t": nat.overhead_t,
            "allocated_t": nat.allocated_t,
            "global_budget_gt": nat.global_budget.remaining_gt,
            "global_source": nat.global_budget.source_id,
        },
        "steps": [{"id": s.id, **_jsonable(s.values)} for s in run.steps],
    }


def budget_document(run: BudgetRun, results: list[AreaResult]) -> dict[str, Any]:
    """The JSON contract: ``{edition, method_version, parameters, national, steps, areas: [...]}``.

    The shared part is the same objects for every document of a run: read it, never change it."""
    return {**_run_header(run), "areas": [r.to_dict() for r in results]}


CSV_FIELDS = (
    "code",
    "name",
    "level",
    "lan_code",
    "budget_t",
    "budget_from",
    "share",
    "remaining_t",
    "remaining_as_of",
    "e0_t",
    "e0_year",
    "e0_estimated",
    "rate",
    "rate_convention",
    "years_left",
    "exhaustion_year",
    "trend_exhaustion_date",
    "one_in_n",
    "recent_change",
    "population",
    "budget_per_capita_t",
    "emissions_per_capita_t",
)


def csv_rows(results: list[AreaResult]) -> list[dict[str, Any]]:
    """One flat row per area (the scalar fields of the JSON contract)."""
    rows = []
    for r in results:
        d = r.to_dict()  # once per area, not once per field
        rows.append({k: d[k] for k in CSV_FIELDS})
    return rows
