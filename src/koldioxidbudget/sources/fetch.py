"""Download the publishers' current files into a source folder that ``data build`` reads.

What is fetched, and where it lands, is declared in ``registry.REMOTES`` (the table in
``docs/data-format.md``): SMHI's Länsrapport exports (fossil CO2, all greenhouse gases), SCB's
region codes and population (PxWeb API, converted to the tidy CSVs the build reads:
:mod:`.scb_fetch`) and the Global Carbon Project's national workbook (kept for the record).

This module runs a fetch: each remote's function (``Remote.fetch``) downloads through
:mod:`.download` (timeouts, retries with backoff, size limit, verification) and stores through
:mod:`.store` (atomic, never losing a file: a replaced file is kept under a dated name; the run
is logged in ``fetch-manifest.json``). A remote that fails leaves the folder's files for it as
they were.

Base URLs are settings: ``KOLDIOXIDBUDGET_FETCH_BASE_SMHI``, ``…_SCB``, ``…_GCB``, or one
mirror (``KOLDIOXIDBUDGET_FETCH_MIRROR`` / ``--from-mirror URL``) that serves every publisher
under ``<mirror>/<publisher host>/<path>``. Tests point them at a local server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..errors import KoldioxidbudgetError
from ..settings import sources_folder
from . import registry, store
from .download import DEFAULT_BASES, FetchError, FetchSettings, download, open_client
from .registry import Remote
from .scb_fetch import official_name, pxweb_population, pxweb_regions
from .store import MANIFEST, Fetched

__all__ = [
    "BUILD_INPUTS",
    "DEFAULT_BASES",
    "MANIFEST",
    "REMOTES",
    "FetchError",
    "FetchResult",
    "FetchRun",
    "FetchSettings",
    "Fetched",
    "default_into",
    "fetch_sources",
    "official_name",
    "pxweb_population",
    "pxweb_regions",
]

log = logging.getLogger(__name__)

#: Every remote id, in the order fetched (``registry.REMOTES``).
REMOTES: tuple[str, ...] = registry.remote_ids()

#: The files ``data build`` needs besides the emissions (``registry.build_inputs``); a fetch
#: seeds those no publisher serves from ``seed_from`` and reports the ones still missing.
BUILD_INPUTS: tuple[str, ...] = registry.build_inputs()


@dataclass(frozen=True)
class FetchResult:
    """What a fetch stored and what failed (remote id → message); ``missing`` lists build inputs
    the folder still lacks (files no publisher serves, such as the hand-kept budget table).
    ``failures`` holds the errors themselves (remote id → error, ``str`` of which is the message),
    for a message in the user's language (``localized``)."""

    into: Path
    files: tuple[Fetched, ...]
    errors: dict[str, str]
    missing: tuple[str, ...] = ()
    failures: dict[str, KoldioxidbudgetError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FetchRun:
    """One fetch: what each remote's function (``Remote.fetch(run, remote)``) downloads with
    (:meth:`download`) and stores with (:meth:`store`, :meth:`store_bytes`), and what it stored."""

    into: Path
    settings: FetchSettings
    client: httpx.Client
    manifest: dict[str, Any]
    sleep: Callable[[float], None]
    files: list[Fetched] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    failures: dict[str, KoldioxidbudgetError] = field(default_factory=dict)
    #: what one remote leaves for a later one (the municipalities ``scb-population`` asks for)
    shared: dict[str, Any] = field(default_factory=dict)

    def url(self, remote: Remote, **values: str) -> str:
        """``remote``'s URL on its (configured) base, its path filled in with ``values``."""
        path = remote.path.format(**(remote.vars | values))
        return self.settings.bases[remote.base].rstrip("/") + path

    def download(
        self,
        remote: Remote,
        *,
        url: str,
        verify: Callable[[Path], Any],
        body: bytes | None = None,
    ) -> tuple[Any, Path, str, int]:
        """Download ``url`` into a temporary file in ``remote``'s folder and verify it;
        returns (verify's result, the temporary file, sha256, bytes)."""
        d = self.into / remote.raw_dir
        d.mkdir(parents=True, exist_ok=True)
        tmp = store.part_name(d, remote.id)
        result, sha, n = download(
            self.client,
            self.settings,
            method=remote.method,
            url=url,
            tmp=tmp,
            body=body,
            verify=verify,
            sleep=self.sleep,
        )
        return result, tmp, sha, n

    def store(
        self,
        remote: str,
        tmp: Path,
        rel: str,
        *,
        url: str,
        sha: str,
        n: int,
        derived_from: str | None = None,
    ) -> Fetched:
        """Move the verified ``tmp`` to ``rel`` (``store.store``) and record it."""
        dest = self.into / rel
        day = store.day_of(dest, self.manifest, rel)
        status, archived = store.store(tmp, dest, sha=sha, day_of_old=day)
        rec = Fetched(
            remote=remote,
            path=rel,
            url=url,
            sha256=sha,
            bytes=n,
            fetched_at=store.now(),
            status=status,
            archived_as=str(Path(rel).with_name(archived)) if archived else None,
            derived_from=derived_from,
        )
        self.files.append(rec)
        log.info("%s: %s %s", remote, status, rel)
        return rec

    def store_bytes(
        self, remote: str, data: bytes, rel: str, *, url: str, derived_from: str
    ) -> Fetched:
        """Store ``data`` (a file converted from a download) as ``rel`` and record it."""
        tmp = store.write_part(self.into / rel, data)
        sha = hashlib.sha256(data).hexdigest()
        return self.store(
            remote, tmp, rel, url=url, sha=sha, n=len(data), derived_from=derived_from
        )


def fetch_sources(
    into: str | Path,
    *,
    settings: FetchSettings | None = None,
    only: Iterable[str] | None = None,
    seed_from: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Download every remote of ``REMOTES`` (or ``only`` those) into the source folder ``into``.

    A remote that fails is reported in ``FetchResult.errors`` and leaves the folder's files for it
    as they were; the others are still stored. ``seed_from`` copies the build inputs no publisher
    serves (global budget table, cement plants, GCB/OWID tidy files) from another source folder
    when ``into`` lacks them. The run is appended to ``fetch-manifest.json``. ``transport`` and
    ``sleep`` are for tests (a mock publisher, no real waits between retries).
    """
    settings = settings or FetchSettings.from_env()
    want = list(only) if only is not None else list(REMOTES)
    unknown = [r for r in want if r not in REMOTES]
    if unknown:
        from ..errors import ParameterError

        raise ParameterError(
            key="unknown_remote",
            value=unknown[0],
            valid=REMOTES,
        )
    root = Path(into)
    root.mkdir(parents=True, exist_ok=True)
    store.remove_stale_parts(root)
    manifest = store.read_manifest(root)
    started = store.now()
    with open_client(settings, transport) as client:
        run = FetchRun(root, settings, client, manifest, sleep)
        for remote_id in want:
            if progress:
                progress(remote_id)
            remote = registry.remote(remote_id)
            try:
                remote.fetch(run, remote)
            except KoldioxidbudgetError as e:
                run.errors[remote_id] = str(e)
                run.failures[remote_id] = e
                log.warning("%s failed: %s", remote_id, e)
    seeded = store.seed(root, Path(seed_from), BUILD_INPUTS) if seed_from else []
    manifest.setdefault("runs", []).append(
        {
            "started_at": started,
            "finished_at": store.now(),
            "bases": settings.bases,
            "files": [dataclasses.asdict(f) for f in run.files],
            "errors": run.errors,
            "seeded_from": str(seed_from) if seed_from else None,
            "seeded": seeded,
        }
    )
    store.write_manifest(root, manifest)
    return FetchResult(
        into=root,
        files=tuple(run.files),
        errors=run.errors,
        missing=store.missing(root, BUILD_INPUTS),
        failures=run.failures,
    )


def default_into() -> Path:
    """Where ``data fetch`` stores files by default (``settings.sources_folder``: where
    ``data build`` looks for them too)."""
    return sources_folder()
