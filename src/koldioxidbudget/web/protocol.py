"""The HTTP protocol ``koldioxidbudget serve`` runs: uvicorn's httptools protocol with a time
limit on the request line and headers.

uvicorn closes an idle keep-alive connection, but a client that opens a connection and sends
its headers a byte at a time holds a connection (and a slot of ``limit_concurrency``) for as
long as it likes. Here every request's line and headers must arrive within
``header_timeout_s`` (``$KOLDIOXIDBUDGET_HEADER_TIMEOUT``, default 10 s) of the connection
opening or of the request's first byte; otherwise the connection is closed. The API reads no
request body (only ``GET``, ``HEAD`` and ``OPTIONS`` pass the security middleware), so no
body timeout is needed.

A request the HTTP parser cannot read (a malformed request line, headers too large) gets the
same problem+json answer as every other error, in the default language (its headers were not
read, so it cannot ask for another), instead of uvicorn's plain-text line. So does a request
whose line and headers pass ``MAX_HEAD_BYTES`` before they end (the httptools parser sets no
limit of its own: a client could otherwise fill the memory within the time limit).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .problems import LANGS, MEDIA_TYPE, Problem, msg
from .settings import Settings

__all__ = ["MAX_HEAD_BYTES", "HeaderTimeoutProtocol"]

#: the most a request line and its headers may take, bytes (the URL alone may take 4 096)
MAX_HEAD_BYTES = 64 * 1024
#: how long a refused connection's remaining bytes are read and dropped before it is closed, s
LINGER_S = 2.0


@functools.cache
def _header_timeout() -> float:
    """The limit, read once per worker process from the environment ``serve`` sets."""
    return Settings.from_env().header_timeout_s


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that closes a connection whose request line and headers are not
    complete within the header time limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headers_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._refused = False  # answered 400: what still arrives is read and dropped

    def _arm(self) -> None:
        if self._headers_timer is None:
            self._headers_timer = self.loop.call_later(_header_timeout(), self._too_slow)

    def _disarm(self) -> None:
        self._head_bytes = 0
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _too_slow(self) -> None:
        self._headers_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._headers_timer is not None:  # a request line and headers still arriving
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._disarm()
                self.send_400_response("request head too large")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg_: str) -> None:
        import orjson

        problem = Problem(400, "bad-request", msg("unreadable_request"))
        body = orjson.dumps(problem.body("", LANGS[0]))
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: " + MEDIA_TYPE.encode("ascii") + b"\r\n",
                b"content-language: " + LANGS[0].encode("ascii") + b"\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"cache-control: no-store\r\n",
                b"connection: close\r\n\r\n",
            ]
        )
        self.transport.write(b"".join(head) + body)
        # a lingering close: end our side, drop what the client still sends for a moment, then
        # close (closing at once with unread bytes would reset the connection, and the client
        # could lose the answer)
        self._refused = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)
