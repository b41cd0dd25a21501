"""The command line: thin. Each command parses its arguments, calls one library function and
formats the result. Heavy modules are imported inside the commands so ``--help`` is instant."""

from __future__ import annotations

import csv
import json
import logging
import math
import sys
from enum import StrEnum
from typing import Annotated

import typer

from .errors import KoldioxidbudgetError
from .settings import environment
from .sources import registry

app = typer.Typer(
    help="Koldioxidbudget: Paris-aligned carbon budgets for Swedish municipalities, counties and Sweden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Official data: build, list and show editions.", no_args_is_help=True)
app.add_typer(data_app, name="data")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    sv = "sv"
    en = "en"


class Level(StrEnum):
    kommun = "kommun"
    lan = "lan"
    riket = "riket"


# options shared by the commands that compute budgets
EditionOpt = Annotated[
    str | None, typer.Option(help="Edition id or prefix (default: newest CO2 edition).")
]
PresetOpt = Annotated[str | None, typer.Option(help="Preset id (default uppsala-2024-1.7).")]
SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help="Override a parameter: key=value (repeatable).")
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")]


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"koldioxidbudget {version('koldioxidbudget')}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Verbose = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _parse_sets(values: list[str] | None) -> dict[str, str]:
    from .errors import ParameterError

    out: dict[str, str] = {}
    for item in values or []:
        if "=" not in item:
            raise ParameterError(
                key="set_syntax",
                item=item,
            )
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@app.command()
def areas(
    level: Annotated[Level | None, typer.Option(help="Only kommun, lan or riket.")] = None,
    edition: Annotated[
        str | None, typer.Option(help="Edition id or prefix (default: newest CO2).")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the labels.")] = Lang.sv,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """List every area: 290 municipalities, 21 counties and Sweden."""
    from .edition import load_edition
    from .story.i18n import t

    a = load_edition(edition, gas=None).areas
    if level:
        a = a[a["level"] == level.value]
    rows = a[["code", "name", "level", "lan_code"]].to_dict("records")
    if fmt is Format.json:
        typer.echo(_json(rows, indent=2))
    elif fmt is Format.csv:
        _write_csv(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(
            *(t(f"cli.areas_header_{k}", lang.value) for k in ("code", "name", "level", "lan"))
        )
        for r in rows:
            table.add_row(
                r["code"], r["name"], t(f"cli.level_{r['level']}", lang.value), r["lan_code"]
            )
        Console().print(table)


def _json(doc: object, *, indent: int = 1) -> str:
    """``doc`` as JSON that any parser reads: a number that is not finite (which only a bug
    could produce) is written as ``null``, never as the invalid tokens ``NaN``/``Infinity``."""
    import math

    def clean(v: object) -> object:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v

    return json.dumps(clean(doc), ensure_ascii=False, indent=indent, allow_nan=False)


def _write_csv(rows: list[dict[str, object]]) -> None:
    sys.stdout.write(_csv_text(rows))


def _csv_text(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@app.command()
def budget(
    area: Annotated[
        list[str] | None,
        typer.Argument(help="Name or code: 'uppsala', '0380', 'Stockholms län', 'Sverige'."),
    ] = None,
    all_areas: Annotated[
        bool, typer.Option("--all", help="Every municipality, county and Sweden.")
    ] = False,
    preset: PresetOpt = None,
    set_: SetOpt = None,
    edition: EditionOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
    lang: Annotated[Lang, typer.Option(help="Language of the table.")] = Lang.sv,
) -> None:
    """Print an area's carbon budget and key figures, with the parameters that made them."""
    from .errors import ParameterError

    if not area and not all_areas:
        raise ParameterError(
            key="name_an_area",
            command="budget",
        )
    # JSON and CSV answers are kept (outputcache.py): asked again, they are printed without
    # importing pandas or running the engine
    from .edition import resolve_edition
    from .service.inputs import parameters_from

    params = parameters_from(preset, _parse_sets(set_))
    info = resolve_edition(edition)
    cache = key = None
    if fmt is not Format.table and not all_areas:
        from .outputcache import OutputCache, default_root

        cache = OutputCache(default_root())
        key = ("budget", info.id, str(info.path), info.built_at, repr(params), fmt.value, area)
        hit = cache.get(key)
        if hit is not None:
            sys.stdout.write(hit)
            return
    from .edition import load_edition
    from .service.budget import budget_document, compute, csv_rows, results_for

    tables = load_edition(info.id)
    run = compute(params=params, tables=tables)
    results = results_for(run, tables, None if all_areas else area)
    if fmt is not Format.table:
        if fmt is Format.json:
            text = _json(budget_document(run, results)) + "\n"
        else:
            text = _csv_text(csv_rows(results))
        sys.stdout.write(text)
        if cache is not None and key is not None:
            cache.put(key, text)
    else:
        from rich.console import Console
        from rich.table import Table

        from .story.i18n import t
        from .story.summary import key_figures, parameter_line, title

        console = Console()
        for r in results:
            table = Table(
                t("cli.figure", lang.value), t("cli.value", lang.value), title=title(r, lang.value)
            )
            for label, value in key_figures(r, lang.value):
                table.add_row(label, value)
            console.print(table)
            console.print(
                f"{t('cli.parameters', lang.value)}: {parameter_line(r, lang.value)}",
                highlight=False,
            )


@app.command()
def report(
    area: Annotated[
        str | None,
        typer.Argument(help="Name or code: 'uppsala', '0380', 'Stockholms län', 'Sverige'."),
    ] = None,
    all_areas: Annotated[
        bool, typer.Option("--all", help="Every municipality, county and Sweden, in parallel.")
    ] = False,
    lang: Annotated[Lang, typer.Option(help="Language of the report.")] = Lang.sv,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated: pdf, html or pdf,html.")
    ] = "pdf,html",
    preset: PresetOpt = None,
    set_: SetOpt = None,
    profile: Annotated[
        str | None, typer.Option(help="Customer profile (TOML): cover, foreword, targets.")
    ] = None,
    out: Annotated[str, typer.Option(help="Folder to write the reports to.")] = ".",
    edition: EditionOpt = None,
    single_file: Annotated[
        bool, typer.Option("--single-file", help="HTML with the fonts embedded (one file).")
    ] = False,
    workers: Annotated[int, typer.Option(help="Processes for --all.", min=1, max=64)] = 2,
    chart_cache: Annotated[
        bool,
        typer.Option(
            help="Keep converted charts in $KOLDIOXIDBUDGET_CACHE/charts (default: beside the "
            "editions folder) and reuse them."
        ),
    ] = True,
) -> None:
    """Write an area's report as print PDF (PDF/UA-1) and accessible HTML."""
    from .errors import ParameterError
    from .service.inputs import parameters_from

    if not area and not all_areas:
        raise ParameterError(
            key="name_an_area",
            command="report",
        )
    if not all_areas:
        # the chart converter starts (≈1 s of CPU) on the other core while this one computes
        from .render.svg import warm_converter

        warm_converter()
    from .render import ReportJob, use_chart_store, write_report, write_reports_all

    if chart_cache:
        from .render.chartstore import default_root

        use_chart_store(default_root())
    job = ReportJob(
        lang=lang.value,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        params=parameters_from(preset, _parse_sets(set_)),
        profile=profile,
        edition=edition,
        self_contained=single_file,
    )
    if not all_areas:
        for p in write_report(area or "", job, out_dir=out):
            typer.echo(str(p))
        return
    from rich.progress import Progress

    failures: dict[str, str] = {}

    def failed(code: str, error: Exception) -> None:
        from .errors import KoldioxidbudgetError

        said = error.localized(lang.value) if isinstance(error, KoldioxidbudgetError) else None
        failures[code] = said or f"{type(error).__name__}: {error}"

    with Progress(transient=False) as bar:
        task = bar.add_task("report --all", total=None)

        def tick(done: int, total: int, code: str) -> None:
            bar.update(task, completed=done, total=total, description=f"report {code}")

        paths = write_reports_all(job, out_dir=out, workers=workers, progress=tick, on_error=failed)
    from .story.i18n import t

    typer.echo(t("render.written", lang.value, n=len(paths), folder=out))
    if failures:
        typer.echo(t("render.failed", lang.value, n=len(failures)), err=True)
        for code, said in sorted(failures.items()):
            typer.echo(f"  {code}: {said}", err=True)
        sys.exit(1)


@data_app.command("build")
def data_build(
    sources: Annotated[
        str | None, typer.Option(help="Source folder (default: $KOLDIOXIDBUDGET_SOURCES).")
    ] = None,
    into: Annotated[
        str | None, typer.Option(help="Editions folder (default: $KOLDIOXIDBUDGET_EDITIONS).")
    ] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Build one immutable edition per data release found in the source folder."""
    from .edition import build_editions
    from .edition_checks import passed
    from .story.i18n import t

    failed = False
    for info in build_editions(sources=sources, into=into):
        typer.echo(t("cli.built", lang.value, id=info.id))
        if not passed(info.path):  # built, but it will not become current: say so, exit 1
            failed = True
            typer.echo(t("cli.build_failed_checks", lang.value, id=info.id), err=True)
    if failed:
        sys.exit(1)


@data_app.command("list")
def data_list(
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """List the built editions (newest release last), which is current, which failed the
    checks and which are damaged."""
    from .edition import current_editions, pinned_editions, scan_editions
    from .edition_checks import passed
    from .story.i18n import t

    eds, damaged = scan_editions(into)
    if not eds and not damaged:
        typer.echo(t("cli.no_editions", lang.value))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        *(
            t(f"cli.edition_header_{k}", lang.value)
            for k in ("id", "gas", "release", "years", "built", "status")
        )
    )
    current = set(current_editions(into).values())
    pinned = set(pinned_editions(into).values())
    for e in eds:
        ys = e.manifest["data_years"]
        status = (
            "pinned"
            if e.id in pinned
            else "current"
            if e.id in current
            else "failed"
            if not passed(e.path)
            else None
        )
        table.add_row(
            e.id,
            e.gas,
            e.release,
            f"{ys[0]}–{ys[-1]}",
            e.built_at,
            t(f"cli.edition_status_{status}", lang.value) if status else "",
        )
    for err in damaged:
        name = str(err.slots.get("edition", ""))
        status = t("cli.edition_status_damaged", lang.value, error=err.slots.get("error", ""))
        table.add_row(name, "", "", "", "", status)
    # a pipe or a file gets whole ids, never cut to a terminal's width
    console = Console() if sys.stdout.isatty() else Console(width=10_000)
    console.print(table)


@data_app.command("show")
def data_show(
    edition: Annotated[str, typer.Argument(help="Edition id or prefix.")],
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
) -> None:
    """Print an edition's manifest (every input with SHA-256, publisher and vintage)."""
    from .edition import resolve_edition

    typer.echo(
        json.dumps(
            resolve_edition(edition, gas=None, into=into).manifest, ensure_ascii=False, indent=2
        )
    )


def _finite_option(value: float | None) -> float | None:
    """A float option's check: the parser lets ``nan`` through every range."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(str(value))
    return value


@data_app.command("fetch")
def data_fetch(
    into: Annotated[
        str | None,
        typer.Option(
            help="Source folder to download into (default: $KOLDIOXIDBUDGET_SOURCES, else "
            "~/.local/share/koldioxidbudget/sources)."
        ),
    ] = None,
    from_mirror: Annotated[
        str | None,
        typer.Option(help="Download from a mirror serving <URL>/<publisher host>/<path>."),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(help=f"Only these: {', '.join(registry.remote_ids())}."),
    ] = None,
    seed_from: Annotated[
        str | None,
        typer.Option(help="Copy build inputs no publisher serves from this source folder."),
    ] = None,
    gcb_year: Annotated[
        int | None,
        typer.Option(
            help="Global Carbon Budget release year (default: newest).", min=2000, max=2100
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            help="Read timeout per request, s.", min=0.1, max=3600, callback=_finite_option
        ),
    ] = None,
    retries: Annotated[int | None, typer.Option(help="Retries per file.", min=0, max=20)] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Download the publishers' current files (SMHI, SCB, Global Carbon Project)."""
    from .sources.fetch import FetchSettings, default_into, fetch_sources
    from .story import fmt
    from .story.i18n import t

    overrides: dict[str, object] = {}
    if gcb_year is not None:
        overrides["gcb_year"] = gcb_year
    if timeout is not None:
        overrides["read_timeout_s"] = timeout
    if retries is not None:
        overrides["retries"] = retries
    settings = FetchSettings.from_env(mirror=from_mirror, **overrides)
    target = into or str(default_into())
    res = fetch_sources(
        target,
        settings=settings,
        only=only,
        seed_from=seed_from,
        progress=lambda r: typer.echo(t("diff.fetch.remote", lang.value, remote=r), err=True),
    )
    for f in res.files:
        size = f"{fmt.number(f.bytes / 1e6, lang.value, decimals=1)} MB"
        typer.echo(
            t(f"diff.fetch.{f.status}", lang.value, path=f.path, size=size, archived=f.archived_as)
        )
    for remote, error in res.errors.items():
        failure = res.failures.get(remote)
        said = failure.localized(lang.value) if failure is not None else error
        typer.echo(t("diff.fetch.failed", lang.value, remote=remote, error=said), err=True)
    for path in res.missing:
        typer.echo(t("diff.fetch.missing", lang.value, path=path), err=True)
    if not res.missing:
        typer.echo(t("diff.fetch.next", lang.value, into=target))
    if res.errors:
        sys.exit(1)


@data_app.command("diff")
def data_diff(
    old: Annotated[str, typer.Argument(help="Old edition: id, prefix or 'previous'.")],
    new: Annotated[str, typer.Argument(help="New edition: id, prefix or 'current'.")],
    area: Annotated[
        list[str] | None, typer.Argument(help="Areas (names or codes); default every area.")
    ] = None,
    preset: Annotated[str | None, typer.Option(help="Preset of the new side.")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Parameter of the new side: key=value.")
    ] = None,
    old_preset: Annotated[
        str | None, typer.Option(help="Preset of the old side (default: the new side's).")
    ] = None,
    old_set: Annotated[
        list[str] | None, typer.Option(help="Parameter of the old side: key=value.")
    ] = None,
    fmt_: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
) -> None:
    """Why every area's budget, remaining budget and required cut changed between two editions
    (or two parameter sets), cause by cause."""
    from .service.inputs import parameters_from
    from .story.changes import diff_report

    params = parameters_from(preset, _parse_sets(set_))
    old_params = None
    if old_preset or old_set:
        old_params = parameters_from(old_preset or preset, _parse_sets(old_set))
    doc = diff_report(
        old, new, areas=area, params=params, old_params=old_params, into=into, lang=lang.value
    )
    if fmt_ is Format.json:
        typer.echo(_json(doc["json"]))
    elif fmt_ is Format.csv:
        _write_csv(doc["rows"])
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        console.print(doc["intro"], highlight=False)
        table = Table(*doc["header"])
        for cells in doc["cells"]:
            table.add_row(*cells)
        console.print(table)
        if area:
            for line in doc["sentences"]:
                console.print(line, highlight=False)


@data_app.command("check")
def data_check(
    edition: Annotated[
        str | None, typer.Argument(help="Edition id or prefix (default: the current CO2 one).")
    ] = None,
    recheck: Annotated[
        bool, typer.Option(help="Run the checks again instead of showing the stored report.")
    ] = False,
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Show an edition's data checks (hard ones keep it from becoming current); exit 1 if it fails."""
    from .edition import check_report, current_editions
    from .story.checks import finding_text
    from .story.i18n import t

    report = check_report(edition, into=into, recheck=recheck)
    key = "diff.check.passed" if report.passed else "diff.check.failed"
    typer.echo(t(key, lang.value, id=report.edition))
    for f in report.findings:
        label = t(f"diff.check.severity.{f.severity}", lang.value)
        typer.echo(f"[{label}] {finding_text(f, lang.value)}")
    for gas, eid in sorted(current_editions(into).items()):
        typer.echo(t("diff.check.current", lang.value, gas=gas, id=eid))
    if not report.passed:
        sys.exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (about one per core).", min=1, max=64)
    ] = 1,
    report_processes: Annotated[
        int,
        typer.Option(
            help="Processes per worker that render reports on demand (0: in the worker).",
            min=0,
            max=16,
        ),
    ] = 1,
    editions: Annotated[
        str | None, typer.Option(help="Editions folder (default: $KOLDIOXIDBUDGET_EDITIONS).")
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(help="Built static site to serve at / (default: $KOLDIOXIDBUDGET_SITE)."),
    ] = None,
    frame_ancestors: Annotated[
        str | None,
        typer.Option(
            help="Who may embed the pages: CSP sources, e.g. \"'self' https://www.uppsala.se\" (default *)."
        ),
    ] = None,
) -> None:
    """Serve the JSON API (/api/v1, docs at /api/v1/docs), open data, reports and the site."""
    import dataclasses
    from pathlib import Path

    from .web import Settings
    from .web import serve as run_server

    s = Settings.from_env()
    changes: dict[str, object] = {"report_processes": report_processes}
    if editions:
        changes["editions"] = Path(editions)
    if site:
        changes["site"] = Path(site)
    if frame_ancestors:
        changes["frame_ancestors"] = frame_ancestors
    s = dataclasses.replace(s, **changes)  # type: ignore[arg-type]
    if workers < 1:
        from .errors import ParameterError

        raise ParameterError(key="workers_too_few", workers=workers)
    run_server(s, host=host, port=port, workers=workers)


site_app = typer.Typer(help="The visualiser: a static site for every area.", no_args_is_help=True)
app.add_typer(site_app, name="site")


@site_app.command("build")
def site_build(
    out: Annotated[
        str | None,
        typer.Option(help="Folder to write (default: $KOLDIOXIDBUDGET_SITE, else build/site)."),
    ] = None,
    edition: EditionOpt = None,
    preset: PresetOpt = None,
    set_: SetOpt = None,
    area: Annotated[
        list[str] | None,
        typer.Option(help="Rewrite only this area's pages in a built site (repeatable)."),
    ] = None,
    incremental: Annotated[
        bool,
        typer.Option(help="Rewrite only the areas whose figures changed, and the start page."),
    ] = False,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Write the static visualiser site for every area (any web server can host it)."""

    from .service.inputs import parameters_from
    from .service.scenario import assemble
    from .story import fmt
    from .story.i18n import t
    from .web.site import build_site

    target = out or environment().site or "build/site"
    sc = assemble(parameters_from(preset, _parse_sets(set_)), edition=edition)
    r = build_site(target, sc, only=area, incremental=incremental)
    typer.echo(
        t(
            "site.cli_built",
            lang.value,
            areas=fmt.number(r.areas, lang.value),
            pages=fmt.number(r.pages, lang.value),
            out=r.out,
            seconds=fmt.number(r.seconds, lang.value, decimals=1),
        )
    )


@site_app.command("export")
def site_export(
    area: Annotated[str, typer.Argument(help="Name or code: 'uppsala', '0380', 'Sverige'.")],
    out: Annotated[
        str | None, typer.Option(help="File or folder to write (default: current folder).")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the page.")] = Lang.sv,
    presentation: Annotated[
        bool, typer.Option("--presentation", help="The presentation mode instead of the page.")
    ] = False,
    edition: EditionOpt = None,
    preset: PresetOpt = None,
    set_: SetOpt = None,
) -> None:
    """Write one area as a single self-contained HTML file that works offline (file://)."""
    from .service.inputs import parameters_from
    from .service.scenario import assemble
    from .web.site import export_area

    sc = assemble(parameters_from(preset, _parse_sets(set_)), edition=edition, previous=False)
    path = export_area(area, sc, out, lang=lang.value, presentation=presentation)
    typer.echo(str(path))


@data_app.command("use")
def data_use(
    edition: Annotated[
        str | None, typer.Argument(help="Edition id or prefix to make current (a roll-back).")
    ] = None,
    latest: Annotated[
        bool, typer.Option("--latest", help="Remove the pin: the newest passing edition again.")
    ] = False,
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Make an edition current and pin it (roll back), or --latest to follow new editions again."""
    from .edition import pinned_editions, use_edition
    from .errors import ParameterError
    from .story.i18n import t

    if (edition is None) == (not latest):
        raise ParameterError(
            key="name_an_edition",
        )
    current = use_edition(None if latest else edition, into=into)
    pins = pinned_editions(into)
    for gas, eid in sorted(current.items()):
        key = "update.use_pinned" if pins.get(gas) == eid else "update.use_current"
        typer.echo(t(key, lang.value, gas=gas, edition=eid))


@app.command()
def update(
    sources: Annotated[
        str | None, typer.Option(help="Source folder (default: $KOLDIOXIDBUDGET_SOURCES).")
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Download the publishers' files into it first.")
    ] = False,
    from_mirror: Annotated[
        str | None, typer.Option(help="With --fetch: a mirror serving <URL>/<host>/<path>.")
    ] = None,
    editions: Annotated[
        str | None, typer.Option(help="Editions folder (default: $KOLDIOXIDBUDGET_EDITIONS).")
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(help="Site folder (default: $KOLDIOXIDBUDGET_SITE, else build/site)."),
    ] = None,
    no_site: Annotated[bool, typer.Option("--no-site", help="Build no site.")] = False,
    customers: Annotated[
        str | None,
        typer.Option(
            help="Folder of customer profiles, one TOML each (default: $KOLDIOXIDBUDGET_CUSTOMERS)."
        ),
    ] = None,
    deliveries: Annotated[
        str | None,
        typer.Option(
            help="Where the packages go (default: $KOLDIOXIDBUDGET_DELIVERIES, else "
            "<customers>/leveranser)."
        ),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option(help="Public address of the site, for the embed snippets."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """From a new publication to a new edition, site, customer packages and "what changed"."""
    from .updating import update as run_update

    env = environment()
    res = run_update(
        sources=sources,
        fetch=fetch,
        mirror=from_mirror,
        editions=editions,
        site=None if no_site else (site or env.site or "build/site"),
        customers=customers or env.customers,
        deliveries=deliveries or env.deliveries,
        site_url=site_url,
        dry_run=dry_run,
        lang=lang.value,
    )
    for line in res.lines(lang.value):
        typer.echo(line, err=res.exit_code != 0)
    if res.exit_code:
        sys.exit(res.exit_code)


@app.command()
def deliver(
    profile: Annotated[str, typer.Argument(help="The customer's profile (TOML).")],
    out: Annotated[
        str | None,
        typer.Option(
            help="Folder for the package (default: $KOLDIOXIDBUDGET_DELIVERIES, else "
            "'leveranser' beside the profile)."
        ),
    ] = None,
    edition: EditionOpt = None,
    editions: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
    site_url: Annotated[
        str | None, typer.Option(help="Public address of the site, for the embed snippet.")
    ] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """Write one customer's package: report, slides, embed code, data and what changed."""
    from pathlib import Path

    from .story.i18n import t
    from .updating import deliver as run_deliver

    target = out or environment().deliveries or Path(profile).parent / "leveranser"
    d = run_deliver(
        profile, target, edition=edition, editions=editions, site_url=site_url, lang=lang.value
    )
    typer.echo(
        t("update.delivery.written", lang.value, customer=d.customer, area=d.area, folder=d.folder)
    )
    for name in d.files:
        typer.echo(t("update.delivery.file_line", lang.value, name=name))


def _message_language(argv: list[str]) -> str:
    """The language of error messages: the command's --lang, else $KOLDIOXIDBUDGET_LANG, else
    Swedish (a language we have no words for counts as not given)."""
    from .story.i18n import LANGUAGES

    given = None
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif a.startswith("--lang="):
            given = a.split("=", 1)[1]
    try:
        env_lang = environment().lang
    except KoldioxidbudgetError:  # the variables' own error is being reported
        env_lang = None
    for lang in (given, env_lang):
        if lang in LANGUAGES:
            return lang
    return "sv"


PROG = "koldioxidbudget"


def _command_path(argv: list[str]) -> str:
    """``koldioxidbudget data show``: the program and the (sub)commands ``argv`` names."""
    from typer.main import get_command

    group: object = get_command(app)
    words = [PROG]
    for a in argv:
        commands = getattr(group, "commands", None)
        if a.startswith("-") or not isinstance(commands, dict) or a not in commands:
            if a.startswith("-") and isinstance(commands, dict):
                continue  # an option of a group (--verbose) before its command
            break
        words.append(a)
        group = commands[a]
    return " ".join(words)


def _usage_message(e: Exception, argv: list[str], lang: str) -> str:
    """A usage error of the command-line parser (an unknown option or command, a value of the
    wrong type or outside its range, a missing argument) as one line in ``lang``.

    The parser's exceptions are matched by class name, not by class: typer ≥ 0.27 raises its own
    copies of click's exceptions (``typer._click.exceptions``), older versions click's."""
    import contextlib
    import difflib

    from .story.i18n import t

    names = {c.__name__ for c in type(e).__mro__}
    ctx = getattr(e, "ctx", None)
    command = getattr(ctx, "command_path", None) or _command_path(argv)
    param = getattr(e, "param", None)
    option = "/".join(getattr(param, "opts", None) or []) or str(getattr(param, "name", ""))
    if "NoSuchOption" in names:
        close = list(getattr(e, "possibilities", None) or [])
        name = str(getattr(e, "option_name", ""))
        return t(
            "cli.usage.no_such_option",
            lang,
            option=name,
            command=command,
            suggestion=_suggest(close, lang),
        )
    if "MissingParameter" in names:
        kind = getattr(param, "param_type_name", "argument")
        label = option.upper() if kind == "argument" else option
        return t(
            f"cli.usage.missing_{'option' if kind == 'option' else 'argument'}",
            lang,
            name=label,
            command=command,
        )
    if "BadOptionUsage" in names:
        return t(
            "cli.usage.needs_value", lang, option=getattr(e, "option_name", ""), command=command
        )
    if "BadParameter" in names:
        value = _raw_value(argv, param)[:80]
        ptype = getattr(param, "type", None)
        choices = getattr(ptype, "choices", None)
        if choices:
            valid = [str(getattr(c, "value", c)) for c in choices]
            close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
            return t(
                "cli.usage.bad_choice",
                lang,
                value=value,
                option=option,
                valid=", ".join(valid),
                suggestion=_suggest(close, lang),
            )
        kind = type(ptype).__name__  # IntRange, FloatRange, IntParamType, FloatParamType …
        number: float | None = None
        with contextlib.suppress(ValueError):
            number = int(value) if "Int" in kind else float(value)
        if "Int" in kind and number is None:
            return t("cli.usage.not_integer", lang, option=option, value=value)
        if "Float" in kind and (number is None or not math.isfinite(number)):
            return t("cli.usage.not_number", lang, option=option, value=value)
        low, high = getattr(ptype, "min", None), getattr(ptype, "max", None)
        if number is not None and low is not None and number < low:
            return t("cli.usage.too_small", lang, option=option, value=value, limit=low)
        if number is not None and high is not None and number > high:
            return t("cli.usage.too_large", lang, option=option, value=value, limit=high)
        return t("cli.usage.bad_value", lang, option=option, value=value, command=command)
    if ctx is not None and hasattr(ctx.command, "list_commands") and argv:
        # "No such command": the first word after the group that is not one of its commands
        known = list(ctx.command.list_commands(ctx))
        done = command.split()[1:]  # the (sub)commands before the unknown one
        words = [a for a in argv if not a.startswith("-")]
        unknown = words[len(done)] if len(words) > len(done) else ""
        if unknown and unknown not in known:
            close = difflib.get_close_matches(unknown, known, n=3, cutoff=0.5)
            return t(
                "cli.usage.no_such_command",
                lang,
                name=unknown,
                command=command,
                suggestion=_suggest(close, lang),
            )
    message = getattr(e, "message", None) or str(e)
    return t("cli.usage.other", lang, message=str(message).rstrip("."), command=command)


def _raw_value(argv: list[str], param: object) -> str:
    """The value the command line gave ``param`` (its last ``--opt value`` or ``--opt=value``),
    as typed: the parser's message has it only inside its own English sentence."""
    opts = [*(getattr(param, "opts", None) or []), *(getattr(param, "secondary_opts", None) or [])]
    value = ""
    for i, arg in enumerate(argv):
        for opt in opts:
            if arg == opt and i + 1 < len(argv):
                value = argv[i + 1]
            elif arg.startswith(opt + "="):
                value = arg[len(opt) + 1 :]
    return value


def _suggest(close: list[str], lang: str) -> str:
    """ " Menade du 'a' eller 'b'?" (with its leading space), or ""."""
    from .story.i18n import t

    if not close:
        return ""
    quoted = [f"'{c}'" for c in close]
    either = (
        quoted[0]
        if len(quoted) == 1
        else (f"{', '.join(quoted[:-1])} {t('errors.or', lang)} {quoted[-1]}")
    )
    return " " + t("errors.did_you_mean", lang, close=either)


def main() -> None:
    """Entry point: user mistakes print one line and exit 1 (data) or 2 (usage: a parameter,
    an option or a command line the parser refuses)."""
    argv = sys.argv[1:]
    try:
        app(argv, standalone_mode=False, prog_name=PROG)
    except KoldioxidbudgetError as e:
        typer.echo(f"{PROG}: {e.localized(_message_language(argv))}", err=True)
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except OSError as e:  # the file system: a read-only --out, a full disk, /dev/null/x
        from .story.i18n import t

        lang = _message_language(argv)
        where = e.filename if e.filename is not None else "?"
        reason = e.strerror or type(e).__name__
        typer.echo(f"{PROG}: {t('cli.usage.os_error', lang, path=where, reason=reason)}", err=True)
        sys.exit(1)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:
        names = {c.__name__ for c in type(e).__mro__}
        if names & {"Exit"}:  # click's own Exit (older typer)
            sys.exit(getattr(e, "exit_code", 0))
        if "NoArgsIsHelpError" in names and hasattr(e, "show"):
            e.show()  # the help text, as for no arguments at all
            sys.exit(getattr(e, "exit_code", 2))
        if "UsageError" in names:
            message = _usage_message(e, argv, _message_language(argv))
            typer.echo(f"{PROG}: {message}", err=True)
            sys.exit(2)
        if "ClickException" in names and hasattr(e, "show"):
            e.show()
            sys.exit(getattr(e, "exit_code", 1))
        raise


if __name__ == "__main__":
    main()
