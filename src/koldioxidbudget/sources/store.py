"""The source folder's side of ``data fetch``: atomic writes, dated copies, the fetch log.

A file is never lost: when the publisher serves something different under a name the folder
already has, the file already there is kept as ``<name>.<YYYY-MM-DD>.<ext>`` (the date it was
fetched, else its modification date) and the new one takes the plain name, so the next build
reads the newest data. Identical content is left alone ("unchanged"). Downloads and converted
files are written to a hidden temporary file next to their destination
(``.<name>.<pid>.part``, never read by a build) and renamed into place; the partial files of a
fetch that died are removed by the next one. Every run is recorded in ``fetch-manifest.json``
(URL, time, SHA-256, bytes, status).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST",
    "Fetched",
    "dated",
    "day_of",
    "missing",
    "now",
    "part_name",
    "read_manifest",
    "remove_stale_parts",
    "seed",
    "sha256_file",
    "store",
    "write_manifest",
    "write_part",
]

#: The fetch log in the source folder.
MANIFEST = "fetch-manifest.json"

_MB = 1 << 20


@dataclass(frozen=True)
class Fetched:
    """One file stored by a fetch (a download, or a file converted from one)."""

    remote: str
    path: str
    url: str
    sha256: str
    bytes: int
    fetched_at: str
    status: str  # new | unchanged | replaced
    archived_as: str | None = None
    derived_from: str | None = None


def now() -> str:
    """The time now, UTC, to the second (ISO 8601)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def part_name(dest_dir: Path, name: str) -> Path:
    """The temporary file ``name`` is written to in ``dest_dir`` by this process."""
    return dest_dir / f".{name}.{os.getpid()}.part"


def write_part(dest: Path, data: bytes) -> Path:
    """``data`` written and synced to ``dest``'s temporary file (returned)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = part_name(dest.parent, dest.name)
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(_MB), b""):
            h.update(chunk)
    return h.hexdigest()


def dated(dest: Path, day: str) -> Path:
    """``name.ext`` → ``name.<day>.ext`` (``name.<day>-2.ext`` … when that exists and differs)."""
    suffix = "".join(dest.suffixes[-1:])
    stem = dest.name[: len(dest.name) - len(suffix)] if suffix else dest.name
    n = 1
    while True:
        tag = day if n == 1 else f"{day}-{n}"
        cand = dest.with_name(f"{stem}.{tag}{suffix}")
        if not cand.exists() or sha256_file(cand) == sha256_file(dest):
            return cand
        n += 1


def store(tmp: Path, dest: Path, *, sha: str, day_of_old: str) -> tuple[str, str | None]:
    """Move the verified ``tmp`` to ``dest``; returns (status, archived file name or None).

    The plain name always holds a complete file: the old one is first linked (or copied) to its
    dated name, then the new one replaces it in one rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.exists():
        os.replace(tmp, dest)
        return "new", None
    if sha256_file(dest) == sha:
        tmp.unlink(missing_ok=True)
        return "unchanged", None
    archived = dated(dest, day_of_old)
    if not archived.exists():
        try:
            os.link(dest, archived)
        except OSError:
            part = archived.with_name(f".{archived.name}.{os.getpid()}.part")
            shutil.copy2(dest, part)
            os.replace(part, archived)
    os.replace(tmp, dest)
    return "replaced", archived.name


def remove_stale_parts(into: Path) -> None:
    """Remove ``.part`` files of fetches that died (their process no longer exists)."""
    for p in into.rglob(".*.part"):
        pid = p.name.rsplit(".", 2)[-2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except OSError:
            continue


def read_manifest(into: Path) -> dict[str, Any]:
    """The fetch log of ``into`` (``{"runs": [...]}``; an empty one when unreadable)."""
    try:
        data = json.loads((into / MANIFEST).read_text("utf-8"))
        return data if isinstance(data, dict) else {"runs": []}
    except (OSError, ValueError):
        return {"runs": []}


def write_manifest(into: Path, doc: dict[str, Any]) -> None:
    tmp = into / f".{MANIFEST}.{os.getpid()}.part"
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    os.replace(tmp, into / MANIFEST)


def day_of(path: Path, manifest: dict[str, Any], rel: str) -> str:
    """When the file at ``rel`` was fetched (from the manifest), else its modification date."""
    for run in reversed(manifest.get("runs", [])):
        for f in run.get("files", []):
            if f.get("path") == rel and f.get("status") in ("new", "replaced"):
                return str(f["fetched_at"])[:10]
    if path.exists():
        return _dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC).date().isoformat()
    return _dt.date.today().isoformat()


def seed(into: Path, seed_from: Path, files: Iterable[str]) -> list[str]:
    """Copy the ``files`` (relative paths) ``into`` lacks from ``seed_from``; returns those
    copied."""
    copied = []
    for rel in files:
        dest, src = into / rel, seed_from / rel
        if not dest.exists() and src.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = part_name(dest.parent, dest.name)
            shutil.copy2(src, part)
            os.replace(part, dest)
            copied.append(rel)
    return copied


def missing(into: Path, files: Iterable[str]) -> tuple[str, ...]:
    """The ``files`` (relative paths) ``into`` lacks."""
    return tuple(rel for rel in files if not (into / rel).is_file())
