"""Text catalogues: ``texts/<lang>/*.toml``, flat tables of message ids → text with ``{name}`` slots.

Swedish is the source language; English must have every Swedish id (a test checks both ways).
"""

from __future__ import annotations

from typing import Any

from ..areas import county_short_name
from ..catalogues import LANGUAGES, messages
from ..errors import ParameterError

__all__ = ["LANGUAGES", "catalogue", "place_name", "t"]


def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keys as ``<file>.<id>`` (e.g. ``cli.budget_t``)."""
    if lang not in LANGUAGES:
        raise ParameterError(key="unknown_language", value=lang, valid=LANGUAGES)
    return messages(lang)


def t(key: str, lang: str = "sv", /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


def place_name(name: str, level: str, lang: str = "sv") -> str:
    """An area's name where it stands alone (a heading, a list, a table row): a county by SCB's
    name in Swedish ("Stockholms län") and by its own in English ("Stockholm County"); a
    municipality as ``name`` says; Sweden in the language's word."""
    if level == "riket":
        return t("report.sweden", lang)
    if level != "lan":
        return name
    return t("report.area_name.lan", lang, name=name, short=county_short_name(name))
