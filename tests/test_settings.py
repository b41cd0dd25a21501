"""The KOLDIOXIDBUDGET_* variables: types, bounds and the errors of values that do not fit."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.settings import PREFIX, Environment, environment, variable


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """No KOLDIOXIDBUDGET_* variable but the test's own."""
    for name in [k for k in os.environ if k.startswith(PREFIX)]:
        monkeypatch.delenv(name)


def _read(monkeypatch: pytest.MonkeyPatch, name: str, raw: str) -> object:
    monkeypatch.setenv(variable(name), raw)
    return getattr(environment(), name)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("4", 4), (" 4 ", 4), ("\t4\n", 4), ("+4", 4), ("04", 4), ("1_0", 10), ("4.0", 4), ("64", 64)],
)
def test_whole_numbers_read_as_ints(monkeypatch: pytest.MonkeyPatch, raw: str, value: int) -> None:
    got = _read(monkeypatch, "site_workers", raw)
    assert got == value and type(got) is int


@pytest.mark.parametrize(
    "raw", ["4.5", "4.", "4e0", "0x4", "abc", "True", " ", "٤", "1__0", "0", "65", "-1"]
)
def test_a_bad_whole_number_names_the_variable_and_bounds(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    with pytest.raises(ParameterError) as e:
        _read(monkeypatch, "site_workers", raw)
    assert e.value.key == "env_not_whole_number"
    assert e.value.slots == {
        "var": "KOLDIOXIDBUDGET_SITE_WORKERS",
        "raw": raw,
        "low": 1,
        "high": 64,
    }


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("-0", 0), ("0.0", 0), ("16", 16)])
def test_report_processes_may_be_zero(
    monkeypatch: pytest.MonkeyPatch, raw: str, value: int
) -> None:
    assert _read(monkeypatch, "report_processes", raw) == value
    monkeypatch.setenv(variable("report_processes"), "17")
    with pytest.raises(ParameterError, match="whole number from 0 to 16") as e:
        environment()
    assert e.value.slots["var"] == "KOLDIOXIDBUDGET_REPORT_PROCESSES"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("10", 10.0), ("0.5", 0.5), (" 0.5 ", 0.5), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0)],
)
def test_seconds_read_as_floats(monkeypatch: pytest.MonkeyPatch, raw: str, value: float) -> None:
    got = _read(monkeypatch, "request_timeout", raw)
    assert got == value and type(got) is float


# "inf" (and "1e400", which is inf) was accepted by pydantic: a time limit must be finite
@pytest.mark.parametrize(
    "raw", ["0", "0.0", "-1", "soon", "5s", "0x10", "nan", "inf", "-inf", "1e400", "1e-400", "٤"]
)
def test_bad_seconds_name_the_variable(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    with pytest.raises(ParameterError) as e:
        _read(monkeypatch, "header_timeout", raw)
    assert e.value.key == "env_not_seconds"
    assert e.value.slots == {"var": "KOLDIOXIDBUDGET_HEADER_TIMEOUT", "raw": raw}


def test_folders_and_texts_are_taken_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read(monkeypatch, "site", "~/x") == Path("~/x")  # no ~ expansion
    assert _read(monkeypatch, "lang", " en ") == " en "
    assert _read(monkeypatch, "fetch_mirror", "None") == "None"


def test_empty_and_unknown_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLDIOXIDBUDGET_SITE_WORKERS", "")
    monkeypatch.setenv("KOLDIOXIDBUDGET_NO_SUCH_SETTING", "x")
    assert environment() == Environment()
    assert all(getattr(environment(), f.name) is None for f in dataclasses.fields(Environment))


def test_the_environment_is_read_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read(monkeypatch, "site_workers", "2") == 2
    assert _read(monkeypatch, "site_workers", "3") == 3


def test_the_first_bad_field_is_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLDIOXIDBUDGET_REQUEST_TIMEOUT", "soon")
    monkeypatch.setenv("KOLDIOXIDBUDGET_SITE_WORKERS", "abc")
    with pytest.raises(ParameterError) as e:
        environment()
    assert e.value.slots["var"] == "KOLDIOXIDBUDGET_SITE_WORKERS"


def test_settings_imports_no_pydantic() -> None:
    import subprocess
    import sys

    code = "import sys, koldioxidbudget.settings; print(any('pydantic' in m for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
