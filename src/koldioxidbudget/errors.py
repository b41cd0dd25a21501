"""The one error tree of koldioxidbudget.

::

    KoldioxidbudgetError            anything a user can fix (bad input, unknown id, missing data)
    ├── SourceError                 a source file is malformed: file, sheet, row, column, value
    ├── FetchError                  a publisher's file could not be downloaded (sources/fetch.py)
    ├── EditionError                an edition is missing, incomplete or inconsistent
    ├── ParameterError              a parameter value, preset or rule id is not valid
    └── AreaNotFound                an area name or code matches nothing (carries suggestions)

The CLI catches the root and prints one message (exit code 2 for usage errors, 1 for data
errors); the API maps it to ``application/problem+json``. Real bugs are not in this tree and
keep their traceback. Messages say what happened, why, and what to do.

``str(error)`` is English (logs, the API). An error raised with ``key=`` and slots also has
``localized(lang)``: the message ``errors.<key>`` of the text catalogues (Swedish first), which
the CLI prints. A slot ``valid`` (a list of the allowed values, with ``value`` the one given)
becomes the localised "did you mean … / valid values …" sentence as ``{hint}``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "AreaNotFound",
    "EditionError",
    "KoldioxidbudgetError",
    "ParameterError",
    "SourceError",
    "did_you_mean",
]


class KoldioxidbudgetError(Exception):
    """Root of every error a user can act on."""

    exit_code = 1

    def __init__(self, *args: object, key: str | None = None, **slots: object) -> None:
        super().__init__(*args)
        self.key = key
        self.slots = slots

    def localized(self, lang: str) -> str:
        """The message in ``lang`` from the catalogues, or the English one when it has none."""
        if self.key is None:
            return str(self)
        from .story.i18n import LANGUAGES, catalogue

        if lang not in LANGUAGES or f"errors.{self.key}" not in catalogue(lang):
            return str(self)
        slots = dict(self.slots)
        if "valid" in slots:
            slots["hint"] = _hint(lang, str(slots.get("value", "")), slots["valid"])  # type: ignore[arg-type]
        return catalogue(lang)[f"errors.{self.key}"].format(**slots)


class SourceError(KoldioxidbudgetError):
    """A source file could not be read as its publisher's format, with the exact cell."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        self.file = str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        where = [f"file {Path(self.file).name}"]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        text = f"{message} ({', '.join(where)})"
        if hint:
            text += f". {hint}"
        super().__init__(text)


class EditionError(KoldioxidbudgetError):
    """An edition is missing, half-written or inconsistent."""


class ParameterError(KoldioxidbudgetError):
    """A parameter, preset, rule or convention is not valid."""

    exit_code = 2


class AreaNotFound(KoldioxidbudgetError):
    """No area matches the name or code a user typed."""

    exit_code = 2

    def __init__(self, query: str, suggestions: Iterable[str] = ()) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        text = f"No municipality, county or 'Sverige' matches {query!r}"
        if self.suggestions:
            text += f". Did you mean: {', '.join(self.suggestions)}?"
        else:
            text += ". Run 'koldioxidbudget areas' to list every area."
        key = "area_not_found_suggest" if self.suggestions else "area_not_found"
        super().__init__(text, key=key, query=query, suggestions=", ".join(self.suggestions))


def _hint(lang: str, value: str, valid: Iterable[str]) -> str:
    from .story.i18n import t

    valid = sorted(valid)
    close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
    text = t("errors.valid_values", lang, valid=", ".join(valid))
    if close:
        text = (
            t("errors.did_you_mean", lang, close=_or(lang, [repr(c) for c in close])) + " " + text
        )
    return text


def _or(lang: str, items: list[str]) -> str:
    from .story.i18n import t

    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('errors.or', lang)} {items[-1]}"


def did_you_mean(value: str, valid: Iterable[str]) -> str:
    """A sentence listing the valid ids, with the closest ones first when there are any."""
    valid = sorted(valid)
    close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
    text = f"Valid values: {', '.join(valid)}"
    if close:
        text = f"Did you mean {' or '.join(repr(c) for c in close)}? " + text
    return text
