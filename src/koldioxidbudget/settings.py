"""Every ``KOLDIOXIDBUDGET_*`` environment variable, typed and documented in one place.

``Environment`` (pydantic-settings) is the reference: one field per variable, named like the
variable without its prefix, with its type, bounds and meaning. docs/settings.md is generated
from it (``python -m koldioxidbudget.settings``; a test keeps the two equal). Code reads the
environment only through ``environment()`` and the folder functions below, never through
``os.environ`` itself, so a variable cannot be read two ways.

The environment is read at each call, not once per process: a test or a long-running command
that changes a variable sees the change (the variables are parsed once per set of values;
the import of pydantic-settings costs about 80 ms, once).

A value that does not fit its field (``KOLDIOXIDBUDGET_REQUEST_TIMEOUT=soon``) is a
``ParameterError`` naming the variable, the value and what it must be; an empty variable
counts as unset.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

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

_Seconds = Annotated[float | None, Field(gt=0)]


class Environment(BaseSettings):
    """The ``KOLDIOXIDBUDGET_*`` variables (unset ones are ``None``: the code's default holds)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, extra="ignore", frozen=True
    )

    # -- folders ----------------------------------------------------------------------------
    sources: Path | None = Field(
        None,
        description="The official source files: `data build` reads them, `data fetch` "
        "downloads into it. Default `$XDG_DATA_HOME/koldioxidbudget/sources` "
        "(`~/.local/share/koldioxidbudget/sources`).",
    )
    editions: Path | None = Field(
        None,
        description="The built editions every command reads. Default "
        "`$XDG_DATA_HOME/koldioxidbudget/editions`.",
    )
    cache: Path | None = Field(
        None,
        description="Kept work that can be rebuilt: fonts, the site's assets, converted "
        "charts (`charts/`) and the CLI's answers (`output/`). Default: fonts and assets in "
        "`$XDG_CACHE_HOME/koldioxidbudget`, charts and answers in a `cache` folder beside "
        "the editions folder (shared by the server and the command line).",
    )
    site: Path | None = Field(
        None,
        description="The static site: `site build` and `update` write it, `serve` serves it "
        "at `/`. Default for building: `build/site`.",
    )
    customers: Path | None = Field(
        None, description="`update`: the folder of customer profiles, one TOML file each."
    )
    deliveries: Path | None = Field(
        None,
        description="`update` and `deliver`: where customer packages go. Default: a "
        "`leveranser` folder beside the profiles.",
    )
    # -- the site and its links -------------------------------------------------------------
    site_url: str | None = Field(
        None,
        description="The site's public address, for embed snippets in customer packages. "
        "Default `http://127.0.0.1:8000`.",
    )
    site_workers: int | None = Field(
        None, ge=1, le=64, description="Processes for `site build`. Default: up to 4."
    )
    # -- language ---------------------------------------------------------------------------
    lang: str | None = Field(
        None,
        description="The language of the command line's error messages (`sv` or `en`) "
        "when `--lang` is not given. Default `sv`.",
    )
    # -- data fetch -------------------------------------------------------------------------
    fetch_mirror: str | None = Field(
        None,
        description="`data fetch`: a mirror serving `<URL>/<host>/<path>` for every "
        "publisher (as `--from-mirror`).",
    )
    fetch_base_smhi: str | None = Field(
        None, description="`data fetch`: SMHI's base URL (overrides the mirror)."
    )
    fetch_base_scb: str | None = Field(
        None, description="`data fetch`: SCB's PxWeb base URL (overrides the mirror)."
    )
    fetch_base_gcb: str | None = Field(
        None,
        description="`data fetch`: the Global Carbon Budget's base URL (overrides the mirror).",
    )
    # -- the server (`serve` sets these for its workers) --------------------------------------
    frame_ancestors: str | None = Field(
        None,
        description="`serve`: who may embed the pages, as CSP sources separated by spaces. "
        "Default `*`.",
    )
    request_timeout: _Seconds = Field(
        None, description="`serve`: seconds one computation may take. Default 10."
    )
    report_timeout: _Seconds = Field(
        None, description="`serve`: seconds one report may take to render. Default 60."
    )
    header_timeout: _Seconds = Field(
        None,
        description="`serve`: seconds a client may take to send a request's line and "
        "headers. Default 10.",
    )
    report_processes: int | None = Field(
        None,
        ge=0,
        le=16,
        description="`serve`: processes per worker that render reports (0: in the worker).",
    )


def variable(field: str) -> str:
    """The environment variable of ``Environment``'s ``field``."""
    return PREFIX + field.upper()


def environment() -> Environment:
    """The ``KOLDIOXIDBUDGET_*`` variables as they are now."""
    return _read(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIX))))


@functools.lru_cache(maxsize=8)
def _read(variables: tuple[tuple[str, str], ...]) -> Environment:
    """``Environment()`` once per set of variables (reading takes milliseconds)."""
    try:
        return Environment()
    except ValidationError as e:
        raise _refusal(e) from None


def _refusal(e: ValidationError) -> ParameterError:
    err = e.errors()[0]
    field = str(err["loc"][0])
    var, raw = variable(field), str(err.get("input", ""))
    info = Environment.model_fields[field]
    if int in _types(info.annotation):
        low, high = _bounds(info.metadata)
        return ParameterError(key="env_not_whole_number", var=var, raw=raw, low=low, high=high)
    return ParameterError(key="env_not_seconds", var=var, raw=raw)


def _types(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__args__", (annotation,))


def _bounds(metadata: list[Any]) -> tuple[int, int]:
    low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), 0)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), 0)
    return low, high


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
    for name, info in Environment.model_fields.items():
        kinds = [t for t in _types(info.annotation) if t is not type(None)]
        kind = {Path: "folder", str: "text", int: "whole number", float: "seconds"}[kinds[0]]
        if kind == "whole number":
            kind += " {}–{}".format(*_bounds(info.metadata))
        lines.append(f"| `{variable(name)}` | {kind} | {info.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
