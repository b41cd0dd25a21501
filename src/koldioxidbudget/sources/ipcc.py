"""Remaining global carbon budgets as published by the IPCC (AR6 WG1) and the Indicators of Global
Climate Change (IGCC), from the hand-written table ``carbon_budgets/remaining_carbon_budgets_global.csv``
(``PROVENANCE.md`` §7).

Columns: ``source_id, publication, budget_from, temperature_limit_C, likelihood_pct,
remaining_budget_GtCO2, verification, retrieved_via, notes``. ``budget_from`` is the date the
budget counts from; budgets count from 1 January, so it is "YYYY-01-01" (or just "YYYY").
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import COLUMNS
from ._common import (
    check_not_empty,
    check_unique,
    error_at,
    parse_numbers,
    read_csv_table,
)

__all__ = ["read_global_budgets"]

log = logging.getLogger(__name__)

_COLUMNS = (
    "source_id",
    "publication",
    "budget_from",
    "temperature_limit_C",
    "likelihood_pct",
    "remaining_budget_GtCO2",
    "verification",
    "retrieved_via",
    "notes",
)
_REQUIRED = (
    "source_id",
    "budget_from",
    "temperature_limit_C",
    "likelihood_pct",
    "remaining_budget_GtCO2",
    "verification",
)


def read_global_budgets(path: str | Path) -> pd.DataFrame:
    """The ``global_budgets`` table: remaining global CO2 budgets (Gt CO2 from 1 January of
    ``budget_from``) per source, warming limit (°C) and likelihood (%).

    Raises :class:`SourceError` for a missing or unexpected column, an empty required cell, a
    ``budget_from`` that is not 1 January of a year, text in a number cell, a budget that is not
    positive, and a repeated (source_id, temperature, probability).
    """
    raw = read_csv_table(path, columns=_COLUMNS)
    check_not_empty(raw, _REQUIRED, file=path)
    budget_from = _budget_years(raw, file=path)
    nums = parse_numbers(raw, ["temperature_limit_C", "remaining_budget_GtCO2"], file=path)
    probability = parse_numbers(raw, ["likelihood_pct"], file=path, integer=True)["likelihood_pct"]
    _check_probability(raw, probability, file=path)
    _check_positive_budget(raw, nums["remaining_budget_GtCO2"], file=path)
    out = pd.DataFrame(
        {
            "source_id": raw["source_id"].astype(str),
            "budget_from": budget_from,
            "temperature_c": nums["temperature_limit_C"],
            "probability_pct": probability,
            "budget_gt": nums["remaining_budget_GtCO2"],
            "verification": raw["verification"].astype(str),
        },
        index=raw.index,
    )
    check_unique(
        out,
        ["source_id", "temperature_c", "probability_pct"],
        what="budget",
        file=path,
        column="source_id",
    )
    log.info("read %d global budgets from %d sources", len(out), out["source_id"].nunique())
    return out.reset_index(drop=True)[list(COLUMNS["global_budgets"])]


def _budget_years(raw: pd.DataFrame, *, file: str | Path) -> pd.Series:
    """``budget_from`` as the integer year; the date must be 1 January."""
    text = raw["budget_from"]
    ok = text.str.fullmatch(r"[0-9]{4}(-01-01)?").to_numpy(dtype=bool, na_value=False)
    if not ok.all():
        pos = int((~ok).argmax())
        raise error_at(
            raw,
            pos,
            file=file,
            column="budget_from",
            value=text.iat[pos],
            key="budget_from_not_january",
            hint_key="budget_from_not_january_hint",
        )
    return text.str.slice(0, 4).astype("int64")


def _check_probability(raw: pd.DataFrame, probability: pd.Series, *, file: str | Path) -> None:
    """A likelihood is a per cent strictly between 0 and 100."""
    bad = ((probability <= 0) | (probability >= 100)).to_numpy()
    if bad.any():
        pos = int(bad.argmax())
        raise error_at(
            raw,
            pos,
            file=file,
            column="likelihood_pct",
            value=int(probability.iat[pos]),
            key="likelihood_out_of_range",
            hint_key="likelihood_out_of_range_hint",
        )


def _check_positive_budget(raw: pd.DataFrame, budget: pd.Series, *, file: str | Path) -> None:
    """A remaining budget is positive (an exhausted budget is not a published row)."""
    bad = (budget.to_numpy() <= 0) | ~np.isfinite(budget.to_numpy())
    if bad.any():
        pos = int(bad.argmax())
        raise error_at(
            raw,
            pos,
            file=file,
            column="remaining_budget_GtCO2",
            value=float(budget.iat[pos]),
            key="budget_not_positive",
            hint_key="budget_not_positive_hint",
        )
