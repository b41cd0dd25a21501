"""The HTTP protocol ``koldioxidbudget serve`` runs: uvicorn's httptools protocol with a time
limit on the request line and headers.

uvicorn closes an idle keep-alive connection, but a client that opens a connection and sends
its headers a byte at a time holds a connection (and a slot of ``limit_concurrency``) for as
long as it likes. Here every request's line and headers must arrive within
``header_timeout_s`` (``$KOLDIOXIDBUDGET_HEADER_TIMEOUT``, default 10 s) of the connection
opening or of the request's first byte; otherwise the connection is closed. The API reads no
request body (only ``GET``, ``HEAD`` and ``OPTIONS`` pass the security middleware), so no
body timeout is needed.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import Settings

__all__ = ["HeaderTimeoutProtocol"]


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

    def _arm(self) -> None:
        if self._headers_timer is None:
            self._headers_timer = self.loop.call_later(_header_timeout(), self._too_slow)

    def _disarm(self) -> None:
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

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
