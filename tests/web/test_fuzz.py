"""Fuzzing: arbitrary query strings on /budget (and the other endpoints) never give a 500."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koldioxidbudget.web.query import FIELDS

_NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        ["1900", "1989", "2015", "2024", "2050", "2100", "2200", "2201", "0", "-1", "1e308"]
    ),
)
_VALUES = st.one_of(
    _NUMBERS,
    st.sampled_from(
        [
            "A",
            "B",
            "C",
            "D",
            "true",
            "false",
            "ja",
            "per-capita",
            "blend",
            "custom",
            "last-5",
            "2030:0.63:1990,2045:1.0",
            "0101:X:1000",
            "0999:Y:1e9",
            "2024:1e7",
            "2019-2021",
            "transporter,industri",
            "",
            " ",
            "-",
            ":",
            "::",
            ",",
            "AR6_WG1_SPM2",
            "uppsala-2024-1.5",
        ]
    ),
    st.text(max_size=30),
)
_KEYS = st.one_of(st.sampled_from([*FIELDS, "preset", "edition"]), st.text(max_size=12))


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.lists(st.tuples(_KEYS, _VALUES), max_size=4),
    area=st.sampled_from(["0101", "01", "00", "alfa", "x"]),
)
def test_budget_query_fuzz_never_500(
    client: TestClient, query: list[tuple[str, str]], area: str
) -> None:
    r = client.get(f"/api/v1/areas/{area}/budget", params=query)
    _check(r)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(
        [
            "/api/v1/areas",
            "/api/v1/areas/0102",
            "/api/v1/areas/0201/report.html",
            "/api/v1/editions/co2-test/download.csv",
        ]
    ),
    query=st.lists(st.tuples(_KEYS, _VALUES), max_size=3),
)
def test_other_endpoints_fuzz_never_500(
    client: TestClient, path: str, query: list[tuple[str, str]]
) -> None:
    _check(client.get(path, params=query))


def _check(r: Any) -> None:
    assert r.status_code < 500 or r.status_code == 503, (
        r.request.url,
        r.status_code,
        r.text[:500],
    )
    ctype = r.headers["content-type"]
    if r.status_code >= 400:
        assert ctype == "application/problem+json", r.text
        assert "Traceback" not in r.text


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.lists(st.tuples(_KEYS, _VALUES), max_size=3),
    area=st.sampled_from(["0380", "0180", "0980", "1480", "01", "25", "00", "kiruna"]),
)
def test_budget_fuzz_on_the_real_edition(
    real_client: TestClient, query: list[tuple[str, str]], area: str
) -> None:
    _check(real_client.get(f"/api/v1/areas/{area}/budget", params=query))
