"""The yearly budget ledger: like a bank statement for the carbon budget.

For each year ``t`` from the budget start to the year before ``as_of``:
``opening(t) = B(t0) − Σ_{t0 ≤ u < t} E(u)``, ``closing(t) = opening(t) − E(t)``, and the
variance ``E(t) − P(t)`` against ``P``, the pathway agreed when the budget was adopted (the path
computed as of the budget start, from the adoption edition). The area is *on track* in a year when
its cumulative emissions since the start do not exceed the adopted path's.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LedgerRow", "budget_ledger"]


@dataclass(frozen=True)
class LedgerRow:
    year: int
    opening_t: float
    emitted_t: float
    estimated: bool
    closing_t: float
    planned_t: float | None
    variance_t: float | None
    cumulative_variance_t: float | None
    on_track: bool | None


def budget_ledger(
    *,
    budget_t: float,
    budget_from: int,
    emissions: dict[int, tuple[float, bool]],
    adopted_path: dict[int, float],
    until: int,
) -> list[LedgerRow]:
    """Rows for ``budget_from … until − 1``; ``emissions[year] = (tonnes, estimated)``."""
    rows: list[LedgerRow] = []
    balance = budget_t
    cum_var: float | None = 0.0
    for year in range(budget_from, until):
        emitted, est = emissions[year]
        planned = adopted_path.get(year)
        variance = None if planned is None else emitted - planned
        cum_var = None if variance is None or cum_var is None else cum_var + variance
        rows.append(
            LedgerRow(
                year=year,
                opening_t=balance,
                emitted_t=emitted,
                estimated=est,
                closing_t=balance - emitted,
                planned_t=planned,
                variance_t=variance,
                cumulative_variance_t=cum_var,
                on_track=None if cum_var is None else cum_var <= 1e-6 * max(1.0, budget_t),
            )
        )
        balance -= emitted
    return rows
