"""Server settings: one frozen object, built in code (tests, benchmarks) or from the environment
(``koldioxidbudget serve`` passes its options to every worker through ``KOLDIOXIDBUDGET_*``)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParameterError
from ..settings import environment, variable

__all__ = ["Settings"]

# one CSP source expression: *, 'self', 'none', or scheme://host[:port] with an optional *. prefix
_SOURCE = re.compile(r"^(\*|'self'|'none'|https?:|https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?)$")

#: Settings field -> the ``settings.Environment`` field (its ``KOLDIOXIDBUDGET_*`` variable)
_ENV = {
    "editions": "editions",
    "site": "site",
    "frame_ancestors": "frame_ancestors",
    "request_timeout_s": "request_timeout",
    "report_timeout_s": "report_timeout",
    "header_timeout_s": "header_timeout",
    "report_processes": "report_processes",
    "cache_dir": "cache",
}


@dataclass(frozen=True)
class Settings:
    """What a server needs to know; every field has a safe default.

    ``editions``: the editions folder (default ``$KOLDIOXIDBUDGET_EDITIONS``, see ``edition.py``).
    ``site``: a built static site served at ``/`` when the folder exists (optional).
    ``frame_ancestors``: who may embed our pages in a frame, as CSP sources separated by spaces
    (default ``*``: anyone, so municipalities can embed the visualiser; ``'self'`` or
    ``'none'`` to forbid it).
    The limits protect the server: URL length, request body, time per computation and per
    report, how long a client may take to send a request's headers (``serve``), how many
    computations and report renderings run at once per worker, and the sizes of the in-memory
    caches (so memory stays flat whatever clients ask for).
    ``warm``: load the newest edition and compute its default budgets at startup.
    ``report_processes``: render reports in that many warm processes per worker
    (``render.pool``: the API's event loop never waits for a renderer).
    ``cache_dir``: where converted charts are kept (``<cache_dir>/charts``; default: a
    ``cache`` folder beside the editions folder). ``prefill_charts``: have a low-priority
    process convert every area's charts there after startup, so a report of any area converts
    only the charts its parameters change; 0 renders them in a thread of this process (tests). ``serve`` uses 1.
    """

    editions: Path | None = None
    site: Path | None = None
    frame_ancestors: str = "*"
    max_url_bytes: int = 4096
    max_body_bytes: int = 1024
    request_timeout_s: float = 10.0
    report_timeout_s: float = 60.0
    header_timeout_s: float = 10.0
    compute_threads: int = 4
    report_threads: int = 2
    run_cache_mb: float = 48.0
    inventory_cache_items: int = 16
    response_cache_mb: float = 32.0
    download_cache_mb: float = 96.0
    report_cache_mb: float = 128.0
    warm: bool = True
    report_processes: int = 0
    cache_dir: Path | None = None
    prefill_charts: bool = True

    def __post_init__(self) -> None:
        sources = self.frame_ancestors.split()
        bad = [s for s in sources if not _SOURCE.match(s)]
        if not sources or bad:
            raise ParameterError(
                key="frame_ancestors_invalid", value=self.frame_ancestors, bad=", ".join(bad) or "–"
            )
        if min(self.request_timeout_s, self.report_timeout_s, self.header_timeout_s) <= 0:
            raise ParameterError(key="time_limits_not_positive")

    def chart_store(self, editions_root: Path) -> Path:
        """The folder of converted charts (see ``cache_dir``)."""
        return (self.cache_dir or editions_root.parent / "cache") / "charts"

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from the ``KOLDIOXIDBUDGET_*`` variables (unset ones keep their defaults)."""
        env = environment()
        values = {name: getattr(env, var) for name, var in _ENV.items()}
        return cls(**{k: v for k, v in values.items() if v is not None})

    def to_env(self) -> dict[str, str]:
        """The environment variables that make ``from_env`` return these settings."""
        out: dict[str, str] = {}
        for name, var in _ENV.items():
            value = getattr(self, name)
            default = next(f.default for f in dataclasses.fields(self) if f.name == name)
            if value is not None and value != default:
                out[variable(var)] = str(value)
        return out
