"""Error messages in the user's language: every key the code raises is in both catalogues, and
the localised text carries the same facts as the English one."""

from __future__ import annotations

import copy
import dataclasses
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pytest

from koldioxidbudget.edition import build_editions, load_edition, sources_dir
from koldioxidbudget.errors import (
    AreaNotFound,
    EditionError,
    KoldioxidbudgetError,
    ParameterError,
    SourceError,
)
from koldioxidbudget.method.allocation import local_shares
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.inventory import local_inventory
from koldioxidbudget.method.pathway import required_rate
from koldioxidbudget.method.trend import fit_trend
from koldioxidbudget.profile import load_profile
from koldioxidbudget.schema import GAS_CO2, GAS_CO2E, SECTORS, Tables
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.sources import (
    read_areas,
    read_blocs,
    read_facilities,
    read_global_budgets,
    read_global_emissions,
    read_smhi_co2_csv,
    read_smhi_excel,
    read_smhi_ghg_all_levels_csv,
    require_gas,
)
from koldioxidbudget.sources.fetch import (
    FetchSettings,
    fetch_sources,
    pxweb_population,
    pxweb_regions,
)
from koldioxidbudget.story.changes import diff_editions
from koldioxidbudget.story.i18n import catalogue
from tests.conftest import make_tables, write_tiny_edition
from tests.sources import test_gcp as gcp_cases
from tests.sources import test_ipcc as ipcc_cases
from tests.sources import test_naturvardsverket as nv_cases
from tests.sources import test_scb as scb_cases
from tests.sources import test_smhi as smhi_cases
from tests.sources.helpers import co2_csv_text, lansrapport_rows, tiny_areas, write_csv, write_xlsx

SRC = Path(__file__).resolve().parents[1] / "src" / "koldioxidbudget"


def test_every_raised_error_key_has_both_languages() -> None:
    keys = set()
    for path in SRC.rglob("*.py"):
        keys |= set(re.findall(r'key="([a-z_]+)"', path.read_text("utf-8")))
    keys |= {"area_not_found", "area_not_found_suggest"}  # chosen in errors.AreaNotFound
    assert len(keys) >= 10
    for lang in ("sv", "en"):
        missing = {k for k in keys if f"errors.{k}" not in catalogue(lang)}
        assert not missing, (lang, missing)


def test_every_error_text_lives_once_in_the_catalogues() -> None:
    """Every error a user can meet is raised with a catalogue key and slots, never with an
    English text of its own (which the catalogue would have to repeat)."""
    import ast

    # each error class, and each helper that makes one with its positional arguments (frame,
    # row; path, field, value) before the key
    errors = {
        "KoldioxidbudgetError": 0,
        "SourceError": 0,
        "FetchError": 0,
        "EditionError": 0,
        "ParameterError": 0,
        "_ImageError": 0,
        "error_at": 2,
        "_error": 3,
        "_refuse_mismatch": 2,
    }
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
            if name not in errors or path.name == "errors.py":
                continue
            keyed = any(k.arg == "key" for k in node.keywords)
            extra = len(node.args) > errors[name]
            if not keyed or extra or any(k.arg == "hint" for k in node.keywords):
                bad.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not bad, bad


def test_every_source_key_and_term_has_both_languages() -> None:
    """sources/ also chooses keys in conditionals (``key="a" if … else "b"``) and names words of
    the ``errors.term`` table (``what="…"``, ``check_zip(path, "…")``); each is in both
    catalogues, and each word of the table is used."""
    text = "\n".join(p.read_text("utf-8") for p in sorted((SRC / "sources").glob("*.py")))
    keys = set(re.findall(r'key="[a-z_]+" if [^\n]* else "([a-z_]+)"', text))
    terms = {"kommun", "lan", "riket"}  # the areas table's levels (check_area_codes)
    for first, second in re.findall(
        r'\bwhat(?:=| = )"([a-z_0-9]+)"(?: if [^\n]* else "([a-z_0-9]+)")?', text
    ):
        terms |= {first, second} - {""}
    terms |= set(re.findall(r'check_zip\(path, "([a-z_]+)"\)', text))
    assert len(keys) >= 3 and len(terms) >= 15
    for lang in ("sv", "en"):
        words = catalogue(lang)
        assert not {k for k in keys if f"errors.{k}" not in words}, lang
        assert not {w for w in terms if f"errors.term.{w}" not in words}, lang
        table = {k.removeprefix("errors.term.") for k in words if k.startswith("errors.term.")}
        assert table == terms, (lang, table ^ terms)


def test_localized_parameter_error() -> None:
    with pytest.raises(ParameterError) as e:
        parameters_from(None, {"convention": "E"})
    assert (
        e.value.localized("sv")
        == "Värdet convention='E' är inte tillåtet. Giltiga värden: A, B, C, D"
    )
    assert (
        e.value.localized("en")
        == "Parameter convention='E' is not allowed. Valid values: A, B, C, D"
    )
    assert str(e.value).startswith("Parameter convention='E' is not allowed")  # logs, API
    with pytest.raises(ParameterError) as e:
        parameters_from("uppsala-2024-17")
    assert e.value.localized("sv").startswith(
        "Okänd förinställning 'uppsala-2024-17'. Menade du 'uppsala-2024-1.7'"
    )


def test_area_not_found_and_unlocalised_errors_fall_back() -> None:
    e = AreaNotFound("Upsala", ["Uppsala", "Sala"])
    assert e.localized("sv").endswith("Menade du: Uppsala, Sala?")
    assert AreaNotFound("zzz").localized("en").endswith("to list every area.")
    plain = ParameterError("Something only in English.")
    assert plain.localized("sv") == "Something only in English."
    assert e.localized("fi") == str(e)  # an unknown language: the English text


# ---------------------------------------------------------------------------------------------
# every keyed error a user can reach: the English catalogue text is str(error), the Swedish one
# differs, no slot is left unfilled, and decimal numbers get a decimal comma in Swedish


def _params(**overrides: str) -> Callable[[Path], object]:
    return lambda tmp: parameters_from(None, overrides)


def _budgets(
    tables: Callable[[], Tables] = make_tables, **overrides: str
) -> Callable[[Path], object]:
    return lambda tmp: compute_budgets(tables=tables(), params=parameters_from(None, overrides))


def _tables(**changes: Any) -> Callable[[], Tables]:
    return lambda: dataclasses.replace(make_tables(), **changes)


def _bad_allocation(tmp: Path) -> object:
    p = copy.copy(parameters_from())  # a copy: presets are shared (frozen, memoised)
    object.__setattr__(p, "allocation", "per-capital")  # past the validation, as a bug would be
    inv = local_inventory(tables=make_tables(), params=p)
    return local_shares(inventory=inv, params=p, allocated_t=1.0)


def _edition(tmp: Path, change: Callable[[Path], object] | None = None) -> Path:
    path = write_tiny_edition(tmp / "editions")
    if change is not None:
        change(path)
    return tmp / "editions"


def _load_changed(change: Callable[[Path], object]) -> Callable[[Path], object]:
    return lambda tmp: load_edition(None, into=_edition(tmp, change))


def _profile(text: str | bytes, **files: bytes) -> Callable[[Path], object]:
    def load(tmp: Path) -> object:
        p = tmp / "profil.toml"
        p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        for name, data in files.items():
            (tmp / name.replace("_", ".")).write_bytes(data)
        return load_profile(p)

    return load


def _gif() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "GIF")
    return buf.getvalue()


def _big_png() -> bytes:
    """A valid PNG header of 40000×40000 pixels (a "decompression bomb"), 100 bytes."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


_CUSTOMER = '[customer]\nname = "Alfa kommun"\n'
_EXHAUSTED = _tables(
    global_emissions=pd.DataFrame(
        [(y, 400_000.0, 0.0, 40.0) for y in range(2015, 2024)],
        columns=["year", "world_fossil_mt", "world_luc_mt", "sweden_fossil_mt"],
    )
)


def _first_damaged(root: Path) -> None:
    """Raise what ``scan_editions`` reports for the first damaged edition (it lists the others)."""
    from koldioxidbudget.edition import scan_editions

    (first, *_rest) = scan_editions(root)[1]
    raise first


KEYED: list[Any] = [
    # parameters
    ("must_be_positive", _params(temperature_c="0"), None),
    ("must_be_positive", _params(national_budget_t="0"), None),
    ("must_be_between", _params(probability_pct="100"), None),
    ("must_be_between", _params(blend_weight="1.5"), None),
    ("must_be_between", _params(carbon_law_rate="0"), None),
    ("must_be_between", _params(max_delay_years="31"), None),
    ("must_be_between", _params(infeasible_rate="1"), None),
    ("must_be_nonnegative_below", _params(national_overhead_t="-1"), None),
    ("must_be_nonnegative_below", _params(residual_fraction="1"), None),
    ("must_be_finite", _params(temperature_c="nan"), None),
    ("must_be_finite", _params(national_facilities="0380:X:inf"), None),
    ("tonnes_out_of_range", _params(national_budget_t="1e30"), None),
    ("tonnes_out_of_range", _params(national_facilities="0380:X:-5000000"), None),
    ("tonnes_out_of_range", _params(national_preliminary_t="2023:-5"), None),
    ("year_out_of_range", _params(as_of="1980"), None),
    ("year_out_of_range", _params(national_budget_from="2200"), None),
    ("must_be_after", _params(horizon_year="1995"), None),
    ("must_not_be_before", _params(path_end_year="2040"), None),
    ("first_after_last", _params(base_years_custom="2022-2020"), None),
    ("target_reduction_not_fraction", _params(local_targets="2030:63"), "0,63"),
    ("not_allowed", _params(convention="E"), None),
    ("unknown_parameter", _params(temprature_c="1.5"), None),
    ("cannot_read", _params(as_of="snart"), None),
    ("unknown_preset", lambda tmp: parameters_from("uppsala-2024-17"), None),
    # the computation
    ("unknown_global_source", _budgets(global_source="AR7"), None),
    ("no_published_budget", _budgets(temperature_c="1.6"), "1,6 °C"),
    ("unknown_allocation_rule", _bad_allocation, None),
    (
        "no_base_year_in_range",
        _budgets(base_years="custom", base_years_custom="1995-2000"),
        None,
    ),
    ("grandfathering_all_zero", _budgets(exclude_sectors=",".join(SECTORS)), None),
    (
        "convergence_before_start",
        _budgets(allocation="contraction-convergence", convergence_year="2020"),
        None,
    ),
    (
        "unknown_convention",
        lambda tmp: required_rate(e0=np.array([1.0]), budget=np.array([9.0]), convention="E"),
        None,
    ),
    (
        "unknown_trend_method",
        lambda tmp: fit_trend(years=[2020, 2021], values=np.array([[1.0, 2.0]]), method="median"),
        None,
    ),
    ("trend_too_few_years", _budgets(trend_from="2022"), None),
    (
        "no_emissions_before",
        lambda tmp: local_inventory(tables=make_tables(), params=parameters_from()).annual([1980]),
        None,
    ),
    ("preliminary_total_missing", _budgets(nowcast="national-scaling"), None),
    ("unknown_sectors", _budgets(exclude_sectors="flyg"), None),
    ("facility_code_unknown", _budgets(national_facilities="9999:Verket:1000"), None),
    ("edition_not_co2", _budgets(lambda: make_tables(gas="CO2e")), None),
    ("population_incomplete", _budgets(lambda: make_tables(population={"0101": 1000})), None),
    (
        "preset_budget_exhausted",
        _budgets(_EXHAUSTED, temperature_c="2.0", probability_pct="83", national_other_t="0"),
        None,
    ),
    (
        "gcb_series_missing",
        _budgets(
            _tables(blocs=pd.DataFrame(columns=["year", "entity", "emissions_mt"])),
            national_mode="computed",
        ),
        None,
    ),
    (
        "reference_years_outside_series",
        _budgets(national_mode="computed", grandfathering_reference_years="1960-1970"),
        None,
    ),
    (
        "no_developed_budget",
        _budgets(national_mode="computed", luc_deduction_gt="5000"),
        None,
    ),
    # editions
    ("no_edition", lambda tmp: load_edition(None, into=tmp / "tom"), None),
    ("unknown_edition", lambda tmp: load_edition("co2-1999", into=_edition(tmp)), None),
    ("no_edition_for_gas", lambda tmp: load_edition(None, gas="CO2e", into=_edition(tmp)), None),
    (
        "no_edition_passed_checks",
        _load_changed(lambda p: (p / "checks.json").write_text("trasig", "utf-8")),
        None,
    ),
    ("edition_file_missing", _load_changed(lambda p: (p / "areas.csv").unlink()), None),
    (
        "edition_columns_wrong",
        _load_changed(lambda p: (p / "areas.csv").write_text("kod,namn\n", "utf-8")),
        None,
    ),
    (
        "manifest_unreadable",
        lambda tmp: (
            _edition(tmp, lambda p: (p / "manifest.json").write_text("{", "utf-8")),
            _first_damaged(tmp / "editions"),
        ),
        None,
    ),
    ("source_folder_missing", lambda tmp: sources_dir(tmp / "saknas"), None),
    ("sources_incomplete", lambda tmp: build_editions(sources=tmp, into=tmp / "ut"), None),
    (
        "no_previous_edition",
        lambda tmp: diff_editions(
            "previous", "current", params=parameters_from(), into=_edition(tmp)
        ),
        None,
    ),
    # customer profiles
    ("profile_not_found", lambda tmp: load_profile(tmp / "saknas.toml"), None),
    ("profile_not_toml", _profile('[customer\nname = "Alfa"\n'), None),
    ("profile_not_utf8", _profile(_CUSTOMER.encode("utf-8") + b"# \xe5\n"), None),
    ("profile_unknown_key", _profile(_CUSTOMER + 'namn = "Alfa"\n'), None),
    ("profile_missing_key", _profile("[cover]\n"), None),
    (
        "profile_invalid_value",
        _profile(_CUSTOMER + "[targets]\nlocal = [{ year = 2030, reduction = 1.5 }]\n"),
        None,
    ),
    ("profile_cover_needs_alt", _profile(_CUSTOMER + '[cover]\nimage = "a.jpg"\n'), None),
    ("profile_file_not_found", _profile(_CUSTOMER + '[foreword]\nfile = "forord.md"\n'), None),
    ("profile_foreword_empty", _profile(_CUSTOMER + '[foreword]\ntext = " "\n'), None),
    (
        "profile_image_unreadable",
        _profile(_CUSTOMER + '[cover]\nimage = "a.jpg"\nalt = "Ån"\n', a_jpg=b"inte en bild"),
        None,
    ),
    (
        "profile_image_format",
        _profile(_CUSTOMER + '[cover]\nimage = "a.gif"\nalt = "Ån"\n', a_gif=_gif()),
        None,
    ),
    ("profile_too_large", _profile(_CUSTOMER + "#" * 70_000 + "\n"), None),
    ("profile_path_outside", _profile(_CUSTOMER + '[foreword]\nfile = "/etc/passwd"\n'), None),
    ("profile_not_a_file", _profile(_CUSTOMER + '[foreword]\nfile = "."\n'), None),
    (
        "profile_file_too_large",
        _profile(_CUSTOMER + '[foreword]\nfile = "f.md"\n', f_md=b"x" * 70_000),
        None,
    ),
    (
        "profile_file_not_utf8",
        _profile(_CUSTOMER + '[foreword]\nfile = "f.md"\n', f_md="Hälsning".encode("latin-1")),
        None,
    ),
    ("profile_text_too_long", _profile('[customer]\nname = "' + "å" * 1001 + '"\n'), None),
    (
        "profile_character_unshowable",
        _profile(_CUSTOMER + '[foreword]\ntext = "Hej \\u001b"\n'),
        None,
    ),
    (
        "profile_image_too_many_pixels",
        _profile(_CUSTOMER + '[cover]\nimage = "a.png"\nalt = "Ån"\n', a_png=_big_png()),
        None,
    ),
]


@pytest.mark.parametrize(
    ("key", "trigger", "decimal"),
    KEYED,
    ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(KEYED)],
)
def test_keyed_error_in_both_languages(
    key: str,
    trigger: Callable[[Path], object],
    decimal: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOLDIOXIDBUDGET_EDITIONS", raising=False)
    with pytest.raises(KoldioxidbudgetError) as e:
        trigger(tmp_path)
    assert e.value.key == key, str(e.value)
    en, sv = e.value.localized("en"), e.value.localized("sv")
    assert en == str(e.value)
    assert sv != str(e.value)
    for text in (en, sv):
        assert "{" not in text and "}" not in text, text
    if decimal is not None:
        assert decimal in sv, sv


def test_missing_source_folder_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOLDIOXIDBUDGET_SOURCES", raising=False)
    with pytest.raises(EditionError) as e:
        sources_dir(None)
    assert e.value.key == "no_source_folder"
    assert e.value.localized("en") == str(e.value)
    assert e.value.localized("sv").startswith("Ingen källmapp")


def test_floats_get_a_decimal_comma_years_stay_as_they_are() -> None:
    e = ParameterError(
        "x",
        key="no_published_budget",
        source="S",
        temperature=1.5,
        probability="50",
        cells="1.5 °C/50 %",
    )
    assert "1,5 °C med 50 %" in e.localized("sv")
    assert "1.5 °C at 50%" in e.localized("en")  # English writes no space before %
    e = ParameterError("x", key="year_out_of_range", name="as_of", low=1990, high=2100)
    assert e.localized("sv").endswith("mellan 1990 och 2100.")


def test_both_catalogues_have_the_same_error_keys() -> None:
    def errors(lang: str) -> set[str]:
        return {k for k in catalogue(lang) if k.startswith("errors.")}

    assert errors("sv") == errors("en")


def test_every_api_problem_message_has_both_languages() -> None:
    """Each ``msg("…")`` of the web package and each problem type's title is in both
    ``problems`` catalogues, and the two catalogues hold the same keys."""
    from koldioxidbudget.web.problems import PROBLEM_TYPES

    used = set()
    for path in (SRC / "web").rglob("*.py"):
        used |= {
            f"problems.{k}" for k in re.findall(r'\bmsg\(\s*"([a-z_.]+)"', path.read_text("utf-8"))
        }
    used |= {f"problems.title.{kind}" for kind in PROBLEM_TYPES}
    assert len(used) >= 30
    sv = {k for k in catalogue("sv") if k.startswith("problems.")}
    en = {k for k in catalogue("en") if k.startswith("problems.")}
    assert sv == en
    assert not used - sv, used - sv
    assert not sv - used, f"unused: {sv - used}"


# ---------------------------------------------------------------------------------------------
# source files (sources/): a malformed official file or a failed download, in both languages.
# The malformed files are those of tests/sources; the downloads answer from httpx.MockTransport.


def _areas(**files: str) -> Callable[[Path], object]:
    return lambda tmp: scb_cases._areas(tmp, **files)


def _population(**files: str) -> Callable[[Path], object]:
    return lambda tmp: scb_cases._population(tmp, **files)


def _csv_reader(read: Callable[[Path], object], text: str) -> Callable[[Path], object]:
    return lambda tmp: read(write_csv(tmp / "f.csv", text))


def _written(data: bytes) -> Callable[[Path], object]:
    def read(tmp: Path) -> object:
        (tmp / "m.csv").write_bytes(data)
        return read_areas(tmp / "m.csv", write_csv(tmp / "c.csv", scb_cases.COUNTIES))

    return read


def _lansrapport(rows: list[list[object]]) -> Callable[[Path], object]:
    return lambda tmp: smhi_cases._read(tmp, rows)


def _lansrapport_set(row: int, col: int, value: object) -> Callable[[Path], object]:
    return _lansrapport(smhi_cases._set(lansrapport_rows(), row, col, value))


def _lansrapport_bump(rows: list[int], col: int, by: float) -> Callable[[Path], object]:
    return _lansrapport(smhi_cases._bump(lansrapport_rows(), rows, col, by))


def _no_year_row() -> list[list[object]]:
    rows = lansrapport_rows()
    rows[4], rows[5] = [], rows[5][:4]
    return rows


def _unnamed_column() -> list[list[object]]:
    return [
        [*r, 1.0 if i == smhi_cases.ALFA_TOTAL - 1 else ""] if i >= 5 else r
        for i, r in enumerate(lansrapport_rows())
    ]


def _duplicate_area_row() -> list[list[object]]:
    rows = lansrapport_rows()
    rows.append(list(rows[smhi_cases.ALFA_TRANSPORT - 1]))
    return rows


def _require(gas_line: str, gas: str) -> Callable[[Path], object]:
    return lambda tmp: require_gas(smhi_cases._read(tmp, lansrapport_rows(gas=gas_line)), gas)


def _co2_csv(text: str) -> Callable[[Path], object]:
    return lambda tmp: read_smhi_co2_csv(smhi_cases._co2_csv(tmp, text), areas=tiny_areas())


def _subsector_without_sector(tmp: Path) -> object:
    p, s = smhi_cases._all_levels_files(tmp)
    df = pd.read_csv(s, dtype={"code": str})
    df.loc[0, "year"] = 2019
    df.to_csv(s, index=False)
    return read_smhi_ghg_all_levels_csv(p, areas=tiny_areas(), subsector_csv=s)


def _not_a_workbook(tmp: Path) -> object:
    (tmp / "fake.xlsx").write_text("Huvudsektor;Undersektor\n", "utf-8")
    return read_smhi_excel(tmp / "fake.xlsx", areas=tiny_areas())


_CO2_CSV = co2_csv_text(lansrapport_rows())
_GCB, _OWID = gcp_cases.GCB, gcp_cases.OWID
_BUDGETS, _CEMENT = ipcc_cases.GOOD, nv_cases.GOOD
_MUN, _CTY = scb_cases.MUNICIPALITIES, scb_cases.COUNTIES
_POP_MUN, _POP_CTY = scb_cases.POP_MUNICIPALITY, scb_cases.POP_COUNTY
_ALFA_TRANSPORT, _ALFA_TOTAL = smhi_cases.ALFA_TRANSPORT, smhi_cases.ALFA_TOTAL


def _fetch(
    remote: str, answer: Callable[[httpx.Request], httpx.Response], **changes: Any
) -> Callable[[Path], object]:
    """Fetch ``remote`` from a publisher that answers ``answer``; raise the error it reports."""

    def run(tmp: Path) -> object:
        fast: dict[str, Any] = {"retries": 0, "backoff_s": 0.0, "gcb_year": 2019}
        settings = dataclasses.replace(FetchSettings(), **(fast | changes))
        res = fetch_sources(
            tmp / "sources",
            settings=settings,
            only=[remote],
            transport=httpx.MockTransport(answer),
            sleep=lambda s: None,
        )
        assert list(res.errors) == [remote]
        assert str(res.failures[remote]) == res.errors[remote]  # what the manifest records
        raise res.failures[remote]

    return run


def _status(code: int) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, text="<html>Fel</html>")


def _body(data: bytes, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, content=data, headers=headers)


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return write_xlsx(Path(d) / "l.xlsx", rows).read_bytes()


_PXWEB_REGION = {"code": "Region", "values": ["01", "0114"], "valueTexts": ["Stockholms län"]}
_PXWEB_CONTENTS = {"code": "ContentsCode", "values": ["BE0101N1"]}
_PXWEB_COLUMNS = [{"code": "Region"}, {"code": "Tid"}]
_PXWEB_MUNICIPALITIES = pd.DataFrame({"kommunkod": ["0114", "0115"], "kommun": ["A", "B"]})


def _pxweb_population(data: object) -> Callable[[Path], object]:
    return lambda tmp: pxweb_population(data, _PXWEB_MUNICIPALITIES, source="SCB")


# (key, trigger, a text the Swedish message must hold: a decimal comma, a nested reason)
SOURCE_KEYED: list[Any] = [
    # reading a CSV and its header (sources/_common.py)
    ("file_not_found", lambda tmp: read_areas(tmp / "saknas.csv", tmp / "c.csv"), None),
    ("file_empty", _written(b""), None),
    ("file_not_utf8", _written(b"kommunkod,kommun\n0114,Upplands V\xe4sby\n"), None),
    ("csv_unparsable", _csv_reader(read_blocs, _GCB.replace("11.2,41.0", "11.2,41,0")), None),
    ("column_twice", _areas(mun=_MUN.replace("kommun,", "kommun,kommun,", 1)), None),
    (
        "missing_column",
        _areas(
            mun=_MUN.replace(",lan\n", "\n", 1)
            .replace(",Ettans län", "")
            .replace(",Tvåans län", "")
        ),
        None,
    ),
    (
        "missing_columns",
        _csv_reader(read_blocs, _GCB.replace("year,MtC,MtCO2", "år,MtC,CO2")),
        None,
    ),
    (
        "unexpected_column",
        _areas(cty=_CTY.replace("kommuner", "kommuner,extra").replace(",2\n", ",2,x\n")),
        None,
    ),
    (
        "unexpected_column",  # a wide file: "… and year columns"
        _co2_csv(_CO2_CSV.replace("\n", ",\n").replace(",\n", ",notes\n", 1)),
        None,
    ),
    # cells (sources/_common.py)
    ("empty_cell", _areas(mun=_MUN.replace("Beta kommun", "")), None),
    (
        "empty_number_cell",
        _csv_reader(read_global_emissions, _OWID.replace("0,37300.0", "0,")),
        None,
    ),
    ("text_in_number_cell", _population(mun=_POP_MUN.replace("2023,50,", "2023,5O,")), None),
    (
        "not_whole_number",
        _csv_reader(read_global_budgets, _BUDGETS.replace("1.5,67,", "1.5,66.7,")),
        None,
    ),
    ("negative_value", _population(mun=_POP_MUN.replace("2023,50,", "2023,-50,")), "befolkning"),
    (
        "negative_value",
        _csv_reader(read_global_emissions, _OWID.replace("0,37.5", "0,-37.5")),
        None,
    ),
    ("negative_value", _csv_reader(read_blocs, _GCB.replace("11.2,41.0", "-11.2,-41.0")), None),
    (
        "negative_value",
        lambda tmp: read_facilities(
            write_csv(tmp / "c.csv", _CEMENT.replace("950.5", "-950.5")), areas=tiny_areas()
        ),
        "processutsläpp",
    ),
    ("malformed_code", _areas(mun=_MUN.replace("0102,Beta", "102,Beta")), "kommunkod"),
    ("malformed_code", _areas(cty=_CTY.replace("02,Tvåans", "2,Tvåans")), "länskod"),
    ("duplicate_row", _areas(mun=_MUN.replace("0102,Beta", "0101,Beta")), "rad 2"),
    ("duplicate_row", _population(mun=_POP_MUN.replace("Beta,2024", "Beta,2023")), None),
    (
        "duplicate_row",
        _csv_reader(read_global_emissions, _OWID.replace("Sweden,2022", "Sweden,2021")),
        None,
    ),
    ("duplicate_row", _csv_reader(read_blocs, _GCB.replace("World,2017", "World,2018")), None),
    (
        "duplicate_row",
        _csv_reader(read_global_budgets, _BUDGETS.replace("1.5,67,", "1.50,50,")),
        None,
    ),
    (
        "duplicate_row",
        lambda tmp: read_facilities(
            write_csv(tmp / "c.csv", _CEMENT.replace("Alfa,2022", "Alfa,2021")), areas=tiny_areas()
        ),
        None,
    ),
    ("duplicate_row", _lansrapport(_duplicate_area_row()), None),
    (
        "unknown_value",
        _csv_reader(read_blocs, _GCB.replace("consumption,", "production,")),
        "Giltiga värden",
    ),
    ("unknown_value", _co2_csv(_CO2_CSV.replace("\ncounty,", "\nlan,", 1)), None),
    ("unknown_value", _areas(mun=_MUN.replace("Gamma kommun,02", "Gamma kommun,03")), "01, 02"),
    # areas (sources/_common.py, scb.py)
    (
        "unknown_area_code",
        _population(mun=_POP_MUN.replace("0201,Gamma,2023", "0299,Gamma,2023")),
        None,
    ),
    (
        "area_code_wrong_level",
        _population(mun=_POP_MUN.replace("0201,Gamma,2023", "02,Gamma,2023")),
        "län",
    ),
    (
        "area_name_mismatch",
        lambda tmp: read_facilities(
            write_csv(tmp / "c.csv", _CEMENT.replace("0201,Gamma", "0201,Gama")), areas=tiny_areas()
        ),
        None,
    ),
    (
        "county_name_differs",
        _areas(mun=_MUN.replace("Gamma kommun,02,Tvåans län", "Gamma kommun,02,Trean")),
        None,
    ),
    ("county_municipality_count", _areas(cty=_CTY.replace("Ettan,2", "Ettan,3")), None),
    (
        "population_sum_differs",
        _population(cty=_POP_CTY.replace("län,2023,150", "län,2023,151")),
        None,
    ),
    # the Global Carbon Project and the budget table (gcp.py, ipcc.py)
    (
        "no_rows_for",
        _csv_reader(
            read_global_emissions,
            "\n".join(line for line in _OWID.splitlines() if not line.startswith("World")),
        ),
        None,
    ),
    (
        "year_missing_from_series",
        _csv_reader(
            read_global_emissions,
            _OWID.replace("Sweden,2022", "Sweden,2024").replace("World,2022", "World,2024"),
        ),
        None,
    ),
    (
        "year_missing_from_series",
        _csv_reader(
            read_global_emissions,
            "\n".join(line for line in _OWID.splitlines() if not line.startswith("Sweden,2022")),
        ),
        "World och Sweden",
    ),
    (
        "budget_from_not_january",
        _csv_reader(read_global_budgets, _BUDGETS.replace("2025-01-01", "2025-06-30")),
        None,
    ),
    (
        "likelihood_out_of_range",
        _csv_reader(read_global_budgets, _BUDGETS.replace("1.5,67,", "1.5,670,")),
        None,
    ),
    (
        "budget_not_positive",
        _csv_reader(read_global_budgets, _BUDGETS.replace("1.5,67,400", "1.5,67,-10")),
        None,
    ),
    # SMHI's Länsrapport and its tidy CSVs (smhi.py)
    ("file_not_found", lambda tmp: read_smhi_excel(tmp / "saknas.xlsx", areas=tiny_areas()), None),
    ("not_excel", _not_a_workbook, None),
    ("smhi_no_header", _lansrapport_set(6, 0, "Sektor"), None),
    ("smhi_no_release_line", _lansrapport_set(1, 1, "Länsrapport"), None),
    ("smhi_no_gas_line", _lansrapport_set(2, 0, "Gas: CO2"), None),
    ("smhi_unknown_gas", _lansrapport(lansrapport_rows(gas="Metan (CH4)")), None),
    ("smhi_no_unit_line", _lansrapport_set(3, 0, "ton/år"), None),
    ("smhi_unexpected_unit", _lansrapport(lansrapport_rows(unit="kton/år")), None),
    ("smhi_year_twice", _lansrapport_set(5, 5, 2021.0), None),
    ("smhi_not_a_year", _lansrapport_set(5, 5, "år 2022"), None),
    ("smhi_no_year_columns", _lansrapport(_no_year_row()), None),
    ("missing_column", _lansrapport_set(6, 3, "Kommunnamn"), None),
    ("column_without_header", _lansrapport(_unnamed_column()), None),
    ("unknown_county_name", _lansrapport_set(smhi_cases.ETTAN_TRANSPORT, 2, "Ettan"), "Menade du"),
    ("unknown_municipality_name", _lansrapport_set(_ALFA_TRANSPORT, 3, "Alpha"), "SCB:s namn"),
    ("smhi_unknown_sector", _lansrapport_set(_ALFA_TRANSPORT, 0, "Transportation"), "Menade du"),
    ("total_row_with_subsector", _lansrapport_set(_ALFA_TOTAL, 1, "Personbilar"), None),
    ("empty_number_cell", _lansrapport_set(_ALFA_TRANSPORT, 4, ""), None),
    ("negative_value", _lansrapport_set(smhi_cases.GAMMA_JORDBRUK, 5, -2.5), None),
    (
        "smhi_missing_emissions",
        _lansrapport(
            [r for i, r in enumerate(lansrapport_rows()) if i != smhi_cases.GAMMA_JORDBRUK - 1]
        ),
        None,
    ),
    ("smhi_sectors_vs_total", _lansrapport_bump([_ALFA_TOTAL], 5, 2.0), "16,0 t"),
    (
        "smhi_municipalities_vs_county",
        _lansrapport_bump([_ALFA_TOTAL, _ALFA_TRANSPORT, smhi_cases.ALFA_PERSONBILAR], 5, 5.0),
        "35,0 t",
    ),
    (
        "smhi_national_below_counties",
        _lansrapport_bump(
            [
                smhi_cases.SVERIGE_TOTAL,
                smhi_cases.SVERIGE_TRANSPORT,
                smhi_cases.SVERIGE_PERSONBILAR,
            ],
            4,
            -10.0,
        ),
        "53,0 t",
    ),
    (
        "smhi_subsectors_vs_sector",
        _lansrapport_bump([smhi_cases.SVERIGE_PERSONBILAR], 4, 5.0),
        "68,0 t",
    ),
    ("smhi_release_is_co2e", _require("Växthusgaser totalt", GAS_CO2), None),
    ("smhi_release_wrong_gas", _require("Koldioxid (CO2)", GAS_CO2E), None),
    (
        "no_year_columns",
        _co2_csv("\n".join(",".join(line.split(",")[:7]) for line in _CO2_CSV.splitlines()) + "\n"),
        None,
    ),
    ("subsector_without_sector", _subsector_without_sector, None),
    # downloads (fetch.py)
    ("fetch_failed", _fetch("gcb-national", _status(404)), "servern svarade HTTP 404"),
    ("fetch_gave_up", _fetch("smhi-co2", _status(503), retries=1), "gav upp efter 2 försök"),
    ("fetch_gave_up", _fetch("smhi-co2", _body(b"")), "tomt svar"),
    (
        "fetch_gave_up",
        _fetch("smhi-co2", _body(b"<!DOCTYPE html><html>Fel</html>")),
        "en HTML-sida",
    ),
    ("fetch_gave_up", _fetch("smhi-co2", _body(b"Kaputt")), "ingen zip-fil"),
    (
        "fetch_gave_up",
        _fetch("smhi-co2", _body(_xlsx_bytes(lansrapport_rows(gas="Växthusgaser totalt")))),
        "SMHI skickade CO2e",
    ),
    (
        "fetch_gave_up",
        _fetch("smhi-co2", _body(_xlsx_bytes(lansrapport_rows(unit="kton/år")))),
        "kolumn 'A'",  # the Länsrapport's own error, in Swedish
    ),
    (
        "fetch_gave_up",
        _fetch("smhi-co2", _body(b"x" * 100, **{"Content-Length": "200"})),
        "100 av 200 byte",
    ),
    ("fetch_gave_up", _fetch("scb-regions", _body(b"<html></html>")), "PxWeb"),
    ("fetch_gave_up", _fetch("scb-regions", _body(b"{}")), "saknar 'variables'"),
    (
        "fetch_failed",
        _fetch("smhi-co2", _body(b"x", **{"Content-Length": str(10**10)})),
        "över gränsen",
    ),
    (
        "fetch_failed",  # no Content-Length: counted while streaming
        _fetch(
            "smhi-co2", lambda r: httpx.Response(200, content=iter([b"x" * 2000])), max_bytes=1000
        ),
        "överskrider",
    ),
    ("fetch_errors", _fetch("gcb-national", _status(404), gcb_year=None), "servern svarade"),
    ("population_needs_regions", _fetch("scb-population", _status(404)), None),
    ("unknown_remote", lambda tmp: fetch_sources(tmp, only=["smhi"]), "Menade du"),
    ("pxweb_no_variables", lambda tmp: pxweb_regions([]), None),
    ("pxweb_no_region", lambda tmp: pxweb_regions({"variables": []}), None),
    ("pxweb_region_lengths", lambda tmp: pxweb_regions({"variables": [_PXWEB_REGION]}), None),
    (
        "pxweb_no_content",
        lambda tmp: pxweb_regions({"variables": [{**_PXWEB_REGION, "valueTexts": ["a", "b"]}]}),
        None,
    ),
    (
        "pxweb_no_codes",
        lambda tmp: pxweb_regions(
            {"variables": [{"code": "Region", "values": [], "valueTexts": []}, _PXWEB_CONTENTS]}
        ),
        None,
    ),
    ("pxweb_no_data", _pxweb_population({}), None),
    ("pxweb_columns", _pxweb_population({"data": [], "columns": [{"code": "Tid"}]}), None),
    ("pxweb_no_population", _pxweb_population({"data": [], "columns": _PXWEB_COLUMNS}), None),
    (
        "pxweb_lacks_municipalities",
        _pxweb_population(
            {"data": [{"key": ["0114", "2024"], "values": ["5"]}], "columns": _PXWEB_COLUMNS}
        ),
        "för 1 av kommunerna",
    ),
]


@pytest.mark.parametrize(
    ("key", "trigger", "swedish"),
    SOURCE_KEYED,
    ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(SOURCE_KEYED)],
)
def test_keyed_source_and_fetch_error_in_both_languages(
    key: str, trigger: Callable[[Path], object], swedish: str | None, tmp_path: Path
) -> None:
    with pytest.raises(KoldioxidbudgetError) as e:
        trigger(tmp_path)
    err = e.value
    assert err.key == key, str(err)
    en, sv = err.localized("en"), err.localized("sv")
    assert en == str(err)
    assert sv != str(err)
    for text in (en, sv):
        assert "{" not in text and "}" not in text, text
    if isinstance(err, SourceError):
        assert "(fil " in sv, sv
        for attr, word in (
            ("sheet", "blad "),
            ("row", "rad "),
            ("column", "kolumn "),
            ("value", "värde "),
        ):
            if getattr(err, attr) is not None:
                assert word in sv, (word, sv)
        assert not err.hint or err.hint not in sv, sv  # the hint is Swedish too
    if swedish is not None:
        assert swedish in sv, sv
