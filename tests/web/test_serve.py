"""``koldioxidbudget serve`` for real: uvicorn on loopback, two workers, stopped at the end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.web.conftest import EDITION


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_loopback(web_editions: Path) -> None:
    port = _free_port()
    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(web_editions))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "koldioxidbudget.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--frame-ancestors",
            "'self'",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as r:
                    assert EDITION in json.loads(r.read())["editions"]
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
    assert res.returncode == 2 and "is not a list of CSP sources" in res.stderr
