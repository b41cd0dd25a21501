"""``koldioxidbudget serve`` for real: uvicorn on loopback, two workers, stopped at the end."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.web.conftest import EDITION


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serving(editions: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``koldioxidbudget serve`` on a free loopback port with ``args``, until the block ends;
    yields the base URL once the health endpoint answers."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "koldioxidbudget.cli", "serve", "--port", str(port), *args],
        env=dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(editions), **(env or {})),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # generous: a busy machine starts slowly
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as r:
                    assert EDITION in json.loads(r.read())["editions"]
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_on_loopback(web_editions: Path) -> None:
    with _serving(web_editions, "--workers", "2", "--frame-ancestors", "'self'") as base:
        with urllib.request.urlopen(
            f"{base}/api/v1/areas/alfa/budget?convention=B", timeout=30
        ) as r:
            assert r.status == 200 and "server" not in r.headers
            assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
            assert json.loads(r.read())["areas"][0]["rate_convention"] == "B"
        try:
            urllib.request.urlopen(f"{base}/api/v1/areas/alfx", timeout=5)
            raise AssertionError("expected 404")
        except urllib.error.HTTPError as e:
            assert e.code == 404 and e.headers["content-type"] == "application/problem+json"


def test_serve_closes_a_connection_whose_headers_never_finish(web_editions: Path) -> None:
    """A client that sends a request line and never ends its headers (slowloris) loses the
    connection after the header time limit; a complete request on the same server still works."""
    with _serving(web_editions, env={"KOLDIOXIDBUDGET_HEADER_TIMEOUT": "1"}) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
            slow.settimeout(20)
            assert slow.recv(1024) == b""  # closed by the server, nothing answered
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as r:
            assert r.status == 200
        # what the HTTP parser cannot read, or a head of a megabyte: a problem, then closed
        for head in (
            b"GARBAGE\r\n\r\n",
            b"GET /api/v1/health?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 1_000_000,
        ):
            with socket.create_connection(("127.0.0.1", port)) as c:
                c.settimeout(20)
                with contextlib.suppress(OSError):  # the server may close while we send
                    c.sendall(head)
                answer = b""
                while chunk := c.recv(65536):
                    answer += chunk
            status, _, rest = answer.partition(b"\r\n")
            assert status == b"HTTP/1.1 400 Bad Request", answer[:200]
            headers, _, body = rest.partition(b"\r\n\r\n")
            assert b"content-type: application/problem+json" in headers
            assert json.loads(body)["type"] == "/api/v1/docs#problem-bad-request"


def test_serve_refuses_bad_options() -> None:
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "koldioxidbudget.cli",
            "serve",
            "--frame-ancestors",
            "x; script-src *",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The CLI speaks Swedish unless told otherwise.
    assert res.returncode == 2 and "är inte en lista med CSP-källor" in res.stderr
    assert "Traceback" not in res.stderr
