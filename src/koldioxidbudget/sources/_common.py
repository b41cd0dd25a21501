"""Helpers every reader shares: reading a CSV as text, checking its header, parsing numbers, codes
and area references, and pointing an error at the exact cell.

Frames handled here keep the source row number as their index (the CSV line number, header =
line 1; the Excel row number as Excel shows it). Frames that mix rows from several files or that
were reshaped (one row per cell) carry the location in columns instead: ``_file``, ``_row`` and
``_col``; :func:`error_at` reads those when they are present.

Every error has a ``key`` and a ``hint_key`` of the ``errors`` catalogues (Swedish and English);
a ``what`` a check names ("population") is an id of their ``term`` table.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SourceError, Term

__all__ = [
    "LEVEL_NAMES",
    "check_area_codes",
    "check_area_names",
    "check_codes",
    "check_header",
    "check_known",
    "check_not_empty",
    "check_not_negative",
    "check_unique",
    "check_workbook",
    "error_at",
    "is_year",
    "map_values",
    "parse_numbers",
    "read_csv_table",
    "tolerance",
]

#: What a workbook may hold before it is opened: a sheet's used range (rows × columns, from the
#: largest cell reference in its XML) and the uncompressed size of a sheet. SMHI's Länsrapport,
#: the largest, is about 19 000 × 40 cells and 14 MB; a crafted cell at XFD1048576 would make
#: the reader allocate gigabytes for the empty range before it.
MAX_SHEET_CELLS = 5_000_000
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_BYTES = 512 * 1024 * 1024
#: Excel's error values, which the Excel reader returns as empty cells
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!")

log = logging.getLogger(__name__)

#: How the tidy files name the levels, mapped to the ``areas`` table's levels.
LEVEL_NAMES: dict[str, str] = {"municipality": "kommun", "county": "lan", "national": "riket"}

_YEAR = re.compile(r"^(1[89]|2[0-9])[0-9]{2}$")
_LINE = re.compile(r"line (\d+)")


def is_year(text: object) -> bool:
    """Whether a header cell is a four-digit year (1800–2999)."""
    return bool(_YEAR.match(str(text).strip()))


def map_values(values: pd.Series, mapping: dict[Any, Any]) -> pd.Series:
    """``values.map(mapping)`` (NaN where unmapped), looking each distinct value up only once."""
    codes, uniques = pd.factorize(values)
    looked_up = np.array([mapping.get(u, np.nan) for u in uniques] + [np.nan], dtype=object)
    return pd.Series(looked_up[codes], index=values.index, dtype=object)


def tolerance(value: Any) -> Any:
    """The tolerance sums are checked with: 1e-6 relative or 1 t absolute, whichever is larger."""
    return np.maximum(1e-6 * np.abs(value), 1.0)


# ---------------------------------------------------------------------------------------------
# locating errors


class ExcelError(str):
    """An Excel error value (``#DIV/0!``) put in the place of the empty cell the reader gave."""


def _not_bool(value: object) -> object:
    """A true/false cell as not-a-number (``pd.to_numeric`` would make TRUE 1.0)."""
    return None if isinstance(value, (bool, np.bool_, ExcelError)) else value


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return bool(np.isnan(value))
    return isinstance(value, str) and value.strip() == ""


def _first(mask: Any) -> int | None:
    arr = np.asarray(mask, dtype=bool)
    if not arr.any():
        return None
    return int(arr.argmax())


def error_at(
    frame: pd.DataFrame,
    pos: int,
    *,
    key: str,
    file: str | Path | None = None,
    sheet: str | None = None,
    column: str | None = None,
    value: object = None,
    hint_key: str | None = None,
    **slots: object,
) -> SourceError:
    """A :class:`SourceError` pointing at row position ``pos`` of ``frame``.

    The row is ``frame["_row"]`` when present, else the frame's index; the file is
    ``frame["_file"]`` when present, else ``file``; the column is ``column``, else ``frame["_col"]``.
    ``key``, ``hint_key`` and ``slots`` localise it (see :class:`SourceError`).
    """
    row = frame["_row"].iat[pos] if "_row" in frame.columns else frame.index[pos]
    where = frame["_file"].iat[pos] if "_file" in frame.columns else file
    if column is None and "_col" in frame.columns:
        column = str(frame["_col"].iat[pos])
    if where is None:
        raise TypeError("error_at needs a file")  # a programming error, not a user's
    return SourceError(
        file=where,
        sheet=sheet,
        row=int(row),
        column=column,
        value=value,
        key=key,
        hint_key=hint_key,
        **slots,
    )


# ---------------------------------------------------------------------------------------------
# reading


def read_csv_table(
    path: str | Path,
    *,
    columns: Sequence[str],
    extra_ok: Callable[[str], bool] | None = None,
) -> pd.DataFrame:
    """Read a UTF-8 CSV with every cell as stripped text, indexed by line number (data from 2).

    The header must hold exactly ``columns`` (any order); further columns are allowed only when
    ``extra_ok(name)`` is true (e.g. year columns of a wide table). Entirely blank lines are
    dropped. Raises :class:`SourceError` for a missing, unreadable or malformed file.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(
            file=path,
            key="file_not_found",
            hint_key="file_not_found_hint",
        )
    try:
        raw = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8-sig",
        )
    except pd.errors.EmptyDataError as e:
        raise SourceError(
            file=path,
            key="file_empty",
            hint_key="file_empty_hint",
        ) from e
    except UnicodeDecodeError as e:
        raise SourceError(
            file=path,
            key="file_not_utf8",
            hint_key="file_not_utf8_hint",
        ) from e
    except pd.errors.ParserError as e:
        m = _LINE.search(str(e))
        raise SourceError(
            file=path,
            row=int(m.group(1)) if m else None,
            key="csv_unparsable",
            hint_key="csv_unparsable_hint",
            error=str(e),
        ) from e
    header = [str(h).strip() for h in raw.iloc[0]]
    check_header(header, columns, file=path, extra_ok=extra_ok)
    body = raw.iloc[1:]
    body.columns = pd.Index(header)
    # line numbers: header is line 1; quoted cells may span several lines
    newlines = sum((body[c].str.count("\n") for c in header), start=pd.Series(0, index=body.index))
    lines = 2 + np.arange(len(body)) + np.concatenate([[0], np.cumsum(newlines.to_numpy())[:-1]])
    body = body.apply(lambda s: s.str.strip())
    body.index = pd.Index(lines[: len(body)], name="line")
    blank = (body == "").all(axis=1)
    return body[~blank]


def check_header(
    found: Sequence[str],
    expected: Sequence[str],
    *,
    file: str | Path,
    sheet: str | None = None,
    row: int = 1,
    extra_ok: Callable[[str], bool] | None = None,
) -> None:
    """Refuse a header that lacks an expected column, repeats one, or has an unexpected one."""
    want = ", ".join(expected)
    seen: set[str] = set()
    for name in found:
        if name in seen and name:
            raise SourceError(
                file=file,
                sheet=sheet,
                row=row,
                column=name,
                key="column_twice",
                hint_key="expected_columns_hint",
                name=repr(name),
                want=want,
            )
        seen.add(name)
    missing = [c for c in expected if c not in seen]
    if missing:
        raise SourceError(
            file=file,
            sheet=sheet,
            row=row,
            column=missing[0],
            key="missing_columns" if len(missing) > 1 else "missing_column",
            hint_key="missing_column_hint",
            names=", ".join(map(repr, missing)),
            want=want,
        )
    extra = [c for c in found if c not in expected and not (extra_ok and extra_ok(c))]
    if extra:
        raise SourceError(
            file=file,
            sheet=sheet,
            row=row,
            column=extra[0],
            key="unexpected_column",
            hint_key="unexpected_column_years_hint" if extra_ok else "unexpected_column_hint",
            name=repr(extra[0]),
            want=want,
        )


# ---------------------------------------------------------------------------------------------
# cells


def check_not_empty(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    file: str | Path | None = None,
    sheet: str | None = None,
) -> None:
    """Refuse an empty cell in any of ``columns`` (first one in row order)."""
    cols = list(columns)
    empty = frame[cols].eq("").to_numpy()
    pos = _first(empty.any(axis=1))
    if pos is None:
        return
    col = cols[int(empty[pos].argmax())]
    raise error_at(
        frame,
        pos,
        file=file,
        sheet=sheet,
        column=col,
        key="empty_cell",
        hint_key="empty_cell_hint",
        name=repr(col),
    )


_CELL_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c [^>]*\bt="e"[^>]*>')
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{1,20})</(?:\w+:)?v>")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_workbook(
    path: Path, *, sheet: str | None = None, hint_key: str, **slots: object
) -> dict[tuple[int, int], str]:
    """Check an ``.xlsx`` file before a reader opens it, and find its error cells.

    Refuses (``SourceError``) a sheet larger than ``MAX_SHEET_BYTES`` uncompressed or whose
    used range (up to its largest cell reference) exceeds ``MAX_SHEET_ROWS`` rows or
    ``MAX_SHEET_CELLS`` cells: the reader would allocate the whole range first. Returns the
    cells holding an Excel error value (``#DIV/0!`` …) as {(row, column): value}, 1-based, so
    that they are not taken for empty cells. A file that is not a zip archive is left to the
    reader (it says so in its own words). ``hint_key``/``slots`` say what to do.
    """
    import zipfile

    errors: dict[tuple[int, int], str] = {}
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return errors
    with archive:
        for info in archive.infolist():
            name = info.filename
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            if info.file_size > MAX_SHEET_BYTES:
                raise SourceError(
                    file=path,
                    sheet=sheet,
                    key="sheet_too_large",
                    hint_key=hint_key,
                    size=info.file_size // (1024 * 1024),
                    limit=MAX_SHEET_BYTES // (1024 * 1024),
                    **slots,
                )
            letters: set[bytes] = set()
            numbers: set[bytes] = set()
            tail = b""
            with archive.open(info) as f:
                while chunk := f.read(1 << 22):
                    data = tail + chunk
                    # a tag cut by the chunk's end is read again with the next chunk
                    cut = data.rfind(b"<")
                    cut = cut if cut > len(data) - 4096 else len(data)
                    letters.update(_CELL_COLUMN.findall(data, 0, cut))
                    numbers.update(_CELL_ROW.findall(data, 0, cut))
                    if data.find(b't="e"', 0, cut) < 0:  # no error cell: skip the slow search
                        tail = data[cut:]
                        continue
                    for m in _ERROR_CELL.finditer(data, 0, cut):
                        ref = _CELL_REF.search(m.group(0))
                        if ref is not None:
                            v = _ERROR_VALUE.match(data, m.end())
                            key = (int(ref.group(2)), _column_number(ref.group(1)))
                            errors[key] = v.group(1).decode("ascii", "replace") if v else "#"
                    tail = data[cut:]
            rows = max((int(n) for n in numbers), default=0)
            cols = max((_column_number(c) for c in letters), default=0)
            if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
                raise SourceError(
                    file=path,
                    sheet=sheet,
                    key="sheet_range_too_large",
                    hint_key=hint_key,
                    rows=rows,
                    columns=cols,
                    cells=Decimal(rows * cols),
                    limit=Decimal(MAX_SHEET_CELLS),
                    **slots,
                )
    return errors


def parse_numbers(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    file: str | Path | None = None,
    sheet: str | None = None,
    integer: bool = False,
    allow_empty: bool = False,
    limit: float | None = None,
) -> pd.DataFrame:
    """The cells of ``columns`` as numbers (float64, or int64 when ``integer``).

    Text such as ``"12 3x"``, ``"-"``, ``"1,5"``, an Excel error value (``#DIV/0!``), a
    true/false cell (Excel's TRUE would otherwise read as 1) or a non-finite value is refused
    with the cell's row, column and text. Empty cells are refused too unless ``allow_empty``
    (then they are NaN; ``integer`` columns cannot allow empty cells). With ``limit``, a value
    whose magnitude exceeds it is refused as implausible (e.g. 1e308 tonnes).
    """
    cols = list(columns)
    values = pd.DataFrame(
        {
            c: np.asarray(pd.to_numeric(frame[c].map(_not_bool), errors="coerce"), dtype="float64")
            for c in cols
        },
        index=frame.index,
    )
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        empty = np.zeros_like(bad)
        for j, col in enumerate(cols):
            idx = np.flatnonzero(bad[:, j])
            if idx.size:
                empty[idx, j] = [_is_blank(v) for v in frame[col].iloc[idx]]
        offending = bad & ~empty if allow_empty and not integer else bad
        pos = _first(offending.any(axis=1))
        if pos is not None:
            c = int(offending[pos].argmax())
            if empty[pos, c]:
                raise error_at(
                    frame,
                    pos,
                    file=file,
                    sheet=sheet,
                    column=cols[c],
                    key="empty_number_cell",
                    hint_key="empty_number_cell_hint",
                )
            cell = frame[cols[c]].iat[pos]
            if isinstance(cell, ExcelError):
                raise error_at(
                    frame,
                    pos,
                    file=file,
                    sheet=sheet,
                    column=cols[c],
                    value=str(cell),
                    key="excel_error_in_cell",
                    hint_key="excel_error_in_cell_hint",
                )
            if isinstance(cell, (bool, np.bool_)):
                raise error_at(
                    frame,
                    pos,
                    file=file,
                    sheet=sheet,
                    column=cols[c],
                    value=bool(cell),
                    key="boolean_in_number_cell",
                    hint_key="boolean_in_number_cell_hint",
                )
            raise error_at(
                frame,
                pos,
                file=file,
                sheet=sheet,
                column=cols[c],
                value=cell,
                key="text_in_number_cell",
                hint_key="text_in_number_cell_hint",
            )
    if limit is not None:
        big = np.abs(np.nan_to_num(values.to_numpy())) > limit
        pos = _first(big.any(axis=1))
        if pos is not None:
            c = int(big[pos].argmax())
            raise error_at(
                frame,
                pos,
                file=file,
                sheet=sheet,
                column=cols[c],
                value=float(values[cols[c]].iat[pos]),
                key="implausible_value",
                hint_key="implausible_value_hint",
                limit=limit,
            )
    if integer:
        arr = values.to_numpy()
        frac = arr != np.floor(arr)
        pos = _first(frac.any(axis=1))
        if pos is not None:
            c = int(frac[pos].argmax())
            raise error_at(
                frame,
                pos,
                file=file,
                sheet=sheet,
                column=cols[c],
                value=frame[cols[c]].iat[pos],
                key="not_whole_number",
                hint_key="not_whole_number_hint",
            )
        return values.astype("int64")
    return values


def check_not_negative(
    frame: pd.DataFrame,
    values: pd.Series,
    *,
    what: str,
    file: str | Path | None = None,
    sheet: str | None = None,
    column: str | None = None,
) -> None:
    """Refuse a negative number in ``values`` (aligned with ``frame``); ``what`` is a term id."""
    pos = _first(values.to_numpy() < 0)
    if pos is not None:
        word, capital = Term(what), Term(what, capital=True)
        raise error_at(
            frame,
            pos,
            file=file,
            sheet=sheet,
            column=column,
            value=float(values.iat[pos]),
            key="negative_value",
            hint_key="negative_value_hint",
            what=word,
            capital=capital,
        )


def check_codes(
    frame: pd.DataFrame,
    column: str,
    *,
    digits: int,
    what: str,
    file: str | Path | None = None,
    forbidden: Iterable[str] = (),
) -> None:
    """Refuse a code in ``column`` that is not exactly ``digits`` digits (or is ``forbidden``);
    ``what`` is a term id."""
    codes = frame[column]
    ok = codes.str.fullmatch(rf"[0-9]{{{digits}}}") & ~codes.isin(list(forbidden))
    pos = _first(~ok.to_numpy(dtype=bool, na_value=False))
    if pos is not None:
        word, example = Term(what), "0114" if digits == 4 else "01"
        raise error_at(
            frame,
            pos,
            file=file,
            column=column,
            value=codes.iat[pos],
            key="malformed_code",
            hint_key="malformed_code_hint",
            what=word,
            digits=digits,
            example=example,
        )


def check_unique(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    what: str,
    file: str | Path | None = None,
    sheet: str | None = None,
    column: str | None = None,
) -> None:
    """Refuse a repeated key; the error points at the second occurrence and names the first.

    The error names ``column`` (default: the first key) and the repeated key as its value;
    ``what`` is a term id.
    """
    src = frame
    dup = src.duplicated(list(keys), keep=False).to_numpy()
    if not dup.any():
        return
    second = src.duplicated(list(keys), keep="first").to_numpy()
    pos = _first(second)
    assert pos is not None
    key = tuple(src[k].iat[pos] for k in keys)
    same = (src[list(keys)] == pd.Series(key, index=list(keys))).all(axis=1).to_numpy()
    first = _first(same)
    assert first is not None
    first_row = frame["_row"].iat[first] if "_row" in frame.columns else frame.index[first]
    label = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
    word = Term(what)
    raise error_at(
        frame,
        pos,
        file=file,
        sheet=sheet,
        column=column or keys[0],
        value=key[0] if len(keys) == 1 else key,
        key="duplicate_row",
        hint_key="duplicate_row_hint",
        what=word,
        label=label,
        first_row=first_row,
    )


def check_known(
    frame: pd.DataFrame,
    column: str,
    valid: Iterable[str],
    *,
    what: str,
    file: str | Path | None = None,
    sheet: str | None = None,
    hint_key: str | None = None,
    **slots: object,
) -> None:
    """Refuse a value of ``column`` that is not in ``valid``, suggesting the closest valid ones.

    ``what`` is a term id; a hint of the caller's is its ``hint_key`` with ``slots``.
    """
    valid = list(valid)
    pos = _first(~frame[column].isin(valid).to_numpy())
    if pos is not None:
        value = frame[column].iat[pos]
        word = Term(what)
        raise error_at(
            frame,
            pos,
            file=file,
            sheet=sheet,
            column=column,
            value=value,
            key="unknown_value",
            hint_key=hint_key,
            what=word,
            **(slots if hint_key else {"valid": valid}),
        )


# ---------------------------------------------------------------------------------------------
# areas


def check_area_codes(
    frame: pd.DataFrame,
    codes: pd.Series,
    levels: pd.Series,
    *,
    areas: pd.DataFrame,
    code_column: pd.Series | str,
    file: str | Path | None = None,
) -> None:
    """Refuse a code that is not in ``areas`` at the level the row says (``levels``: kommun/lan/riket).

    ``code_column`` names the column each code came from (one name, or one per row).
    """
    got = map_values(codes, dict(zip(areas["code"], areas["level"], strict=True)))
    bad = (got != levels).to_numpy(dtype=bool, na_value=True)
    pos = _first(bad)
    if pos is None:
        return
    code, level = codes.iat[pos], levels.iat[pos]
    col = code_column if isinstance(code_column, str) else str(code_column.iat[pos])
    if pd.isna(got.iat[pos]):
        raise error_at(
            frame,
            pos,
            file=file,
            column=col,
            value=code,
            key="unknown_area_code",
            hint_key="unknown_area_code_hint",
            level=Term(str(level)),
        )
    raise error_at(
        frame,
        pos,
        file=file,
        column=col,
        value=code,
        key="area_code_wrong_level",
        hint_key="area_code_wrong_level_hint",
        code=code,
        got=Term(str(got.iat[pos])),
        level=Term(str(level)),
    )


def check_area_names(
    frame: pd.DataFrame,
    codes: pd.Series,
    names: pd.Series,
    *,
    areas: pd.DataFrame,
    name_column: pd.Series | str,
    file: str | Path | None = None,
) -> None:
    """Refuse a row whose area name differs from the SCB name of its (known) code."""
    official = map_values(codes, dict(zip(areas["code"], areas["name"], strict=True)))
    bad = (official != names).to_numpy(dtype=bool, na_value=True)
    pos = _first(bad)
    if pos is None:
        return
    col = name_column if isinstance(name_column, str) else str(name_column.iat[pos])
    raise error_at(
        frame,
        pos,
        file=file,
        column=col,
        value=names.iat[pos],
        key="area_name_mismatch",
        hint_key="area_name_mismatch_hint",
        code=codes.iat[pos],
        official=repr(official.iat[pos]),
    )
