"""Hostile and careless requests: absurd numbers are a 422 problem (never a 500), every JSON
body is valid JSON, redirects never reflect the Host header, and reports and downloads wait in
a bounded queue (503 + Retry-After when it is full)."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.web import Settings
from koldioxidbudget.web.security import QUEUE_PER_THREAD, SecurityMiddleware
from tests.web.conftest import EDITION


def strict_json(text: str) -> Any:
    """``json.loads`` that refuses the non-standard tokens NaN, Infinity and -Infinity."""

    def refuse(token: str) -> Any:
        raise ValueError(f"invalid JSON token {token}")

    return json.loads(text, parse_constant=refuse)


BAD = [
    ("temperature_c=1e22", "temperature_c"),
    ("temperature_c=nan", "temperature_c"),
    ("national_budget_t=1e30", "national_budget_t"),
    ("path_end_year=99999999999999999999", "path_end_year"),
    ("national_facilities=0101:X:-5000000", "national_facilities"),
    ("national_facilities=0101:X:nan", "national_facilities"),
    ("national_preliminary_t=2023:nan", "national_preliminary_t"),
    ("national_preliminary_t=2023:-5", "national_preliminary_t"),
    ("luc_deduction_gt=1e300", "luc_deduction_gt"),
]
URLS = [
    "/api/v1/areas/alfa/budget?{q}",
    "/api/v1/areas/alfa/report.pdf?{q}",
    "/api/v1/areas/alfa/report.html?{q}",
    f"/api/v1/editions/{EDITION}/download.csv?{{q}}",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(("query", "name"), BAD, ids=[q for q, _ in BAD])
def test_absurd_parameters_are_422_problems(
    client: TestClient, url: str, query: str, name: str
) -> None:
    r = client.get(url.format(q=query), headers={"Accept-Language": "en"})
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    doc = strict_json(r.text)
    assert doc["status"] == r.status_code
    assert name in doc["detail"]
    assert any(p["name"] == name for p in doc.get("invalid-params", [])), doc


def test_every_json_body_is_valid_json(client: TestClient) -> None:
    for url in (
        "/api/v1/areas/alfa/budget",
        "/api/v1/areas/alfa/budget?convention=D&residual_fraction=0.5",
        "/api/v1/budgets?level=kommun",
        "/api/v1/areas/alfa/budget?temperature_c=1e22",
        f"/api/v1/editions/{EDITION}/download.json",
    ):
        r = client.get(url)
        assert r.status_code < 500, (url, r.text[:300])
        strict_json(r.text)


@pytest.mark.parametrize(
    "url", ["/api/v1/areas/", "/api/v1/docs/", "/api/v1/areas/alfa/budget/?lang=en"]
)
def test_redirects_never_use_the_host_header(client: TestClient, url: str) -> None:
    r = client.get(url, headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code in (301, 302, 307, 308), r.status_code
    location = r.headers["location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil.example" not in location


def test_reports_and_downloads_wait_in_a_bounded_queue() -> None:
    """With every place of the queue taken, the next report is refused at once: 503, busy,
    Retry-After; other requests still pass, and a finished report frees its place."""
    release = anyio.Event()
    started = 0

    async def slow_app(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        nonlocal started
        if scope["path"].endswith("report.pdf"):
            started += 1
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    mw = SecurityMiddleware(slow_app, Settings(report_threads=1))
    limit = QUEUE_PER_THREAD

    async def call(path: str) -> tuple[int, dict[bytes, bytes], bytes]:
        sent: list[MutableMapping[str, Any]] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        async def receive() -> MutableMapping[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode()}
        scope |= {"query_string": b"", "headers": [(b"accept-language", b"sv")]}
        await mw(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], dict(start["headers"]), body

    async def main() -> None:
        results: list[int] = []
        async with anyio.create_task_group() as tg:
            for _ in range(limit):
                tg.start_soon(lambda: _collect(call("/api/v1/areas/alfa/report.pdf"), results))
            while started < limit:
                await anyio.sleep(0.01)
            status, headers, body = await call("/api/v1/editions/x/download.xlsx")
            assert status == 503 and headers[b"retry-after"] == b"10"
            assert headers[b"content-type"].startswith(b"application/problem+json")
            doc = strict_json(body.decode())
            assert doc["type"].endswith("busy") and doc["title"] == "Servern är upptagen"
            assert (await call("/api/v1/health"))[0] == 200  # the rest still answers
            release.set()
        assert results == [200] * limit
        assert (await call("/api/v1/areas/alfa/report.pdf"))[0] == 200  # places are free again

    async def _collect(coro: Any, results: list[int]) -> None:
        results.append((await coro)[0])

    # a thread of its own: another test of this worker process (the browser's sync API) may
    # hold an event loop in the main thread
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as ex:
        ex.submit(anyio.run, main).result()


def test_a_report_whose_client_leaves_is_not_laid_out(
    web_editions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that closes the connection while its report is being made: the request ends at
    once (499), the report is never laid out and nothing is cached (before, abandoned reports
    kept rendering and filled the cache)."""
    import threading
    import time

    import koldioxidbudget.render as render
    from koldioxidbudget.web import create_app

    built, laid_out = threading.Event(), threading.Event()
    real_document, real_render = render.report_document, render.render_document

    def slow_document(*args: Any, **kwargs: Any) -> Any:
        time.sleep(2.0)  # the client leaves 0,3 s in, while the document is being built
        try:
            return real_document(*args, **kwargs)
        finally:
            built.set()

    def recording_render(*args: Any, **kwargs: Any) -> Any:
        laid_out.set()
        return real_render(*args, **kwargs)

    monkeypatch.setattr(render, "report_document", slow_document)
    monkeypatch.setattr(render, "render_document", recording_render)
    app = create_app(Settings(editions=web_editions, warm=False))
    sent: list[MutableMapping[str, Any]] = []
    start = time.monotonic()

    async def receive() -> dict[str, Any]:
        if time.monotonic() - start > 0.3:
            return {"type": "http.disconnect"}
        await anyio.sleep(3600)  # no message yet (Starlette asks in a cancelled scope)
        raise AssertionError("unreachable")

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/areas/alfa/report.pdf",
        "raw_path": b"/api/v1/areas/alfa/report.pdf",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    # in a thread of its own: an event loop another test left in this one must not matter
    caller = threading.Thread(target=anyio.run, args=(app, scope, receive, send))
    caller.start()
    caller.join(120)
    assert sent[0]["status"] == 499
    assert not built.is_set()  # the request ended without waiting for the document
    assert built.wait(60)  # the worker thread finished its step, then stopped
    time.sleep(0.5)
    assert not laid_out.is_set()
    assert app.state.engine.stats()["reports"]["items"] == 0


def test_a_report_with_a_bad_parameter_is_a_422_not_a_500(client: TestClient) -> None:
    """The parameters' problems reach the client as problems while the server watches the
    connection (found by the fuzz test: a 500 for ``exclude_sectors=0``)."""
    for path in (
        "areas/0201/report.html",
        "areas/0201/report.pdf",
        "editions/co2-test-00000000/download.csv",
    ):
        r = client.get(f"/api/v1/{path}", params={"exclude_sectors": "0"})
        assert r.status_code == 422, (path, r.status_code, r.text[:200])
        assert r.json()["type"] == "/api/v1/docs#problem-invalid-parameter"
