"""The text catalogues, read: ``story/texts/<lang>/*.toml`` as flat ``<file>.<id>`` → text.

A foundation module (it imports nothing of the package), so that errors can be put into words
from the catalogues without the lower layers depending on ``story``. ``story.i18n`` is the
interface the outputs use.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "messages"]

LANGUAGES = ("sv", "en")
_ROOT = Path(__file__).resolve().parent / "story" / "texts"


@cache
def messages(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keys as ``<file>.<id>`` (e.g. ``cli.budget_t``); ``lang`` must
    be one of ``LANGUAGES`` (``ValueError`` otherwise)."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    out: dict[str, str] = {}
    for entry in sorted((_ROOT / lang).glob("*.toml")):
        data = tomllib.loads(entry.read_text("utf-8"))
        for k, v in _flatten(data):
            out[f"{entry.stem}.{k}"] = v
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
