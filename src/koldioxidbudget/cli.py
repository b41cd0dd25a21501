"""The command line: thin. Each command parses its arguments, calls one library function and
formats the result. Heavy modules are imported inside the commands so ``--help`` is instant."""

from __future__ import annotations

import csv
import json
import logging
import sys
from enum import StrEnum
from typing import Annotated

import typer

from .errors import KoldioxidbudgetError

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


Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")]


@app.callback()
def _main(
    verbose: Verbose = False, quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False
) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _parse_sets(values: list[str] | None) -> dict[str, str]:
    from .errors import ParameterError

    out: dict[str, str] = {}
    for item in values or []:
        if "=" not in item:
            raise ParameterError(
                f"--set expects key=value, got {item!r} (e.g. --set convention=B)."
            )
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@app.command()
def areas(
    level: Annotated[str | None, typer.Option(help="Only kommun, lan or riket.")] = None,
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
        a = a[a["level"] == level]
    rows = a[["code", "name", "level", "lan_code"]].to_dict("records")
    if fmt is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
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


def _write_csv(rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


@app.command()
def budget(
    area: Annotated[
        list[str] | None,
        typer.Argument(help="Name or code: 'uppsala', '0380', 'Stockholms län', 'Sverige'."),
    ] = None,
    all_areas: Annotated[
        bool, typer.Option("--all", help="Every municipality, county and Sweden.")
    ] = False,
    preset: Annotated[
        str | None, typer.Option(help="Preset id (default uppsala-2024-1.7).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter: key=value (repeatable)."),
    ] = None,
    edition: Annotated[
        str | None, typer.Option(help="Edition id or prefix (default: newest CO2 edition).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
    lang: Annotated[Lang, typer.Option(help="Language of the table.")] = Lang.sv,
) -> None:
    """Print an area's carbon budget and key figures, with the parameters that made them."""
    from .errors import ParameterError
    from .service import budget_document, compute, csv_rows, results_for

    if not area and not all_areas:
        raise ParameterError("Name an area (e.g. 'koldioxidbudget budget uppsala') or use --all.")
    run = compute(preset=preset, overrides=_parse_sets(set_), edition=edition)
    from .edition import load_edition

    results = results_for(run, load_edition(run.edition), None if all_areas else area)
    if fmt is Format.json:
        typer.echo(json.dumps(budget_document(run, results), ensure_ascii=False, indent=1))
    elif fmt is Format.csv:
        _write_csv(csv_rows(results))
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
    from .story.i18n import t

    for info in build_editions(sources=sources, into=into):
        typer.echo(t("cli.built", lang.value, id=info.id))


@data_app.command("list")
def data_list(
    into: Annotated[str | None, typer.Option(help="Editions folder.")] = None,
    lang: Annotated[Lang, typer.Option()] = Lang.sv,
) -> None:
    """List the built editions (newest release last)."""
    from .edition import list_editions
    from .story.i18n import t

    eds = list_editions(into)
    if not eds:
        typer.echo(t("cli.no_editions", lang.value))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        *(
            t(f"cli.edition_header_{k}", lang.value)
            for k in ("id", "gas", "release", "years", "built")
        )
    )
    for e in eds:
        ys = e.manifest["data_years"]
        table.add_row(e.id, e.gas, e.release, f"{ys[0]}–{ys[-1]}", e.built_at)
    Console().print(table)


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


def main() -> None:
    """Entry point: user mistakes print one line and exit 1 (data) or 2 (usage)."""
    try:
        app(standalone_mode=False)
    except KoldioxidbudgetError as e:
        typer.echo(f"koldioxidbudget: {e}", err=True)
        sys.exit(e.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as e:  # click usage errors carry their own exit code
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            sys.exit(e.exit_code)
        if isinstance(e, click.exceptions.Exit):
            sys.exit(e.exit_code)
        raise


if __name__ == "__main__":
    main()
