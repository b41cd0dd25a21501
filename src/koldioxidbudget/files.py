"""Writing a file so that no reader ever sees it half-written (a temporary sibling, then rename),
and a lock so that two processes never write the same folder at once.

A foundation module (it imports nothing of the package): reports, site pages and the caches
write through it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

__all__ = ["exclusive", "remove_stale_temporaries", "write_atomic"]


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


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold ``lock_file`` exclusively (``flock``, released when the process ends, however it
    ends); ``BlockingIOError`` at once when another process holds it. The file is never
    written, so holding it changes no time stamp after the first run."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


#: the temporaries this package writes, with the id of the process writing them:
#: ``.<name>.<pid>.tmp`` (``write_atomic``) and ``.tmp-<name>-<pid>`` (an edition being built)
_TEMPORARY = re.compile(r"^\.(?:.+\.(?P<file_pid>\d+)\.tmp|tmp-.+-(?P<dir_pid>\d+))$")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: it exists
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the temporaries in ``folder`` left by a process that no longer runs (killed, or
    stopped by a full disk); a running writer's are left alone. Returns how many went."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for p in entries:
        m = _TEMPORARY.match(p.name)
        if m is None:
            continue
        pid = int(m["file_pid"] or m["dir_pid"])
        if pid == os.getpid() or _running(pid):
            continue
        with contextlib.suppress(OSError):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed += 1
    return removed
