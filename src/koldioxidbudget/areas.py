"""Areas: municipalities (kommun), counties (län) and Sweden (riket); lookup by name or code.

A query matches in any case, with or without diacritics and the words "kommun", "län",
"stad" or "region": "goteborg", "1480", "Uppsala kommun", "Stockholms län", "Sverige".
A bare name that is both a municipality and a county ("Uppsala") means the municipality;
"Uppsala län" means the county. Two areas whose names differ only in diacritics (Habo 0643
and Håbo 0305) are told apart by the letters as typed: "habo" is Habo, "håbo" is Håbo, and a
query that is neither ("Habö") is refused with both as suggestions rather than guessed. A typo
raises ``AreaNotFound`` with close names.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import AreaNotFound

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Area", "county_short_name", "find_area", "normalise", "slug"]

#: words a query may add to a name ("Uppsala kommun", "Stockholms län", "Region Gotland")
_SUFFIX_WORDS = ("kommun", "kommune", "stad", "lan", "region", "county", "municipality")
_SUFFIX = re.compile(rf"\b({'|'.join(_SUFFIX_WORDS)})\b")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    lan_code: str


def county_short_name(lan: str) -> str:
    """``Stockholms län`` → ``Stockholm``, ``Skåne län`` → ``Skåne``: the county's own name, as
    in "Stockholm County"."""
    base = lan.removesuffix(" län")
    return base[:-1] if base.endswith("s") else base


def normalise(text: str) -> str:
    """Lower case, no diacritics, single spaces."""
    t = unicodedata.normalize("NFKD", text.strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.replace("-", " ").split())


def slug(name: str) -> str:
    """kebab-case, ASCII: 'Upplands Väsby' → 'upplands-vasby', 'Stockholms län' → 'stockholms-lan'."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")


def _bare(text: str) -> str:
    t = _SUFFIX.sub(" ", normalise(text))
    t = " ".join(t.split())
    # "stockholms" (län genitive) → "stockholm"
    return t


def _as_typed(text: str) -> str:
    """Lower case, single spaces, without the words "kommun", "län" etc., diacritics kept."""
    t = unicodedata.normalize("NFC", text).casefold().replace("-", " ")
    return " ".join(w for w in t.split() if normalise(w) not in _SUFFIX_WORDS)


@functools.lru_cache(maxsize=2048)
def _keys(name: str, official: str, level: str) -> frozenset[str]:
    """Every way a query may name an area (normalised), made once per area and process."""
    k = {normalise(name), _bare(name), normalise(official), _bare(official), slug(name)}
    if level == "lan":
        b = _bare(name)
        k.add(b[:-1] if b.endswith("s") else b)  # "stockholms" → "stockholm"
    elif level == "kommun":  # as people write it: "Gotlands kommun", "Faluns kommun"
        k |= {normalise(f"{name}s kommun"), normalise(f"{name} kommun")}
    return frozenset(k)


def find_area(areas: pd.DataFrame, query: str) -> Area:
    """The area a user means by ``query`` (see module doc)."""
    q = query.strip()
    rows = list(areas.itertuples(index=False))
    by_code = {r.code: r for r in rows}
    if q in by_code:
        r = by_code[q]
        return Area(r.code, r.name, r.level, r.lan_code)
    if q.isdigit() and len(q) in (1, 3):
        padded = q.zfill(2 if len(q) == 1 else 4)
        if padded in by_code:
            r = by_code[padded]
            return Area(r.code, r.name, r.level, r.lan_code)
    nq = normalise(q)
    wants_lan = bool(re.search(r"\blan\b|\bcounty\b", nq))
    wants_kommun = bool(re.search(r"\bkommun\b|\bmunicipality\b", nq))
    bq = _bare(q)
    if nq in {"sverige", "sweden", "riket", "hela sverige"}:
        r = next(r for r in rows if r.level == "riket")
        return Area(r.code, r.name, r.level, r.lan_code)

    named = [r for r in rows if not {nq, bq}.isdisjoint(_keys(r.name, r.official_name, r.level))]
    matches = named
    if wants_lan:
        matches = [r for r in matches if r.level == "lan"] or matches
    elif wants_kommun or len({r.level for r in matches}) > 1:
        matches = [r for r in matches if r.level == "kommun"] or matches
    if len(matches) > 1:  # same level, names equal without diacritics (Habo, Håbo)
        spelled = _as_typed(q)
        matches = [r for r in matches if spelled in {_as_typed(r.name), _as_typed(r.official_name)}]
        if len(matches) != 1:
            raise AreaNotFound(query, sorted({r.name for r in named}))
    if matches:
        r = matches[0]
        return Area(r.code, r.name, r.level, r.lan_code)
    names = {normalise(r.name): r.name for r in rows}
    close = difflib.get_close_matches(bq or nq, list(names), n=4, cutoff=0.6)
    raise AreaNotFound(query, [names[c] for c in close])
