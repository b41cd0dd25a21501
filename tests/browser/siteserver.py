"""A static file server for the browser tests: serves a built site on 127.0.0.1 (a free port),
gzip-encodes text when the browser accepts it (so transfer sizes are real), and sends the
Content-Security-Policy the API sends for HTML pages, so a page that needs an inline script or
``eval`` fails here as it would there."""

from __future__ import annotations

import gzip
import http.server
import threading
from functools import partial
from pathlib import Path
from typing import ClassVar

from koldioxidbudget.web.security import html_csp

_TEXT = (".html", ".js", ".css", ".json", ".svg")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: ClassVar[dict[str, str]] = {}
    csp: ClassVar[bool] = True

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        for k, v in self.extra_headers.items():
            self.send_header(k, v)
        if self.csp and self.path.split("?")[0].endswith((".html", "/")):
            # the API's policy for HTML pages, exactly (it allows frame-src 'self' for the
            # embedding guide's live preview)
            self.send_header("Content-Security-Policy", html_csp("*"))
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        gz = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not gz or path.suffix not in _TEXT:
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        import io

        return io.BytesIO(data)


class SiteServer:
    """``with SiteServer(folder) as s: s.url`` – serves ``folder`` until the block ends."""

    def __init__(
        self, root: Path, headers: dict[str, str] | None = None, *, csp: bool = True
    ) -> None:
        handler = type("H", (_Handler,), {"extra_headers": headers or {}, "csp": csp})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(handler, directory=str(root))
        )
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
