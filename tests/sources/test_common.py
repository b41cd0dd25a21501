"""The shared CSV reading and cell checks (sources/_common.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.sources._common import (
    check_header,
    parse_numbers,
    read_csv_table,
    tolerance,
)
from tests.sources.helpers import write_csv


def test_read_csv_table_line_numbers_count_header_blank_and_quoted_lines(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text('a,b\n1,"two\nlines"\n\n3,x\n', "utf-8")
    df = read_csv_table(p, columns=["a", "b"])
    assert list(df.index) == [2, 5]  # line 4 is blank and dropped
    assert df.loc[5, "b"] == "x"


def test_read_csv_table_keeps_codes_as_text_and_strips(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes("\ufeffcode,name\n0114 , Upplands Väsby\n".encode())
    df = read_csv_table(p, columns=["code", "name"])
    assert df.loc[2, "code"] == "0114"
    assert df.loc[2, "name"] == "Upplands Väsby"


def test_read_csv_table_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="File not found") as e:
        read_csv_table(tmp_path / "nope.csv", columns=["a"])
    assert e.value.file.endswith("nope.csv")


def test_read_csv_table_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("", "utf-8")
    with pytest.raises(SourceError, match="The file is empty"):
        read_csv_table(p, columns=["a"])


def test_read_csv_table_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes("a\nVäxjö\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        read_csv_table(p, columns=["a"])


def test_read_csv_table_ragged_line(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "t.csv", "a,b\n1,2\n3,4,5\n")
    with pytest.raises(SourceError, match="cannot be parsed") as e:
        read_csv_table(p, columns=["a", "b"])
    assert e.value.row == 3


def test_check_header_duplicate_column() -> None:
    with pytest.raises(SourceError, match="Column 'a' appears twice") as e:
        check_header(["a", "b", "a"], ["a", "b"], file="f.csv")
    assert e.value.column == "a"
    assert e.value.row == 1


def test_check_header_extra_ok_allows_years_only() -> None:
    check_header(["a", "1990", "2022"], ["a"], file="f.csv", extra_ok=str.isdigit)
    with pytest.raises(SourceError, match="Unexpected column 'x'"):
        check_header(["a", "1990", "x"], ["a"], file="f.csv", extra_ok=str.isdigit)


def test_parse_numbers_reports_first_bad_cell_in_row_order() -> None:
    df = pd.DataFrame({"a": ["1", "2", "x"], "b": ["1.5", "-", "3"]}, index=[2, 3, 4])
    with pytest.raises(SourceError, match="Text in a number cell") as e:
        parse_numbers(df, ["a", "b"], file="f.csv")
    assert (e.value.row, e.value.column, e.value.value) == (3, "b", "-")


def test_parse_numbers_empty_cells() -> None:
    df = pd.DataFrame({"a": ["1", "", "3"]}, index=[2, 3, 4])
    with pytest.raises(SourceError, match="Empty number cell") as e:
        parse_numbers(df, ["a"], file="f.csv")
    assert (e.value.row, e.value.column) == (3, "a")
    got = parse_numbers(df, ["a"], file="f.csv", allow_empty=True)["a"]
    assert got.isna().tolist() == [False, True, False]


def test_parse_numbers_integer_refuses_fractions() -> None:
    df = pd.DataFrame({"year": ["2020", "2020.5"]}, index=[2, 3])
    with pytest.raises(SourceError, match="Not a whole number") as e:
        parse_numbers(df, ["year"], file="f.csv", integer=True)
    assert e.value.row == 3
    ok = parse_numbers(df.iloc[:1], ["year"], file="f.csv", integer=True)
    assert ok["year"].dtype == "int64"


def test_parse_numbers_refuses_infinity() -> None:
    df = pd.DataFrame({"a": ["inf"]}, index=[2])
    with pytest.raises(SourceError, match="Text in a number cell"):
        parse_numbers(df, ["a"], file="f.csv")


def test_tolerance_is_relative_or_one_tonne() -> None:
    assert tolerance(100.0) == 1.0
    assert tolerance(5e7) == pytest.approx(50.0)
