"""``python -m bench.load``: the API under load, on loopback only, bounded in time.

Starts ``koldioxidbudget serve`` (uvicorn, ``--workers``) on 127.0.0.1 on a free port, then runs
``--clients`` concurrent clients for ``--seconds``: each keeps one HTTP/1.1 keep-alive connection
and asks ``/api/v1/areas/{code}/budget`` for a random area (all 312) with custom parameters — a
person at the visualiser changing zero, one or two settings from a preset's defaults
(temperature/probability cell, rate convention, allocation rule, base years, preset) — then
thinks for ``--think`` seconds (uniform, default 0.5–1.5 s; ``--think 0`` saturates the server).
Reports throughput, latency percentiles, errors and the server's memory (RSS of every server
process) at the start and end of the run. The load generator is plain asyncio over raw sockets,
so it costs little of the machine it shares with the server.

Editions come from ``$KOLDIOXIDBUDGET_EDITIONS`` (``make bench-load`` builds them first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # never anything else: load only ever goes to this machine's loopback

CELLS = [(t, p) for t in ("1.5", "1.7", "2.0") for p in ("17", "33", "50", "67", "83")]
CHOICES: dict[str, list[dict[str, str]]] = {
    "cell": [{"temperature_c": t, "probability_pct": p} for t, p in CELLS],
    "convention": [{"convention": c} for c in "ABCD"],
    "allocation": [
        {"allocation": a}
        for a in ("grandfathering", "per-capita", "blend", "contraction-convergence")
    ],
    "base_years": [{"base_years": b} for b in ("last-1", "last-3", "last-5", "trend-window")],
    "preset": [{"preset": p} for p in ("uppsala-2024-1.5", "uppsala-2022-1.7", "uppsala-2022-1.5")],
    "as_of": [{"as_of": y} for y in ("2024", "2025", "2026")],
}


def random_query(rng: random.Random, max_params: int = 2) -> dict[str, str]:
    """Settings changed from the defaults: zero, one or two (20 % / 50 % / 30 %), or with
    ``max_params`` other than 2, zero to ``max_params`` with equal chances."""
    if max_params == 2:
        k = rng.choices((0, 1, 2), weights=(2, 5, 3))[0]
    else:
        k = rng.randint(0, max_params)
    q: dict[str, str] = {}
    for kind in rng.sample(list(CHOICES), k):
        q.update(rng.choice(CHOICES[kind]))
    return q


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: latencies of requests whose parameter set no client had asked before (in this run or
    #: an earlier one against the same server: ``seen`` is shared)
    first_seen: list[float] = field(default_factory=list)
    seen: set[tuple[tuple[str, str], ...]] = field(default_factory=set)


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> tuple[int, bytes]:
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _client(
    n: int,
    port: int,
    codes: list[str],
    until: float,
    think: tuple[float, float],
    stats: Stats,
    max_params: int = 2,
) -> None:
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, max(think[1], 0.05)))  # spread the starts
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError as e:
        stats.errors.append(f"connect {type(e).__name__}")
        return
    try:
        while time.perf_counter() < until:
            q = random_query(rng, max_params)
            qkey = tuple(sorted(q.items()))
            first = qkey not in stats.seen
            stats.seen.add(qkey)
            path = f"/api/v1/areas/{rng.choice(codes)}/budget"
            if q:
                path += "?" + urllib.parse.urlencode(q)
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(_request(reader, writer, path), timeout=10)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                stats.errors.append(f"{type(e).__name__} {path}")
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            stats.latencies.append(time.perf_counter() - t0)
            if first:
                stats.first_seen.append(stats.latencies[-1])
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            if status != 200:
                stats.errors.append(f"{status} {path}")
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
    finally:
        writer.close()


def _rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, KiB (from /proc)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as r:
        return bytes(r.read())


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    code = (
        "import dataclasses; from koldioxidbudget.web import Settings; "
        "from koldioxidbudget.web.app import serve; "
        "serve(dataclasses.replace(Settings.from_env(), report_processes=1), "
        f"host={HOST!r}, port={port}, workers={workers}, "
        "log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        _wait_ready(port, workers)
    except BaseException:
        stop_server(proc)
        raise
    return proc


def _wait_ready(port: int, workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            health = json.loads(_get(port, "/api/v1/health"))
        except urllib.error.HTTPError as e:
            if e.code == 503:
                raise SystemExit(
                    "the server has no edition: run 'make editions' first (or set "
                    "KOLDIOXIDBUDGET_EDITIONS)"
                ) from None
            raise
        except OSError:
            time.sleep(0.2)
            continue
        if not health["editions"]:
            raise SystemExit("the server has no edition: run 'make editions' first")
        # every worker warms itself at start; give them all a chance to finish
        for _ in range(4 * workers):
            _get(port, "/api/v1/areas/0380/budget")
        return
    raise SystemExit("the server did not start within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


async def run_load(
    port: int,
    codes: list[str],
    *,
    clients: int,
    seconds: float,
    think: tuple[float, float],
    max_params: int = 2,
    seen: set[tuple[tuple[str, str], ...]] | None = None,
) -> tuple[Stats, float]:
    stats = Stats()
    if seen is not None:
        stats.seen = seen
    t0 = time.perf_counter()
    until = t0 + seconds
    await asyncio.gather(
        *(_client(n, port, codes, until, think, stats, max_params) for n in range(clients))
    )
    return stats, time.perf_counter() - t0


async def _sample_rss(pid: int, every: float, out: list[float]) -> None:
    while True:
        out.append(_rss_kib(pid) / 1024)
        await asyncio.sleep(every)


async def _load_with_rss(
    pid: int, port: int, codes: list[str], **kw: object
) -> tuple[Stats, float, list[float]]:
    samples: list[float] = []
    sampler = asyncio.create_task(_sample_rss(pid, 5.0, samples))
    try:
        stats, elapsed = await run_load(port, codes, **kw)  # type: ignore[arg-type]
    finally:
        sampler.cancel()
    return stats, elapsed, samples


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def _latency_figures(stats: Stats, elapsed: float) -> dict[str, float]:
    lat = stats.latencies
    first = stats.first_seen
    return {
        "first_seen": len(first),
        "first_seen_p50_ms": round(_pct(first, 0.50) * 1e3, 1),
        "first_seen_p99_ms": round(_pct(first, 0.99) * 1e3, 1),
        "requests": len(lat),
        "throughput_rps": round(len(lat) / elapsed, 1) if elapsed else float("nan"),
        "p50_ms": round(_pct(lat, 0.50) * 1e3, 1),
        "p90_ms": round(_pct(lat, 0.90) * 1e3, 1),
        "p99_ms": round(_pct(lat, 0.99) * 1e3, 1),
        "max_ms": round(max(lat) * 1e3, 1) if lat else float("nan"),
        "mean_ms": round(statistics.fmean(lat) * 1e3, 1) if lat else float("nan"),
        "errors": len(stats.errors),
    }


def on_demand_reports(port: int, codes: list[str], n: int, seed: int = 7) -> dict[str, list[float]]:
    """Seconds for report PDFs asked one at a time: ``n`` areas never rendered before, each with
    custom parameters ("new area"), then the same areas with other parameters ("same area")."""
    rng = random.Random(seed)
    out: dict[str, list[float]] = {"new area": [], "same area": []}
    picked = rng.sample(codes, n)
    for kind in out:
        for code in picked:
            q = urllib.parse.urlencode({"lang": "sv", **random_query(rng)})
            t0 = time.perf_counter()
            body = _get(port, f"/api/v1/areas/{code}/report.pdf?{q}")
            out[kind].append(time.perf_counter() - t0)
            if not body.startswith(b"%PDF"):
                raise SystemExit(f"the report of {code} is not a PDF")
    return out


def _wait_prefilled(port: int, limit: float) -> float | None:
    """Seconds until the renderers have converted every area's charts (None: not within
    ``limit``; the reports are then timed anyway)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if json.loads(_get(port, "/api/v1/health"))["renderers"].get("prefilled"):
            return time.perf_counter() - t0
        time.sleep(2.0)
    return None


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(prog="python -m bench.load")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0, help="the measured run")
    ap.add_argument(
        "--warmup",
        type=float,
        default=20.0,
        help="the same load before the measured run, reported apart (caches fill)",
    )
    ap.add_argument("--workers", type=int, default=2)  # one per core of this 2-core machine
    ap.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    ap.add_argument(
        "--max-params",
        type=int,
        default=2,
        help="settings changed per request: 2 = zero to two (20/50/30 %%); else 0..N evenly",
    )
    ap.add_argument("--reports", type=int, default=6, help="on-demand PDFs timed after the load")
    ap.add_argument(
        "--prefill-wait",
        type=float,
        default=400.0,
        help="wait at most this long for the chart store to be filled before timing reports",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if args.seconds + args.warmup > 600 or args.prefill_wait > 900:
        raise SystemExit("a load run is bounded: at most 600 s of load and 900 s of waiting")

    port = _free_port()
    proc = start_server(port, args.workers)
    try:
        areas = json.loads(_get(port, "/api/v1/areas"))["areas"]
        codes = [a["code"] for a in areas]
        rss_boot = _rss_kib(proc.pid)
        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        seen: set[tuple[tuple[str, str], ...]] = set()
        load = dict(
            clients=args.clients, think=tuple(args.think), max_params=args.max_params, seen=seen
        )
        warm_stats, warm_elapsed, warm_rss = (Stats(), 0.0, [])
        if args.warmup > 0:
            warm_stats, warm_elapsed, warm_rss = asyncio.run(
                _load_with_rss(proc.pid, port, codes, seconds=args.warmup, **load)
            )
        rss_start = _rss_kib(proc.pid)
        stats, elapsed, samples = asyncio.run(
            _load_with_rss(proc.pid, port, codes, seconds=args.seconds, **load)
        )
        rss_end = _rss_kib(proc.pid)
        caches = json.loads(_get(port, "/api/v1/health"))["caches"]
        prefill_wait = _wait_prefilled(port, args.prefill_wait) if args.reports else None
        reports = on_demand_reports(port, codes, args.reports) if args.reports else {}
    finally:
        stop_server(proc)

    both = Stats(
        latencies=warm_stats.latencies + stats.latencies,
        errors=warm_stats.errors + stats.errors,
        first_seen=warm_stats.first_seen + stats.first_seen,
    )
    figures: dict[str, object] = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        **_latency_figures(stats, elapsed),
        "warmup_seconds": round(warm_elapsed, 1),
        "warmup": _latency_figures(warm_stats, warm_elapsed),
        # what the issue judges: the whole run, warm-up included
        "with_warmup": _latency_figures(both, warm_elapsed + elapsed),
        "rss_boot_mib": round(rss_boot / 1024, 1),
        "rss_start_mib": round(rss_start / 1024, 1),
        "rss_end_mib": round(rss_end / 1024, 1),
        "rss_every_5s_mib": [round(x) for x in warm_rss + samples],
        "prefill_wait_s": None if prefill_wait is None else round(prefill_wait, 1),
        "report_pdf_s": {k: [round(x, 2) for x in v] for k, v in reports.items()},
        "report_pdf_median_s": {k: round(statistics.median(v), 2) for k, v in reports.items()},
    }
    if args.json:
        print(json.dumps(figures))
    else:
        w = figures["warmup"]
        a = figures["with_warmup"]
        assert isinstance(w, dict) and isinstance(a, dict)
        print(
            f"{args.clients} clients, {args.workers} workers, think {args.think[0]}–"
            f"{args.think[1]} s; measured {elapsed:.0f} s after {warm_elapsed:.0f} s of warm-up: "
            f"{figures['requests']} requests, {figures['throughput_rps']} req/s; latency p50 "
            f"{figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, p99 {figures['p99_ms']} ms, "
            f"max {figures['max_ms']} ms; errors {figures['errors']}\n"
            f"  warm-up (cold caches): p50 {w['p50_ms']} ms, p99 {w['p99_ms']} ms, max "
            f"{w['max_ms']} ms, errors {w['errors']}\n"
            f"  whole run, warm-up included: p99 {a['p99_ms']} ms, max {a['max_ms']} ms; "
            f"{a['first_seen']} parameter sets asked for the first time: p50 "
            f"{a['first_seen_p50_ms']} ms, p99 {a['first_seen_p99_ms']} ms\n"
            f"  server RSS {figures['rss_boot_mib']} MiB at start, {figures['rss_start_mib']} → "
            f"{figures['rss_end_mib']} MiB over the measured run; every 5 s "
            f"{figures['rss_every_5s_mib']}\n"
            f"  one worker's caches: {caches['runs']['items']} runs "
            f"({caches['runs']['bytes'] / 2**20:.0f} MiB), {caches['responses']['items']} "
            f"responses ({caches['responses']['bytes'] / 2**20:.0f} MiB)\n"
            f"  charts of every area prefilled {figures['prefill_wait_s']} s after the load\n"
            f"  on-demand PDF, seconds: {figures['report_pdf_s']}; medians "
            f"{figures['report_pdf_median_s']}"
        )
        for e in (warm_stats.errors + stats.errors)[:5]:
            print("  error:", e)
    return figures


if __name__ == "__main__":
    main()
