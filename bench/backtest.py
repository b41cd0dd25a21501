"""``python -m bench.backtest``: the nowcast backtest's error table (``method/backtest.py``), as
Markdown for docs/method.md (a test keeps the two equal).

Reads the current CO2 edition (``$KOLDIOXIDBUDGET_EDITIONS``; ``make bench`` builds it).
"""

from __future__ import annotations

from koldioxidbudget.method.backtest import BacktestRow, backtest_nowcasts, best_nowcast

#: what each row is called in the table
LABELS = {
    "ghg-ratio": "`ghg-ratio` (releases cover the year)",
    "ghg-ratio-beyond": "`ghg-ratio`, the year after the last release (national trend)",
    "ols": "`ols` (trend 2015 → L)",
    "lad": "`lad` (trend 2015 → L)",
    "national-scaling": "`national-scaling` with the actual national total (a bound)",
    "persistence": "persistence (L repeated; baseline)",
}


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def markdown(rows: list[BacktestRow]) -> str:
    """The table: one line per method and horizon, errors in per cent."""
    lines = [
        "| method | horizon | origins L | municipalities: median | municipalities: 90th pct | Sweden: median | Sweden: max |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {LABELS[r.method]} | {r.horizon} yr | {r.origins[0]}–{r.origins[-1]} "
            f"| {_pct(r.municipal_median)} | {_pct(r.municipal_p90)} "
            f"| {_pct(r.sweden_median)} | {_pct(r.sweden_max)} |"
        )
    lines.append("")
    lines.append(f"Lowest median error one year ahead: `{best_nowcast(rows)}` (the default).")
    return "\n".join(lines) + "\n"


def table(edition: str | None = None) -> str:
    from koldioxidbudget.edition import load_edition
    from koldioxidbudget.service.inputs import named as preset

    tables = load_edition(edition)
    return markdown(backtest_nowcasts(tables=tables, params=preset("uppsala-2024-1.7")))


if __name__ == "__main__":
    print(table(), end="")
