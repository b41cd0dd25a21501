"""Always current: from a new publication to a new edition, site, customer packages and "what
changed", in one call — the library behind ``koldioxidbudget update`` and ``deliver``.

:func:`update` reads the source folder (or fetches the publishers' files into it first), builds
and checks the editions, and, only when a new CO2 edition passed the hard checks and became
current, writes its release note (:mod:`koldioxidbudget.news`), rewrites the site's areas whose
figures changed plus the start page (``web.site.build_site(incremental=True)``) and renders
every customer's package (:func:`deliver`). A record in ``<editions>/update-state.json`` names
the edition the site and the packages were last made for, so a run with nothing new writes
nothing and says so; a run that failed half-way is finished by the next. Two runs cannot
collide: the second finds the lock (``<editions>/.update.lock``, ``flock``) and stops.

``dry_run`` builds the editions in a temporary folder beside nothing the user sees and reports
what would change. Every file is written to a temporary name and renamed; a package is made in a
temporary folder that replaces the old one at the end.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .edition import (
    EditionInfo,
    build_editions,
    current_editions,
    current_since,
    editions_dir,
    held_or_busy,
    list_editions,
    load_edition,
    pinned_editions,
    resolve_edition,
)
from .errors import EditionError, ParameterError
from .schema import GAS_CO2
from .settings import environment
from .story import fmt
from .story.i18n import t

__all__ = ["STATE_FILE", "Delivery", "UpdateResult", "deliver", "update"]

log = logging.getLogger(__name__)

#: What the last update made, beside the editions.
STATE_FILE = "update-state.json"
LOCK_FILE = ".update.lock"
#: How many areas the summary names.
MOVERS = 5


@dataclass
class Delivery:
    """A customer's package: where it is and what it holds."""

    customer: str
    area: str
    folder: Path
    files: list[str]


@dataclass
class UpdateResult:
    """What an update did (or, in a dry run, would do)."""

    status: str  # nothing-new | updated | failed | dry-run
    current: str | None = None
    previous: str | None = None
    since: str | None = None
    new_editions: list[EditionInfo] = field(default_factory=list)
    failed: EditionInfo | None = None
    findings: list[str] = field(default_factory=list)
    pinned: str | None = None
    notes: dict[str, Any] | None = None
    notes_path: Path | None = None
    site: Any = None
    site_dir: Path | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    customers_dir: Path | None = None
    seconds: float = 0.0
    lang: str = "sv"

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "failed" else 0

    def lines(self, lang: str | None = None) -> list[str]:
        """What the command prints, in ``lang``."""
        lang = lang or self.lang
        out: list[str] = []
        since = _day(self.since, lang)
        if self.status == "nothing-new":
            return [t("update.nothing_new", lang, date=since, edition=self.current)]
        if self.status == "failed" and self.failed is not None:
            out.append(
                t("update.failed", lang, edition=self.failed.id, current=self.current or "–")
            )
            out += [t("update.failed_finding", lang, message=m) for m in self.findings]
            out.append(t("update.failed_fix", lang, edition=self.failed.id))
            return out
        if self.status == "dry-run":
            if self.current == self.previous or (not self.new_editions and not self.notes):
                return [t("update.dry_run_nothing", lang, date=since)]
            out.append(t("update.dry_run", lang))
        for e in self.new_editions:
            out.append(t("update.new_edition", lang, edition=e.id, gas=e.gas, release=e.release))
        if self.pinned:
            newest = self.new_editions[-1].id if self.new_editions else self.current
            out.append(t("update.pinned", lang, pinned=self.pinned, edition=newest))
        if self.status == "dry-run":
            if self.previous and self.current != self.previous:
                out.append(
                    t("update.dry_run_current", lang, edition=self.current, previous=self.previous)
                )
        elif self.previous and self.current != self.previous:
            out.append(t("update.now_current", lang, edition=self.current, previous=self.previous))
        elif not self.previous and self.current:
            out.append(t("update.first_edition", lang, edition=self.current))
        if self.notes:
            n = self.notes
            out.append(
                t(
                    "update.moved",
                    lang,
                    moved=n["areas_moved"],
                    total=n["areas"],
                    larger=n["areas_larger"],
                    smaller=n["areas_smaller"],
                )
            )
            movers = n["top_municipalities"][:MOVERS]
            if n.get("national"):
                movers.insert(0, n["national"])
            for a in movers:
                out.append(t("update.mover", lang, name=a["name"], sentence=a["headline"][lang]))
        if self.status == "dry-run":
            return out
        if self.notes_path:
            out.append(t("update.notes", lang, path=self.notes_path))
        if self.site is not None:
            out.append(
                t(
                    "update.site",
                    lang,
                    out=self.site.out,
                    areas=self.site.areas,
                    pages=self.site.pages,
                    seconds=fmt.number(self.site.seconds, lang, decimals=1),
                )
            )
        elif self.site_dir is None:
            out.append(t("update.site_skipped", lang))
        for d in self.deliveries:
            out.append(t("update.delivered", lang, customer=d.customer, folder=d.folder))
        if self.customers_dir is not None and not self.deliveries:
            out.append(t("update.no_customers", lang, folder=self.customers_dir))
        out.append(t("update.done", lang, seconds=fmt.number(self.seconds, lang, decimals=1)))
        return out


def _day(iso: str | None, lang: str) -> str:
    if not iso:
        return "–"
    try:
        return fmt.date(_dt.date.fromisoformat(iso[:10]), lang)
    except ValueError:
        return iso


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def _lock(root: Path) -> Iterator[None]:
    """Hold ``<editions>/.update.lock``; ``EditionError`` when another update holds it."""
    busy = EditionError(
        key="update_locked",
        folder=str(root),
    )
    with held_or_busy(root / LOCK_FILE, busy):
        yield


@contextlib.contextmanager
def _scratch_editions(root: Path) -> Iterator[Path]:
    """A temporary editions folder that sees every built edition (symbolic links) and the
    pointer file: a dry run builds into it and nothing the user has changes."""
    with tempfile.TemporaryDirectory(prefix="koldioxidbudget-dry-run-") as d:
        scratch = Path(d)
        if root.is_dir():
            for p in root.iterdir():
                if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file():
                    (scratch / p.name).symlink_to(p.resolve(), target_is_directory=True)
            for name in ("current.json",):
                if (root / name).is_file():
                    shutil.copy2(root / name, scratch / name)
        yield scratch


def _newest(root: Path, gas: str) -> EditionInfo | None:
    eds = [e for e in list_editions(root) if e.gas == gas]
    return max(eds, key=lambda e: (e.release, e.built_at, e.id)) if eds else None


def _findings(info: EditionInfo, lang: str) -> list[str]:
    from .edition import check_report
    from .story.checks import finding_text

    try:
        report = check_report(info.id, into=info.path.parent)
    except Exception:  # the note still says which edition failed and how to see why
        log.exception("could not read the checks of %s", info.id)
        return []
    return [
        f"[{t(f'diff.check.severity.{f.severity}', lang)}] {finding_text(f, lang)}"
        for f in report.findings
        if f.severity == "hard"
    ]


def update(
    *,
    sources: str | Path | None = None,
    fetch: bool = False,
    mirror: str | None = None,
    editions: str | Path | None = None,
    site: str | Path | None = None,
    customers: str | Path | None = None,
    deliveries: str | Path | None = None,
    site_url: str | None = None,
    dry_run: bool = False,
    lang: str = "sv",
    site_codes: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> UpdateResult:
    """Bring everything up to date with the sources (see the module docstring).

    ``site`` is the site folder (None: no site), ``customers`` a folder of customer profiles
    (``*.toml``) whose packages go to ``deliveries`` (default ``<customers>/leveranser``),
    ``site_url`` the public address of the site for the embed snippets. ``site_codes`` builds
    the site for those areas only (tests). Raises ``EditionError`` when another update runs.
    """
    started = time.perf_counter()
    root = editions_dir(editions)
    with _lock(root):
        state_path = root / STATE_FILE
        state = _read_json(state_path)
        before = current_editions(root)
        known = {e.id for e in list_editions(root)}
        if fetch and not dry_run:
            _fetch(sources, mirror, progress)
        with contextlib.ExitStack() as stack:
            target = stack.enter_context(_scratch_editions(root)) if dry_run else root
            built = build_editions(sources=sources, into=target, progress=progress)
            new_eds = [e for e in built if e.id not in known]
            after = current_editions(target)
            current = after.get(GAS_CO2)
            res = UpdateResult(
                status="dry-run" if dry_run else "updated",
                current=current,
                since=state.get("at") or current_since(root),
                new_editions=new_eds,
                lang=lang,
                site_dir=Path(site) if site else None,
                customers_dir=Path(customers) if customers else None,
            )
            newest = _newest(target, GAS_CO2)
            pins = pinned_editions(target)
            if newest is not None and newest.id != current and pins.get(GAS_CO2):
                res.pinned = pins[GAS_CO2]
            elif newest is not None and newest.id != current:
                from .edition_checks import passed

                if not passed(newest.path):
                    res.status = "failed"
                    res.failed = newest
                    res.findings = _findings(newest, lang)
                    res.seconds = time.perf_counter() - started
                    return res
            if current is None:
                raise EditionError(
                    key="no_edition_passed_checks",
                    gas=GAS_CO2,
                    editions=", ".join(e.id for e in built),
                )
            made_for = state.get("edition")
            if made_for == current and before.get(GAS_CO2) == current:
                res.status = "nothing-new" if not dry_run else "dry-run"
                res.previous = current
                res.seconds = time.perf_counter() - started
                return res
            previous = made_for if made_for and made_for != current else None
            if previous is None and before.get(GAS_CO2) not in (None, current):
                previous = before[GAS_CO2]
            if previous is None:
                from .story.changes import previous_edition

                prev = previous_edition(current, into=target)
                previous = prev.id if prev is not None else None
            res.previous = previous
            res.notes = _notes(previous, current, target)
            if dry_run:
                res.seconds = time.perf_counter() - started
                return res
        if res.notes is not None:
            from .news import save_notes

            res.notes_path = save_notes(res.notes, into=root)
        if site:
            from .news import list_notes
            from .service.scenario import assemble
            from .web.site import build_site

            sc = assemble(edition=current, editions_dir=str(root), previous=previous or False)
            res.site = build_site(
                site,
                sc,
                codes=site_codes,
                incremental=True,
                notes=list_notes(into=root),
            )
        if customers:
            for profile in sorted(Path(customers).glob("*.toml")):
                res.deliveries.append(
                    deliver(
                        profile,
                        deliveries or Path(customers) / "leveranser",
                        edition=current,
                        editions=root,
                        site_url=site_url,
                        lang=lang,
                    )
                )
        _write_json(
            state_path,
            {
                "edition": current,
                "previous": previous,
                "at": _now(),
                "site": str(site) if site else None,
                "deliveries": [str(d.folder) for d in res.deliveries],
            },
        )
        res.since = current_since(root)
        res.seconds = time.perf_counter() - started
        return res


def _fetch(sources: str | Path | None, mirror: str | None, progress: Any) -> None:
    from .errors import KoldioxidbudgetError
    from .sources.fetch import FetchSettings, default_into, fetch_sources

    target = str(sources) if sources else str(default_into())
    res = fetch_sources(
        target,
        settings=FetchSettings.from_env(mirror=mirror),
        progress=(lambda r: progress(r)) if progress else None,
    )
    if res.errors:
        remote, error = next(iter(res.errors.items()))
        failure = res.failures.get(remote)
        raise (
            failure
            if isinstance(failure, KoldioxidbudgetError)
            else EditionError(key="fetch_remote_failed", remote=remote, error=error)
        )


def _notes(previous: str | None, current: str, root: Path) -> dict[str, Any] | None:
    if previous is None:
        return None
    from .news import release_notes
    from .service.inputs import parameters_from
    from .story.changes import explain_all

    old = resolve_edition(previous, gas=None, into=root)
    new = resolve_edition(current, gas=None, into=root)
    items = explain_all(
        load_edition(old.id, gas=None, into=root),
        load_edition(new.id, gas=None, into=root),
        parameters_from(None),
    )
    return release_notes(old, new, items)


# ---------------------------------------------------------------------------------------------
# a customer's package


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def deliver(
    profile: str | Path,
    out: str | Path,
    *,
    edition: str | None = None,
    editions: str | Path | None = None,
    site_url: str | None = None,
    lang: str = "sv",
) -> Delivery:
    """Write the package of the customer ``profile`` names into ``out/<profile name>/``: the
    report (PDF and HTML), the presentation (one offline HTML file), the embed snippet, the
    area's data (xlsx, csv) and one page on what changed since the adopted edition.

    The package is made in a temporary folder that replaces the old one when complete."""
    from .areas import find_area
    from .profile import load_profile
    from .render import ReportJob, write_report
    from .service.scenario import scenario
    from .web.opendata import area_download_bytes
    from .web.site import export_area

    path = Path(profile)
    prof = load_profile(path)
    if not prof.area:
        raise ParameterError(
            key="profile_without_area",
            path=str(path),
        )
    root = editions_dir(editions)
    info = resolve_edition(edition, into=root)
    job = ReportJob(lang=lang, profile=str(path), edition=info.id, editions_dir=str(root))
    sc = scenario(job.spec)  # the one scenario every file of the package reads
    tables = sc.tables
    area = find_area(tables.areas, prof.area)
    folder = Path(out) / path.stem
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{path.stem}-", dir=folder.parent))
    try:
        labels: dict[str, str] = {}
        for p in write_report(area.code, job, out_dir=tmp):
            labels[p.name] = t(f"update.delivery.file_{p.suffix[1:]}", lang)
        slides = export_area(
            area.code, sc, tmp / f"presentation-{area.code}.html", lang=lang, presentation=True
        )
        labels[slides.name] = t("update.delivery.file_slides", lang)
        base = (site_url or environment().site_url or "http://127.0.0.1:8000").rstrip("/")
        snippet = (
            f'<iframe src="{base}/{lang}/{area.code}/embed/?view=oversikt" '
            f'title="{t("update.delivery.embed_title", lang, name=area.name)}" '
            "data-koldioxidbudget\n"
            '        style="width:100%;height:900px;border:0" loading="lazy"></iframe>\n'
            f'<script src="{base}/assets/embed.js" async></script>\n'
        )
        (tmp / "inbaddning.html").write_text(snippet, "utf-8")
        labels["inbaddning.html"] = t("update.delivery.file_embed", lang)
        for f in ("xlsx", "csv"):
            name = f"koldioxidbudget-{area.code}-{info.id}.{f}"
            (tmp / name).write_bytes(area_download_bytes(f, info, tables, sc.run, area.code))
            labels[name] = t(f"update.delivery.file_{f}", lang)
        labels["vad-har-andrats.html"] = t("update.delivery.file_changes", lang)
        html = _changes_page(prof, area.code, area.name, info, tables, root, lang, labels)
        (tmp / "vad-har-andrats.html").write_text(html, "utf-8")
        files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        _write_json(
            tmp / "leverans.json",
            {
                "customer": prof.customer_name,
                "area": area.code,
                "edition": info.id,
                "adopted_edition": prof.adopted_edition,
                "made_at": _now(),
                "files": {f: _sha((tmp / f).read_bytes()) for f in files},
            },
        )
        if folder.exists():
            old = folder.with_name(f".old-{folder.name}-{os.getpid()}")
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Delivery(prof.customer_name, area.code, folder, sorted([*files, "leverans.json"]))


def _changes_page(
    prof: Any,
    code: str,
    name: str,
    info: EditionInfo,
    tables: Any,
    root: Path,
    lang: str,
    labels: dict[str, str],
) -> str:
    """One page: the area's budget, remaining budget and required cut in the adopted edition
    and now, and why they moved (the sentences of ``diff``)."""
    from .service.inputs import parameters_from
    from .story.changes import explain_change, previous_edition, sentence
    from .web.site import _env

    def tu(key: str, **values: Any) -> str:
        return t(f"update.{key}", lang, **values)

    date = _day(current_since(root), lang)
    adopted = None
    intro_key = "delivery.intro"
    if prof.adopted_edition:
        adopted = resolve_edition(prof.adopted_edition, gas=None, into=root)
    else:
        adopted = previous_edition(info.id, into=root)
        intro_key = "delivery.intro_previous"
    rows: list[dict[str, str]] = []
    sentences: list[str] = []
    caption = ""
    if adopted is None:
        intro = [tu("delivery.none")]
    elif adopted.id == info.id:
        intro = [tu("delivery.same", customer=prof.customer_name, edition=info.id)]
    else:
        intro = [
            tu(
                intro_key,
                customer=prof.customer_name,
                adopted=adopted.id,
                edition=info.id,
                date=date,
            )
        ]
        old = load_edition(adopted.id, gas=None, into=root)
        c = explain_change(old, tables, parameters_from(None), code)
        rows = [
            {
                "label": tu("delivery.budget"),
                "old": fmt.tonnes(c.budget.old, lang),
                "new": fmt.tonnes(c.budget.new, lang),
            },
            {
                "label": tu("delivery.remaining", year=c.as_of[1]),
                "old": fmt.tonnes(c.remaining.old, lang),
                "new": fmt.tonnes(c.remaining.new, lang),
            },
            {
                "label": tu("delivery.rate"),
                "old": fmt.percent(c.rate.old, lang),
                "new": fmt.percent(c.rate.new, lang),
            },
        ]
        sentences = [sentence(c, lang, q) for q in ("budget", "remaining", "rate")]
        caption = t("site.changes.caption", lang, old=adopted.id)
    files = [{"name": n, "label": labels[n]} for n in sorted(labels)]
    return (
        _env()
        .get_template("delivery-changes.html")
        .render(
            lang=lang,
            tu=tu,
            name=name,
            intro=intro,
            rows=rows,
            caption=caption,
            sentences=sentences,
            files=files,
        )
    )
