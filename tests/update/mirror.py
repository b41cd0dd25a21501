"""A local stand-in for the publishers: an HTTP server on 127.0.0.1 that answers the requests of
``data fetch`` with recorded responses in the publishers' formats, made from the files in the
shared data folder at test time, and that can misbehave on demand.

Paths follow the mirror convention of ``sources.fetch``: ``/<publisher host>/<path>?<query>``.

* SMHI ``getexcelfile`` ``sub=CO2``: the real Länsrapport; ``sub=GGT``: the same table under
  SMHI's CO2e gas line (a recorded response in SMHI's format; the numbers are CO2's);
* SCB PxWeb ``BefolkningNy``: ``GET`` answers the table's metadata (every region code and name,
  the years), ``POST`` answers a PxWeb "json" query from the tidy population file (1968 on, as
  the table; Knivsta ``..`` before 2003, as SCB marks a municipality that did not exist);
* GCB ``National_Fossil_Carbon_Emissions_2019v1.0.xlsx``: the real GCB 2019 national file.

``Mirror.fail(key, *behaviours)`` queues behaviours for the next requests of a route: ``500``,
``404``, ``timeout`` (answers only after ``delay`` seconds), ``truncate`` (Content-Length of the
whole body, half of it sent, connection closed), ``truncate-close`` (no length, half the body),
``html`` (an HTML error page with status 200), ``huge`` (declares 10 GB), ``slow`` (half the body,
then a long pause: for kill tests). Every request is logged in ``Mirror.log``.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .xlsx import smhi_variant

SMHI_HOST = "nationellaemissionsdatabasen.smhi.se"
SCB_HOST = "api.scb.se"
GCB_HOST = "globalcarbonbudgetdata.org"
SMHI_CO2 = f"/{SMHI_HOST}/api/getexcelfile/?county=0&municipality=0&sub=CO2"
SMHI_GGT = f"/{SMHI_HOST}/api/getexcelfile/?county=0&municipality=0&sub=GGT"
PXWEB = f"/{SCB_HOST}/OV0104/v1/doris/sv/ssd/START/BE/BE0101/BE0101A/BefolkningNy"
GCB_2019 = f"/{GCB_HOST}/downloads/latest-data/National_Fossil_Carbon_Emissions_2019v1.0.xlsx"
SMHI_RAW = "emissions/smhi_rus/raw/smhi_lansrapport_co2_2024-04-18_all_levels_subsectors.xlsx"
GGT_LINE = "Emissioner av Växthusgaser totalt"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Response:
    body: bytes
    content_type: str = "application/octet-stream"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pxweb_metadata(shared: Path) -> dict[str, object]:
    """The metadata answer of ``GET …/BefolkningNy``, from the regions files."""
    mun = _rows(shared / "regions" / "municipalities.csv")
    cty = _rows(shared / "regions" / "counties.csv")
    values, texts = ["00"], ["Riket"]
    for c in cty:
        values.append(c["lanskod"])
        texts.append(c["lan"])
        for m in mun:
            if m["lanskod"] == c["lanskod"]:
                values.append(m["kommunkod"])
                texts.append(m["kommun"])
    years = [str(y) for y in range(1968, 2026)]
    return {
        "title": "Folkmängden efter region, civilstånd, ålder, kön, tabellinnehåll och år",
        "variables": [
            {"code": "Region", "text": "region", "values": values, "valueTexts": texts, "elimination": True},
            {"code": "Civilstand", "text": "civilstånd", "values": ["OG", "G", "ÄNKL", "SK"], "valueTexts": ["ogifta", "gifta", "änkor/änklingar", "skilda"], "elimination": True},
            {"code": "Alder", "text": "ålder", "values": ["0", "1"], "valueTexts": ["0 år", "1 år"], "elimination": True},
            {"code": "Kon", "text": "kön", "values": ["1", "2"], "valueTexts": ["män", "kvinnor"], "elimination": True},
            {"code": "ContentsCode", "text": "tabellinnehåll", "values": ["BE0101N1", "BE0101N2"], "valueTexts": ["Folkmängd", "Folkökning"]},
            {"code": "Tid", "text": "år", "values": years, "valueTexts": years, "time": True},
        ],
    }  # fmt: skip


def pxweb_answer(
    shared: Path, query: dict[str, object], *, change: Callable[[str, int, int], int] | None = None
) -> tuple[int, dict[str, object]]:
    """The "json" answer of ``POST …/BefolkningNy`` for ``query`` (status, body)."""
    sel = {q["code"]: q["selection"] for q in query.get("query", [])}  # type: ignore[union-attr]
    if sel.get("ContentsCode", {}).get("values") != ["BE0101N1"]:
        return 400, {"error": "ContentsCode must be BE0101N1 in this recording"}
    regions = set(sel.get("Region", {}).get("values", []))
    tid = sel.get("Tid", {"values": ["*"]})
    rows = _rows(shared / "population" / "population_municipality_1950-2025.csv")
    data = []
    for r in rows:
        y = int(r["year"])
        if y < 1968 or r["kommunkod"] not in regions:
            continue
        if tid.get("values") != ["*"] and str(y) not in tid.get("values", []):
            continue
        n = int(r["population"])
        if change is not None:
            n = change(r["kommunkod"], y, n)
        value = ".." if r["kommunkod"] == "0330" and y < 2003 else str(n)
        data.append({"key": [r["kommunkod"], str(y)], "values": [value]})
    return 200, {
        "columns": [
            {"code": "Region", "text": "region", "type": "d"},
            {"code": "Tid", "text": "år", "type": "t"},
            {"code": "BE0101N1", "text": "Folkmängd", "type": "c"},
        ],
        "comments": [],
        "data": data,
    }


@dataclass
class Mirror:
    """Recorded publisher responses, served on 127.0.0.1 (use as a context manager)."""

    shared: Path
    delay: float = 1.0
    routes: dict[str, Response] = field(default_factory=dict)
    population_change: Callable[[str, int, int], int] | None = None
    log: list[tuple[str, str]] = field(default_factory=list)
    _queue: dict[str, list[str]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.routes:
            self.routes = recorded_routes(self.shared)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail(self, key: str, *behaviours: str) -> None:
        """Queue ``behaviours`` for the next requests of route ``key`` (``"POST <path>"`` for a
        POST), after which the route answers normally again."""
        with self._lock:
            self._queue.setdefault(key, []).extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.log.clear()
        self.population_change = None

    def _next(self, key: str) -> str:
        with self._lock:
            q = self._queue.get(key)
            return q.pop(0) if q else "ok"

    def count(self, key: str, method: str = "GET") -> int:
        return sum(1 for m, k in self.log if k == key and m == method)

    def __enter__(self) -> Mirror:
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, method: str) -> None:
                key = self.path
                mirror.log.append((method, key))
                behaviour = mirror._next(key if method == "GET" else f"{method} {key}")
                if method == "POST" and key == PXWEB:
                    n = int(self.headers.get("Content-Length") or 0)
                    query = json.loads(self.rfile.read(n) or b"{}")
                    status, doc = pxweb_answer(
                        mirror.shared, query, change=mirror.population_change
                    )
                    resp = Response(json.dumps(doc).encode(), "application/json; charset=utf-8")
                    if status != 200:
                        return self._send(status, resp.body, resp.content_type)
                else:
                    resp = mirror.routes.get(key)  # type: ignore[assignment]
                    if resp is None:
                        return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                self._behave(behaviour, resp)

            def _behave(self, behaviour: str, resp: Response) -> None:
                body = resp.body
                if behaviour == "ok":
                    return self._send(200, body, resp.content_type)
                if behaviour in ("500", "404"):
                    page = b"<!DOCTYPE html><html><body><h1>Error</h1></body></html>"
                    return self._send(int(behaviour), page, "text/html")
                if behaviour == "timeout":
                    time.sleep(mirror.delay)
                    return self._send(200, body, resp.content_type)
                if behaviour == "html":
                    page = (
                        "<!DOCTYPE html><html><head><title>Tjänsten är inte tillgänglig</title>"
                        "</head><body><p>Försök igen senare.</p></body></html>"
                    ).encode()
                    return self._send(200, page, "text/html; charset=utf-8")
                if behaviour == "huge":
                    self.send_response(200)
                    self.send_header("Content-Type", resp.content_type)
                    self.send_header("Content-Length", str(10 * 1024**3))
                    self.end_headers()
                    self.wfile.write(body[:1000])
                    return None
                half = body[: len(body) // 2]
                self.send_response(200)
                self.send_header("Content-Type", resp.content_type)
                if behaviour in ("truncate", "slow"):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(half)
                self.wfile.flush()
                if behaviour == "slow":
                    time.sleep(30)
                self.close_connection = True
                return None

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


_ROUTES: dict[str, dict[str, Response]] = {}


def recorded_routes(shared: Path) -> dict[str, Response]:
    """The recorded responses (built once per process from the shared data)."""
    key = str(shared)
    if key not in _ROUTES:
        raw = shared / SMHI_RAW
        _ROUTES[key] = {
            SMHI_CO2: Response(raw.read_bytes(), XLSX),
            SMHI_GGT: Response(smhi_variant(raw, gas_line=GGT_LINE), XLSX),
            PXWEB: Response(
                json.dumps(pxweb_metadata(shared), ensure_ascii=False).encode(),
                "application/json; charset=utf-8",
            ),
            GCB_2019: Response(
                (
                    shared / "global" / "raw" / "GCB2019_National_Carbon_Emissions_2019v1.0.xlsx"
                ).read_bytes(),
                XLSX,
            ),
        }
    return dict(_ROUTES[key])
