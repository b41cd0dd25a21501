"""N: Sweden's budget, as a published preset or computed from the global budget.

*Preset*: the published figure (e.g. 285 113 kt from 2024 at 1.7 °C, 50 %). A release publishes
two cells (Uppsala 2024: 285 113 kt at 1.7 °C and 80 000 kt at 1.5 °C, both 50 %); any other cell
lies on the straight line through both points against the global budget they were derived from
(``national_published_source``, rolled to ``t0``)::

    B_SE(G) = B_1 + (B_2 − B_1) · (G − G_1) / (G_2 − G_1),   floored at 0

The line is the Uppsala chain itself: Sweden gets a fixed share ``s`` of what is left of the global
budget after a fixed amount ``D`` (developing countries' pathway, land use, cement), so
``B_SE = s · (G − D)`` is affine in ``G``; the two published points fix ``s`` and ``D``. Every
published cell is reproduced whichever preset one starts from. Cells outside the published range
are flagged as extrapolated; with one published point (``national_other_t = 0``) the budget is
scaled by the ratio of the global budgets. Derived cells are flagged.

*Computed* (the full chain):

1. ``B_energy = G(t0) − D_LUC − D_cement`` (deductions over the horizon, parameters);
2. developing countries (non-Annex B) follow ``E_dev(t) = E_dev(base)·(1+g)^(t−base)`` until the
   peak year, then decline at rate ``d`` per year; their cumulative total from ``t0`` to 2100 is
   their share;
3. developed countries (Annex B) get ``B_dev = B_energy − Σ E_dev``;
4. Sweden gets its share of current developed-country emissions (grandfathering over reference
   years): ``B_SE = B_dev × Σ E_SE / Σ E_AnnexB``.

Every number in steps 1–4 is a parameter with a default documented as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EditionError, ParameterError
from ..schema import Tables
from .global_budget import GlobalBudget, global_budget
from .params import Parameters

__all__ = ["NationalBudget", "national_budget"]

_HORIZON = 2100


@dataclass(frozen=True)
class NationalBudget:
    """Sweden's budget (t CO2) from 1 January of ``budget_from``, and how it was reached."""

    mode: str
    budget_t: float
    budget_from: int
    overhead_t: float
    allocated_t: float
    global_budget: GlobalBudget
    derived_from_preset: bool
    #: the cell lies outside the published points (the line is extended beyond them)
    extrapolated: bool = False
    energy_gt: float | None = None
    developing_gt: float | None = None
    developed_gt: float | None = None
    sweden_share_of_developed: float | None = None


def national_budget(*, tables: Tables, params: Parameters) -> NationalBudget:
    """Sweden's budget for ``params`` (preset or computed chain), with the overhead kept apart."""
    t0 = params.national_budget_from
    g = global_budget(
        tables=tables,
        source_id=params.global_source,
        temperature_c=params.temperature_c,
        probability_pct=params.probability_pct,
        year=t0,
    )
    if params.national_mode == "preset":
        budget, derived, extrapolated = _published_line(tables, params, g)
        overhead = params.national_overhead_t * (budget / params.national_budget_t)
        return NationalBudget(
            mode="preset",
            budget_t=budget,
            budget_from=t0,
            overhead_t=overhead,
            allocated_t=budget - overhead
            if params.international_transport == "overhead"
            else budget,
            global_budget=g,
            derived_from_preset=derived,
            extrapolated=extrapolated,
        )
    return _computed(tables, params, g)


def _same_cell(t1: float, p1: int, t2: float, p2: int) -> bool:
    return abs(t1 - t2) < 1e-9 and p1 == p2


def _published_line(
    tables: Tables, params: Parameters, g: GlobalBudget
) -> tuple[float, bool, bool]:
    """Sweden's budget for the cell of ``g`` from the published points: (budget, derived,
    extrapolated)."""
    b1 = params.national_budget_t
    t1, p1 = params.national_preset_temperature_c, params.national_preset_probability_pct
    t2, p2 = params.national_other_temperature_c, params.national_other_probability_pct
    has_other = params.national_other_t > 0 and not _same_cell(t1, p1, t2, p2)
    if _same_cell(g.temperature_c, g.probability_pct, t1, p1) and (
        g.source_id == params.national_published_source or not has_other
    ):
        return b1, False, False
    if (
        has_other
        and _same_cell(g.temperature_c, g.probability_pct, t2, p2)
        and (g.source_id == params.national_published_source)
    ):
        return params.national_other_t, False, False

    def anchor(t: float, p: int, source: str) -> float:
        return global_budget(
            tables=tables, source_id=source, temperature_c=t, probability_pct=p, year=g.year
        ).remaining_gt

    if not has_other:
        g1 = anchor(t1, p1, g.source_id)
        if g1 <= 0:
            raise ParameterError(
                key="preset_budget_exhausted",
            )
        return b1 * max(g.remaining_gt, 0.0) / g1, True, False
    source = params.national_published_source
    g1, g2 = anchor(t1, p1, source), anchor(t2, p2, source)
    if abs(g2 - g1) < 1e-9:
        raise ParameterError(
            key="published_points_coincide",
        )
    b2 = params.national_other_t
    budget = b1 + (b2 - b1) * (g.remaining_gt - g1) / (g2 - g1)
    outside = not (min(g1, g2) - 1e-9 <= g.remaining_gt <= max(g1, g2) + 1e-9)
    return max(budget, 0.0), True, outside


def _bloc(tables: Tables, entity: str) -> dict[int, float]:
    b = tables.blocs[tables.blocs["entity"] == entity]
    if b.empty:
        raise EditionError(
            key="gcb_series_missing",
            entity=repr(entity),
        )
    return {int(y): float(v) for y, v in zip(b["year"], b["emissions_mt"], strict=True)}


def _computed(tables: Tables, params: Parameters, g: GlobalBudget) -> NationalBudget:
    t0 = params.national_budget_from
    energy = g.remaining_gt - params.luc_deduction_gt - params.cement_deduction_gt
    dev = _bloc(tables, "Non KP Annex B")
    base_year = max(dev)
    e = dev[base_year]
    cum_mt = 0.0
    for t in range(base_year + 1, _HORIZON + 1):
        e = (
            e * (1 + params.developing_growth)
            if t <= params.developing_peak_year
            else e * (1 - params.developing_decline)
        )
        if t >= t0:
            cum_mt += e
    developing = cum_mt / 1000.0
    developed = max(energy - developing, 0.0)
    se = _bloc(tables, "Sweden")
    annex = _bloc(tables, "KP Annex B")
    y0, y1 = params.grandfathering_reference_years
    years = [y for y in range(y0, y1 + 1) if y in se and y in annex]
    if not years:
        raise ParameterError(
            key="reference_years_outside_series",
            first=y0,
            last=y1,
            series_first=min(se),
            series_last=max(se),
        )
    share = sum(se[y] for y in years) / sum(annex[y] for y in years)
    budget = developed * share * 1e9
    if not budget > 0:  # also catches NaN
        raise ParameterError(
            key="no_developed_budget",
            energy=f"{energy:.0f}",
            start=t0,
            developing=f"{developing:.0f}",
        )
    overhead = params.national_overhead_t * (budget / params.national_budget_t)
    return NationalBudget(
        mode="computed",
        budget_t=budget,
        budget_from=t0,
        overhead_t=overhead,
        allocated_t=budget - overhead if params.international_transport == "overhead" else budget,
        global_budget=g,
        derived_from_preset=False,
        energy_gt=energy,
        developing_gt=developing,
        developed_gt=developed,
        sweden_share_of_developed=share,
    )
