"""Parameters from what people type, read at the edge (the CLI's ``--set``, the API's query
strings, the site's options): a preset's name and ``key=value`` strings become a validated
:class:`~koldioxidbudget.method.params.Parameters`. The clock is read here too, once, for the
year a scenario is computed as of; the method itself never reads it (``as_of`` is always given).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ..errors import ParameterError
from ..method.params import DEFAULT_PRESET, Facility, LocalTarget, Parameters, preset

__all__ = ["named", "parameters_from", "this_year"]


def this_year() -> int:
    """The current calendar year: a scenario's default ``as_of``."""
    return _dt.date.today().year


def named(name: str | None = None, *, as_of: int | None = None) -> Parameters:
    """The preset ``name`` (default ``uppsala-2024-1.7``) as of ``as_of`` (default: this year)."""
    return preset(name or DEFAULT_PRESET, as_of=this_year() if as_of is None else as_of)


def _parse_value(name: str, raw: str, current: Any) -> Any:
    """Parse ``raw`` (from --set or a query string) into the type of field ``name``."""
    try:
        if name == "local_targets":
            return _parse_targets(raw)
        if name == "national_facilities":
            return _parse_facilities(raw)
        if isinstance(current, bool):
            low = raw.strip().lower()
            if low in {"true", "1", "yes", "ja"}:
                return True
            if low in {"false", "0", "no", "nej"}:
                return False
            raise ValueError(raw)
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            return float(raw.replace("_", "").replace(" ", ""))
        if isinstance(current, tuple):
            parts = (
                [x.strip() for x in raw.replace(",", "-").split("-")]
                if name.endswith("years") or name.endswith("years_custom")
                else [x.strip() for x in raw.split(",")]
            )
            parts = [x for x in parts if x]
            if name in {"grandfathering_reference_years", "base_years_custom"}:
                if len(parts) != 2:
                    raise ValueError(raw)
                return (int(parts[0]), int(parts[1]))
            if name == "national_preliminary_t":
                pairs = [x.split(":") for x in raw.split(",") if x.strip()]
                return tuple((int(y), float(v)) for y, v in pairs)
            return tuple(parts)
        return raw.strip()
    except ValueError:
        raise ParameterError(
            key="cannot_read",
            raw=raw,
            name=name,
            expected=type(current).__name__,
            example=f"{name}={_example(current)}",
        ) from None


def _example(current: Any) -> str:
    if isinstance(current, tuple) and current and isinstance(current[0], int):
        return f"{current[0]}-{current[1]}"
    if isinstance(current, tuple):
        return ",".join(map(str, current)) or "a,b"
    return str(current)


def _parse_targets(raw: str) -> tuple[LocalTarget, ...]:
    """``2030:0.63:1990,2045:1.0`` → targets (year:reduction[:base_year])."""
    out = []
    for item in raw.split(","):
        if not item.strip():
            continue
        parts = item.split(":")
        if len(parts) not in (2, 3):
            raise ValueError(item)
        out.append(
            LocalTarget(int(parts[0]), float(parts[1]), int(parts[2]) if len(parts) == 3 else 1990)
        )
    return tuple(out)


def _parse_facilities(raw: str) -> tuple[Facility, ...]:
    """``1480:Preemraff Göteborg:1600000,...`` → facilities (code:name:t per year)."""
    out = []
    for item in raw.split(","):
        if not item.strip():
            continue
        code, name, t = item.split(":")
        out.append(Facility(code.strip(), name.strip(), float(t)))
    return tuple(out)


def parameters_from(
    preset_name: str | None = None,
    overrides: Mapping[str, str] | None = None,
    *,
    as_of: int | None = None,
) -> Parameters:
    """A preset (default ``uppsala-2024-1.7``) as of ``as_of`` (default: this year) with
    ``key=value`` overrides parsed from strings (an ``as_of`` among them wins).

    Unknown keys raise ``ParameterError`` with a "did you mean".
    """
    base = named(preset_name, as_of=as_of)
    if not overrides:
        return base
    names = {f.name for f in dataclasses.fields(Parameters)}
    changes: dict[str, Any] = {}
    for key, raw in overrides.items():
        name = key.strip().replace("-", "_")
        if name not in names or name == "preset":
            raise ParameterError(
                key="unknown_parameter",
                value=key,
                valid=sorted(names - {"preset"}),
            )
        changes[name] = _parse_value(name, raw, getattr(base, name))
    return dataclasses.replace(base, **changes)
