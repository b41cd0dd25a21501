"""Every ``KOLDIOXIDBUDGET_*`` environment variable, typed and documented in one place.

``Environment`` (a frozen dataclass) is the reference: one field per variable, named like the
variable without its prefix, with its type, bounds and meaning (the field's metadata).
docs/settings.md is generated from it (``python -m koldioxidbudget.settings``; a test keeps the
two equal). Code reads the environment only through ``environment()`` and the folder functions
below, never through ``os.environ`` itself, so a variable cannot be read two ways.

The environment is read at each call, not once per process: a test or a long-running command
that changes a variable sees the change (the variables are parsed once per set of values).
The module uses only the standard library: every command imports it, and pydantic-settings
cost about 0.2 s of the command line's start.

A value that does not fit its field (``KOLDIOXIDBUDGET_REQUEST_TIMEOUT=soon``) is a
``ParameterError`` naming the variable, the value and what it must be; an empty variable
counts as unset, and a variable that is no field is ignored. A whole number reads as pydantic
read it ("4", " 4 ", "+4", "1_0", "4.0"; not "4.5", "4e0" or "0x4"), seconds as Python's
``float`` reads them ("10", "0.5", "1e3"), finite and above 0.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ParameterError

__all__ = [
    "PREFIX",
    "Environment",
    "cache_folder",
    "editions_folder",
    "environment",
    "sources_folder",
    "work_cache_folder",
]

PREFIX = "KOLDIOXIDBUDGET_"


@dataclass(frozen=True)
class Environment:
    """The ``KOLDIOXIDBUDGET_*`` variables (unset ones are ``None``: the code's default holds).

    A ``float`` field is a number of seconds (above 0); an ``int`` field is a whole number
    within its bounds."""

    # -- folders ----------------------------------------------------------------------------
    sources: Path | None = field(
        default=None,
        metadata={
            "description": "The official source files: `data build` reads them, `data fetch` "
            "downloads into it. Default `$XDG_DATA_HOME/koldioxidbudget/sources` "
            "(`~/.local/share/koldioxidbudget/sources`)."
        },
    )
    editions: Path | None = field(
        default=None,
        metadata={
            "description": "The built editions every command reads. Default "
            "`$XDG_DATA_HOME/koldioxidbudget/editions`."
        },
    )
    cache: Path | None = field(
        default=None,
        metadata={
            "description": "Kept work that can be rebuilt: fonts, the site's assets, converted "
            "charts (`charts/`) and the CLI's answers (`output/`). Default: fonts and assets in "
            "`$XDG_CACHE_HOME/koldioxidbudget`, charts and answers in a `cache` folder beside "
            "the editions folder (shared by the server and the command line)."
        },
    )
    site: Path | None = field(
        default=None,
        metadata={
            "description": "The static site: `site build` and `update` write it, `serve` serves it "
            "at `/`. Default for building: `build/site`."
        },
    )
    customers: Path | None = field(
        default=None,
        metadata={"description": "`update`: the folder of customer profiles, one TOML file each."},
    )
    deliveries: Path | None = field(
        default=None,
        metadata={
            "description": "`update` and `deliver`: where customer packages go. Default: a "
            "`leveranser` folder beside the profiles."
        },
    )
    # -- the site and its links -------------------------------------------------------------
    site_url: str | None = field(
        default=None,
        metadata={
            "description": "The site's public address, for embed snippets in customer packages. "
            "Default `http://127.0.0.1:8000`."
        },
    )
    site_workers: int | None = field(
        default=None,
        metadata={
            "description": "Processes for `site build`. Default: up to 4.",
            "ge": 1,
            "le": 64,
        },
    )
    # -- language ---------------------------------------------------------------------------
    lang: str | None = field(
        default=None,
        metadata={
            "description": "The language of the command line's error messages (`sv` or `en`) "
            "when `--lang` is not given. Default `sv`."
        },
    )
    # -- data fetch -------------------------------------------------------------------------
    fetch_mirror: str | None = field(
        default=None,
        metadata={
            "description": "`data fetch`: a mirror serving `<URL>/<host>/<path>` for every "
            "publisher (as `--from-mirror`)."
        },
    )
    fetch_base_smhi: str | None = field(
        default=None,
        metadata={"description": "`data fetch`: SMHI's base URL (overrides the mirror)."},
    )
    fetch_base_scb: str | None = field(
        default=None,
        metadata={"description": "`data fetch`: SCB's PxWeb base URL (overrides the mirror)."},
    )
    fetch_base_gcb: str | None = field(
        default=None,
        metadata={
            "description": "`data fetch`: the Global Carbon Budget's base URL "
            "(overrides the mirror)."
        },
    )
    # -- the server (`serve` sets these for its workers) --------------------------------------
    frame_ancestors: str | None = field(
        default=None,
        metadata={
            "description": "`serve`: who may embed the pages, as CSP sources separated by "
            "spaces. Default `*`."
        },
    )
    request_timeout: float | None = field(
        default=None,
        metadata={"description": "`serve`: seconds one computation may take. Default 10."},
    )
    report_timeout: float | None = field(
        default=None,
        metadata={"description": "`serve`: seconds one report may take to render. Default 60."},
    )
    header_timeout: float | None = field(
        default=None,
        metadata={
            "description": "`serve`: seconds a client may take to send a request's line and "
            "headers. Default 10."
        },
    )
    report_processes: int | None = field(
        default=None,
        metadata={
            "description": "`serve`: processes per worker that render reports (0: in the worker).",
            "ge": 0,
            "le": 16,
        },
    )


def variable(field: str) -> str:
    """The environment variable of ``Environment``'s ``field``."""
    return PREFIX + field.upper()


def environment() -> Environment:
    """The ``KOLDIOXIDBUDGET_*`` variables as they are now."""
    return _read(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIX))))


@functools.lru_cache(maxsize=8)
def _read(variables: tuple[tuple[str, str], ...]) -> Environment:
    """``Environment`` from ``variables`` once per set of them (the first bad value, in the
    fields' order, is the error)."""
    given = dict(variables)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Environment):
        raw = given.get(variable(f.name), "")
        if raw:  # an empty variable counts as unset
            values[f.name] = _parse(f, raw)
    return Environment(**values)


# a whole number as pydantic read it: an optional sign, ASCII digits (single underscores
# between them, as in Python) and optionally a fraction of zeros ("4.0")
_WHOLE = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")


def _parse(f: dataclasses.Field[Any], raw: str) -> Path | str | int | float:
    """The value of ``f``'s variable ``raw``, or a ``ParameterError`` saying what it must be."""
    kind = _kind(f.name)
    if kind is int:
        low, high = _bounds(f.metadata)
        text = raw.strip()
        if _WHOLE.fullmatch(text) and low <= (number := int(text.partition(".")[0])) <= high:
            return number
        raise ParameterError(
            key="env_not_whole_number", var=variable(f.name), raw=raw, low=low, high=high
        )
    if kind is float:  # seconds: finite and above 0 ("inf" and "nan" are no time limit)
        text = raw.strip()
        try:
            seconds = float(text) if text.isascii() else math.nan
        except ValueError:
            seconds = math.nan
        if 0 < seconds < math.inf:
            return seconds
        raise ParameterError(key="env_not_seconds", var=variable(f.name), raw=raw)
    return Path(raw) if kind is Path else raw  # a folder is taken as written (no ~ expansion)


@functools.cache
def _kind(name: str) -> type:
    """The type of ``Environment``'s field ``name`` without ``None``: Path, str, int or float."""
    hint = typing.get_type_hints(Environment)[name]
    kind: type = next(t for t in getattr(hint, "__args__", (hint,)) if t is not type(None))
    return kind


def _bounds(metadata: Mapping[str, Any]) -> tuple[int, int]:
    return metadata.get("ge", 0), metadata.get("le", 0)


def _xdg(var: str, fallback: str) -> Path:
    """``$var`` (an XDG base directory), else ``~/<fallback>``."""
    return Path(os.environ.get(var) or Path.home() / fallback) / "koldioxidbudget"


def sources_folder() -> Path:
    """The source folder (``KOLDIOXIDBUDGET_SOURCES``, else the user's data folder)."""
    return environment().sources or _xdg("XDG_DATA_HOME", ".local/share") / "sources"


def editions_folder() -> Path:
    """The editions folder (``KOLDIOXIDBUDGET_EDITIONS``, else the user's data folder)."""
    return environment().editions or _xdg("XDG_DATA_HOME", ".local/share") / "editions"


def cache_folder() -> Path:
    """Where the machine's rebuildable assets go (fonts, the site's bundle and subsets)."""
    return environment().cache or _xdg("XDG_CACHE_HOME", ".cache")


def work_cache_folder(editions: Path | None = None) -> Path:
    """Where converted charts and kept answers go: ``KOLDIOXIDBUDGET_CACHE``, else a
    ``cache`` folder beside ``editions`` (default: the editions folder), so the server and
    the command line reading the same editions share them."""
    return environment().cache or (editions or editions_folder()).parent / "cache"


def reference() -> str:
    """docs/settings.md: a table of every variable."""
    lines = [
        "# Settings",
        "",
        "Every setting of koldioxidbudget is an environment variable. The table is generated "
        "from `koldioxidbudget.settings.Environment` "
        "(`python -m koldioxidbudget.settings > docs/settings.md`); an empty variable counts "
        "as unset. Command-line options, where a command has one, win over the variable.",
        "",
        "| Variable | Type | Meaning |",
        "|---|---|---|",
    ]
    for f in dataclasses.fields(Environment):
        kind = {Path: "folder", str: "text", int: "whole number", float: "seconds"}[_kind(f.name)]
        if kind == "whole number":
            kind += " {}–{}".format(*_bounds(f.metadata))
        lines.append(f"| `{variable(f.name)}` | {kind} | {f.metadata['description']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
