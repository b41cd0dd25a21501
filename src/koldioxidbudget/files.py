"""Writing a file so that no reader ever sees it half-written: a temporary sibling, then rename.

A foundation module (it imports nothing of the package): reports, site pages and the caches
write through it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes | str, *, best_effort: bool = False) -> bool:
    """Write ``data`` (text as UTF-8) to ``path`` through ``.<name>.<pid>.tmp`` and a rename,
    making the folder if needed. With ``best_effort`` (a cache), an ``OSError`` leaves nothing
    behind and returns False instead of raising."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if not best_effort:
            raise
        return False
    return True
