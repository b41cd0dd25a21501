"""Text catalogues: ``texts/<lang>/*.toml``, flat tables of message ids → text with ``{name}`` slots.

Swedish is the source language; English must have every Swedish id (a test checks both ways).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ParameterError

__all__ = ["LANGUAGES", "catalogue", "t"]

LANGUAGES = ("sv", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keys as ``<file>.<id>`` (e.g. ``cli.budget_t``)."""
    if lang not in LANGUAGES:
        raise ParameterError(f"Unknown language {lang!r}. Valid values: {', '.join(LANGUAGES)}")
    out: dict[str, str] = {}
    root = resources.files(__package__).joinpath("texts", lang)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text("utf-8"))
            prefix = entry.name[: -len(".toml")]
            for k, v in _flatten(data):
                out[f"{prefix}.{k}"] = v
    return out


def _flatten(d: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            items.extend(_flatten(v, key + "."))
        else:
            items.append((key, str(v)))
    return items


def t(key: str, lang: str = "sv", /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text
