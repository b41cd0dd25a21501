"""Security headers and request limits, as one small ASGI middleware (no per-request objects).

Every response gets ``X-Content-Type-Options: nosniff``, a ``Referrer-Policy`` and a
Content-Security-Policy (a route may set its own, e.g. HTML pages with hashed inline scripts;
otherwise the strictest policy, ``default-src 'none'``). ``frame-ancestors`` comes from the
settings. CORS is open for reading (``GET``/``HEAD`` from any origin, no credentials); other
methods are refused before routing. URLs longer than the limit get 414, request bodies larger
than the limit 413. ``HEAD`` runs the ``GET`` route and drops the body.

Reports and downloads (``report.pdf``, ``report.html``, ``download.*``) wait in a bounded queue:
at most ``QUEUE_PER_THREAD`` per report thread may be in flight in a worker; one more gets 503
``busy`` with ``Retry-After`` at once instead of holding a connection and memory for a minute.
A redirect's ``Location`` is always a path on this server: never built from the ``Host``
header a client sent (which Starlette's trailing-slash redirect would reflect).
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .problems import Problem, msg, negotiate, problem_response
from .settings import Settings

__all__ = ["SecurityMiddleware", "api_csp", "html_csp", "inline_hashes"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: reports and downloads in flight (rendering or waiting) per report thread of a worker
QUEUE_PER_THREAD = 4
_HEAVY_SUFFIXES = ("/report.pdf", "/report.html")
_HEAVY_PARTS = ("/download.",)
_EXPOSE = b"ETag, Link, Content-Disposition, Content-Length, Server-Timing"


def api_csp(frame_ancestors: str) -> str:
    """The policy for everything that is not an HTML page: nothing may load, embedding per settings."""
    return f"default-src 'none'; frame-ancestors {frame_ancestors}; base-uri 'none'; form-action 'none'"


def html_csp(
    frame_ancestors: str, *, scripts: tuple[str, ...] = (), styles: tuple[str, ...] = ()
) -> str:
    """The policy for HTML pages: scripts, styles, fonts and images from this server only, plus
    inline ``<script>``/``<style>`` blocks whose SHA-256 hashes are listed; never ``eval``.
    Frames from this server only (``frame-src 'self'``: the embedding guide's live preview is
    an iframe of the site's own embed page)."""
    s = " ".join(f"'sha256-{h}'" for h in scripts)
    st = " ".join(f"'sha256-{h}'" for h in styles)
    return (
        "default-src 'none'; "
        f"script-src 'self'{' ' + s if s else ''}; "
        f"style-src 'self'{' ' + st if st else ''}; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "manifest-src 'self'; worker-src 'self' blob:; frame-src 'self'; "
        f"base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )


_INLINE = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


def inline_hashes(html: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """SHA-256 (base64) of every inline ``<script>`` and ``<style>`` body of an HTML page."""
    scripts: list[str] = []
    styles: list[str] = []
    for m in _INLINE.finditer(html):
        tag, attrs, body = m.group(1).lower(), m.group(2), m.group(3)
        if tag == b"script" and re.search(rb"\bsrc\s*=", attrs, re.IGNORECASE):
            continue
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        (scripts if tag == b"script" else styles).append(digest)
    return tuple(dict.fromkeys(scripts)), tuple(dict.fromkeys(styles))


class SecurityMiddleware:
    """See the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.csp = api_csp(settings.frame_ancestors).encode("latin-1")
        self.heavy_limit = max(1, settings.report_threads) * QUEUE_PER_THREAD
        self.heavy = 0  # one event loop per worker: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope.get("path", "")
        headers = dict(scope.get("headers") or ())
        problem: Problem | None = None
        if len(scope.get("raw_path") or path.encode()) + len(scope.get("query_string", b"")) > (
            self.settings.max_url_bytes
        ):
            problem = Problem(
                414,
                "request-too-large",
                msg("url_too_long", limit=self.settings.max_url_bytes),
            )
        elif method not in _SAFE_METHODS:
            problem = Problem(
                405,
                "method-not-allowed",
                msg("method_not_allowed", method=method[:20]),
                headers={"Allow": "GET, HEAD, OPTIONS"},
            )
        elif b"transfer-encoding" in headers or _too_long(
            headers.get(b"content-length"), self.settings.max_body_bytes
        ):
            problem = Problem(
                413,
                "request-too-large",
                msg("body_too_large", limit=self.settings.max_body_bytes),
            )
        heavy = problem is None and method != "OPTIONS" and _heavy(path)
        if heavy and self.heavy >= self.heavy_limit:
            problem = Problem(
                503,
                "busy",
                msg("busy", limit=self.heavy_limit),
                headers={"Retry-After": "10"},
            )
            heavy = False
        if problem is not None:
            # the query is not read here (it may be what is too long): the header alone decides
            accept = headers.get(b"accept-language", b"").decode("latin-1")
            response = problem_response(problem, path, negotiate(None, accept))
            await self._send_with_headers(response, scope, receive, send)
            return
        if method == "OPTIONS":
            await self._preflight(send)
            return
        head = method == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        if not heavy:
            await self.app(scope, receive, self._wrap(send, head, time.perf_counter()))
            return
        self.heavy += 1
        try:
            await self.app(scope, receive, self._wrap(send, head, time.perf_counter()))
        finally:
            self.heavy -= 1

    async def _send_with_headers(
        self, response: Any, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await response(scope, receive, self._wrap(send, scope["method"] == "HEAD"))

    def _wrap(self, send: Send, head: bool, started: float | None = None) -> Send:
        csp = self.csp

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers") or [])
                names = {k.lower() for k, _ in raw}
                raw.append((b"x-content-type-options", b"nosniff"))
                raw.append((b"referrer-policy", b"strict-origin-when-cross-origin"))
                raw.append((b"access-control-allow-origin", b"*"))
                raw.append((b"access-control-expose-headers", _EXPOSE))
                raw.append((b"cross-origin-resource-policy", b"cross-origin"))
                if b"content-security-policy" not in names:
                    raw.append((b"content-security-policy", csp))
                if b"location" in names:
                    raw = [(k, _local(v) if k.lower() == b"location" else v) for k, v in raw]
                if started is not None:
                    # the time this server spent on the request, for operators and load tests
                    ms = (time.perf_counter() - started) * 1e3
                    raw.append((b"server-timing", b"app;dur=%.1f" % ms))
                message = dict(message, headers=raw)
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        return wrapped

    async def _preflight(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-allow-methods", b"GET, HEAD, OPTIONS"),
                    (b"access-control-allow-headers", b"*"),
                    (b"access-control-max-age", b"86400"),
                    (b"allow", b"GET, HEAD, OPTIONS"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"content-security-policy", self.csp),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _heavy(path: str) -> bool:
    """Whether ``path`` asks for a report or a download (rendered, seconds of work)."""
    return path.endswith(_HEAVY_SUFFIXES) or any(part in path for part in _HEAVY_PARTS)


def _local(location: bytes) -> bytes:
    """A redirect target as a path on this server: ``http://<any host>/a?b`` → ``/a?b``.

    The app only ever redirects to itself; an absolute URL here was built from the request's
    ``Host`` header, which a client chooses."""
    m = re.match(rb"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*(.*)$", location)
    if m is None:
        return location if not location.startswith(b"//") else b"/" + location.lstrip(b"/")
    rest = m.group(1)
    return rest if rest.startswith(b"/") else b"/" + rest


def _too_long(value: bytes | None, limit: int) -> bool:
    if value is None:
        return False
    try:
        return int(value) > limit
    except ValueError:
        return True
