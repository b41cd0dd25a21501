"""Query strings → ``Parameters``, through ``parameters_from`` (one validation for CLI and API).

The HTTP API accepts ``preset``, ``edition`` and every ``Parameters`` field as a query parameter
(``?preset=uppsala-2024-1.5&convention=B&allocation=per-capita``), with the same string syntax
as the CLI's ``--set``. Errors name the parameter and what is allowed (``invalid-params``).

On top of the method's own checks, the server bounds what a request may cost: years between
1900 and 2200, finite numbers, at most 20 items in a list, strings of at most 100 characters.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin, get_type_hints

from ..errors import ParameterError
from ..method.params import FIELD_DOCS, PRESET_AS_OF, PRESETS, Parameters
from ..method.params import preset as named_preset
from ..schema import SECTORS
from ..service.inputs import parameters_from
from .problems import Msg, Problem, msg

__all__ = [
    "FIELDS",
    "Query",
    "allowed",
    "openapi_query_parameters",
    "parse_parameters",
    "split_query",
]

#: Every Parameters field a query may set (``preset`` is its own query parameter).
FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Parameters) if f.name != "preset"
)
_HINTS = get_type_hints(Parameters)

YEAR_MIN, YEAR_MAX = 1900, 2200
MAX_ITEMS = 20
MAX_TEXT = 100
MAX_LIST_TEXT = 1000
#: tonnes and gigatonnes beyond these are no carbon budget of this planet (the whole remaining
#: global budget is below 10 000 Gt); they would only overflow dates downstream
MAX_T = 1e13
MAX_GT = 1e4
_YEAR_FIELDS = {
    "developing_peak_year",
    "convergence_year",
    "trend_from",
    "horizon_year",
    "path_end_year",
    "as_of",
    "carbon_law_from",
    "national_budget_from",
}
_LIST_FIELDS = {name for name in FIELDS if get_origin(_HINTS[name]) is tuple}
_SYNTAX = {
    "grandfathering_reference_years": "FIRST-LAST, e.g. 2014-2018",
    "base_years_custom": "FIRST-LAST, e.g. 2020-2022",
    "exclude_sectors": f"comma-separated sector ids ({', '.join(SECTORS)}), or empty for none",
    "national_facilities": "CODE:NAME:T,… e.g. 1484:Preemraff Lysekil:1500000",
    "national_preliminary_t": "YEAR:T,… e.g. 2024:38000000",
    "local_targets": "YEAR:REDUCTION[:BASE_YEAR],… e.g. 2030:0.63:1990,2045:1.0",
    "global_source": "a source_id of the edition's global budget table, e.g. AR6_WG1_SPM2",
}


def allowed(name: str) -> Any:
    """What a field accepts, for ``invalid-params``: a list of values or a short description."""
    if name == "preset":
        return sorted(PRESETS)
    if name in _SYNTAX:
        return _SYNTAX[name]
    hint = _HINTS[name]
    if get_origin(hint) is Literal:
        return [str(a) for a in get_args(hint)]
    if hint is bool:
        return ["true", "false"]
    if hint is int:
        return f"a year between {YEAR_MIN} and {YEAR_MAX}" if name in _YEAR_FIELDS else "an integer"
    if hint is float:
        return "a finite number"
    return "text"


def _schema(name: str) -> dict[str, Any]:
    hint = _HINTS[name]
    if get_origin(hint) is Literal:
        return {"type": "string", "enum": [str(a) for a in get_args(hint)]}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        if name in _YEAR_FIELDS:
            return {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    return {"type": "string", "maxLength": 1000}


def openapi_query_parameters(*, include_edition: bool = True) -> list[dict[str, Any]]:
    """OpenAPI descriptions of ``preset``, ``edition`` and every Parameters field."""
    out: list[dict[str, Any]] = [
        {
            "name": "preset",
            "in": "query",
            "required": False,
            "description": "Preset the parameters start from (default uppsala-2024-1.7).",
            "schema": {"type": "string", "enum": sorted(PRESETS)},
        }
    ]
    if include_edition:
        out.append(
            {
                "name": "edition",
                "in": "query",
                "required": False,
                "description": "Edition id or unique prefix (default: the newest CO2 edition).",
                "schema": {"type": "string", "maxLength": 100},
            }
        )
    for name in FIELDS:
        doc = FIELD_DOCS.get(name, "")
        if name in _SYNTAX:
            doc += f" Syntax: {_SYNTAX[name]}."
        out.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": doc,
                "schema": _schema(name),
            }
        )
    return out


@dataclass(frozen=True)
class Query:
    """A request's query split into its parts: the preset, the edition, the field overrides and
    the endpoint's own parameters (``lang``, ``level``)."""

    preset: str | None
    edition: str | None
    overrides: tuple[tuple[str, str], ...]
    extras: dict[str, str]


def _invalid(name: str, reason: Msg, status: int = 400, value: str | None = None) -> Problem:
    item: dict[str, Any] = {"name": name, "reason": reason, "allowed": allowed_any(name)}
    if value is not None:
        item["value"] = value[:MAX_TEXT]
    detail = msg("name_reason", name=name, reason=reason)
    return Problem(status, "invalid-parameter", detail, invalid_params=[item])


def allowed_any(name: str) -> Any:
    if name in FIELDS or name == "preset":
        return allowed(name)
    return None


def split_query(
    items: Iterable[tuple[str, str]],
    *,
    extras: Sequence[str] = (),
    fields: bool = True,
    preset: bool = True,
    edition: bool = True,
) -> Query:
    """Sort the query's items: ``preset``, ``edition``, Parameters ``fields`` and the endpoint's
    ``extras``, each where allowed. Unknown and repeated names are a 400 with ``invalid-params``;
    an unknown preset is a 422."""
    seen: dict[str, str] = {}
    known = set(extras) | set(FIELDS if fields else ())
    known |= {"preset"} if preset else set()
    known |= {"edition"} if edition else set()
    for raw_key, value in items:
        key = raw_key.strip().replace("-", "_")
        if key not in known:
            valid = sorted(known)
            close = difflib.get_close_matches(key, valid, n=3, cutoff=0.6)
            raise Problem(
                400,
                "invalid-parameter",
                msg(
                    "unknown_query_parameter_suggest",
                    value=raw_key[:MAX_TEXT],
                    close=", ".join(close),
                )
                if close
                else msg("unknown_query_parameter", value=raw_key[:MAX_TEXT]),
                invalid_params=[
                    {
                        "name": raw_key[:MAX_TEXT],
                        "reason": msg("reason.unknown_parameter"),
                        "allowed": valid,
                    }
                ],
            )
        if key in seen:
            raise _invalid(key, msg("reason.repeated"))
        if len(value) > (MAX_LIST_TEXT if key in _LIST_FIELDS else MAX_TEXT):
            raise _invalid(key, msg("reason.too_long"), value=value)
        seen[key] = value
    name = seen.pop("preset", None)
    ed = seen.pop("edition", None)
    ext = {k: seen.pop(k) for k in list(seen) if k in extras}
    if name is not None and name not in PRESETS:
        raise Problem(
            422,
            "invalid-parameter",
            _unknown_preset(name[:MAX_TEXT]),
            invalid_params=[
                {
                    "name": "preset",
                    "reason": msg("reason.unknown_preset"),
                    "allowed": sorted(PRESETS),
                    "value": name[:MAX_TEXT],
                }
            ],
        )
    return Query(name, ed, tuple(sorted(seen.items())), ext)


def _unknown_preset(name: str) -> ParameterError:
    """The engine's own error for an unknown preset (its words, in both languages)."""
    try:
        named_preset(name, as_of=PRESET_AS_OF)  # only the name matters here
    except ParameterError as e:
        return e
    raise AssertionError(f"preset {name!r} exists")


@functools.lru_cache(maxsize=4096)  # thread-safe; errors are raised again, not cached
def parse_parameters(preset: str | None, overrides: tuple[tuple[str, str], ...]) -> Parameters:
    """The Parameters a query means (memoised: parsing and validating costs about a millisecond)."""
    return _parse(preset, overrides)


def _parse(preset: str | None, overrides: tuple[tuple[str, str], ...]) -> Parameters:
    try:
        p = parameters_from(preset, dict(overrides))
    except ParameterError as e:
        raise _blame(preset, overrides, e) from None
    for name, _raw in overrides:
        reason = _limit_violation(name, getattr(p, name))
        if reason:
            raise _invalid(name, reason, status=422, value=_raw)
    return p


def _blame(
    preset: str | None, overrides: tuple[tuple[str, str], ...], e: ParameterError
) -> Problem:
    """Which parameters caused ``e``: each override alone first, then the names in the message."""
    params: list[dict[str, Any]] = []
    for name, raw in overrides:
        try:
            parameters_from(preset, {name: raw})
        except ParameterError as alone:
            params.append(
                {
                    "name": name,
                    "reason": alone,
                    "allowed": allowed(name),
                    "value": raw[:MAX_TEXT],
                }
            )
    if not params:
        params = names_in(e, {k: v for k, v in overrides})
    return Problem(422, "invalid-parameter", e, invalid_params=params)


def names_in(error: ParameterError, given: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """``invalid-params`` entries for the field names ``error``'s message mentions."""
    given = given or {}
    words = set(re.findall(r"[a-z_]+", str(error)))
    out = []
    for name in FIELDS:
        if name in words:
            item: dict[str, Any] = {"name": name, "reason": error, "allowed": allowed(name)}
            if name in given:
                item["value"] = given[name][:MAX_TEXT]
            out.append(item)
    return out


def _limit_violation(name: str, value: Any) -> Msg | None:
    """Why ``value`` is beyond what the server computes, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and name in _YEAR_FIELDS:
        return (
            None
            if YEAR_MIN <= value <= YEAR_MAX
            else msg("reason.year_range", min=YEAR_MIN, max=YEAR_MAX)
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            return msg("reason.finite")
        return _magnitude(name, value)
    if isinstance(value, str):
        return None if len(value) <= MAX_TEXT else msg("reason.max_characters", limit=MAX_TEXT)
    if isinstance(value, tuple):
        if len(value) > MAX_ITEMS:
            return msg("reason.max_items", limit=MAX_ITEMS)
        for item in value:
            for v in _scalars(item):
                if isinstance(v, float) and not math.isfinite(v):
                    return msg("reason.finite")
                if isinstance(v, float) and name in (
                    "national_facilities",
                    "national_preliminary_t",
                ):
                    too_big = _magnitude("value_t", v)
                    if too_big:
                        return too_big
                if (
                    isinstance(v, int)
                    and not isinstance(v, bool)
                    and not (YEAR_MIN <= v <= YEAR_MAX)
                    and _is_year_slot(name)
                ):
                    return msg("reason.year_range", min=YEAR_MIN, max=YEAR_MAX)
                if isinstance(v, str) and len(v) > MAX_TEXT:
                    return msg("reason.max_characters", limit=MAX_TEXT)
    return None


def _magnitude(name: str, value: float) -> Msg | None:
    if name.endswith("_t") and abs(value) > MAX_T:
        return msg("reason.max_size", limit=float(MAX_T), unit="t")
    if name.endswith("_gt") and abs(value) > MAX_GT:
        return msg("reason.max_size", limit=float(MAX_GT), unit="Gt")
    return None


def _is_year_slot(name: str) -> bool:
    return name in {
        "grandfathering_reference_years",
        "base_years_custom",
        "national_preliminary_t",
        "local_targets",
    }


def _scalars(item: Any) -> list[Any]:
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return [getattr(item, f.name) for f in dataclasses.fields(item)]
    if isinstance(item, tuple):
        return list(item)
    return [item]
