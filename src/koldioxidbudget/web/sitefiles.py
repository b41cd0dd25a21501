"""The static site (the visualiser, built into a folder) served at ``/``, with caching headers.

Files whose names carry a content hash (``app.3f9c2b1e.js``: 8+ hex digits before the suffix)
are cached for a year as immutable; everything else (HTML above all) is revalidated on every
use (``no-cache`` + ETag/Last-Modified). HTML pages get a CSP that allows their own inline
``<script>``/``<style>`` blocks by SHA-256 hash and nothing else inline.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from .security import html_csp, inline_hashes

__all__ = ["SiteFiles"]

_HASHED = re.compile(r"[.-][0-9a-f]{8,}\.[A-Za-z0-9]+$")


@lru_cache(maxsize=256)
def _html_csp(path: str, mtime_ns: int, size: int, frame_ancestors: str) -> str:
    with open(path, "rb") as f:
        scripts, styles = inline_hashes(f.read())
    return html_csp(frame_ancestors, scripts=scripts, styles=styles)


class SiteFiles(StaticFiles):
    """``StaticFiles`` with cache policy and per-page CSP (see module doc)."""

    def __init__(self, *, directory: str | os.PathLike[str], frame_ancestors: str) -> None:
        super().__init__(directory=directory, html=True)
        self.frame_ancestors = frame_ancestors

    async def get_response(self, path: str, scope: Any) -> Response:
        """Unknown addresses get the site's own 404 page (with search; Starlette serves
        ``404.html``), under the same CSP as every other page."""
        response = await super().get_response(path, scope)
        if response.status_code == 404 and "content-security-policy" not in response.headers:
            full_path, stat_result = self.lookup_path("404.html")
            if stat_result is not None:
                response.headers["Content-Security-Policy"] = _html_csp(
                    str(full_path),
                    stat_result.st_mtime_ns,
                    stat_result.st_size,
                    self.frame_ancestors,
                )
                response.headers["Cache-Control"] = "no-cache"
        return response

    def file_response(
        self, full_path: Any, stat_result: os.stat_result, scope: Any, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        name = os.path.basename(str(full_path))
        if _HASHED.search(name):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        if name.endswith((".html", ".htm")):
            response.headers["Content-Security-Policy"] = _html_csp(
                str(full_path), stat_result.st_mtime_ns, stat_result.st_size, self.frame_ancestors
            )
        return response
