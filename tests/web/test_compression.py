"""Compressed responses: brotli or gzip as the client asks, Vary, weak ETags that revalidate."""

from __future__ import annotations

import gzip
import json

import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.web.compression import choose_encoding


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
