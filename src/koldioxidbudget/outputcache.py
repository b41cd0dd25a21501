"""Command output kept on disk, so asking again costs a file read instead of the engine.

``koldioxidbudget budget AREA --format json`` prints a pure function of the edition, the
parameters, the areas asked and this package's code. Editions are immutable, so the text can be
kept and printed again by a process that never imports pandas or numpy (a cold ``budget`` then
starts in a fraction of the time). The key holds the edition's id and folder, the effective
parameters (``repr`` of the frozen ``Parameters``, which includes ``as_of``), the command's
arguments, and the name, size and modification time of every Python file and text catalogue of
the package: any change to the code gives new keys, so a stale answer is never printed and
nothing needs invalidating. Files are written to a temporary name and renamed (readers never
see half a file); the folder keeps the newest ``MAX_FILES`` answers.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from pathlib import Path

from .files import write_atomic
from .settings import work_cache_folder

__all__ = ["MAX_FILES", "OutputCache", "default_root"]

#: how many answers the folder keeps (the oldest are removed beyond it)
MAX_FILES = 2000


def default_root(editions: str | Path | None = None) -> Path:
    """``output`` in ``settings.work_cache_folder`` (the chart store's neighbour, see
    ``render.chartstore.default_root``)."""
    return work_cache_folder(Path(editions) if editions else None) / "output"


@cache
def code_stamp() -> str:
    """A digest of the package's code and texts (name, size, mtime of each file)."""
    pkg = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for pattern in ("*.py", "*.toml"):
        for f in sorted(pkg.rglob(pattern)):
            try:
                st = f.stat()
            except OSError:
                continue
            h.update(f"{f.relative_to(pkg)}\x00{st.st_size}\x00{st.st_mtime_ns}\x00".encode())
    return h.hexdigest()


class OutputCache:
    """Text answers under ``root`` by a digest of their key (``<root>/<2 hex>/<hash>.txt``)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: tuple[object, ...]) -> Path:
        h = hashlib.blake2b(digest_size=20)
        for part in (code_stamp(), *key):
            h.update(repr(part).encode())
            h.update(b"\x00")
        name = h.hexdigest()
        return self.root / name[:2] / f"{name}.txt"

    def get(self, key: tuple[object, ...]) -> str | None:
        """The text kept for ``key``, or None."""
        try:
            return self._path(key).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: tuple[object, ...], text: str) -> None:
        """Keep ``text`` for ``key`` (a folder that cannot be written is skipped)."""
        if write_atomic(self._path(key), text, best_effort=True):
            self._prune()

    def _prune(self) -> None:
        try:
            files = [f for d in self.root.iterdir() if d.is_dir() for f in d.glob("*.txt")]
        except OSError:
            return
        if len(files) <= MAX_FILES:
            return
        by_age = sorted(files, key=lambda f: f.stat().st_mtime_ns if f.exists() else 0)
        for f in by_age[: len(files) - MAX_FILES]:
            with contextlib.suppress(OSError):
                f.unlink()
