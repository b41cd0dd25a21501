"""What changed between two editions (or two parameter sets), in numbers: each area's budget,
remaining budget and required cut, and the parts each cause contributes (sequential
substitution, :func:`koldioxidbudget.method.attribution.attribute_change`). The words are in
``diff.py`` (story); this module computes and loads.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from ..edition import EditionInfo, load_edition, previous_edition, resolve_edition
from ..errors import EditionError
from ..method.attribution import CAUSES, Attribution, attribute_change
from ..method.params import Parameters
from ..schema import Tables

__all__ = [
    "CAUSES",
    "AreaChange",
    "Part",
    "QuantityChange",
    "change_of",
    "changes",
    "diff_editions",
    "explain_all",
    "explain_change",
    "resolve_side",
]

Quantity = Literal["budget", "remaining", "rate"]


@dataclass(frozen=True)
class Part:
    """The effect of one cause: ``delta`` in the figure's unit (t, or a fraction for the rate) and
    ``points``: percentage points of the old value (budget, remaining) or of the rate itself."""

    cause: str
    delta: float
    points: float | None


@dataclass(frozen=True)
class QuantityChange:
    """One figure in the old and the new state, and the parts of its change (adding up to it)."""

    quantity: str
    old: float
    new: float
    parts: tuple[Part, ...]

    @property
    def total(self) -> float:
        return self.new - self.old

    @property
    def relative(self) -> float | None:
        """The change as a fraction of the old value (None when the old value is not positive)."""
        return self.total / self.old if self.old > 0 else None


@dataclass(frozen=True)
class AreaChange:
    """Why one area's budget, remaining budget and required cut moved between two states."""

    code: str
    name: str
    level: str
    old_edition: str
    new_edition: str
    budget: QuantityChange
    remaining: QuantityChange
    rate: QuantityChange
    budget_from: tuple[int, int]
    as_of: tuple[int, int]
    added_years: tuple[int, ...]
    dropped_years: tuple[int, ...]
    revised_years: tuple[int, ...]
    changed_params: dict[str, tuple[str, ...]]
    changed_tables: tuple[str, ...]
    merged: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for q in ("budget", "remaining", "rate"):
            d[q]["total"] = getattr(self, q).total
            d[q]["relative"] = getattr(self, q).relative
        return d


def _quantity(a: Attribution, q: str, i: int, *, rate: bool) -> QuantityChange:
    values = a.values[q][:, i]
    old, new = float(values[0]), float(values[-1])
    parts = []
    for cause, delta in zip(CAUSES, a.parts(q)[:, i], strict=True):
        d = float(delta)
        points = d * 100 if rate else (d / old * 100 if old > 0 else None)
        parts.append(Part(cause, d, points))
    return QuantityChange(q, old, new, tuple(parts))


def change_of(a: Attribution, code: str) -> AreaChange:
    """The :class:`AreaChange` of ``code`` out of an attribution for all areas."""
    i = a.index(code)
    return AreaChange(
        code=code,
        name=a.names[i],
        level=a.levels[i],
        old_edition=a.old_edition,
        new_edition=a.new_edition,
        budget=_quantity(a, "budget_t", i, rate=False),
        remaining=_quantity(a, "remaining_t", i, rate=False),
        rate=_quantity(a, "rate", i, rate=True),
        budget_from=a.budget_from,
        as_of=a.as_of,
        added_years=a.added_years,
        dropped_years=a.dropped_years,
        revised_years=a.revised_years,
        changed_params=a.changed_params,
        changed_tables=a.changed_tables,
        merged=a.merged,
    )


def changes(a: Attribution, codes: list[str] | None = None) -> list[AreaChange]:
    """Every area's change (or those of ``codes``), in the engine's order."""
    return [change_of(a, c) for c in (codes if codes is not None else a.codes)]


@functools.lru_cache(maxsize=4)
def _attribution(
    old: Tables, new: Tables, params: Parameters, new_params: Parameters | None
) -> Attribution:
    return attribute_change(old=old, new=new, old_params=params, new_params=new_params)


def explain_change(
    old_tables: Tables,
    new_tables: Tables,
    params: Parameters,
    code: str,
    *,
    new_params: Parameters | None = None,
) -> AreaChange:
    """Why ``code``'s figures differ between ``old_tables`` and ``new_tables`` under ``params``
    (or ``params`` → ``new_params``). The attribution for all areas is computed once per pair and
    cached, so calling this for every area costs one attribution."""
    return change_of(_attribution(old_tables, new_tables, params, new_params), code)


def explain_all(
    old_tables: Tables,
    new_tables: Tables,
    params: Parameters,
    *,
    new_params: Parameters | None = None,
) -> list[AreaChange]:
    """:func:`explain_change` for every area."""
    return changes(_attribution(old_tables, new_tables, params, new_params))


def resolve_side(name: str, *, into: str | Path | None) -> EditionInfo:
    if name == "current":
        return resolve_edition(None, into=into)
    if name == "previous":
        prev = previous_edition(None, into=into)
        if prev is None:
            raise EditionError(
                key="no_previous_edition",
            )
        return prev
    return resolve_edition(name, gas=None, into=into)


def diff_editions(
    old: str,
    new: str,
    *,
    params: Parameters,
    old_params: Parameters | None = None,
    into: str | Path | None = None,
) -> Attribution:
    """The attribution of every area's change from edition ``old`` under ``old_params`` (default
    ``params``) to edition ``new`` under ``params``. ``old``/``new`` are ids, unique prefixes, or
    ``current``/``previous``; the same edition twice compares two parameter sets."""
    o, n = resolve_side(old, into=into), resolve_side(new, into=into)
    old_tables = load_edition(o.id, gas=None, into=into)
    new_tables = load_edition(n.id, gas=None, into=into)
    return attribute_change(
        old=old_tables, new=new_tables, old_params=old_params or params, new_params=params
    )
