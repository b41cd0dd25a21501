"""Why a budget moved: the change between two editions (or two parameter sets), attributed to its
causes by sequential substitution.

Going from the old state ``S0 = (old tables, old parameters)`` to the new state
``S5 = (new tables, new parameters)``, one cause at a time is switched to its new value, in this
order (each state keeps everything of the previous one):

====  ===================  =====================================================================
 k    cause id             what state ``S_k`` takes from the new side
====  ===================  =====================================================================
 1    ``revision``         emissions of the years both editions publish (the "already published"
                           years, as revised by the publisher), and the point-source table
 2    ``new-years``        the new edition's set of data years (years added, and any dropped)
 3    ``global-national``  the global budget tables (budgets, global emissions, country groups)
                           and the parameters of the global and national budget (``NATIONAL_FIELDS``)
 4    ``population``       the population table
 5    ``parameters``       every other parameter (allocation, base years, convention, ``as_of`` …)
                           and the areas table: ``S5`` is exactly the new state
====  ===================  =====================================================================

The engine is run on every state (``compute_budgets``, all areas at once); the effect of cause
``k`` on a figure ``x`` is ``x(S_k) − x(S_{k−1})``. The effects add up to ``x(S5) − x(S0)`` by
construction (a telescoping sum). Interactions between causes fall to the later cause, so the
order matters; it is documented in ``docs/updating.md``. If an intermediate state cannot be
computed (e.g. the old parameters name base years the new data lack), that cause's effect is
carried by the next cause and recorded in ``merged``.

Pure: no I/O. Both states are recomputed with the engine running now (a change in the method's
code between the releases is not a cause; ``method_version`` in the manifests tells it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import KoldioxidbudgetError
from ..schema import Tables
from .budget import BudgetRun, compute_budgets
from .params import Parameters

__all__ = [
    "CAUSES",
    "NATIONAL_FIELDS",
    "QUANTITIES",
    "Attribution",
    "attribute_change",
]

Array = npt.NDArray[np.float64]

#: The causes, in the order they are substituted.
CAUSES: tuple[str, ...] = ("revision", "new-years", "global-national", "population", "parameters")

#: The figures attributed: the budget from its start, the remaining budget and the required cut.
QUANTITIES: tuple[str, ...] = ("budget_t", "remaining_t", "rate")

#: Parameters that make the global and the national budget (cause ``global-national``); every
#: other field (including ones added later) counts as ``parameters``.
NATIONAL_FIELDS: frozenset[str] = frozenset(
    {
        "temperature_c",
        "probability_pct",
        "global_source",
        "national_mode",
        "national_budget_t",
        "national_budget_from",
        "national_preset_temperature_c",
        "national_preset_probability_pct",
        "national_overhead_t",
        "luc_deduction_gt",
        "cement_deduction_gt",
        "developing_growth",
        "developing_peak_year",
        "developing_decline",
        "grandfathering_reference_years",
    }
)

#: Tables switched at each cause (the rest of the cause is parameters or the year set).
_TABLES_OF: dict[str, tuple[str, ...]] = {
    "revision": ("facilities",),
    "new-years": ("subsectors",),
    "global-national": ("global_budgets", "global_emissions", "blocs"),
    "population": ("population",),
    "parameters": ("areas",),
}


@dataclass(frozen=True)
class Attribution:
    """Every area's figures in the six states ``S0 … S5`` and what changed between the sides.

    ``values[q]`` is a matrix (6 states × areas, in ``codes`` order) for each quantity ``q`` of
    ``QUANTITIES``; ``parts(q)`` the effects of the five causes (5 × areas), which add up to
    ``values[q][5] − values[q][0]``. Areas present on one side only are listed in
    ``only_old``/``only_new`` and not attributed.
    """

    old_edition: str
    new_edition: str
    old_params: Parameters
    new_params: Parameters
    codes: tuple[str, ...]
    names: tuple[str, ...]
    levels: tuple[str, ...]
    values: dict[str, Array]
    old_years: tuple[int, ...]
    new_years: tuple[int, ...]
    revised_years: tuple[int, ...]
    changed_tables: tuple[str, ...]
    changed_params: dict[str, tuple[str, ...]]
    budget_from: tuple[int, int]
    as_of: tuple[int, int]
    merged: dict[str, str]
    only_old: tuple[str, ...] = ()
    only_new: tuple[str, ...] = ()

    @property
    def added_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.new_years if y not in self.old_years)

    @property
    def dropped_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.old_years if y not in self.new_years)

    def parts(self, quantity: str) -> Array:
        """Effects of the causes on ``quantity``: one row per cause of ``CAUSES``."""
        v = self.values[quantity]
        return np.asarray(np.diff(v, axis=0), dtype=np.float64)

    def index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            from ..errors import AreaNotFound

            raise AreaNotFound(code) from None


def _differs(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return True
    keys = list(a.columns)
    sa = a.sort_values(keys, kind="mergesort").reset_index(drop=True)
    sb = b.sort_values(keys, kind="mergesort").reset_index(drop=True)
    return not sa.equals(sb)


def _revised_years(old: pd.DataFrame, new: pd.DataFrame, years: list[int]) -> tuple[int, ...]:
    """The years both publish in which any area's sector value differs by more than 0.5 t."""
    keys = ["code", "year", "sector"]
    o = old[old["year"].isin(years)].set_index(keys)["emissions_t"]
    n = new[new["year"].isin(years)].set_index(keys)["emissions_t"]
    both = pd.concat([o.rename("o"), n.rename("n")], axis=1).fillna(0.0)
    diff = (both["o"] - both["n"]).abs() > 0.5
    changed = diff[diff].index.get_level_values("year").unique()
    return tuple(sorted(int(y) for y in changed))


def _revised_emissions(old: pd.DataFrame, new: pd.DataFrame, common: list[int]) -> pd.DataFrame:
    """The old emissions with the common years' rows taken from the new edition."""
    keep = old[~old["year"].isin(common)]
    take = new[new["year"].isin(common)]
    return pd.concat([keep, take], ignore_index=True)


def _split_params(
    old_params: Parameters, new_params: Parameters
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    fields = [f.name for f in dataclasses.fields(Parameters)]
    nat = [f for f in fields if f in NATIONAL_FIELDS]
    changed = {
        "global-national": tuple(
            f for f in nat if getattr(old_params, f) != getattr(new_params, f)
        ),
        "parameters": tuple(
            f
            for f in fields
            if f not in NATIONAL_FIELDS
            and f != "preset"
            and getattr(old_params, f) != getattr(new_params, f)
        ),
    }
    return nat, changed


def _state(
    k: int, old: Tables, new: Tables, old_params: Parameters, new_params: Parameters
) -> tuple[Tables, Parameters]:
    """State ``S_k``: causes 1…k switched to the new side (S0 is the old, S5 the new state)."""
    if k == 0:
        return old, old_params
    if k == len(CAUSES):
        return new, new_params
    repl: dict[str, Any] = {}
    for cause in CAUSES[:k]:
        for name in _TABLES_OF[cause]:
            repl[name] = getattr(new, name)
    common = sorted(set(old.data_years) & set(new.data_years))
    repl["emissions"] = (
        _revised_emissions(old.emissions, new.emissions, common) if k == 1 else new.emissions
    )
    tables = dataclasses.replace(old, edition_id=f"{old.edition_id}~S{k}", **repl)
    if k < 3:
        return tables, old_params
    nat, _ = _split_params(old_params, new_params)
    return tables, dataclasses.replace(old_params, **{f: getattr(new_params, f) for f in nat})


def _on(run: BudgetRun, codes: tuple[str, ...], q: str) -> Array:
    pos = {c: i for i, c in enumerate(run.codes)}
    arr = np.asarray(getattr(run, q), dtype=np.float64)
    return np.asarray([arr[pos[c]] for c in codes], dtype=np.float64)


def attribute_change(
    *, old: Tables, new: Tables, old_params: Parameters, new_params: Parameters | None = None
) -> Attribution:
    """The change of every area's budget, remaining budget and required cut from ``(old,
    old_params)`` to ``(new, new_params)`` (default: the same parameters), by cause.

    Raises what the engine raises when either end state cannot be computed (e.g. a CO2e edition).
    """
    new_params = new_params or old_params
    _, changed_params = _split_params(old_params, new_params)
    n = len(CAUSES)
    runs: list[BudgetRun | None] = []
    for k in range(n + 1):
        if k in (0, n):  # the end states must compute; their errors are the user's to see
            t, p = _state(k, old, new, old_params, new_params)
            runs.append(compute_budgets(tables=t, params=p))
            continue
        try:
            t, p = _state(k, old, new, old_params, new_params)
            runs.append(compute_budgets(tables=t, params=p))
        except KoldioxidbudgetError:
            runs.append(None)

    merged: dict[str, str] = {}
    filled: list[BudgetRun] = []
    for k, maybe in enumerate(runs):
        if maybe is None:
            # cause k cannot be isolated: S_k = S_{k-1}, and the next computable cause carries it
            j = next(j for j in range(k + 1, n + 1) if runs[j] is not None)
            merged[CAUSES[k - 1]] = CAUSES[j - 1]
            filled.append(filled[-1])
        else:
            filled.append(maybe)
    end = filled[-1]

    start = filled[0]
    new_codes = set(end.codes)
    codes = tuple(c for c in start.codes if c in new_codes)
    only_old = tuple(c for c in start.codes if c not in new_codes)
    only_new = tuple(c for c in end.codes if c not in set(start.codes))
    names_of = dict(zip(end.codes, end.names, strict=True))
    levels_of = dict(zip(end.codes, end.levels, strict=True))
    values = {q: np.vstack([_on(r, codes, q) for r in filled]) for q in QUANTITIES}

    common = sorted(set(old.data_years) & set(new.data_years))
    tables_changed = tuple(
        f.name
        for f in dataclasses.fields(Tables)
        if f.name not in ("edition_id", "gas", "release")
        and _differs(getattr(old, f.name), getattr(new, f.name))
    )
    return Attribution(
        old_edition=old.edition_id,
        new_edition=new.edition_id,
        old_params=old_params,
        new_params=new_params,
        codes=codes,
        names=tuple(names_of[c] for c in codes),
        levels=tuple(levels_of[c] for c in codes),
        values=values,
        old_years=tuple(old.data_years),
        new_years=tuple(new.data_years),
        revised_years=_revised_years(old.emissions, new.emissions, common),
        changed_tables=tables_changed,
        changed_params=changed_params,
        budget_from=(start.national.budget_from, end.national.budget_from),
        as_of=(start.params.as_of, end.params.as_of),
        merged=merged,
        only_old=only_old,
        only_new=only_new,
    )
