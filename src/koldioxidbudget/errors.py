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

An error carries a ``key`` and slots; its text lives once, in the text catalogues
(``story/texts/<lang>/errors.toml``, Swedish and English): ``localized(lang)`` is the message
``errors.<key>`` filled in with the slots, ``str(error)`` the English one (logs, the API). The
CLI prints the Swedish one, or the language of ``--lang``. A slot ``valid`` (a list of the
allowed values, with ``value`` the one given) becomes the localised "did you mean … / valid
values …" sentence as ``{hint}``. A ``SourceError`` localises its location ("(fil …, blad …,
rad …, kolumn …, värde …)") and its ``hint_key`` too. Raising without a key (a plain English
text) is left for faults in the program itself, which no user can fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from .catalogues import LANGUAGES, decimal_text
from .catalogues import messages as catalogue

__all__ = [
    "AreaNotFound",
    "EditionError",
    "KoldioxidbudgetError",
    "ParameterError",
    "SourceError",
    "Term",
    "did_you_mean",
    "slot_in",
]


class KoldioxidbudgetError(Exception):
    """Root of every error a user can act on."""

    exit_code = 1

    def __init__(self, *args: object, key: str | None = None, **slots: object) -> None:
        super().__init__(*args)
        self.key = key
        self.slots = slots

    def __str__(self) -> str:
        """The English message: the catalogue's ``errors.<key>`` with the slots, or (an error
        raised without a key) the text it was raised with."""
        if self._keyed("en"):
            return self.localized("en")
        return super().__str__()

    def __reduce__(self) -> tuple[Any, ...]:
        # key and slots are keyword arguments, which Exception's pickling drops (the report
        # renderers' processes send errors back to the server)
        return (_rebuild, (type(self), self.args, self.__dict__))

    def _keyed(self, lang: str) -> bool:
        return (
            self.key is not None and lang in LANGUAGES and f"errors.{self.key}" in catalogue(lang)
        )

    def localized(self, lang: str) -> str:
        """The message in ``lang`` from the catalogues (English when ``lang`` has none).

        Slot values of type ``float`` (not ``int`` or ``bool``: years stay "2050") are written
        with Babel's ``#,##0.######`` pattern in the language's locale (``sv_SE``: "1,5";
        ``en_GB``: "1.5"), so the Swedish text has a decimal comma. A ``Decimal`` keeps its
        places; pass a pre-formatted string where a number must read otherwise.
        """
        if not self._keyed(lang):
            return self.localized("en") if lang != "en" and self._keyed("en") else super().__str__()
        slots = {k: slot_in(v, lang) for k, v in self.slots.items()}
        if "valid" in self.slots:
            slots["hint"] = _hint(lang, str(self.slots.get("value", "")), self.slots["valid"])  # type: ignore[arg-type]
        return catalogue(lang)[f"errors.{self.key}"].format(**slots)


def _rebuild(
    cls: type[KoldioxidbudgetError], args: tuple[object, ...], state: dict[str, Any]
) -> KoldioxidbudgetError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


def slot_in(value: object, lang: str) -> object:
    """A message slot for ``lang``: a float in the language's number format (see
    ``KoldioxidbudgetError.localized``), any other value as it is. The API's messages use it too.

    A ``Decimal`` keeps its decimal places, with the language's grouping: ``Decimal(f"{x:.1f}")``
    is written as English ``{x:,.1f}`` ("1,234.5") and Swedish "1 234,5". A :class:`Term` is the
    word in ``lang``; an error (the cause of another one) is its own ``localized(lang)``.
    """
    if isinstance(value, Term):
        return value.localized(lang)
    if isinstance(value, KoldioxidbudgetError):
        return value.localized(lang)
    locale = "sv_SE" if lang == "sv" else "en_GB"  # the one English locale (story.fmt too)
    if isinstance(value, Decimal) and value.is_finite():
        places = max(0, -int(value.as_tuple().exponent))
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return decimal_text(value, pattern, locale)
    if not isinstance(value, float):
        return value
    # never raises: NaN, ∞ and 1e22 too (an error message must not fail on the value it shows)
    return decimal_text(value, "#,##0.######", locale)


class Term(str):
    """A word of the catalogues' ``errors.term`` table for a message slot ("population",
    "befolkning"): as a ``str`` it is the English word, so f-strings of ``str(error)`` print it as
    the English catalogue does; :func:`slot_in` gives it in the message's language.
    ``capital=True`` starts it with a capital letter (a word that begins a sentence)."""

    id: str
    capital: bool

    def __new__(cls, id: str, *, capital: bool = False) -> Term:
        self = super().__new__(cls, _term(id, "en", capital))
        self.id, self.capital = id, capital
        return self

    def localized(self, lang: str) -> str:
        return _term(self.id, lang, self.capital)

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, bool]]:
        return (self.id,), {"capital": self.capital}


def _term(id: str, lang: str, capital: bool) -> str:

    word = catalogue(lang)[f"errors.term.{id}"]
    return word[:1].upper() + word[1:] if capital else word


class SourceError(KoldioxidbudgetError):
    """A source file could not be read as its publisher's format, with the exact cell.

    ``key``, ``hint_key`` and the slots localise it: the message ``errors.<key>``, the location
    words of ``errors.where.*`` and the hint ``errors.<hint_key>``, all filled in with the slots.
    A slot ``valid`` (the allowed values, ``value`` the one found) gives the hint slots ``{hint}``
    (the whole "Did you mean …? Valid values: …" sentence), ``{suggestion}`` (its "Did you mean
    …? " part, or nothing) and ``{valid}`` (the list).
    """

    def __init__(
        self,
        *args: object,
        file: str | Path,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str | None = None,
        key: str | None = None,
        hint_key: str | None = None,
        **slots: object,
    ) -> None:
        self.file = str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        self.hint_key = hint_key
        super().__init__(*args, key=key, **slots)

    def _where(self, lang: str) -> list[str]:
        """The location's parts in ``lang``, from the catalogue."""
        parts: dict[str, object] = {"file": Path(self.file).name}
        if self.sheet is not None:
            parts["sheet"] = repr(self.sheet)
        if self.row is not None:
            parts["row"] = self.row
        if self.column is not None:
            parts["column"] = repr(self.column)
        if self.value is not None:
            parts["value"] = repr(self.value)
        words = catalogue(lang if lang in LANGUAGES else "en")
        return [words[f"errors.where.{name}"].format(**{name: v}) for name, v in parts.items()]

    def _keyed(self, lang: str) -> bool:
        return super()._keyed(lang) and (
            self.hint_key is None or f"errors.{self.hint_key}" in catalogue(lang)
        )

    def localized(self, lang: str) -> str:
        """The message, location and hint in ``lang`` (English when ``lang`` has none)."""
        if not self._keyed(lang):
            if lang != "en" and self._keyed("en"):
                return self.localized("en")
            text = f"{Exception.__str__(self)} ({', '.join(self._where('en'))})"
            return f"{text}. {self.hint}" if self.hint else text
        words = catalogue(lang)
        slots: dict[str, Any] = {k: slot_in(v, lang) for k, v in self.slots.items()}
        if "valid" in self.slots:
            valid = sorted(str(v) for v in self.slots["valid"])  # type: ignore[attr-defined]
            slots["hint"] = _hint(lang, str(self.value), valid)
            slots["suggestion"] = _suggestion(lang, str(self.value), valid)
            slots["valid"] = ", ".join(valid)
        text = f"{words[f'errors.{self.key}'].format(**slots)} ({', '.join(self._where(lang))})"
        if self.hint_key is not None:
            text += f". {words[f'errors.{self.hint_key}'].format(**slots)}"
        elif "valid" in self.slots:
            text += f". {slots['hint']}"
        return text


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


def _text(key: str, lang: str, /, **values: Any) -> str:
    """The catalogue message ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


def _hint(lang: str, value: str, valid: Iterable[str]) -> str:
    """``did_you_mean`` in ``lang``. The English is ``did_you_mean`` word for word (it is part of
    ``str(error)``), so it joins the close ids with "or" throughout ("'a' or 'b' or 'c'"); other
    languages list them ("'a', 'b' eller 'c'")."""
    valid = sorted(valid)
    return _suggestion(lang, value, valid) + _text(
        "errors.valid_values", lang, valid=", ".join(valid)
    )


def _suggestion(lang: str, value: str, valid: list[str]) -> str:
    """The "Did you mean …? " part of :func:`_hint` (with its trailing space), or ""."""
    close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    either = f" {_text('errors.or', lang)} ".join(quoted) if lang == "en" else _or(lang, quoted)
    return _text("errors.did_you_mean", lang, close=either) + " "


def _or(lang: str, items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_text('errors.or', lang)} {items[-1]}"


def did_you_mean(value: str, valid: Iterable[str]) -> str:
    """A sentence listing the valid ids, with the closest ones first when there are any."""
    valid = sorted(valid)
    close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
    text = f"Valid values: {', '.join(valid)}"
    if close:
        text = f"Did you mean {' or '.join(repr(c) for c in close)}? " + text
    return text
