"""Text catalogues: ``texts/<lang>/*.toml``, flat tables of message ids → text with ``{name}`` slots.

Swedish is the source language; English must have every Swedish id (a test checks both ways).
"""

from __future__ import annotations

from typing import Any

from ..catalogues import LANGUAGES, messages
from ..errors import ParameterError

__all__ = ["LANGUAGES", "catalogue", "t"]


def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keys as ``<file>.<id>`` (e.g. ``cli.budget_t``)."""
    if lang not in LANGUAGES:
        raise ParameterError(key="unknown_language", value=lang, valid=LANGUAGES)
    return messages(lang)


def t(key: str, lang: str = "sv", /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text
