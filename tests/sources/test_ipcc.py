"""Remaining global carbon budgets (sources/ipcc.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.schema import COLUMNS
from koldioxidbudget.sources import read_global_budgets
from tests.sources.helpers import write_csv

HEADER = "source_id,publication,budget_from,temperature_limit_C,likelihood_pct,remaining_budget_GtCO2,verification,retrieved_via,notes"
GOOD = f"""
{HEADER}
AR6,"IPCC AR6, SPM",2020-01-01,1.5,50,500,cross-checked,SPM.2,
AR6,"IPCC AR6, SPM",2020-01-01,1.5,67,400,cross-checked,SPM.2,"a note, with a comma"
IGCC,IGCC 2024,2025-01-01,1.7,50,490,secondary,sheet003,
"""


def _read(tmp_path: Path, text: str = GOOD) -> pd.DataFrame:
    return read_global_budgets(write_csv(tmp_path / "b.csv", text))


def test_read_global_budgets_real(sources: Path) -> None:
    b = read_global_budgets(sources / "carbon_budgets" / "remaining_carbon_budgets_global.csv")
    assert tuple(b.columns) == COLUMNS["global_budgets"]
    row = b[
        (b["source_id"] == "AR6_WG1_SPM2")
        & (b["temperature_c"] == 1.5)
        & (b["probability_pct"] == 50)
    ]
    assert len(row) == 1
    assert row["budget_gt"].iloc[0] == 500.0
    assert row["budget_from"].iloc[0] == 2020
    assert b["budget_from"].dtype == "int64" and b["probability_pct"].dtype == "int64"


def test_read_global_budgets_tiny(tmp_path: Path) -> None:
    b = _read(tmp_path)
    assert b["budget_from"].tolist() == [2020, 2020, 2025]
    assert b["temperature_c"].tolist() == [1.5, 1.5, 1.7]
    assert b["verification"].tolist() == ["cross-checked", "cross-checked", "secondary"]


def test_read_global_budgets_missing_column(tmp_path: Path) -> None:
    bad = GOOD.replace(",verification,", ",checked,")
    with pytest.raises(SourceError, match="Missing column 'verification'") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column) == (1, "verification")


def test_read_global_budgets_unexpected_column(tmp_path: Path) -> None:
    bad = GOOD.replace(",notes\n", ",notes,extra\n")
    with pytest.raises(SourceError, match="Unexpected column 'extra'"):
        _read(tmp_path, bad)


def test_read_global_budgets_text_in_number(tmp_path: Path) -> None:
    bad = GOOD.replace("1.7,50,490", "1.7,50,ca 490")
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column, e.value.value) == (4, "remaining_budget_GtCO2", "ca 490")


def test_read_global_budgets_probability_not_whole(tmp_path: Path) -> None:
    bad = GOOD.replace("1.5,67,400", "1.5,66.7,400")
    with pytest.raises(SourceError, match="Not a whole number") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column) == (3, "likelihood_pct")


def test_read_global_budgets_probability_out_of_range(tmp_path: Path) -> None:
    bad = GOOD.replace("1.5,67,400", "1.5,670,400")
    with pytest.raises(SourceError, match="Likelihood outside 0–100%") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.value) == (3, 670)


def test_read_global_budgets_non_positive_budget(tmp_path: Path) -> None:
    bad = GOOD.replace("1.5,67,400", "1.5,67,-10")
    with pytest.raises(SourceError, match="Remaining budget is not positive") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column, e.value.value) == (3, "remaining_budget_GtCO2", -10.0)


def test_read_global_budgets_zero_budget(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Remaining budget is not positive"):
        _read(tmp_path, GOOD.replace("1.5,67,400", "1.5,67,0"))


def test_read_global_budgets_duplicate(tmp_path: Path) -> None:
    bad = GOOD.replace("1.5,67,400", "1.50,50,400")
    with pytest.raises(
        SourceError, match="Duplicate budget \\(source, temperature, probability\\)"
    ) as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column, e.value.value) == (3, "source_id", ("AR6", 1.5, 50))


def test_read_global_budgets_date_not_first_of_january(tmp_path: Path) -> None:
    bad = GOOD.replace("2025-01-01", "2025-06-30")
    with pytest.raises(SourceError, match="budget_from is not 1 January of a year") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column, e.value.value) == (4, "budget_from", "2025-06-30")


def test_read_global_budgets_empty_required_cell(tmp_path: Path) -> None:
    bad = GOOD.replace("secondary,sheet003", ",sheet003")
    with pytest.raises(SourceError, match="Empty cell") as e:
        _read(tmp_path, bad)
    assert (e.value.row, e.value.column) == (4, "verification")
