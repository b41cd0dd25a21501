"""One download's retry policy (sources/download.py) against a mock publisher: which failures
are retried, how long it waits between attempts (recorded, never slept), and what is left."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from koldioxidbudget.sources.download import FetchError, FetchSettings, download, open_client

URL = "http://publisher.test/file"


def _run(
    tmp_path: Path,
    answers: list[httpx.Response],
    *,
    verify: Callable[[Path], object] = lambda p: p.read_bytes(),
    **settings: object,
) -> tuple[object, list[float], int]:
    """Download from a publisher giving ``answers`` in turn; (result or error, sleeps, requests)."""
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answers[min(len(requests), len(answers)) - 1]

    s = dataclasses.replace(FetchSettings(), **settings)  # type: ignore[arg-type]
    slept: list[float] = []
    tmp = tmp_path / ".file.part"
    with open_client(s, httpx.MockTransport(answer)) as client:
        try:
            result: object = download(
                client, s, method="GET", url=URL, tmp=tmp, verify=verify, sleep=slept.append
            )
        except FetchError as e:
            result = e
            assert not tmp.exists()  # nothing half-written is left
    return result, slept, len(requests)


def test_download_retries_with_exponential_backoff(tmp_path: Path) -> None:
    answers = [httpx.Response(503), httpx.Response(500), httpx.Response(200, content=b"data")]
    (got, _sha, n), slept, requests = _run(tmp_path, answers)  # type: ignore[misc]
    assert (got, n, requests) == (b"data", 4, 3)
    assert slept == [2.0, 4.0]


def test_download_waits_for_retry_after_too(tmp_path: Path) -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "5"}), httpx.Response(200, content=b"x")]
    _, slept, requests = _run(tmp_path, answers, backoff_s=1.0)
    assert (slept, requests) == ([1.0 + 5.0], 2)


def test_download_gives_up_after_the_retries_with_capped_waits(tmp_path: Path) -> None:
    error, slept, requests = _run(tmp_path, [httpx.Response(502)], retries=3, max_backoff_s=5.0)
    assert isinstance(error, FetchError) and error.key == "fetch_gave_up"
    assert error.slots["attempts"] == 4 and "HTTP 502" in str(error)
    assert (slept, requests) == ([2.0, 4.0, 5.0], 4)


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        (httpx.Response(404), "http_status"),
        (
            httpx.Response(200, content=b"x", headers={"Content-Length": str(10**10)}),
            "file_too_large",
        ),
    ],
)
def test_download_does_not_retry_a_final_answer(
    tmp_path: Path, answer: httpx.Response, key: str
) -> None:
    error, slept, requests = _run(tmp_path, [answer])
    assert isinstance(error, FetchError) and error.key == "fetch_failed"
    assert error.slots["reason"].key == key  # type: ignore[attr-defined]
    assert (slept, requests) == ([], 1)


def test_download_retries_content_that_fails_verification(tmp_path: Path) -> None:
    seen: list[bytes] = []

    def verify(path: Path) -> bytes:
        seen.append(path.read_bytes())
        if len(seen) == 1:
            raise ValueError("not the table")
        return seen[-1]

    answers = [httpx.Response(200, content=b"bad"), httpx.Response(200, content=b"good")]
    (got, _sha, _n), slept, requests = _run(tmp_path, answers, verify=verify, backoff_s=0.0)  # type: ignore[misc]
    assert (got, seen, slept, requests) == (b"good", [b"bad", b"good"], [0.0], 2)
