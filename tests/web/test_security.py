"""Security headers, CORS, request limits, path traversal and the static site's caching."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.settings import Environment, variable
from koldioxidbudget.web import Settings
from koldioxidbudget.web.security import inline_hashes
from tests.web.conftest import EDITION


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    for url in ("/api/v1/areas", "/api/v1/areas/nowhere", "/api/v1/editions", "/api/v1/nope"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["access-control-allow-origin"] == "*"
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors *" in csp


def test_frame_ancestors_is_configurable(make_client: Any) -> None:
    c = make_client(frame_ancestors="'self' https://www.uppsala.se")
    csp = c.get("/api/v1/editions").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://www.uppsala.se" in csp
    assert (
        "frame-ancestors 'self' https://www.uppsala.se"
        in c.get("/api/v1/docs").headers["content-security-policy"]
    )


@pytest.mark.parametrize(
    "bad", ["", "https://a.se; script-src *", "'unsafe-inline'", "javascript:"]
)
def test_frame_ancestors_rejects_anything_but_sources(bad: str) -> None:
    with pytest.raises(ParameterError, match="is not a list of CSP sources"):
        Settings(frame_ancestors=bad)


def test_settings_from_env_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(
        editions=tmp_path, frame_ancestors="'none'", request_timeout_s=3.0, report_processes=2
    )
    for f in dataclasses.fields(Environment):  # make test sets KOLDIOXIDBUDGET_SITE, for one
        monkeypatch.delenv(variable(f.name), raising=False)
    for var, value in s.to_env().items():
        monkeypatch.setenv(var, value)
    assert Settings.from_env() == s
    monkeypatch.setenv("KOLDIOXIDBUDGET_REQUEST_TIMEOUT", "soon")
    with pytest.raises(ParameterError, match="not a number of seconds"):
        Settings.from_env()
    monkeypatch.setenv("KOLDIOXIDBUDGET_REQUEST_TIMEOUT", "3")
    monkeypatch.setenv("KOLDIOXIDBUDGET_REPORT_PROCESSES", "-1")
    with pytest.raises(ParameterError, match="whole number from 0 to 16"):
        Settings.from_env()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_refused(client: TestClient, method: str) -> None:
    r = client.request(method, "/api/v1/areas")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, OPTIONS"
    assert r.headers["content-type"] == "application/problem+json"


def test_cors_preflight_allows_reading_only(client: TestClient) -> None:
    r = client.options(
        "/api/v1/areas/0101/budget",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    assert "access-control-allow-credentials" not in r.headers


def test_head_is_get_without_body(client: TestClient) -> None:
    g = client.get("/api/v1/areas/0101/budget")
    h = client.head("/api/v1/areas/0101/budget")
    assert h.status_code == 200 and h.content == b""
    assert h.headers["etag"] == g.headers["etag"]
    assert h.headers["content-length"] == g.headers["content-length"]


def test_url_and_body_limits(client: TestClient) -> None:
    r = client.get("/api/v1/areas/0101/budget?local_targets=" + "2030:0.5," * 600)
    assert r.status_code == 414 and r.headers["content-type"] == "application/problem+json"
    r = client.request("GET", "/api/v1/areas", content=b"x" * 5000)
    assert r.status_code == 413
    long_value = client.get("/api/v1/areas/0101/budget", params={"global_source": "x" * 200})
    assert long_value.status_code == 400 and "för långt" in long_value.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/editions/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/editions/%2E%2E/manifest.json",
        "/api/v1/editions/../../etc/passwd/download.csv",
        f"/api/v1/editions/{EDITION}%2F..%2F..%2Fsecret/licence",
        "/api/v1/areas/..%2F..%2Fsecret",
    ],
)
def test_no_path_traversal_through_the_api(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (404, 422), (url, r.status_code)
    assert "root:" not in r.text


def test_no_path_traversal_through_query(client: TestClient) -> None:
    r = client.get("/api/v1/areas/0101/budget", params={"edition": "../../../etc/passwd"})
    assert r.status_code == 422 and r.json()["invalid-params"][0]["name"] == "edition"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    d = tmp_path / "site"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_text(
        "<!doctype html><title>x</title><script>window.x=1;</script>"
        "<script src='assets/app.0123abcd.js'></script><style>p{color:red}</style>",
        "utf-8",
    )
    (d / "assets" / "app.0123abcd.js").write_text("console.log(1)", "utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET", "utf-8")
    return d


def test_site_is_served_with_caching_and_csp(make_client: Any, site: Path) -> None:
    c = make_client(site=site)
    r = c.get("/")
    assert r.status_code == 200 and "window.x=1" in r.text
    assert r.headers["cache-control"] == "no-cache"
    digest = base64.b64encode(hashlib.sha256(b"window.x=1;").digest()).decode()
    csp = r.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}'" in csp and "unsafe-inline" not in csp
    asset = c.get("/assets/app.0123abcd.js")
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert c.get("/", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert c.get("/api/v1/editions").status_code == 200  # the API still wins over the site


@pytest.mark.parametrize(
    "url",
    ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2F..%2Fsecret.txt", "/..%5Csecret.txt"],
)
def test_no_path_traversal_through_the_site(make_client: Any, site: Path, url: str) -> None:
    r = make_client(site=site).get(url)
    assert r.status_code == 404 and "TOP SECRET" not in r.text


def test_inline_hashes() -> None:
    html = b"<script>a()</script><SCRIPT type=module>b()</SCRIPT><script src=x.js></script><style>x</style>"
    scripts, styles = inline_hashes(html)
    h = lambda s: base64.b64encode(hashlib.sha256(s).digest()).decode()  # noqa: E731
    assert scripts == (h(b"a()"), h(b"b()")) and styles == (h(b"x"),)
