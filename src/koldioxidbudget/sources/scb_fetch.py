"""SCB's PxWeb API → the tidy region and population files :mod:`.scb` reads (``data fetch``'s
``scb-regions`` and ``scb-population``, see ``registry.REMOTES``).

``scb-regions`` reads the table ``BE0101A/BefolkningNy``'s metadata (every region code and name)
and writes ``regions/municipalities.csv`` and ``regions/counties.csv``; ``scb-population`` asks
the same table for the population on 31 December (``BE0101N1``) of every municipality those
files list, in every year, and writes the municipal file and the county/national one (sums of
municipalities). The raw answers are kept next to them (``regions/raw``, ``population/raw``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..areas import county_short_name
from ..schema import NATIONAL_CODE
from . import registry
from .download import FetchError, load_json
from .scb import OFFICIAL_NAMES
from .store import now

if TYPE_CHECKING:
    from .fetch import FetchRun
    from .registry import Remote

__all__ = [
    "fetch_population",
    "fetch_regions",
    "official_name",
    "pxweb_population",
    "pxweb_regions",
]

_PXWEB_CONTENT = registry.remote("scb-population").vars["content"]  # Folkmängd, 31 December


# ---------------------------------------------------------------------------------------------
# PxWeb → tidy CSVs


def official_name(kommun: str) -> str:
    """The municipality's official name from SCB's short name: ``Salem`` → ``Salems kommun``,
    ``Upplands Väsby`` → ``Upplands Väsby kommun`` (no genitive s after a vowel, s, x or z),
    ``Falun`` → ``Falu kommun`` (``scb.OFFICIAL_NAMES``: the names no rule gives)."""
    if kommun in OFFICIAL_NAMES:
        return OFFICIAL_NAMES[kommun]
    return f"{kommun} kommun" if kommun[-1].lower() in "aeiouyåäösxz" else f"{kommun}s kommun"


def pxweb_regions(meta: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``regions/municipalities.csv`` and ``regions/counties.csv`` from PxWeb table metadata.

    Municipalities are the 4-digit region codes, counties the 2-digit ones except ``00``; a
    municipality's county is its code's first two digits. Raises :class:`FetchError` when the
    metadata has no region variable or no municipality."""
    if not isinstance(meta, dict) or not isinstance(meta.get("variables"), list):
        raise FetchError(key="pxweb_no_variables")
    region = next((v for v in meta["variables"] if v.get("code") == "Region"), None)
    if region is None:
        raise FetchError(key="pxweb_no_region")
    codes, texts = region.get("values", []), region.get("valueTexts", [])
    if len(codes) != len(texts):
        raise FetchError(
            key="pxweb_region_lengths",
        )
    contents: dict[str, Any] = next(
        (v for v in meta["variables"] if v.get("code") == "ContentsCode"), {}
    )
    if _PXWEB_CONTENT not in contents.get("values", []):
        raise FetchError(
            key="pxweb_no_content",
            content=_PXWEB_CONTENT,
        )
    lan = {
        c: str(t).strip()
        for c, t in zip(codes, texts, strict=True)
        if len(c) == 2 and c.isdigit() and c != NATIONAL_CODE
    }
    kom = [
        (c, str(t).strip())
        for c, t in zip(codes, texts, strict=True)
        if len(c) == 4 and c.isdigit()
    ]
    kom = [(c, t) for c, t in kom if c[:2] in lan]
    if not kom or not lan:
        raise FetchError(key="pxweb_no_codes")
    mun = pd.DataFrame(
        [(c, t, official_name(t), c[:2], lan[c[:2]]) for c, t in sorted(kom)],
        columns=["kommunkod", "kommun", "kommun_officiellt", "lanskod", "lan"],
    )
    count = mun["lanskod"].value_counts()
    cty = pd.DataFrame(
        [(c, n, county_short_name(n), int(count.get(c, 0))) for c, n in sorted(lan.items())],
        columns=["lanskod", "lan", "lan_kort", "antal_kommuner"],
    )
    return mun, cty[cty["antal_kommuner"] > 0].reset_index(drop=True)


def _pxweb_query(codes: Iterable[str]) -> bytes:
    query = {
        "query": [
            {
                "code": "Region",
                "selection": {"filter": "vs:RegionKommun07", "values": sorted(codes)},
            },
            {"code": "ContentsCode", "selection": {"filter": "item", "values": [_PXWEB_CONTENT]}},
            {"code": "Tid", "selection": {"filter": "all", "values": ["*"]}},
        ],
        "response": {"format": "json"},
    }
    return json.dumps(query).encode("utf-8")


def pxweb_population(
    data: Any, municipalities: pd.DataFrame, *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy population CSVs (municipalities; counties and Sweden as sums of municipalities)
    from a PxWeb "json" answer (``columns`` + ``data: [{key: [region, year], values: [n]}]``).

    Years where a municipality has no figure (``..``, e.g. before it existed) are left out.
    Raises :class:`FetchError` when the answer's shape is wrong or a municipality lacks the
    latest year."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise FetchError(key="pxweb_no_data")
    cols = [c.get("code") for c in data.get("columns", [])]
    if "Region" not in cols or "Tid" not in cols:
        raise FetchError(
            key="pxweb_columns",
            got=str(cols),
        )
    ri, ti = cols.index("Region"), cols.index("Tid")
    rows = []
    for item in data["data"]:
        key, values = item.get("key", []), item.get("values", [])
        if not values:
            continue
        v = str(values[0]).strip()
        if not v.isdigit():
            continue  # ".." or "-": no figure
        rows.append((str(key[ri]), int(str(key[ti])[:4]), int(v)))
    if not rows:
        raise FetchError(key="pxweb_no_population")
    pop = pd.DataFrame(rows, columns=["kommunkod", "year", "population"])
    names = municipalities.set_index("kommunkod")
    pop = pop[pop["kommunkod"].isin(names.index)]
    last = int(pop["year"].max())
    have = set(pop.loc[pop["year"] == last, "kommunkod"])
    lacking = [c for c in names.index if c not in have]
    if lacking:
        raise FetchError(
            key="pxweb_lacks_municipalities",
            count=len(lacking),
            year=last,
            example=lacking[0],
        )
    pop = pop.sort_values(["kommunkod", "year"]).reset_index(drop=True)
    mun = pop.assign(kommun=pop["kommunkod"].map(names["kommun"]), source=source)[
        ["kommunkod", "kommun", "year", "population", "source"]
    ]
    lan_names = dict(zip(municipalities["lanskod"], municipalities["lan"], strict=False))
    by_lan = (
        pop.assign(lanskod=pop["kommunkod"].str[:2])
        .groupby(["lanskod", "year"], as_index=False)["population"]
        .sum()
    )
    nat = pop.groupby("year", as_index=False)["population"].sum().assign(lanskod=NATIONAL_CODE)
    cty = pd.concat([nat, by_lan], ignore_index=True)
    cty["lan"] = cty["lanskod"].map(lan_names | {NATIONAL_CODE: "Sverige (summa kommuner)"})
    cty["source"] = "sum of municipalities"
    cty = cty.sort_values(["lanskod", "year"]).reset_index(drop=True)
    return mun, cty[["lanskod", "lan", "year", "population", "source"]]


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# the remotes


def fetch_regions(run: FetchRun, remote: Remote) -> None:
    """Download the table's metadata, keep it, and write the municipality and county files."""
    url = run.url(remote)
    holder: dict[str, Any] = {}

    def verify(path: Path) -> None:
        holder["frames"] = pxweb_regions(load_json(path))

    _, tmp, sha, n = run.download(remote, url=url, verify=verify)
    run.store(remote.id, tmp, remote.raw, url=url, sha=sha, n=n)
    mun: pd.DataFrame = holder["frames"][0]
    cty: pd.DataFrame = holder["frames"][1]
    for df, role in ((mun, "municipalities"), (cty, "counties")):
        rel = registry.input_file(role)
        run.store_bytes(remote.id, _csv_bytes(df), rel, url=url, derived_from=remote.raw)
    run.shared["municipalities"] = mun


def fetch_population(run: FetchRun, remote: Remote) -> None:
    """Ask for every municipality's population (those ``scb-regions`` found in this run, else
    those of the folder's municipality file), keep the answer, and write the population files."""
    municipalities = run.shared.get("municipalities")
    if municipalities is None:
        municipalities = _regions_on_disk(run.into)
    url = run.url(remote)
    holder: dict[str, Any] = {}
    source = f"SCB BE0101A/BefolkningNy (PxWeb API), 31 Dec, fetched {now()[:10]}"

    def verify(path: Path) -> None:
        holder["frames"] = pxweb_population(load_json(path), municipalities, source=source)

    body = _pxweb_query(municipalities["kommunkod"])
    _, tmp, sha, n = run.download(remote, url=url, verify=verify, body=body)
    run.store(remote.id, tmp, remote.raw, url=url, sha=sha, n=n)
    mun, cty = holder["frames"]
    for df, role in ((mun, "population_municipality"), (cty, "population_county")):
        rel = registry.input_file(role)
        run.store_bytes(remote.id, _csv_bytes(df), rel, url=url, derived_from=remote.raw)


def _regions_on_disk(root: Path) -> pd.DataFrame:
    f = root / registry.input_file("municipalities")
    if not f.is_file():
        raise FetchError(
            key="population_needs_regions",
        )
    frame: pd.DataFrame = pd.read_csv(f, dtype=str, keep_default_na=False)
    return frame
