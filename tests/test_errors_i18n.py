"""Error messages in the user's language: every key the code raises is in both catalogues, and
the localised text carries the same facts as the English one."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from koldioxidbudget.diff import diff_editions
from koldioxidbudget.edition import build_editions, load_edition, sources_dir
from koldioxidbudget.errors import AreaNotFound, EditionError, KoldioxidbudgetError, ParameterError
from koldioxidbudget.method.allocation import local_shares
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.inventory import local_inventory
from koldioxidbudget.method.params import parameters_from
from koldioxidbudget.method.pathway import required_rate
from koldioxidbudget.method.trend import fit_trend
from koldioxidbudget.profile import load_profile
from koldioxidbudget.schema import SECTORS, Tables
from koldioxidbudget.story.i18n import catalogue
from tests.conftest import make_tables, write_tiny_edition

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
    p = parameters_from()
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


_CUSTOMER = '[customer]\nname = "Alfa kommun"\n'
_EXHAUSTED = _tables(
    global_emissions=pd.DataFrame(
        [(y, 400_000.0, 0.0, 40.0) for y in range(2015, 2024)],
        columns=["year", "world_fossil_mt", "world_luc_mt", "sweden_fossil_mt"],
    )
)

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
        _budgets(_EXHAUSTED, temperature_c="2.0", probability_pct="83"),
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
        _budgets(national_mode="computed", luc_deduction_gt="1000000"),
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
            load_edition(None, into=tmp / "editions"),
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
    assert "1.5 °C at 50 %" in e.localized("en")
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
