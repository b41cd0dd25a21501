"""Editions: immutable snapshots of the official data, one per consistent data release.

An edition is a directory ``<editions>/<id>/`` holding ``manifest.json`` and one CSV per table
(``schema.COLUMNS``). Its id is ``<gas>-<release>-<hash>``: the hash covers every input file's
SHA-256 and the table format version, so the same inputs always give the same id and the same
table bytes. A build writes into a temporary sibling directory and renames it into place, so an
interrupted build never leaves a half edition behind (temporary directories start with ``.tmp-``
and are never listed). Loading never touches the network.

Every build runs the guards of ``edition_checks`` and stores their report in the edition as
``checks.json``. The *current* edition of a gas is the newest one whose report passed; it is
recorded in ``<editions>/current.json``, replaced atomically after each build, so a build that
fails a hard check, or is interrupted at any point, leaves the previous edition current.

Where editions live: ``$KOLDIOXIDBUDGET_EDITIONS``, else ``$XDG_DATA_HOME/koldioxidbudget/editions``
(``~/.local/share/koldioxidbudget/editions``). Where sources live: ``$KOLDIOXIDBUDGET_SOURCES``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import io
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachetools import LRUCache

from .errors import EditionError
from .files import exclusive, remove_stale_temporaries
from .schema import COLUMNS, GAS_CO2, Tables
from .settings import editions_folder, environment, sources_folder
from .sources import registry

if TYPE_CHECKING:  # pandas is imported by what reads or writes tables, not to resolve an id
    import pandas as pd

__all__ = [
    "CURRENT_FILE",
    "FORMAT_VERSION",
    "EditionInfo",
    "build_editions",
    "check_report",
    "current_editions",
    "current_since",
    "edition_before",
    "editions_dir",
    "held_or_busy",
    "list_editions",
    "load_edition",
    "pinned_editions",
    "previous_edition",
    "resolve_edition",
    "scan_editions",
    "sources_dir",
    "use_edition",
    "write_edition",
]

log = logging.getLogger(__name__)

#: Version of the table format; part of every edition id.
FORMAT_VERSION = "3"

#: The pointer file naming each gas's current edition (``{"CO2": id, ...}``).
CURRENT_FILE = "current.json"
#: held while a build writes editions (two builds into one folder never collide)
BUILD_LOCK_FILE = ".build.lock"

#: every column's type when an edition is loaded (a column name means one thing in every table)
_COLUMN_TYPES: dict[str, type] = {
    "code": str,
    "name": str,
    "level": str,
    "lan_code": str,
    "official_name": str,
    "release": str,
    "sector": str,
    "subsector": str,
    "source_id": str,
    "verification": str,
    "entity": str,
    "facility": str,
    "kind": str,
    "year": int,
    "budget_from": int,
    "probability_pct": int,
    "population": int,
    "emissions_t": float,
    "temperature_c": float,
    "budget_gt": float,
    "world_fossil_mt": float,
    "world_luc_mt": float,
    "sweden_fossil_mt": float,
    "emissions_mt": float,
    "aviation_t": float,
    "shipping_t": float,
}
_DTYPES: dict[str, dict[str, Any]] = {
    name: {c: _COLUMN_TYPES[c] for c in cols} for name, cols in COLUMNS.items()
}
_SORT: dict[str, list[str]] = {
    "areas": ["code"],
    "emissions": ["code", "year", "sector"],
    "subsectors": ["code", "year", "sector", "subsector"],
    "population": ["code", "year"],
    "global_budgets": ["source_id", "temperature_c", "probability_pct"],
    "global_emissions": ["year"],
    "blocs": ["entity", "year"],
    "facilities": ["code", "facility", "year"],
    "ghg_sectors": ["release", "code", "year", "sector"],
    "international_transport": ["year"],
}


def sources_dir(path: str | Path | None = None) -> Path:
    """The folder with the official source files: ``path``, else ``$KOLDIOXIDBUDGET_SOURCES``,
    else where ``data fetch`` puts them (``settings.sources_folder``) if it has."""
    d = Path(path) if path else sources_folder()
    if d.is_dir():
        return d
    if path or environment().sources:
        raise EditionError(key="source_folder_missing", folder=str(d))
    raise EditionError(key="no_source_folder")


def editions_dir(path: str | Path | None = None) -> Path:
    """The folder editions are written to and read from (``settings.editions_folder``)."""
    return Path(path) if path else editions_folder()


@dataclass(frozen=True)
class EditionInfo:
    """An edition's manifest, as listed."""

    id: str
    gas: str
    release: str
    path: Path
    manifest: dict[str, Any]

    @property
    def last_data_year(self) -> int:
        return int(self.manifest["last_data_year"])

    @property
    def built_at(self) -> str:
        return str(self.manifest["built_at"])


# ---------------------------------------------------------------------------------------------
# build


@dataclass(frozen=True)
class _Release:
    gas: str
    release: str
    publisher: str
    files: tuple[Path, ...]
    read: Callable[..., Any]  # called as read(areas=...)
    source: str  # the registry's source id


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _common_inputs(src: Path) -> dict[str, Path]:
    """The files every edition reads (manifest role → path; ``registry.table_sources``), in
    the registry's order; an optional one only when the folder holds it. ``EditionError`` when
    a required one is missing."""
    files: dict[str, Path] = {}
    missing: list[str] = []
    for source in registry.table_sources():
        paths = {f.role: src / f.path for f in source.files}
        absent = [f"{k} ({p.relative_to(src)})" for k, p in paths.items() if not p.is_file()]
        if not absent:
            files |= paths
        elif not source.optional:
            missing += absent
    if missing:
        raise EditionError(
            key="sources_incomplete",
            folder=str(src),
            missing=", ".join(missing),
        )
    return files


def _discover_releases(src: Path) -> list[_Release]:
    """Every emissions release in the source folder (``registry.release_sources``): one per
    gas and release, an earlier source winning over a later one (the raw Excel over a tidy CSV of
    the same release) and, within a source found by pattern, the last file in name order."""
    found: dict[tuple[str, str], _Release] = {}
    for source in registry.release_sources():
        for gas, release, paths in _release_files(src, source):
            key = (gas, release)
            if key in found and found[key].source != source.id:
                continue
            found[key] = _Release(
                gas,
                release,
                source.publisher,
                tuple(p for p in paths if p is not None),
                functools.partial(source.read, paths),
                source.id,
            )
    if not found:
        raise EditionError(
            key="no_smhi_export",
            folder=str(src / registry.EMISSIONS_DIR),
        )
    return [found[k] for k in sorted(found)]


def _release_files(
    src: Path, source: registry.Source
) -> Iterator[tuple[str, str, list[Path | None]]]:
    """(gas, release, files) of each release ``source`` finds in ``src``: one per file matching
    its pattern (gas and release read from the file), else one when its required files exist
    (an absent optional file is None)."""
    if source.peek is not None:
        for x in sorted(src.glob(source.files[0].path)):
            gas, release = source.peek(x)
            yield gas, release, [x]
        return
    paths = [src / f.path for f in source.files]
    if (
        source.gas
        and source.release
        and all(p.is_file() for f, p in zip(source.files, paths, strict=True) if not f.optional)
    ):
        yield source.gas, source.release, [p if p.is_file() else None for p in paths]


def _to_csv_bytes(df: pd.DataFrame, name: str) -> bytes:
    cols = list(COLUMNS[name])
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise EditionError(key="table_lacks_columns", name=name, missing=", ".join(missing))
    out = df[cols].sort_values(_SORT[name], kind="mergesort").reset_index(drop=True)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _edition_id(gas: str, release: str, input_hashes: list[str]) -> str:
    h = hashlib.sha256(
        ("\n".join([FORMAT_VERSION, gas, release, *sorted(input_hashes)])).encode()
    ).hexdigest()
    return f"{gas.lower()}-{release}-{h[:8]}"


def build_editions(
    *,
    sources: str | Path | None = None,
    into: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[EditionInfo]:
    """Build one edition per release found in the source folder (skipping ones already built).

    Returns the editions in the order built. Raises ``SourceError`` for malformed inputs and
    ``EditionError`` for missing ones; nothing half-written is ever left in ``into``. Two builds
    into one folder at once cannot collide: the second stops with ``EditionError``.
    """
    src = sources_dir(sources)
    dest = editions_dir(into)
    busy = EditionError(
        key="build_locked",
        folder=str(dest),
    )
    with held_or_busy(dest / BUILD_LOCK_FILE, busy):
        return _build_locked(src, dest, progress)


@contextlib.contextmanager
def held_or_busy(lock_file: Path, busy: EditionError) -> Iterator[None]:
    """Hold ``lock_file`` (``files.exclusive``) for the block; raise ``busy`` at once when
    another process holds it."""
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(exclusive(lock_file))
        except BlockingIOError:
            raise busy from None
        yield


def _build_locked(
    src: Path, dest: Path, progress: Callable[[str], None] | None
) -> list[EditionInfo]:
    """:func:`build_editions` once it holds the folder's build lock."""
    import pandas as pd

    from .method.budget import METHOD_VERSION

    remove_stale_temporaries(dest)
    common = _common_inputs(src)
    hashes = {k: _sha256(p) for k, p in common.items()}
    publishers: dict[str, str] = {}
    shared_tables: dict[str, pd.DataFrame] = {}
    for source in registry.table_sources():  # areas first: the others check codes against it
        assert source.table is not None
        roles = [f.role for f in source.files]
        publishers |= {f.role: source.publisher_of(f) for f in source.files}
        if all(r in common for r in roles):
            paths: list[Path | None] = [common[r] for r in roles]
            shared_tables[source.table] = source.read(paths, areas=shared_tables.get("areas"))
        else:  # an optional source the folder lacks
            shared_tables[source.table] = pd.DataFrame(columns=list(COLUMNS[source.table]))
    areas = shared_tables["areas"]
    built: list[EditionInfo] = []
    releases = _discover_releases(src)
    read: dict[tuple[str, str], Any] = {}

    def release_of(rel: _Release) -> Any:
        if (rel.gas, rel.release) not in read:
            read[(rel.gas, rel.release)] = rel.read(areas=areas)
        return read[(rel.gas, rel.release)]

    ghg = [r for r in releases if r.gas != GAS_CO2]
    for rel in releases:
        indicators = ghg if rel.gas == GAS_CO2 else []
        rel_hashes = {str(p.relative_to(src)): _sha256(p) for p in rel.files}
        ind_hashes = {str(p.relative_to(src)): _sha256(p) for r in indicators for p in r.files}
        all_hashes = list(rel_hashes.values()) + list(ind_hashes.values()) + list(hashes.values())
        eid = _edition_id(rel.gas, rel.release, all_hashes)
        final = dest / eid
        if (final / "manifest.json").is_file():
            log.info("edition %s already built", eid)
            if progress:
                progress(f"{eid} (already built)")
            built.append(_info(final))
            continue
        if progress:
            progress(eid)
        release = release_of(rel)
        tables = dict(
            shared_tables,
            emissions=release.emissions,
            subsectors=release.subsectors,
            ghg_sectors=_ghg_sectors([(r.release, release_of(r)) for r in indicators], areas),
        )
        years = sorted(int(y) for y in release.emissions["year"].unique())
        manifest: dict[str, Any] = {
            "id": eid,
            "gas": rel.gas,
            "release": rel.release,
            "publisher": rel.publisher,
            "data_years": years,
            "last_data_year": years[-1],
            "format_version": FORMAT_VERSION,
            "method_version": METHOD_VERSION,
            "built_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
            "unallocated_t": {
                str(int(r.year)): float(r.emissions_t)
                for r in release.unallocated.itertuples(index=False)
            },
            "inputs": [
                {
                    "role": "emissions",
                    "path": k,
                    "sha256": v,
                    "bytes": (src / k).stat().st_size,
                    "publisher": rel.publisher,
                    "vintage": rel.release,
                }
                for k, v in rel_hashes.items()
            ]
            + [
                {
                    "role": "nowcast_ghg",
                    "path": str(p.relative_to(src)),
                    "sha256": ind_hashes[str(p.relative_to(src))],
                    "bytes": p.stat().st_size,
                    "publisher": r.publisher,
                    "vintage": r.release,
                }
                for r in indicators
                for p in r.files
            ]
            + [
                {
                    "role": k,
                    "path": str(common[k].relative_to(src)),
                    "sha256": hashes[k],
                    "bytes": common[k].stat().st_size,
                    "publisher": publishers[k],
                    "vintage": None,
                }
                for k in common
            ],
            "tables": {},
        }
        report = _check(eid, rel.gas, rel.release, tables, dest)
        write_edition(tables, manifest, into=dest, extra_files={"checks.json": report.to_json()})
        if not report.passed:
            log.warning("edition %s fails the hard checks; it does not become current", eid)
        _update_current(dest)
        built.append(_info(final))
    _update_current(dest)  # also after a build that only found editions already built
    return built


def _ghg_sectors(releases: list[tuple[str, Any]], areas: pd.DataFrame) -> pd.DataFrame:
    """The municipal main-sector rows of each greenhouse-gas release, tagged with the release."""
    import pandas as pd

    municipal = set(areas.loc[areas["level"] == "kommun", "code"])
    parts = [
        r.emissions[r.emissions["code"].isin(municipal)].assign(release=label)
        for label, r in releases
    ]
    cols = list(COLUMNS["ghg_sectors"])
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def _check(eid: str, gas: str, release: str, tables: dict[str, pd.DataFrame], dest: Path) -> Any:
    """The guards' report on a new edition, against the edition before it (``edition_before``)."""
    from .edition_checks import check_edition

    new = Tables(edition_id=eid, gas=gas, release=release, **tables)
    before = edition_before(gas, release, exclude=eid, into=dest)
    previous = load_edition(before.id, gas=None, into=dest) if before else None
    return check_edition(new, previous=previous)


def edition_before(
    gas: str,
    release: str,
    *,
    built_at: str | None = None,
    exclude: str | None = None,
    into: str | Path | None = None,
) -> EditionInfo | None:
    """The one definition of "the previous edition": the newest edition of ``gas`` that passed
    the hard checks and comes before (``release``, ``built_at``) in the order editions are listed
    (release, then build time), ``exclude`` left out; None when there is none. Without
    ``built_at`` (an edition being built) every edition of an earlier or the same release counts.
    A new greenhouse-gas release rebuilds the CO2 edition of the same CO2 release: the edition it
    replaces is its previous one. The build checks compare against it, "what changed" explains the
    change since it."""
    from .edition_checks import passed

    key = (release, built_at if built_at is not None else "\uffff")
    older = [
        e
        for e in list_editions(into)
        if e.gas == gas and e.id != exclude and (e.release, e.built_at) < key and passed(e.path)
    ]
    return older[-1] if older else None


def previous_edition(
    edition: str | None = None, *, gas: str | None = GAS_CO2, into: str | Path | None = None
) -> EditionInfo | None:
    """The edition before ``edition`` (default: the current one), see :func:`edition_before`."""
    info = resolve_edition(edition, gas=gas, into=into)
    return edition_before(
        info.gas, info.release, built_at=info.built_at, exclude=info.id, into=into
    )


def check_report(
    edition: str | None = None, *, into: str | Path | None = None, recheck: bool = False
) -> Any:
    """The checks report of an edition (default: the current CO2 one): the one stored at build
    time, or, with ``recheck`` (or for editions built before the checks), a fresh run against
    the edition before it."""
    from .edition_checks import check_edition, read_report

    info = resolve_edition(edition, gas=None if edition else GAS_CO2, into=into)
    stored = None if recheck else read_report(info.path)
    if stored is not None:
        return stored
    before = edition_before(
        info.gas, info.release, built_at=info.built_at, exclude=info.id, into=into
    )
    previous = load_edition(before.id, gas=None, into=into) if before else None
    return check_edition(load_edition(info.id, gas=None, into=into), previous=previous)


def current_editions(into: str | Path | None = None) -> dict[str, str]:
    """The current edition id per gas, as the pointer file records it (empty if none)."""
    cur = _pointer(editions_dir(into)).get("current", {})
    return {str(k): str(v) for k, v in cur.items()} if isinstance(cur, dict) else {}


def _pointer(dest: Path) -> dict[str, Any]:
    """The pointer file's document (``current``, ``pinned``, ``updated_at``; empty if none)."""
    try:
        data = json.loads((dest / CURRENT_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pinned_editions(into: str | Path | None = None) -> dict[str, str]:
    """The editions ``data use`` pinned, per gas: builds leave those current (empty if none)."""
    pins = _pointer(editions_dir(into)).get("pinned", {})
    return {str(k): str(v) for k, v in pins.items()} if isinstance(pins, dict) else {}


def current_since(into: str | Path | None = None) -> str | None:
    """When the pointer file last changed which editions are current (ISO 8601, UTC)."""
    value = _pointer(editions_dir(into)).get("updated_at")
    return str(value) if value else None


def _write_pointer(dest: Path, current: dict[str, str], pinned: dict[str, str]) -> bool:
    """Write the pointer file atomically (temporary file, fsync, rename), only when the current
    or pinned editions change: a build that changes nothing leaves the file and its time as they
    are. Returns whether it wrote."""
    old = _pointer(dest)
    if old.get("current") == current and (old.get("pinned") or {}) == pinned:
        return False
    doc: dict[str, Any] = {
        "current": current,
        "updated_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
    }
    if pinned:
        doc["pinned"] = pinned
    tmp = dest / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest / CURRENT_FILE)
    return True


def _update_current(dest: Path) -> None:
    """Point each gas at its newest edition that passed the checks, or at the edition ``data
    use`` pinned (written atomically, and only when something changes)."""
    from .edition_checks import passed

    current: dict[str, str] = {}
    listed = list_editions(dest)
    for e in listed:  # oldest release first, so the newest passing one wins
        if passed(e.path):
            current[e.gas] = e.id
    ids = {e.id for e in listed}
    pinned = {g: i for g, i in pinned_editions(dest).items() if i in ids}
    current.update(pinned)
    _write_pointer(dest, current, pinned)


def use_edition(
    edition: str | None, *, gas: str | None = None, into: str | Path | None = None
) -> dict[str, str]:
    """Make ``edition`` (an id or unique prefix) the current edition of its gas and pin it there,
    so later builds leave it current (a roll-back); ``None`` removes the pin of ``gas`` (every
    gas when ``gas`` is None) and makes the newest passing edition current again. Returns the
    current editions. An edition that failed the hard checks cannot be made current."""
    from .edition_checks import passed

    dest = editions_dir(into)
    pinned = pinned_editions(dest)
    if edition is None:
        pinned = {g: i for g, i in pinned.items() if gas is not None and g != gas}
    else:
        info = resolve_edition(edition, gas=None, into=dest)
        if not passed(info.path):
            raise EditionError(
                key="use_failed_edition",
                edition=info.id,
            )
        pinned[info.gas] = info.id
    current: dict[str, str] = {}
    for e in list_editions(dest):
        if passed(e.path):
            current[e.gas] = e.id
    current.update(pinned)
    _write_pointer(dest, current, pinned)
    return current


def write_edition(
    tables: dict[str, pd.DataFrame],
    manifest: dict[str, Any],
    *,
    into: Path,
    extra_files: dict[str, bytes] | None = None,
) -> Path:
    """Write ``tables`` and ``manifest`` as edition ``manifest['id']`` under ``into``, atomically.

    ``extra_files`` (name → bytes, e.g. the checks report) are written into the edition too.

    Files go to a temporary sibling directory that is renamed into place at the end, so readers
    never see a half-written edition; on any failure the temporary directory is removed.
    """
    eid = str(manifest["id"])
    final = into / eid
    tmp = into / f".tmp-{eid}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    manifest = dict(manifest, tables={})
    try:
        for name, df in tables.items():
            data = _to_csv_bytes(df, name)
            (tmp / f"{name}.csv").write_bytes(data)
            manifest["tables"][name] = {
                "file": f"{name}.csv",
                "rows": len(df),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        for name, data in (extra_files or {}).items():
            (tmp / name).write_bytes(data)
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


# ---------------------------------------------------------------------------------------------
# list / load


#: what a manifest must hold for its edition to be listed at all
_MANIFEST_KEYS = ("id", "gas", "release", "built_at", "data_years", "last_data_year")


def _info(path: Path) -> EditionInfo:
    """The manifest of the edition in ``path``; ``EditionError`` when it cannot be read, lacks a
    key or names another edition (the folder is damaged)."""
    try:
        m = json.loads((path / "manifest.json").read_text("utf-8"))
        if not isinstance(m, dict):
            raise ValueError("not a JSON object")
        missing = [k for k in _MANIFEST_KEYS if k not in m]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if m["id"] != path.name:
            raise ValueError(f"it names edition {m['id']!r}")
    except (OSError, ValueError) as e:
        raise EditionError(
            key="manifest_unreadable",
            edition=path.name,
            error=str(e),
        ) from e
    return EditionInfo(
        id=str(m["id"]), gas=str(m["gas"]), release=str(m["release"]), path=path, manifest=m
    )


#: damaged edition folders already reported in this process (one warning each, not one per call)
_WARNED: set[Path] = set()


def scan_editions(
    into: str | Path | None = None,
) -> tuple[list[EditionInfo], list[EditionError]]:
    """The complete editions, oldest release first, and one error per damaged edition folder.

    A damaged folder (unreadable or incomplete manifest) is left out of the list, so it never
    takes the other editions down; temporary build directories are never listed."""
    d = editions_dir(into)
    if not d.is_dir():
        return [], []
    out: list[EditionInfo] = []
    damaged: list[EditionError] = []
    for p in sorted(d.iterdir()):
        if not (p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()):
            continue
        try:
            out.append(_info(p))
        except EditionError as e:
            damaged.append(e)
            if p not in _WARNED:
                _WARNED.add(p)
                log.warning("%s", e)
    return sorted(out, key=lambda e: (e.release, e.built_at, e.id)), damaged


def list_editions(into: str | Path | None = None) -> list[EditionInfo]:
    """Complete editions, oldest release first (damaged and temporary ones are left out)."""
    return scan_editions(into)[0]


def resolve_edition(
    edition: str | None = None, *, gas: str | None = GAS_CO2, into: str | Path | None = None
) -> EditionInfo:
    """The edition ``edition`` names, or, when None, the current edition holding ``gas`` (any gas
    when ``gas`` is None): the one the pointer file names, else the newest edition that passed
    the checks.

    A name is a full id, or a prefix that fits exactly one edition (``co2-2024`` when only one
    CO2 edition of 2024 is built). A prefix never picks among several, and never picks an
    edition that failed the hard checks: that one is used only when named in full."""
    eds = list_editions(into)
    if not eds:
        raise EditionError(
            key="no_edition",
            dir=str(editions_dir(into)),
        )
    if edition is None:
        fit = [e for e in eds if gas is None or e.gas == gas]
        if not fit:
            raise EditionError(
                key="no_edition_for_gas",
                gas=gas,
                built=", ".join(e.id for e in eds),
            )
        return _current(fit, into)
    exact = [e for e in eds if e.id == edition]
    if exact:
        return exact[0]
    pref = [e for e in eds if edition and e.id.startswith(edition)]
    if not pref:
        raise EditionError(
            key="unknown_edition",
            edition=edition,
            built=", ".join(e.id for e in eds),
        )
    if len(pref) > 1:
        raise EditionError(
            key="ambiguous_edition",
            edition=edition,
            matches=", ".join(e.id for e in pref),
        )
    (one,) = pref
    if one.id not in current_editions(into).values():
        from .edition_checks import passed

        if not passed(one.path):
            raise EditionError(
                key="prefix_failed_edition",
                edition=one.id,
            )
    return one


def _current(fit: list[EditionInfo], into: str | Path | None) -> EditionInfo:
    """Among ``fit`` (oldest first): the newest one the pointer names, else the newest passing."""
    pointed = set(current_editions(into).values())
    named = [e for e in fit if e.id in pointed]
    if named:
        return named[-1]
    from .edition_checks import passed  # numpy and pandas: only when no pointer names one

    ok = [e for e in fit if passed(e.path)]
    if not ok:
        raise EditionError(
            key="no_edition_passed_checks",
            gas=fit[-1].gas,
            editions=", ".join(e.id for e in fit),
        )
    return ok[-1]


#: editions loaded in this process (editions are immutable); a server that lives through many
#: releases keeps only the most recently used few
_LOADED_MAX = 6
_LOADED: LRUCache[tuple[str, bool], Tables] = LRUCache(_LOADED_MAX)
_LOADED_LOCK = threading.Lock()  # the API's worker threads share it (LRUCache is not thread-safe)
#: tables an edition may lack (written only when the sources hold the input)
_OPTIONAL = frozenset({"ghg_sectors", "international_transport"})


def load_edition(
    edition: str | None = None,
    *,
    gas: str | None = GAS_CO2,
    into: str | Path | None = None,
    subsectors: bool = False,
) -> Tables:
    """Load an edition's tables (memoised per process; editions are immutable)."""
    info = resolve_edition(edition, gas=gas, into=into)
    key = (str(info.path), subsectors)
    with _LOADED_LOCK:
        hit = _LOADED.get(key)
    if hit is not None:
        return hit
    import pandas as pd

    frames: dict[str, pd.DataFrame] = {}
    for name, cols in COLUMNS.items():
        if name == "subsectors" and not subsectors:
            continue
        f = info.path / f"{name}.csv"
        if name in _OPTIONAL and not f.is_file():
            continue  # an edition built without that input: the Tables default (no rows)
        if not f.is_file():
            raise EditionError(
                key="edition_file_missing",
                edition=info.id,
                file=f.name,
                path=str(info.path),
            )
        df = pd.read_csv(f, dtype=_DTYPES[name], keep_default_na=False, na_values=[""])
        if tuple(df.columns) != cols:
            raise EditionError(
                key="edition_columns_wrong",
                edition=info.id,
                file=f.name,
                columns=str(list(df.columns)),
                expected=str(list(cols)),
            )
        frames[name] = df
    t = Tables(edition_id=info.id, gas=info.gas, release=info.release, **frames)
    with _LOADED_LOCK:
        _LOADED[key] = t
    return t
