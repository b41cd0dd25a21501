"""Compressed responses: brotli where the client accepts it, gzip otherwise.

One small ASGI middleware. Text the server sends (HTML, JavaScript, CSS, JSON, problem+json,
SVG, CSV, Markdown, plain text) is compressed when the client's ``Accept-Encoding`` allows it
and the body is at least ``MIN_BYTES``; every such response carries ``Vary: Accept-Encoding``,
compressed or not, so a shared cache never hands one client's encoding to another. Already
encoded bodies (PDF, WOFF2, PNG, a body with its own ``Content-Encoding``), partial responses
(``Range``) and 304s pass through untouched.

A response with an ``ETag`` is the same bytes every time, so its compressed form is kept in a
bounded in-memory cache (the site's pages, scripts and styles are compressed once per file
version, not once per request, which is what precompressed files on disk would give); its ETag
becomes weak (``W/"…"``), since the compressed bytes differ from the identity ones while meaning
the same, and both the API's and the static files' conditional GETs compare weakly.
A 304 to a client that holds the compressed form carries the weak ETag it was given. Bodies
sent in several chunks (large static files) are compressed as a stream.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from cachetools import LRUCache

__all__ = ["MIN_BYTES", "CompressionMiddleware", "choose_encoding"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: smaller bodies are sent as they are (the headers would cost more than the bytes saved)
MIN_BYTES = 512
#: brotli quality for bodies made per request / for bodies kept in the cache
_BR_QUALITY_DYNAMIC = 4
_BR_QUALITY_CACHED = 9
_GZIP_LEVEL = 6

_COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/problem+json",
    b"application/javascript",
    b"application/geo+json",
    b"application/manifest+json",
    b"application/xml",
    b"image/svg+xml",
)


def choose_encoding(accept_encoding: str) -> str | None:
    """``"br"``, ``"gzip"`` or None for an ``Accept-Encoding`` header (q=0 refuses one)."""
    offered: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        offered[name.strip().lower()] = q
    star = offered.get("*")
    best: str | None = None
    best_q = 0.0
    for enc in ("br", "gzip"):  # brotli first when both are equally welcome
        q = offered.get(enc, star if star is not None else 0.0)
        if q > best_q:
            best, best_q = enc, q
    return best


def _compress(body: bytes, encoding: str, *, cached: bool) -> bytes:
    if encoding == "br":
        import brotli

        quality = _BR_QUALITY_CACHED if cached else _BR_QUALITY_DYNAMIC
        return brotli.compress(body, quality=quality)  # type: ignore[no-any-return]
    return gzip.compress(body, compresslevel=_GZIP_LEVEL, mtime=0)


class _Stream:
    """An incremental compressor with one interface for brotli and gzip."""

    def __init__(self, encoding: str) -> None:
        if encoding == "br":
            import brotli

            self._br: Any = brotli.Compressor(quality=_BR_QUALITY_DYNAMIC)
            self._gz: Any = None
        else:
            self._br = None
            self._gz = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, 31)

    def push(self, data: bytes) -> bytes:
        if self._br is not None:
            return self._br.process(data)  # type: ignore[no-any-return]
        return self._gz.compress(data)  # type: ignore[no-any-return]

    def finish(self) -> bytes:
        if self._br is not None:
            return self._br.finish()  # type: ignore[no-any-return]
        return self._gz.flush()  # type: ignore[no-any-return]


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def _without(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() not in names]


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    vary = _header(headers, b"vary")
    if vary is None:
        return [*headers, (b"vary", b"Accept-Encoding")]
    if b"accept-encoding" in vary.lower() or vary.strip() == b"*":
        return headers
    return [*_without(headers, b"vary"), (b"vary", vary + b", Accept-Encoding")]


def _weak(etag: bytes) -> bytes:
    return etag if etag.startswith(b"W/") else b"W/" + etag


class CompressionMiddleware:
    """Compress text responses (see the module docstring); ``cache_mb`` bounds the cache of
    compressed bodies that have an ETag."""

    def __init__(self, app: ASGIApp, *, cache_mb: float = 32.0) -> None:
        self.app = app
        #: compressed bodies by (path, ETag, encoding), bounded by their total size
        self.cache: LRUCache[tuple[str, bytes, str], bytes] = LRUCache(
            int(cache_mb * 1024 * 1024), getsizeof=len
        )
        self._lock = threading.Lock()  # an LRUCache is not thread-safe on its own

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = b""
        ranged = False
        if_none_match = b""
        for k, v in scope.get("headers", ()):
            if k == b"accept-encoding":
                accept = v
            elif k == b"range":
                ranged = True
            elif k == b"if-none-match":
                if_none_match = v
        encoding = None if ranged else choose_encoding(accept.decode("latin-1"))
        path = scope.get("path", "")
        start: Message | None = None
        stream: _Stream | None = None
        passthrough = False

        async def wrapped(message: Message) -> None:
            nonlocal start, stream, passthrough
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                ctype = _header(headers, b"content-type") or b""
                status = message["status"]
                if status == 304 and encoding is not None:
                    # the client holds the compressed form: answer with the ETag it was given
                    etag = _header(headers, b"etag")
                    if etag is not None and _weak(etag) in if_none_match:
                        headers = [*_without(headers, b"etag"), (b"etag", _weak(etag))]
                        message = {**message, "headers": _vary(headers)}
                if (
                    status in (204, 206, 304)
                    or not ctype.lower().startswith(_COMPRESSIBLE)
                    or _header(headers, b"content-encoding") is not None
                ):
                    passthrough = True
                    await send(message)
                    return
                headers = _vary(headers)
                if encoding is None:
                    passthrough = True
                    await send({**message, "headers": headers})
                    return
                start = {**message, "headers": headers}
                return
            if message["type"] != "http.response.body" or passthrough or start is None:
                await send(message)
                return
            body: bytes = message.get("body", b"")
            more = message.get("more_body", False)
            headers = start["headers"]
            assert encoding is not None
            if stream is None and not more:
                # the whole body in one message: compress it at once (or take it from the cache)
                if len(body) < MIN_BYTES:
                    await send(start)
                    await send(message)
                    return
                etag = _header(headers, b"etag")
                key = (path, etag, encoding) if etag is not None else None
                with self._lock:
                    packed = self.cache.get(key) if key is not None else None
                if packed is None:
                    packed = _compress(body, encoding, cached=key is not None)
                    if key is not None:
                        with self._lock, contextlib.suppress(ValueError):  # larger than the cache
                            self.cache[key] = packed
                if len(packed) >= len(body):
                    await send(start)
                    await send(message)
                    return
                headers = _without(headers, b"content-length", b"etag")
                headers += [
                    (b"content-encoding", encoding.encode()),
                    (b"content-length", str(len(packed)).encode()),
                ]
                if etag is not None:
                    headers.append((b"etag", _weak(etag)))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": packed})
                return
            if stream is None:
                # the first of several chunks: compress as a stream, length unknown
                stream = _Stream(encoding)
                etag = _header(headers, b"etag")
                headers = _without(headers, b"content-length", b"etag")
                headers.append((b"content-encoding", encoding.encode()))
                if etag is not None:
                    headers.append((b"etag", _weak(etag)))
                await send({**start, "headers": headers})
            data = stream.push(body)
            if not more:
                data += stream.finish()
            await send({"type": "http.response.body", "body": data, "more_body": more})

        await self.app(scope, receive, wrapped)
