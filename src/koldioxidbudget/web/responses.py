"""Response helpers: JSON bytes, conditional GET (ETag → 304) and cache policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["SHORT", "cache_policy", "dumps", "not_modified", "respond"]

#: Cache-Control for answers about "the newest edition" (may change when an edition is built).
SHORT = "public, max-age=300"
#: for answers pinned to an edition id but with a default "now" (as_of changes on 1 January)
DAY = "public, max-age=86400"
#: for answers fully pinned: an exact edition id and everything else explicit
FOREVER = "public, max-age=31536000, immutable"

_OPTS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps(doc: Any) -> bytes:
    """JSON bytes; non-finite numbers become ``null`` (JSON has no NaN or Infinity)."""
    return orjson.dumps(doc, option=_OPTS)


def cache_policy(*, pinned_edition: bool, pinned_time: bool = True) -> str:
    if not pinned_edition:
        return SHORT
    return FOREVER if pinned_time else DAY


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags


def respond(
    request: Request,
    body: bytes | None,
    *,
    etag: str,
    media_type: str,
    cache_control: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """200 with ``body``, or 304 when the client's ``If-None-Match`` already has ``etag``."""
    h = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if body is None or not_modified(request, etag):
        return Response(status_code=304, headers=h)
    return Response(body, media_type=media_type, headers=h)
