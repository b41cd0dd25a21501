"""The HTTP API, endpoint by endpoint and error by error, on a small edition (in-process)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.edition import load_edition
from koldioxidbudget.method.params import FIELD_DOCS, PRESETS
from koldioxidbudget.service.budget import budget_document, compute
from koldioxidbudget.web.query import FIELDS
from tests.web.conftest import EDITION

PROBLEM = "application/problem+json"


def problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    doc = r.json()
    assert doc["status"] == status and doc["type"].startswith("/api/v1/docs#problem-")
    assert doc["detail"] and doc["title"] and doc["instance"] == r.request.url.path
    assert (
        r.headers["content-language"] in ("sv", "en") and r.headers["cache-control"] == "no-store"
    )
    return doc


def names(doc: dict[str, Any]) -> list[str]:
    return [p["name"] for p in doc.get("invalid-params", [])]


# -- areas ------------------------------------------------------------------------------------


def test_areas_lists_every_area_with_key_figures(client: TestClient) -> None:
    r = client.get("/api/v1/areas")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    doc = r.json()
    assert doc["edition"] == EDITION and doc["preset"] == "uppsala-2024-1.7"
    codes = [a["code"] for a in doc["areas"]]
    assert sorted(codes) == ["00", "01", "0101", "0102", "02", "0201"]
    a = next(a for a in doc["areas"] if a["code"] == "0101")
    assert (
        a["budget_t"] > 0 and a["rate"] > 0 and a["links"]["budget"] == "/api/v1/areas/0101/budget"
    )
    assert r.headers["etag"] and r.headers["cache-control"] == "public, max-age=300"


def test_areas_level_filter_and_its_error(client: TestClient) -> None:
    doc = client.get("/api/v1/areas", params={"level": "kommun"}).json()
    assert {a["level"] for a in doc["areas"]} == {"kommun"} and len(doc["areas"]) == 3
    bad = problem(client.get("/api/v1/areas", params={"level": "stad"}), 422)
    assert names(bad) == ["level"] and bad["invalid-params"][0]["allowed"] == [
        "kommun",
        "lan",
        "riket",
    ]


def test_areas_rejects_budget_parameters(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas", params={"convention": "B"}), 400)
    assert names(doc) == ["convention"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("0101", "0101"),
        ("alfa", "0101"),
        ("Alfa kommun", "0101"),
        ("Ettans län", "01"),
        ("sverige", "00"),
    ],
)
def test_area_by_code_or_name(client: TestClient, query: str, code: str) -> None:
    r = client.get(f"/api/v1/areas/{query}")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["area"]["code"] == code and doc["edition"] == EDITION
    assert doc["area"]["links"]["report_pdf"] == f"/api/v1/areas/{code}/report.pdf"


def test_unknown_area_is_404_with_suggestions(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/alfx/budget"), 404)
    assert doc["type"] == "/api/v1/docs#problem-area-not-found"
    assert doc["suggestions"] == [{"code": "0101", "name": "Alfa", "href": "/api/v1/areas/0101"}]
    assert problem(client.get("/api/v1/areas/zzzzzz"), 404)["suggestions"] == []


# -- budget -----------------------------------------------------------------------------------


def test_budget_is_the_cli_json_contract(client: TestClient, web_editions: Path) -> None:
    r = client.get(
        "/api/v1/areas/alfa/budget", params={"convention": "B", "allocation": "per-capita"}
    )
    assert r.status_code == 200, r.text
    tables = load_edition(EDITION, into=web_editions)
    run = compute(overrides={"convention": "B", "allocation": "per-capita"}, tables=tables)
    expected = json.loads(json.dumps(budget_document(run, [run.area("0101")]), default=str))
    assert r.json() == expected
    assert r.json()["areas"][0]["rate_convention"] == "B"


def test_budget_every_preset(client: TestClient) -> None:
    for name in PRESETS:
        r = client.get("/api/v1/areas/0201/budget", params={"preset": name})
        assert r.status_code == 200, (name, r.text)
        assert r.json()["parameters"]["preset"] == name


def test_budget_unknown_parameter_suggests_the_right_one(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"temprature_c": "1.5"}), 400)
    assert doc["detail"].startswith("Okänd frågeparameter 'temprature_c'. Menade du temperature_c")
    assert names(doc) == ["temprature_c"] and "temperature_c" in doc["invalid-params"][0]["allowed"]
    r = client.get(
        "/api/v1/areas/0101/budget",
        params={"temprature_c": "1.5"},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert "Did you mean temperature_c" in problem(r, 400)["detail"]


def test_budget_repeated_parameter(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget?convention=A&convention=B"), 400)
    assert names(doc) == ["convention"] and "mer än en gång" in doc["detail"]


def test_budget_bad_value_names_parameter_and_allowed_values(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"convention": "E"}), 422)
    assert names(doc) == ["convention"]
    assert doc["invalid-params"][0]["allowed"] == ["A", "B", "C", "D"]
    assert doc["invalid-params"][0]["value"] == "E"


def test_budget_unreadable_number(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"blend_weight": "half"}), 422)
    assert names(doc) == ["blend_weight"] and "Kan inte läsa 'half'" in doc["detail"]


def test_budget_unpublished_cell_names_both_parameters(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"temperature_c": "1.6"}), 422)
    assert names(doc) == ["temperature_c", "probability_pct"]
    assert "1.5/50" in doc["invalid-params"][0]["allowed"]
    assert "temperaturmålet 1,6 °C" in doc["detail"]  # Swedish: a decimal comma
    assert doc["invalid-params"][0]["reason"].startswith("ingen publicerad budget")


@pytest.mark.parametrize(
    ("accept", "lang", "title"),
    [
        (None, "sv", "Ogiltig parameter"),
        ("en", "en", "Invalid parameter"),
        ("en-US,en;q=0.9,sv;q=0.8", "en", "Invalid parameter"),
        ("fr-FR, sv;q=0.5, en;q=0.4", "sv", "Ogiltig parameter"),
        ("de, *;q=0.1", "sv", "Ogiltig parameter"),
        ("sv;q=0, en", "en", "Invalid parameter"),
    ],
)
def test_problems_speak_the_language_asked_for(
    client: TestClient, accept: str | None, lang: str, title: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    r = client.get("/api/v1/areas/0101/budget", params={"temperature_c": "1.6"}, headers=headers)
    doc = problem(r, 422)
    assert r.headers["content-language"] == lang and "Accept-Language" in r.headers["vary"]
    assert doc["title"] == title
    assert ("1.6 °C" if lang == "en" else "1,6 °C") in doc["detail"]


def test_report_problems_follow_its_lang_parameter(client: TestClient) -> None:
    r = client.get(
        "/api/v1/areas/0101/report.pdf",
        params={"lang": "en", "convention": "E"},
        headers={"Accept-Language": "sv"},
    )
    doc = problem(r, 422)
    assert r.headers["content-language"] == "en"
    assert doc["detail"].startswith("Parameter convention='E' is not allowed")
    doc = problem(client.get("/api/v1/areas/0101/report.pdf", params={"lang": "fi"}), 422)
    assert doc["detail"] == "lang 'fi' är inte ett av sv, en."  # an unknown lang: Swedish


def test_area_not_found_in_both_languages(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/Upsala"), 404)
    assert doc["detail"].startswith("Ingen kommun, inget län och inte 'Sverige' matchar 'Upsala'")
    assert doc["suggestions"] and doc["title"] == "Området finns inte"
    r = client.get("/api/v1/areas/zzzzzz", headers={"Accept-Language": "en"})
    assert problem(r, 404)["detail"].endswith("GET /api/v1/areas lists every area.")


def test_budget_combination_error_names_both_fields(client: TestClient) -> None:
    doc = problem(
        client.get("/api/v1/areas/0101/budget", params={"as_of": "2030", "horizon_year": "2030"}),
        422,
    )
    assert set(names(doc)) == {"as_of", "horizon_year"}


def test_budget_server_limits(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"path_end_year": "99999"}), 422)
    assert names(doc) == ["path_end_year"] and "mellan 1900 och 2200" in doc["detail"]
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"carbon_law_rate": "nan"}), 422)
    assert names(doc) == ["carbon_law_rate"]
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"national_budget_t": "inf"}), 422)
    assert names(doc) == ["national_budget_t"] and "ändligt tal" in doc["detail"]


def test_budget_unknown_preset(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"preset": "uppsala-1.5"}), 422)
    assert names(doc) == ["preset"] and doc["invalid-params"][0]["allowed"] == sorted(PRESETS)


def test_budget_unknown_and_unsuitable_edition(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"edition": "co2-1999"}), 422)
    assert names(doc) == ["edition"] and EDITION in doc["invalid-params"][0]["allowed"]
    doc = problem(client.get("/api/v1/areas/0101/budget", params={"edition": "co2e-test"}), 422)
    assert doc["type"].endswith("edition-unsuitable") and "CO2e" in doc["detail"]


def test_budget_etag_and_cache_policy(client: TestClient) -> None:
    r = client.get("/api/v1/areas/0101/budget", params={"convention": "C"})
    etag = r.headers["etag"]
    assert r.headers["cache-control"] == "public, max-age=300"
    again = client.get(
        "/api/v1/areas/0101/budget", params={"convention": "C"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/api/v1/areas/0101/budget", params={"convention": "D"})
    assert other.headers["etag"] != etag
    pinned = client.get("/api/v1/areas/0101/budget", params={"edition": EDITION, "as_of": "2026"})
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    day = client.get("/api/v1/areas/0101/budget", params={"edition": EDITION})
    assert day.headers["cache-control"] == "public, max-age=86400"


def test_budget_same_etag_for_name_and_code(client: TestClient) -> None:
    a = client.get("/api/v1/areas/alfa/budget").headers["etag"]
    b = client.get("/api/v1/areas/0101/budget").headers["etag"]
    assert a == b


# -- reports ----------------------------------------------------------------------------------


def test_report_on_demand(client: TestClient) -> None:
    r = client.get("/api/v1/areas/0101/report.pdf", params={"lang": "en", "convention": "B"})
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"
    assert 'filename="koldioxidbudget-0101-' in r.headers["content-disposition"]
    again = client.get(
        "/api/v1/areas/0101/report.pdf",
        params={"lang": "en", "convention": "B"},
        headers={"If-None-Match": r.headers["etag"]},
    )
    assert again.status_code == 304
    h = client.get("/api/v1/areas/alfa/report.html")
    assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
    csp = h.headers["content-security-policy"]
    assert "unsafe" not in csp and "script-src 'self';" in csp and "<script" not in h.text


def test_report_through_renderer_processes(
    client: TestClient, make_client: Callable[..., TestClient]
) -> None:
    """With report_processes the server's report is the same file, made in another process."""
    pooled = make_client(report_processes=1, prefill_charts=False)
    q = {"lang": "sv", "temperature_c": "2.0"}
    a = pooled.get("/api/v1/areas/0101/report.pdf", params=q)
    assert a.status_code == 200 and a.content.startswith(b"%PDF")
    assert a.content == client.get("/api/v1/areas/0101/report.pdf", params=q).content
    assert pooled.app.state.engine.render_pool is not None  # type: ignore[attr-defined]


def test_server_timing(client: TestClient) -> None:
    r = client.get("/api/v1/areas/0101/budget", params={"convention": "C"})
    name, _, dur = r.headers["server-timing"].partition(";dur=")
    assert name == "app" and 0 < float(dur) < 10_000
    assert "Server-Timing" in r.headers["access-control-expose-headers"]


def test_answers_from_a_cached_run_equal_computed_ones(
    make_client: Callable[..., TestClient],
) -> None:
    """One area's answer is made inline when its run is cached: the bytes must not differ."""
    c = make_client()
    q = {"convention": "D", "temperature_c": "1.5"}
    first = c.get("/api/v1/areas/0101/budget", params=q)  # computes the run (worker thread)
    inline = c.get("/api/v1/areas/0102/budget", params=q)  # run cached: made inline
    fresh = make_client().get("/api/v1/areas/0102/budget", params=q)
    assert first.status_code == inline.status_code == 200
    assert inline.content == fresh.content


def test_report_errors(client: TestClient) -> None:
    assert names(problem(client.get("/api/v1/areas/0101/report.pdf?lang=fi"), 422)) == ["lang"]
    assert names(problem(client.get("/api/v1/areas/0101/report.docx"), 404)) == ["fmt"]
    problem(client.get("/api/v1/areas/nowhere/report.pdf"), 404)


# -- editions and open data -------------------------------------------------------------------


def test_editions_list_and_manifest(client: TestClient) -> None:
    doc = client.get("/api/v1/editions").json()
    ids = [e["id"] for e in doc["editions"]]
    assert set(ids) == {EDITION, "co2e-test-00000000"}
    e = next(e for e in doc["editions"] if e["id"] == EDITION)
    assert e["links"]["csv"] == f"/api/v1/editions/{EDITION}/download.csv"
    r = client.get(f"/api/v1/editions/{EDITION}")
    assert r.json()["id"] == EDITION and "tables" in r.json()
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/api/v1/editions/co2-test").headers["cache-control"] == "public, max-age=300"


def test_unknown_edition_is_404(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/editions/co2-1999"), 404)
    assert doc["type"].endswith("edition-not-found") and EDITION in doc["editions"]
    problem(client.get("/api/v1/editions/co2-1999/download.csv"), 404)


def test_licence_names_every_source(client: TestClient) -> None:
    doc = client.get(f"/api/v1/editions/{EDITION}/licence").json()
    assert doc["licence"] == "CC-BY-4.0" and EDITION in doc["note"]
    assert isinstance(doc["sources"], list)


def test_download_csv_is_one_long_table(client: TestClient) -> None:
    r = client.get(f"/api/v1/editions/{EDITION}/download.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["link"] == f'</api/v1/editions/{EDITION}/licence>; rel="license"'
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == [
        "code",
        "name",
        "level",
        "lan_code",
        "variable",
        "sector",
        "year",
        "value",
        "unit",
    ]
    variables = {row["variable"] for row in rows}
    assert {
        "emissions_t",
        "population",
        "budget_t",
        "remaining_t",
        "rate",
        "pathway_t",
        "history_t",
    } <= variables
    budget = next(x for x in rows if x["variable"] == "budget_t" and x["code"] == "0101")
    api = client.get("/api/v1/areas/0101/budget").json()["areas"][0]
    assert float(budget["value"]) == pytest.approx(api["budget_t"])


def test_download_json_and_xlsx(client: TestClient) -> None:
    doc = client.get(f"/api/v1/editions/{EDITION}/download.json", params={"convention": "B"}).json()
    assert set(doc) == {
        "edition",
        "licence",
        "parameters",
        "areas",
        "budgets",
        "emissions",
        "population",
    }
    assert doc["parameters"]["convention"] == "B"
    assert doc["emissions"]["columns"] == ["code", "year", "sector", "emissions_t"]
    assert {b["code"] for b in doc["budgets"]} == {"00", "01", "02", "0101", "0102", "0201"}
    r = client.get(f"/api/v1/editions/{EDITION}/download.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    sheets = pd.read_excel(io.BytesIO(r.content), sheet_name=None, engine="calamine")
    assert list(sheets) == ["about", "budgets", "pathways", "emissions", "population"]
    assert len(sheets["budgets"]) == 6


def test_download_errors(client: TestClient) -> None:
    assert names(problem(client.get(f"/api/v1/editions/{EDITION}/download.pdf"), 404)) == ["fmt"]
    doc = problem(client.get(f"/api/v1/editions/{EDITION}/download.csv?edition=x"), 400)
    assert names(doc) == ["edition"]


# -- description, docs and plumbing -----------------------------------------------------------


def test_openapi_describes_every_endpoint_and_parameter(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/areas",
        "/api/v1/areas/{code}",
        "/api/v1/areas/{code}/budget",
        "/api/v1/areas/{code}/report.{fmt}",
        "/api/v1/editions",
        "/api/v1/editions/{edition}",
        "/api/v1/editions/{edition}/licence",
        "/api/v1/editions/{edition}/download.{fmt}",
    } <= paths
    params = {
        p["name"]: p for p in spec["paths"]["/api/v1/areas/{code}/budget"]["get"]["parameters"]
    }
    assert set(FIELDS) | {"preset", "edition", "code"} == set(params)
    for f in FIELDS:
        assert params[f]["description"].startswith(FIELD_DOCS[f])
    err = spec["paths"]["/api/v1/areas/{code}/budget"]["get"]["responses"]["422"]
    assert list(err["content"]) == [PROBLEM]


def test_docs_page_is_static_html_under_csp(client: TestClient) -> None:
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script" not in r.text and 'id="problem-invalid-parameter"' in r.text
    csp = r.headers["content-security-policy"]
    assert "style-src 'self' 'sha256-" in csp and "unsafe" not in csp
    assert client.get("/docs", follow_redirects=False).headers["location"] == "/api/v1/docs"
    assert client.get("/", follow_redirects=False).status_code == 307


def test_health(client: TestClient) -> None:
    doc = client.get("/api/v1/health").json()
    assert doc["status"] == "ok" and EDITION in doc["editions"]


def test_unknown_path_is_problem_json(client: TestClient) -> None:
    doc = problem(client.get("/api/v1/budgets"), 404)
    assert "/api/v1/docs" in doc["detail"]


def test_no_edition_is_503(make_client: Any, tmp_path: Path) -> None:
    c = make_client(editions=tmp_path / "empty")
    doc = problem(c.get("/api/v1/areas"), 503)
    assert "koldioxidbudget data build" in doc["detail"]


def test_internal_error_hides_the_traceback(
    make_client: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from koldioxidbudget.web.engine import Engine

    def boom(self: object, *a: object) -> None:
        raise RuntimeError("secret internals at /srv/x.py")

    monkeypatch.setattr(Engine, "run", boom)
    c = make_client(warm=False)
    r = c.get("/api/v1/areas/0101/budget", params={"convention": "D", "as_of": "2031"})
    doc = problem(r, 500)
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert len(doc["incident"]) == 12
    assert doc["incident"] in caplog.text and "secret internals" in caplog.text


def test_timeout_is_503(make_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from koldioxidbudget.web.engine import Engine

    real = Engine.run

    def slow(self: Engine, *a: Any) -> Any:
        time.sleep(0.5)
        return real(self, *a)

    monkeypatch.setattr(Engine, "run", slow)
    c = make_client(request_timeout_s=0.05, warm=False)
    r = c.get("/api/v1/areas/0101/budget", params={"as_of": "2032"})
    doc = problem(r, 503)
    assert doc["type"].endswith("timeout") and r.headers["retry-after"] == "5"
