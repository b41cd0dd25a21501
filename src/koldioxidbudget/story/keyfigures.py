"""The key figures of an area: one list, read by every output that shows them.

The CLI's ``budget`` table, the report's tiles (and the values its templates quote), the site's
tiles and its presentation slides each show a selection of these figures, in their own words and
layout; which figures exist, in which order, what number each holds and when a figure reads as
"spent" rather than as a number are decided here, once. Nothing is computed: every value is a
field of the engine's results (the scenario's headline run, its 1,5 °C variant and the cost of
delay), so a figure is the same number wherever it appears.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..method.budget import AreaResult
from ..schema import Level

__all__ = ["ORDER", "Figure", "key_figures"]

#: every key figure, in the order the outputs show them
ORDER: tuple[str, ...] = (
    "budget",
    "share",
    "remaining",
    "e0",
    "rate",
    "one_in_n",
    "years_left",
    "exhaustion_year",
    "trend_exhaustion",
    "recent_change",
    "per_capita",
    "emissions_per_capita",
    "rate_15",
    "delay_rate_1",
)


@dataclass(frozen=True)
class Figure:
    """One key figure: the engine's ``value`` (None where there is none, e.g. a trend that never
    exceeds the budget), whether its budget is ``spent`` (the outputs then say so and show no
    rate, year or date: a spent budget has none), whether it is an ``estimate`` and whether it
    calls for attention (``alert``: a spent budget, a cut beyond anything achieved, few years)."""

    id: str
    value: float | int | _dt.date | None
    spent: bool = False
    estimate: bool = False
    alert: bool = False
    #: the year the figure refers to, where its label names one
    year: int | None = None


def key_figures(r: AreaResult, variant: AreaResult | None = None) -> dict[str, Figure]:
    """The key figures of ``r`` in :data:`ORDER` (``variant``: the same area at 1,5 °C, for
    ``rate_15``). A figure that means nothing for the area is left out: Sweden's share of
    Sweden's budget, the 1,5 °C rate without a variant, the cost of a delay once the budget is
    spent."""
    spent = r.exhausted
    out = [
        Figure("budget", r.budget_t, year=r.budget_from),
        Figure("share", r.share) if r.level != Level.RIKET else None,
        Figure(
            "remaining",
            r.remaining_t,
            spent=spent,
            estimate=r.remaining_estimated,
            alert=spent,
            year=r.remaining_as_of,
        ),
        Figure("e0", r.e0_t, estimate=r.e0_estimated, year=r.e0_year),
        Figure("rate", r.rate, spent=spent, alert=spent or r.infeasible, year=r.remaining_as_of),
        Figure("one_in_n", None if spent else r.one_in_n, spent=spent),
        Figure(
            "years_left",
            0 if spent else r.years_left,
            spent=spent,
            alert=spent or (r.years_left is not None and r.years_left < 10),
            year=r.exhaustion_year,
        ),
        Figure("exhaustion_year", r.exhaustion_year, spent=spent),
        Figure("trend_exhaustion", r.trend_exhaustion_date, spent=spent),
        Figure("recent_change", r.recent_change, year=r.last_data_year),
        Figure("per_capita", r.budget_per_capita_t, year=r.population_year),
        Figure("emissions_per_capita", r.emissions_per_capita_t),
    ]
    if variant is not None:
        out.append(
            Figure(
                "rate_15",
                variant.rate,
                spent=variant.exhausted,
                alert=variant.exhausted or variant.infeasible,
                year=variant.remaining_as_of,
            )
        )
    if len(r.cost_of_delay) > 1 and not spent:
        d1 = r.cost_of_delay[1]
        out.append(
            Figure(
                "delay_rate_1",
                d1.rate,
                spent=d1.exhausted,
                alert=d1.infeasible,
                year=d1.start_year,
            )
        )
    return {f.id: f for f in out if f is not None}
