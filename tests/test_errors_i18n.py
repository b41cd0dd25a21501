"""Error messages in the user's language: every key the code raises is in both catalogues, and
the localised text carries the same facts as the English one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from koldioxidbudget.errors import AreaNotFound, ParameterError
from koldioxidbudget.method.params import parameters_from
from koldioxidbudget.story.i18n import catalogue

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
