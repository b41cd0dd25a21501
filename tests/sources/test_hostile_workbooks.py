"""Crafted and careless workbooks: Excel error values, TRUE, absurd numbers and a used range that
would exhaust memory are each refused in one clear error naming the cell, before any harm."""

from __future__ import annotations

import resource
import time
import zipfile
from pathlib import Path

import pytest

from koldioxidbudget.errors import SourceError
from koldioxidbudget.sources import read_smhi_excel
from tests.sources.helpers import lansrapport_rows, tiny_areas, write_xlsx
from tests.sources.test_smhi import ALFA_PERSONBILAR, GAMMA_JORDBRUK, _set

SHEET = "xl/worksheets/sheet1.xml"


def _patch(path: Path, old: str, new: str) -> Path:
    """Replace ``old`` by ``new`` in the sheet's XML (cell types the writer does not make)."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    text = files[SHEET].decode("utf-8")
    assert old in text, old
    files[SHEET] = text.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def _workbook(tmp_path: Path, marker: str, cell_xml: str) -> Path:
    """The tiny Länsrapport with the cell holding ``marker`` replaced by ``cell_xml``."""
    rows = _set(lansrapport_rows(), ALFA_PERSONBILAR, 5, marker)
    path = write_xlsx(tmp_path / "lansrapport.xlsx", rows)
    ref = f"F{ALFA_PERSONBILAR}"
    old = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{marker}</t></is></c>'
    return _patch(path, old, cell_xml.format(ref=ref))


def _localized_both(e: SourceError) -> None:
    assert e.localized("en") == str(e)
    assert e.localized("sv") != str(e)
    assert "{" not in e.localized("sv")


def test_excel_error_value_is_not_an_empty_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "X", '<c r="{ref}" t="e"><v>#DIV/0!</v></c>')
    with pytest.raises(SourceError, match="An Excel error value where a number should be") as e:
        read_smhi_excel(path, areas=tiny_areas())
    assert (e.value.row, e.value.column, e.value.value) == (ALFA_PERSONBILAR, "2022", "#DIV/0!")
    assert e.value.file == str(path) and e.value.sheet == "Koldioxid (CO2)"
    assert e.value.localized("sv").startswith("Ett felvärde från Excel där ett tal ska stå (fil")
    _localized_both(e.value)


def test_true_is_not_one(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "X", '<c r="{ref}" t="b"><v>1</v></c>')
    with pytest.raises(SourceError, match="A true/false value where a number should be") as e:
        read_smhi_excel(path, areas=tiny_areas())
    assert (e.value.row, e.value.column, e.value.value) == (ALFA_PERSONBILAR, "2022", True)
    _localized_both(e.value)


@pytest.mark.parametrize("value", [1e308, 1e22, -1e300])
def test_absurd_numbers_are_refused_and_formatted(tmp_path: Path, value: float) -> None:
    rows = _set(lansrapport_rows(), GAMMA_JORDBRUK, 5, value)
    path = write_xlsx(tmp_path / "lansrapport.xlsx", rows)
    with pytest.raises(SourceError, match="An implausible value") as e:
        read_smhi_excel(path, areas=tiny_areas())
    assert (e.value.row, e.value.column) == (GAMMA_JORDBRUK, "2022")
    assert "större än 10\u00a0000\u00a0000\u00a0000" in e.value.localized("sv")
    _localized_both(e.value)


@pytest.mark.parametrize("ref", ["XFD19351", "A1048576"])
def test_huge_used_range_is_refused_before_reading(tmp_path: Path, ref: str) -> None:
    """One cell far away would make the reader allocate the whole range (gigabytes)."""
    path = write_xlsx(tmp_path / "lansrapport.xlsx", lansrapport_rows())
    path = _patch(
        path,
        "</sheetData>",
        f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
        f'<c r="{ref}"><v>1</v></c></row></sheetData>',
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(SourceError, match="The sheet's used range reaches row") as e:
        read_smhi_excel(path, areas=tiny_areas())
    assert time.perf_counter() - started < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, grown_mb
    sv = e.value.localized("sv")
    assert "Bladets använda område når rad" in sv and "högst 5\u00a0000\u00a0000 läses" in sv, sv
    _localized_both(e.value)
