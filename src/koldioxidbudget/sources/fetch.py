"""Download the publishers' current files into a source folder that ``data build`` reads.

What is fetched (``PROVENANCE.md``, "How a user fetches" / "Fetch latest"):

==================  ==========================================================================
remote id           publisher, request, where it lands in the source folder
==================  ==========================================================================
``smhi-co2``        SMHI Nationella emissionsdatabasen, ``GET /api/getexcelfile/?county=0&
                    municipality=0&sub=CO2`` → ``emissions/smhi_rus/raw/smhi_lansrapport_co2_
                    <release>.xlsx`` (the release date read from the file)
``smhi-ghg``        the same with ``sub=GGT`` (all greenhouse gases, CO2e) → ``…_ggt_<release>.xlsx``
``scb-regions``     SCB PxWeb API v1, ``GET …/BE0101A/BefolkningNy`` (the table's metadata: every
                    region code and name) → ``regions/raw/scb_pxweb_befolkningny_metadata.json``,
                    converted to ``regions/municipalities.csv`` and ``regions/counties.csv``
``scb-population``  SCB PxWeb API v1, ``POST …/BE0101A/BefolkningNy`` (population 31 December,
                    ``BE0101N1``, every municipality, every year) → ``population/raw/
                    scb_pxweb_befolkningny.json``, converted to the tidy population CSVs
``gcb-national``    Global Carbon Project, ``GET /downloads/latest-data/National_Fossil_Carbon_
                    Emissions_<year>v1.0.xlsx`` → ``global/raw/`` (kept for the record; the build
                    still reads the tidy GCB 2019 country-group file)
==================  ==========================================================================

Every download has a connect and a read timeout, is retried with exponential backoff on network
errors, timeouts, 5xx and 429 answers and on content that fails verification, is limited in
size, streamed into a hidden temporary file next to its destination (``.<name>.<pid>.part``,
never read by a build), verified (an Excel file is a complete zip starting with ``PK`` whose
table has SMHI's "Huvudsektor" header or GCB's "Territorial Emissions" sheet; an SCB answer has
PxWeb's JSON shape with every municipality), and only then renamed into place.

A file is never lost: when the publisher serves something different under a name the folder
already has, the file already there is kept as ``<name>.<YYYY-MM-DD>.<ext>`` (the date it was
fetched, else its modification date) and the new one takes the plain name, so the next build
reads the newest data. Identical content is left alone ("unchanged"). Every run is recorded in
``fetch-manifest.json`` (URL, time, SHA-256, bytes, status).

Base URLs are settings: ``KOLDIOXIDBUDGET_FETCH_BASE_SMHI``, ``…_SCB``, ``…_GCB``, or one
mirror (``KOLDIOXIDBUDGET_FETCH_MIRROR`` / ``--from-mirror URL``) that serves every publisher
under ``<mirror>/<publisher host>/<path>``. Tests point them at a local server.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pandas as pd

from ..errors import KoldioxidbudgetError, SourceError, Term
from ..schema import GAS_CO2, GAS_CO2E, NATIONAL_CODE

__all__ = [
    "BUILD_INPUTS",
    "DEFAULT_BASES",
    "MANIFEST",
    "REMOTES",
    "FetchError",
    "FetchResult",
    "FetchSettings",
    "Fetched",
    "default_into",
    "fetch_sources",
    "official_name",
    "pxweb_population",
    "pxweb_regions",
    "short_county_name",
]

log = logging.getLogger(__name__)

#: The publishers' real base URLs.
DEFAULT_BASES: dict[str, str] = {
    "smhi": "https://nationellaemissionsdatabasen.smhi.se",
    "scb": "https://api.scb.se",
    "gcb": "https://globalcarbonbudgetdata.org",
}

#: Every remote, in the order fetched.
REMOTES: tuple[str, ...] = ("smhi-co2", "smhi-ghg", "scb-regions", "scb-population", "gcb-national")

#: The fetch log in the source folder.
MANIFEST = "fetch-manifest.json"

_SMHI_PATH = "/api/getexcelfile/?county=0&municipality=0&sub={sub}"
_PXWEB_TABLE = "/OV0104/v1/doris/sv/ssd/START/BE/BE0101/BE0101A/BefolkningNy"
_PXWEB_CONTENT = "BE0101N1"  # Folkmängd (population 31 December)
_GCB_PATH = "/downloads/latest-data/National_Fossil_Carbon_Emissions_{year}v1.0.xlsx"
_MB = 1 << 20


class FetchError(KoldioxidbudgetError):
    """A publisher's file could not be downloaded or is not what the publisher serves.

    Keyed like every error (``errors.<key>``); a slot holding another error (the reason a
    download failed) is localised with it.
    """


@dataclass(frozen=True)
class FetchSettings:
    """Where and how to download. ``bases`` maps ``smhi``/``scb``/``gcb`` to a base URL."""

    bases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BASES))
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 120.0
    retries: int = 3
    backoff_s: float = 2.0
    max_backoff_s: float = 30.0
    max_bytes: int = 100 * _MB
    #: GCB release year; None tries this year and the two before
    gcb_year: int | None = None
    user_agent: str = "koldioxidbudget-data-fetch/0.1 (python-httpx)"

    @classmethod
    def from_env(
        cls,
        *,
        mirror: str | None = None,
        environ: dict[str, str] | None = None,
        **overrides: Any,
    ) -> FetchSettings:
        """Settings from ``KOLDIOXIDBUDGET_FETCH_*`` variables, ``mirror`` and ``overrides``."""
        env = os.environ if environ is None else environ
        mirror = mirror or env.get("KOLDIOXIDBUDGET_FETCH_MIRROR")
        bases = dict(DEFAULT_BASES)
        if mirror:
            root = mirror.rstrip("/")
            bases = {k: f"{root}/{urlsplit(v).netloc}" for k, v in DEFAULT_BASES.items()}
        for k in bases:
            v = env.get(f"KOLDIOXIDBUDGET_FETCH_BASE_{k.upper()}")
            if v:
                bases[k] = v.rstrip("/")
        return dataclasses.replace(cls(bases=bases), **overrides)


@dataclass(frozen=True)
class Fetched:
    """One file stored by a fetch (a download, or a file converted from one)."""

    remote: str
    path: str
    url: str
    sha256: str
    bytes: int
    fetched_at: str
    status: str  # new | unchanged | replaced
    archived_as: str | None = None
    derived_from: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """What a fetch stored and what failed (remote id → message); ``missing`` lists build inputs
    the folder still lacks (files no publisher serves, such as the hand-kept budget table).
    ``failures`` holds the errors themselves (remote id → error, ``str`` of which is the message),
    for a message in the user's language (``localized``)."""

    into: Path
    files: tuple[Fetched, ...]
    errors: dict[str, str]
    missing: tuple[str, ...] = ()
    failures: dict[str, KoldioxidbudgetError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# HTTP: timeouts, retries, size limit, streaming into a temporary file


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _part_name(dest_dir: Path, name: str) -> Path:
    return dest_dir / f".{name}.{os.getpid()}.part"


class _Retryable(Exception):
    """A failed attempt worth retrying; ``reason`` says why (its ``str`` is this one's)."""

    def __init__(self, reason: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.retry_after = retry_after


class _Final(Exception):
    """A failed download not worth retrying; ``reason`` says why (its ``str`` is this one's)."""

    def __init__(self, reason: FetchError) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _download(
    client: httpx.Client,
    settings: FetchSettings,
    *,
    method: str,
    url: str,
    tmp: Path,
    body: bytes | None = None,
    verify: Callable[[Path], Any],
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Any, str, int]:
    """Download ``url`` into ``tmp`` and verify it; returns (verify's result, sha256, bytes).

    Retries ``settings.retries`` times on timeouts, network errors, 5xx/429 answers, truncated
    bodies and content that fails ``verify``; a 4xx answer is final. Raises :class:`FetchError`.
    """
    attempts = settings.retries + 1
    last: FetchError | None = None
    for attempt in range(attempts):
        if attempt:
            delay = min(settings.max_backoff_s, settings.backoff_s * 2 ** (attempt - 1))
            log.info("retrying %s in %.1f s (%s)", url, delay, last)
            sleep(delay)
        try:
            sha, n = _stream(client, settings, method, url, tmp, body)
            try:
                result = verify(tmp)
            except (SourceError, FetchError, ValueError, OSError, zipfile.BadZipFile) as e:
                raise _Retryable(
                    FetchError(
                        key="content_not_served",
                        error=e if isinstance(e, KoldioxidbudgetError) else str(e),
                    )
                ) from e
            return result, sha, n
        except _Retryable as e:
            last = e.reason
            tmp.unlink(missing_ok=True)
            if e.retry_after and attempt + 1 < attempts:
                sleep(min(settings.max_backoff_s, e.retry_after))
        except _Final as e:
            tmp.unlink(missing_ok=True)
            raise FetchError(key="fetch_failed", url=url, reason=e.reason) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    raise FetchError(
        key="fetch_gave_up",
        url=url,
        attempts=attempts,
        last=last,
    )


def _stream(
    client: httpx.Client,
    settings: FetchSettings,
    method: str,
    url: str,
    tmp: Path,
    body: bytes | None,
) -> tuple[str, int]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    h = hashlib.sha256()
    n = 0
    try:
        with client.stream(method, url, content=body, headers=headers) as r:
            if r.status_code == 429 or r.status_code >= 500:
                ra = r.headers.get("Retry-After", "")
                raise _Retryable(_http_status(r), float(ra) if ra.isdigit() else None)
            if r.status_code >= 400:
                raise _Final(_http_status(r))
            declared = r.headers.get("Content-Length")
            limit = f"{settings.max_bytes / _MB:.1f}"
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                size = f"{int(declared) / _MB:.1f}"
                raise _Final(
                    FetchError(
                        key="file_too_large",
                        size=size,
                        limit=limit,
                    )
                )
            with tmp.open("wb") as f:
                for chunk in r.iter_bytes():
                    n += len(chunk)
                    if n > settings.max_bytes:
                        raise _Final(
                            FetchError(
                                key="download_too_large",
                                limit=limit,
                            )
                        )
                    h.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if (
                declared
                and declared.isdigit()
                and not r.headers.get("Content-Encoding")
                and int(declared) != n
            ):
                raise _Retryable(
                    FetchError(
                        key="truncated",
                        got=n,
                        declared=declared,
                    )
                )
    except httpx.TimeoutException as e:
        kind = type(e).__name__
        raise _Retryable(FetchError(key="timed_out", kind=kind)) from e
    except (httpx.TransportError, httpx.DecodingError) as e:
        kind = type(e).__name__
        raise _Retryable(FetchError(key="network_error", kind=kind, error=str(e))) from e
    if n == 0:
        raise _Retryable(FetchError(key="empty_answer"))
    return h.hexdigest(), n


def _http_status(r: httpx.Response) -> FetchError:
    return FetchError(
        key="http_status",
        status=r.status_code,
        reason=r.reason_phrase,
    )


# ---------------------------------------------------------------------------------------------
# verification


def _head(path: Path, n: int = 64) -> bytes:
    with path.open("rb") as f:
        return f.read(n)


def _check_zip(path: Path, what: str) -> None:
    """Refuse anything but a complete zip; ``what`` is a term id (the file expected)."""
    head = _head(path)
    word = Term(what)
    if not head.startswith(b"PK\x03\x04"):
        shown = head[:40].decode("utf-8", "replace").strip()
        html = b"<" in head[:20]
        raise FetchError(
            key="not_a_zip_html" if html else "not_a_zip",
            what=word,
            shown=repr(shown),
        )
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            raise FetchError(
                key="zip_damaged",
                what=word,
                member=bad,
            )


def _verify_smhi(gas: str) -> Callable[[Path], tuple[str, str]]:
    def verify(path: Path) -> tuple[str, str]:
        from .smhi import peek_smhi_excel

        _check_zip(path, "smhi_excel")
        got, release = peek_smhi_excel(path)
        if got != gas:
            raise FetchError(
                key="smhi_served_other_gas",
                got=got,
                gas=gas,
            )
        return got, release

    return verify


def _verify_gcb(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    _check_zip(path, "gcb_excel")
    with CalamineWorkbook.from_path(str(path)) as wb:
        if "Territorial Emissions" not in wb.sheet_names:
            raise FetchError(
                key="gcb_no_sheet",
                sheets=", ".join(wb.sheet_names),
            )
        rows = wb.get_sheet_by_name("Territorial Emissions").to_python()
    if not any("Sweden" in r and "World" in r for r in rows[:40]):
        raise FetchError(
            key="gcb_no_header",
        )


def _load_json(path: Path) -> Any:
    head = _head(path).lstrip()
    if not head.startswith((b"{", b"[")):
        got = repr(head[:40].decode("utf-8", "replace"))
        raise FetchError(key="pxweb_not_json", got=got)
    return json.loads(path.read_bytes().decode("utf-8-sig"))


# ---------------------------------------------------------------------------------------------
# SCB PxWeb → tidy CSVs


def official_name(kommun: str) -> str:
    """The municipality's official name from SCB's short name: ``Salem`` → ``Salems kommun``,
    ``Upplands Väsby`` → ``Upplands Väsby kommun`` (no genitive s after a vowel, s, x or z)."""
    return f"{kommun} kommun" if kommun[-1].lower() in "aeiouyåäösxz" else f"{kommun}s kommun"


def short_county_name(lan: str) -> str:
    """``Stockholms län`` → ``Stockholm``, ``Skåne län`` → ``Skåne``."""
    base = lan.removesuffix(" län")
    return base[:-1] if base.endswith("s") else base


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
        [(c, n, short_county_name(n), int(count.get(c, 0))) for c, n in sorted(lan.items())],
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
# storing: atomic, never losing a file


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(_MB), b""):
            h.update(chunk)
    return h.hexdigest()


def _dated(dest: Path, day: str) -> Path:
    """``name.ext`` → ``name.<day>.ext`` (``name.<day>-2.ext`` … when that exists and differs)."""
    suffix = "".join(dest.suffixes[-1:])
    stem = dest.name[: len(dest.name) - len(suffix)] if suffix else dest.name
    n = 1
    while True:
        tag = day if n == 1 else f"{day}-{n}"
        cand = dest.with_name(f"{stem}.{tag}{suffix}")
        if not cand.exists() or _sha256_file(cand) == _sha256_file(dest):
            return cand
        n += 1


def _store(tmp: Path, dest: Path, *, sha: str, day_of_old: str) -> tuple[str, str | None]:
    """Move the verified ``tmp`` to ``dest``; returns (status, archived path or None).

    The plain name always holds a complete file: the old one is first linked (or copied) to its
    dated name, then the new one replaces it in one rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.exists():
        os.replace(tmp, dest)
        return "new", None
    if _sha256_file(dest) == sha:
        tmp.unlink(missing_ok=True)
        return "unchanged", None
    archived = _dated(dest, day_of_old)
    if not archived.exists():
        try:
            os.link(dest, archived)
        except OSError:
            part = archived.with_name(f".{archived.name}.{os.getpid()}.part")
            shutil.copy2(dest, part)
            os.replace(part, archived)
    os.replace(tmp, dest)
    return "replaced", archived.name


def _remove_stale_parts(into: Path) -> None:
    """Remove ``.part`` files of fetches that died (their process no longer exists)."""
    for p in into.rglob(".*.part"):
        pid = p.name.rsplit(".", 2)[-2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except OSError:
            continue


def _read_manifest(into: Path) -> dict[str, Any]:
    try:
        data = json.loads((into / MANIFEST).read_text("utf-8"))
        return data if isinstance(data, dict) else {"runs": []}
    except (OSError, ValueError):
        return {"runs": []}


def _write_manifest(into: Path, doc: dict[str, Any]) -> None:
    tmp = into / f".{MANIFEST}.{os.getpid()}.part"
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    os.replace(tmp, into / MANIFEST)


def _day_of(path: Path, manifest: dict[str, Any], rel: str) -> str:
    """When the file at ``rel`` was fetched (from the manifest), else its modification date."""
    for run in reversed(manifest.get("runs", [])):
        for f in run.get("files", []):
            if f.get("path") == rel and f.get("status") in ("new", "replaced"):
                return str(f["fetched_at"])[:10]
    if path.exists():
        return _dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC).date().isoformat()
    return _dt.date.today().isoformat()


# ---------------------------------------------------------------------------------------------
# the fetch


@dataclass
class _Run:
    into: Path
    settings: FetchSettings
    client: httpx.Client
    manifest: dict[str, Any]
    sleep: Callable[[float], None]
    files: list[Fetched] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    failures: dict[str, KoldioxidbudgetError] = field(default_factory=dict)

    def url(self, base: str, path: str) -> str:
        return self.settings.bases[base].rstrip("/") + path

    def download(
        self,
        remote: str,
        *,
        url: str,
        dest_dir: str,
        verify: Callable[[Path], Any],
        method: str = "GET",
        body: bytes | None = None,
    ) -> tuple[Any, Path, str, int]:
        d = self.into / dest_dir
        d.mkdir(parents=True, exist_ok=True)
        tmp = _part_name(d, remote)
        result, sha, n = _download(
            self.client,
            self.settings,
            method=method,
            url=url,
            tmp=tmp,
            body=body,
            verify=verify,
            sleep=self.sleep,
        )
        return result, tmp, sha, n

    def store(
        self,
        remote: str,
        tmp: Path,
        rel: str,
        *,
        url: str,
        sha: str,
        n: int,
        derived_from: str | None = None,
    ) -> Fetched:
        dest = self.into / rel
        status, archived = _store(tmp, dest, sha=sha, day_of_old=_day_of(dest, self.manifest, rel))
        rec = Fetched(
            remote=remote,
            path=rel,
            url=url,
            sha256=sha,
            bytes=n,
            fetched_at=_now(),
            status=status,
            archived_as=str(Path(rel).with_name(archived)) if archived else None,
            derived_from=derived_from,
        )
        self.files.append(rec)
        log.info("%s: %s %s", remote, status, rel)
        return rec

    def store_bytes(
        self, remote: str, data: bytes, rel: str, *, url: str, derived_from: str
    ) -> Fetched:
        dest = self.into / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = _part_name(dest.parent, dest.name)
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        sha = hashlib.sha256(data).hexdigest()
        return self.store(
            remote, tmp, rel, url=url, sha=sha, n=len(data), derived_from=derived_from
        )


def _fetch_smhi(run: _Run, remote: str) -> None:
    sub, gas = ("CO2", GAS_CO2) if remote == "smhi-co2" else ("GGT", GAS_CO2E)
    url = run.url("smhi", _SMHI_PATH.format(sub=sub))
    (_gas, release), tmp, sha, n = run.download(
        remote, url=url, dest_dir="emissions/smhi_rus/raw", verify=_verify_smhi(gas)
    )
    rel = f"emissions/smhi_rus/raw/smhi_lansrapport_{sub.lower()}_{release}.xlsx"
    run.store(remote, tmp, rel, url=url, sha=sha, n=n)


def _fetch_regions(run: _Run) -> pd.DataFrame:
    url = run.url("scb", _PXWEB_TABLE)
    holder: dict[str, Any] = {}

    def verify(path: Path) -> None:
        holder["frames"] = pxweb_regions(_load_json(path))

    _, tmp, sha, n = run.download("scb-regions", url=url, dest_dir="regions/raw", verify=verify)
    raw = "regions/raw/scb_pxweb_befolkningny_metadata.json"
    run.store("scb-regions", tmp, raw, url=url, sha=sha, n=n)
    mun: pd.DataFrame = holder["frames"][0]
    cty: pd.DataFrame = holder["frames"][1]
    run.store_bytes(
        "scb-regions", _csv_bytes(mun), "regions/municipalities.csv", url=url, derived_from=raw
    )
    run.store_bytes(
        "scb-regions", _csv_bytes(cty), "regions/counties.csv", url=url, derived_from=raw
    )
    return mun


def _fetch_population(run: _Run, municipalities: pd.DataFrame) -> None:
    url = run.url("scb", _PXWEB_TABLE)
    holder: dict[str, Any] = {}
    source = f"SCB BE0101A/BefolkningNy (PxWeb API), 31 Dec, fetched {_now()[:10]}"

    def verify(path: Path) -> None:
        holder["frames"] = pxweb_population(_load_json(path), municipalities, source=source)

    body = _pxweb_query(municipalities["kommunkod"])
    _, tmp, sha, n = run.download(
        "scb-population",
        url=url,
        dest_dir="population/raw",
        verify=verify,
        method="POST",
        body=body,
    )
    raw = "population/raw/scb_pxweb_befolkningny.json"
    run.store("scb-population", tmp, raw, url=url, sha=sha, n=n)
    mun, cty = holder["frames"]
    for df, rel in (
        (mun, "population/population_municipality_1950-2025.csv"),
        (cty, "population/population_county_national_1950-2025.csv"),
    ):
        run.store_bytes("scb-population", _csv_bytes(df), rel, url=url, derived_from=raw)


def _fetch_gcb(run: _Run) -> None:
    this = _dt.date.today().year
    years = [run.settings.gcb_year] if run.settings.gcb_year else [this, this - 1, this - 2]
    errors: list[FetchError] = []
    for year in years:
        url = run.url("gcb", _GCB_PATH.format(year=year))
        try:
            _, tmp, sha, n = run.download(
                "gcb-national", url=url, dest_dir="global/raw", verify=_verify_gcb
            )
        except FetchError as e:
            errors.append(e)
            continue
        rel = f"global/raw/National_Fossil_Carbon_Emissions_{year}v1.0.xlsx"
        run.store("gcb-national", tmp, rel, url=url, sha=sha, n=n)
        return
    # "<first>; <the rest>", each part localised with its own key
    joined = errors[-1]  # one error per year tried, and there is at least one year
    for part in reversed(errors[:-1]):
        joined = FetchError(key="fetch_errors", first=part, rest=joined)
    raise joined


#: The files ``data build`` needs besides the SMHI exports (``edition._common_inputs``; a test
#: keeps the two lists equal). The first four come from SCB through this module.
BUILD_INPUTS: tuple[str, ...] = (
    "regions/municipalities.csv",
    "regions/counties.csv",
    "population/population_municipality_1950-2025.csv",
    "population/population_county_national_1950-2025.csv",
    "carbon_budgets/remaining_carbon_budgets_global.csv",
    "global/owid_gcb2024_co2_sweden_world_1990-2023.csv",
    "global/gcb2019_fossil_co2_sweden_annexB_world_1959-2018.csv",
    "facilities/cement_process_co2.csv",
)


def _seed(into: Path, seed_from: Path) -> list[str]:
    """Copy the build inputs ``into`` lacks (those no publisher serves, typically) from
    ``seed_from``."""
    copied = []
    for rel in BUILD_INPUTS:
        dest, src = into / rel, seed_from / rel
        if not dest.exists() and src.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = _part_name(dest.parent, dest.name)
            shutil.copy2(src, part)
            os.replace(part, dest)
            copied.append(rel)
    return copied


def _missing(into: Path) -> tuple[str, ...]:
    return tuple(rel for rel in BUILD_INPUTS if not (into / rel).is_file())


def fetch_sources(
    into: str | Path,
    *,
    settings: FetchSettings | None = None,
    only: Iterable[str] | None = None,
    seed_from: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Download every remote of ``REMOTES`` (or ``only`` those) into the source folder ``into``.

    A remote that fails is reported in ``FetchResult.errors`` and leaves the folder's files for it
    as they were; the others are still stored. ``seed_from`` copies the build inputs no publisher
    serves (global budget table, cement plants, GCB/OWID tidy files) from another source folder
    when ``into`` lacks them. The run is appended to ``fetch-manifest.json``.
    """
    settings = settings or FetchSettings.from_env()
    want = list(only) if only is not None else list(REMOTES)
    unknown = [r for r in want if r not in REMOTES]
    if unknown:
        from ..errors import ParameterError

        raise ParameterError(
            key="unknown_remote",
            value=unknown[0],
            valid=REMOTES,
        )
    root = Path(into)
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(root)
    manifest = _read_manifest(root)
    started = _now()
    timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": settings.user_agent},
        transport=transport,
    ) as client:
        run = _Run(root, settings, client, manifest, sleep)
        municipalities: pd.DataFrame | None = None
        for remote in want:
            if progress:
                progress(remote)
            try:
                if remote in ("smhi-co2", "smhi-ghg"):
                    _fetch_smhi(run, remote)
                elif remote == "scb-regions":
                    municipalities = _fetch_regions(run)
                elif remote == "scb-population":
                    if municipalities is None:
                        municipalities = _regions_on_disk(root)
                    _fetch_population(run, municipalities)
                elif remote == "gcb-national":
                    _fetch_gcb(run)
            except KoldioxidbudgetError as e:
                run.errors[remote] = str(e)
                run.failures[remote] = e
                log.warning("%s failed: %s", remote, e)
    seeded = _seed(root, Path(seed_from)) if seed_from else []
    manifest.setdefault("runs", []).append(
        {
            "started_at": started,
            "finished_at": _now(),
            "bases": settings.bases,
            "files": [dataclasses.asdict(f) for f in run.files],
            "errors": run.errors,
            "seeded_from": str(seed_from) if seed_from else None,
            "seeded": seeded,
        }
    )
    _write_manifest(root, manifest)
    return FetchResult(
        into=root,
        files=tuple(run.files),
        errors=run.errors,
        missing=_missing(root),
        failures=run.failures,
    )


def default_into() -> Path:
    """Where ``data fetch`` stores files by default: ``$KOLDIOXIDBUDGET_SOURCES``, else
    ``$XDG_DATA_HOME/koldioxidbudget/sources`` (``~/.local/share/koldioxidbudget/sources``)."""
    env = os.environ.get("KOLDIOXIDBUDGET_SOURCES")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "koldioxidbudget" / "sources"


def _regions_on_disk(root: Path) -> pd.DataFrame:
    f = root / "regions" / "municipalities.csv"
    if not f.is_file():
        raise FetchError(
            key="population_needs_regions",
        )
    frame: pd.DataFrame = pd.read_csv(f, dtype=str, keep_default_na=False)
    return frame
