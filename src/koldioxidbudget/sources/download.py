"""The HTTP side of ``data fetch``: settings, one download with timeouts, a size limit, streaming
into a temporary file, verification and retries.

A download has a connect and a read timeout, is limited in size, and is streamed into the
temporary file it is given (``store.part_name``: hidden, never read by a build). It is retried
with exponential backoff (tenacity) on network errors, timeouts, 5xx and 429 answers, truncated
or empty bodies and content that fails verification; a 4xx answer or a body above the size limit
is final. Policy (:class:`FetchSettings`): ``retries`` retries after the first attempt; before
retry *n* (1, 2, …) it waits ``min(max_backoff_s, backoff_s · 2^(n−1))``, plus
``min(max_backoff_s, Retry-After)`` when the failed answer named one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import tenacity

from ..errors import KoldioxidbudgetError, SourceError, Term
from ..settings import environment
from .registry import BASES

__all__ = [
    "DEFAULT_BASES",
    "FetchError",
    "FetchSettings",
    "check_zip",
    "download",
    "head",
    "load_json",
    "open_client",
]

log = logging.getLogger(__name__)

#: The publishers' real base URLs (``registry.BASES``).
DEFAULT_BASES: dict[str, str] = BASES

MB = 1 << 20


class FetchError(KoldioxidbudgetError):
    """A publisher's file could not be downloaded or is not what the publisher serves.

    Keyed like every error (``errors.<key>``); a slot holding another error (the reason a
    download failed) is localised with it.
    """


@dataclass(frozen=True)
class FetchSettings:
    """Where and how to download. ``bases`` maps ``smhi``/``scb``/``gcb`` to a base URL."""

    bases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BASES))
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 120.0
    retries: int = 3
    backoff_s: float = 2.0
    max_backoff_s: float = 30.0
    max_bytes: int = 100 * MB
    #: GCB release year; None tries this year and the two before
    gcb_year: int | None = None
    user_agent: str = "koldioxidbudget-data-fetch/0.1 (python-httpx)"

    @classmethod
    def from_env(
        cls,
        *,
        mirror: str | None = None,
        **overrides: Any,
    ) -> FetchSettings:
        """Settings from ``mirror`` (else ``KOLDIOXIDBUDGET_FETCH_MIRROR``), the
        ``KOLDIOXIDBUDGET_FETCH_BASE_*`` variables and ``overrides`` (``settings.Environment``)."""
        env = environment()
        mirror = mirror or env.fetch_mirror
        bases = dict(DEFAULT_BASES)
        if mirror:
            root = mirror.rstrip("/")
            bases = {k: f"{root}/{urlsplit(v).netloc}" for k, v in DEFAULT_BASES.items()}
        for k in bases:
            v = getattr(env, f"fetch_base_{k}", None)
            if v:
                bases[k] = v.rstrip("/")
        return dataclasses.replace(cls(bases=bases), **overrides)


def open_client(
    settings: FetchSettings, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An HTTP client with the settings' timeouts and user agent, following redirects."""
    timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
    return httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": settings.user_agent},
        transport=transport,
    )


# ---------------------------------------------------------------------------------------------
# one download, retried


class _Retryable(Exception):
    """A failed attempt worth retrying; ``reason`` says why (its ``str`` is this one's)."""

    def __init__(self, reason: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.retry_after = retry_after


class _Final(Exception):
    """A failed download not worth retrying; ``reason`` says why (its ``str`` is this one's)."""

    def __init__(self, reason: FetchError) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _wait(settings: FetchSettings) -> Callable[[tenacity.RetryCallState], float]:
    """The wait before a retry: exponential backoff, plus the Retry-After the answer named."""

    def wait(state: tenacity.RetryCallState) -> float:
        n = state.attempt_number  # attempts made so far: the coming one is retry n
        delay = min(settings.max_backoff_s, settings.backoff_s * 2.0 ** (n - 1))
        failed = state.outcome.exception() if state.outcome else None
        if isinstance(failed, _Retryable) and failed.retry_after:
            delay += min(settings.max_backoff_s, failed.retry_after)
        return delay

    return wait


def _log_retry(url: str) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        failed = state.outcome.exception() if state.outcome else None
        log.info("retrying %s in %.1f s (%s)", url, state.upcoming_sleep, failed)

    return before_sleep


def download(
    client: httpx.Client,
    settings: FetchSettings,
    *,
    method: str,
    url: str,
    tmp: Path,
    body: bytes | None = None,
    verify: Callable[[Path], Any],
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Any, str, int]:
    """Download ``url`` into ``tmp`` and verify it; returns (verify's result, sha256, bytes).

    Retries ``settings.retries`` times (see the module's policy); ``sleep`` waits between
    attempts (tests pass one that does not). Raises :class:`FetchError`; ``tmp`` exists
    afterwards only when the download succeeded."""
    attempts = settings.retries + 1
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=_wait(settings),
        retry=tenacity.retry_if_exception_type(_Retryable),
        sleep=sleep,
        before_sleep=_log_retry(url),
    )
    try:
        result: tuple[Any, str, int] = retrying(
            _attempt, client, settings, method, url, tmp, body, verify
        )
    except tenacity.RetryError as e:
        last = e.last_attempt.exception()
        reason = last.reason if isinstance(last, _Retryable) else last
        raise FetchError(key="fetch_gave_up", url=url, attempts=attempts, last=reason) from None
    except _Final as e:
        raise FetchError(key="fetch_failed", url=url, reason=e.reason) from None
    return result


def _attempt(
    client: httpx.Client,
    settings: FetchSettings,
    method: str,
    url: str,
    tmp: Path,
    body: bytes | None,
    verify: Callable[[Path], Any],
) -> tuple[Any, str, int]:
    """One attempt; removes ``tmp`` when it fails in any way."""
    try:
        sha, n = _stream(client, settings, method, url, tmp, body)
        try:
            result = verify(tmp)
        except (SourceError, FetchError, ValueError, OSError, zipfile.BadZipFile) as e:
            raise _Retryable(
                FetchError(
                    key="content_not_served",
                    error=e if isinstance(e, KoldioxidbudgetError) else str(e),
                )
            ) from e
        return result, sha, n
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _stream(
    client: httpx.Client,
    settings: FetchSettings,
    method: str,
    url: str,
    tmp: Path,
    body: bytes | None,
) -> tuple[str, int]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    h = hashlib.sha256()
    n = 0
    try:
        with client.stream(method, url, content=body, headers=headers) as r:
            if r.status_code == 429 or r.status_code >= 500:
                ra = r.headers.get("Retry-After", "")
                raise _Retryable(_http_status(r), float(ra) if ra.isdigit() else None)
            if r.status_code >= 400:
                raise _Final(_http_status(r))
            declared = r.headers.get("Content-Length")
            limit = f"{settings.max_bytes / MB:.1f}"
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                size = f"{int(declared) / MB:.1f}"
                raise _Final(
                    FetchError(
                        key="file_too_large",
                        size=size,
                        limit=limit,
                    )
                )
            with tmp.open("wb") as f:
                for chunk in r.iter_bytes():
                    n += len(chunk)
                    if n > settings.max_bytes:
                        raise _Final(
                            FetchError(
                                key="download_too_large",
                                limit=limit,
                            )
                        )
                    h.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if (
                declared
                and declared.isdigit()
                and not r.headers.get("Content-Encoding")
                and int(declared) != n
            ):
                raise _Retryable(
                    FetchError(
                        key="truncated",
                        got=n,
                        declared=declared,
                    )
                )
    except httpx.TimeoutException as e:
        kind = type(e).__name__
        raise _Retryable(FetchError(key="timed_out", kind=kind)) from e
    except (httpx.TransportError, httpx.DecodingError) as e:
        kind = type(e).__name__
        raise _Retryable(FetchError(key="network_error", kind=kind, error=str(e))) from e
    if n == 0:
        raise _Retryable(FetchError(key="empty_answer"))
    return h.hexdigest(), n


def _http_status(r: httpx.Response) -> FetchError:
    return FetchError(
        key="http_status",
        status=r.status_code,
        reason=r.reason_phrase,
    )


# ---------------------------------------------------------------------------------------------
# what every verification starts with


def head(path: Path, n: int = 64) -> bytes:
    """The first ``n`` bytes of ``path``."""
    with path.open("rb") as f:
        return f.read(n)


def check_zip(path: Path, what: str) -> None:
    """Refuse anything but a complete zip; ``what`` is a term id (the file expected)."""
    first = head(path)
    word = Term(what)
    if not first.startswith(b"PK\x03\x04"):
        shown = first[:40].decode("utf-8", "replace").strip()
        html = b"<" in first[:20]
        raise FetchError(
            key="not_a_zip_html" if html else "not_a_zip",
            what=word,
            shown=repr(shown),
        )
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            raise FetchError(
                key="zip_damaged",
                what=word,
                member=bad,
            )


def load_json(path: Path) -> Any:
    """The JSON document in ``path`` (a PxWeb answer); :class:`FetchError` when it is none."""
    first = head(path).lstrip()
    if not first.startswith((b"{", b"[")):
        got = repr(first[:40].decode("utf-8", "replace"))
        raise FetchError(key="pxweb_not_json", got=got)
    return json.loads(path.read_bytes().decode("utf-8-sig"))
