"""Compressed responses: brotli or gzip as the client asks, Vary, weak ETags that revalidate."""

from __future__ import annotations

import gzip
import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.web.compression import CompressionMiddleware, choose_encoding


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate", "gzip"),
        ("gzip;q=1, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
    ],
)
def test_choose_encoding(header: str, expected: str | None) -> None:
    assert choose_encoding(header) == expected


def test_compression_budget_brotli_gzip_identity(client: TestClient) -> None:
    path = "/api/v1/areas/0101/budget?convention=B"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    for enc in ("br", "gzip"):
        r = client.get(path, headers={"Accept-Encoding": enc})
        assert r.headers["content-encoding"] == enc
        assert "Accept-Encoding" in r.headers["vary"]
        assert r.headers["etag"] == "W/" + plain.headers["etag"]
        # httpx decodes the body: it is the same document
        assert json.loads(r.content) == json.loads(plain.content)
        again = client.get(
            path, headers={"Accept-Encoding": enc, "If-None-Match": r.headers["etag"]}
        )
        assert again.status_code == 304 and again.headers["etag"] == r.headers["etag"]

    # the bytes on the wire are the compressed document
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as s:
        wire = b"".join(s.iter_raw())
    assert json.loads(gzip.decompress(wire)) == json.loads(plain.content)


def test_compression_skips_small_and_binary(client: TestClient) -> None:
    r = client.get("/api/v1/health", headers={"Accept-Encoding": "br"})
    assert r.status_code == 200
    if len(r.content) < 512:
        assert "content-encoding" not in r.headers


def test_compression_cache_keeps_newest_bodies_within_its_bytes() -> None:
    """Compressed bodies with an ETag are kept by (path, ETag, encoding), least recently used out
    first, their total within ``cache_mb``; a body larger than the whole cache is not kept."""
    rng = random.Random(7)
    bodies = {f"/{n}": rng.randbytes(n).hex().encode() for n in (1000, 1001, 1002, 9000)}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        etag = f'"{scope["path"][1:]}"'.encode()
        headers = [(b"content-type", b"text/plain"), (b"etag", etag)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": bodies[scope["path"]]})

    mw = CompressionMiddleware(app, cache_mb=3000 / 2**20)  # ~1100 bytes each: room for two

    def get(path: str) -> bytes:
        sent: list[Any] = []

        async def send(m: Any) -> None:
            sent.append(m)

        scope = {"type": "http", "path": path, "headers": [(b"accept-encoding", b"gzip")]}
        # a thread of its own: a browser test in this worker may hold an event loop here
        with ThreadPoolExecutor(1) as pool:
            pool.submit(anyio.run, mw, scope, None, send).result()
        assert dict(sent[0]["headers"])[b"content-encoding"] == b"gzip"
        return gzip.decompress(sent[1]["body"])

    for path in ("/1000", "/1001", "/1000", "/1002", "/9000"):
        assert get(path) == bodies[path]
    kept = [k[0] for k in mw.cache]
    assert sorted(kept) == ["/1000", "/1002"]  # /1001 was the least recently used
    assert mw.cache.currsize == sum(len(v) for v in mw.cache.values()) <= mw.cache.maxsize
