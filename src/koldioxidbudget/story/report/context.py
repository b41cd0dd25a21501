"""What every section builder shares: the context (result, language, numbering) and small helpers."""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Sequence
from typing import Any

from ...areas import slug
from ...method.budget import AreaResult, BudgetRun
from ...method.params import Parameters
from ...schema import Tables
from .. import fmt
from ..document import Figure, Paragraph, Run, Table
from ..i18n import catalogue, place_name
from ..i18n import t as _translate

__all__ = ["DELAYS_SHOWN", "MIN_SECTOR_SECTIONS", "PATHWAY_FROM", "SECTOR_THRESHOLD", "area_slug"]


SECTOR_THRESHOLD = 0.01


#: ... and at least this many sectors get one (the largest), whatever their shares.
MIN_SECTOR_SECTIONS = 4


#: Delays shown in the cost-of-delay chart and table (years).
DELAYS_SHOWN = 5


#: First year of the history drawn in the pathway chart.
PATHWAY_FROM = 2010


_REFERENCE_ORDER = (
    "budget",
    "no-reduction",
    "trend",
    "sweden-targets",
    "carbon-law",
    "local-target",
    "linear",
)


class _Ctx:
    """What every section builder needs: the result, the language and the counters."""

    def __init__(
        self,
        *,
        run: BudgetRun,
        r: AreaResult,
        lang: str,
        variant: AreaResult | None,
        tables: Tables | None,
        manifest: dict[str, Any] | None,
        profile: Any,
        sensitivity: Sequence[BudgetRun] = (),
    ) -> None:
        self.run = run
        self.sensitivity = tuple(sensitivity)
        self.r = r
        self.p: Parameters = r.parameters
        self.lang = lang
        self.variant = variant
        self.tables = tables
        self.manifest = manifest
        self.profile = profile
        self._subsectors: dict[str, Any] | None = None
        self.n_fig = 0
        self.n_tab = 0
        self.area = _display_name(r, lang, tables)
        official = _names_of(tables).get(r.code, "") if tables is not None else ""
        self._kind: tuple[str, ...] = ("region",) if official.startswith("Region ") else ()
        self.unit, self.scale, self.decimals = _unit_for(
            max([abs(v) for _, v, _ in r.history] + [abs(r.e0_t), 1.0])
        )

    # -- words ---------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        """The message ``key``, in the wording for the area's level when the catalogue has one
        (``key__lan``, ``key__riket``: a county or Sweden is not addressed as a municipality;
        ``key__region``: a municipality that is a region, Region Gotland, has a
        regionfullmäktige and a regionstyrelse)."""
        cat = catalogue(self.lang)
        # Sweden falls back on the county's wording (both speak of many municipalities)
        for level in {"riket": ("riket", "lan"), "lan": ("lan",)}.get(self.r.level, self._kind):
            own = f"report.{key}__{level}"
            if own in cat:
                return _translate(own, self.lang, **values)
        return _translate(f"report.{key}", self.lang, **values)

    def has(self, key: str) -> bool:
        return f"report.{key}" in catalogue(self.lang)

    def rate_of(
        self, res: AreaResult, rate: float | None = None, *, spent: bool | None = None
    ) -> str:
        """A required cut as a percentage, or the word for a spent budget (a spent budget has no
        rate: "100 %" would read as a plan)."""
        if spent if spent is not None else res.exhausted:
            return self.t("exhausted_short")
        return self.pct(res.rate if rate is None else rate)

    def e0_phrase(self, res: AreaResult | None = None) -> str:
        """ "Utsläppen år 2025 var 474 kt" or, for a year after the last published statistics,
        "uppskattas till": an estimate is never stated as a fact."""
        res = res or self.r
        key = "e0_estimated" if res.e0_estimated else "e0_actual"
        return self.t(key, year=res.e0_year, e0=self.tonnes(res.e0_t), area=self.area)

    def tonnes(self, v: float) -> str:
        return fmt.tonnes(v, self.lang)

    def e0_year_label(self) -> str:
        """The year of today's level, "2025 (uppskattat)" when it is an estimate."""
        r = self.r
        return self.t("col.year_estimated", year=r.e0_year) if r.e0_estimated else str(r.e0_year)

    def pct(self, v: float, decimals: int = 1) -> str:
        return fmt.percent(v, self.lang, decimals=decimals)

    def share(self, v: float) -> str:
        """A share as per cent: one decimal below 10 %, none above."""
        return fmt.percent(v, self.lang, decimals=1 if abs(v) < 0.095 else 0)

    def tonnes_column(self, values: Sequence[float | None], *, signed: bool = False) -> list[str]:
        """Tonnes in one unit for a whole column (the largest value decides: Mt from 10 Mt, kt
        from 10 kt, else t), so a column never mixes "617 kt" with "2,98 Mt"; None is "–".
        ``signed``: a column of differences, where an increase reads "+7,72 Mt"."""
        unit = fmt.column_unit(values)
        return [
            fmt.tonnes_in(v, unit, self.lang, signed=signed) if v is not None else self.t("none")
            for v in values
        ]

    def tonnes_range(self, low: float, high: float, *, bare_low: bool = False) -> tuple[str, str]:
        """Both ends of a range in one unit ("575 kt och 1 080 kt", not "575 kt och 1,08 Mt");
        ``bare_low``: the low end without its unit, for "575–1 080 kt"."""
        lo, hi = self.tonnes_alike(low, high)
        if bare_low and lo.rsplit("\u00a0", 1)[-1] == hi.rsplit("\u00a0", 1)[-1]:
            lo = lo.rsplit("\u00a0", 1)[0]
        return lo, hi

    def tonnes_alike(self, *values: float, signed: bool = False) -> list[str]:
        """Tonnes that one sentence names together, in one unit ("34 kt år 1990 och 9,6 kt år
        2022", not "34 kt … 9 620 t"): the largest decides, as in a table column."""
        unit = fmt.sentence_unit(values)
        peak = max(abs(v) for v in values)
        # a smaller value keeps two digits: "9,6 kt", not "10 kt"
        small = dataclasses.replace(unit, decimals=1)
        out = []
        for v in values:
            if unit.symbol == "Mt" and 0 < abs(v) < peak / 100:  # "1,39 Mt … 10 kt", not "0,01 Mt"
                out.append(fmt.signed_tonnes(v, self.lang) if signed else self.tonnes(v))
            else:
                u = small if unit.symbol == "kt" and abs(v) < 1e4 else unit
                out.append(fmt.tonnes_in(v, u, self.lang, signed=signed))
        return out

    def first_last(self, first: float, last: float) -> dict[str, str]:
        """``e_first`` and ``e_last`` of "… var {e_first} år 1990 och {e_last} år 2022", alike."""
        e_first, e_last = self.tonnes_alike(first, last)
        return {"e_first": e_first, "e_last": e_last}

    def num(self, v: float, decimals: int = 0) -> str:
        return fmt.number(v, self.lang, decimals=decimals)

    def in_unit(self, v: float) -> str:
        """``v`` tonnes in the report's chart/table unit, without the unit."""
        return fmt.number(v / self.scale, self.lang, decimals=self.decimals)

    def chart_value(self, v: float) -> float:
        return round(v / self.scale, self.decimals + 2)

    def year(self, v: float | None) -> str:
        return str(math.floor(v)) if v is not None else self.t("none")

    def sector(self, sid: str) -> str:
        """The sector's name as a heading, a table cell or a sentence's first word has it."""
        return self.t(f"sector.{sid}")

    def sector_in_text(self, sid: str) -> str:
        """The sector's name inside a sentence: lower-case in both languages ("den största
        sektorn, transporter, …"; no sector name begins with a proper noun)."""
        return lower_first(self.sector(sid))

    def signed_pct(self, v: float, decimals: int = 1) -> str:
        """A change as a signed percentage: ``+75,9 %``, ``−5,8 %``, ``0,0 %``."""
        return fmt.signed_percent(v, self.lang, decimals=decimals)

    def subsector(self, name: str) -> str:
        """SMHI's subsector label in the report's language (the catalogue's ``subsector``
        table, keyed by the label's slug); an unknown label is shown as SMHI writes it."""
        key = f"subsector.{slug(name)}"
        return self.t(key) if self.has(key) else name

    def subsectors(self) -> dict[str, Any]:
        """The area's subsectors in the last data year, by sector (computed once per report)."""
        if self._subsectors is None:
            from ...method.figures import subsector_breakdown

            t = self.tables
            self._subsectors = (
                subsector_breakdown(
                    t.subsectors,
                    code=self.r.code,
                    year=self.r.last_data_year,
                    sector_totals={s.sector: s.emissions_t for s in self.r.sectors},
                )
                if t is not None and t.subsectors is not None
                else {}
            )
        return self._subsectors

    def join(self, items: Sequence[str]) -> str:
        """``a, b och c`` / ``a, b and c``; when an item has its own "och" ("el och
        fjärrvärme"), the last link is ``samt`` / ``, and`` so the list still reads as one list:
        ``transporter, el och fjärrvärme samt arbetsmaskiner``."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        link = self.t("list_and")
        # an "och" inside parentheses ("industri (energi och processer)") does not confuse
        if any(link in re.sub(r"\([^)]*\)", "", x) for x in items):
            link = self.t("list_and_compound")
        return ", ".join(items[:-1]) + link + items[-1]

    def words(self, n: int) -> str:
        """A small count in words, as Swedish and English prose write it ("fem års väntan",
        "en av fem"); from 13 up, and for 0 and 1, digits (the catalogue's ``number_word``)."""
        key = f"number_word.{n}"
        return self.t(key) if self.has(key) else str(n)

    def temperature(self, p: Parameters | None = None) -> str:
        p = p or self.p
        return self.t(
            "temperature_probability",
            temperature=fmt.number(p.temperature_c, self.lang, decimals=1),
            probability=p.probability_pct,
        )

    def unit_label(self) -> str:
        return self.t(f"unit.{self.unit}")

    # -- numbering ------------------------------------------------------------------------------
    def next_figure(self) -> str:
        self.n_fig += 1
        return self.t("figure_number", n=self.n_fig)

    def next_table(self) -> str:
        self.n_tab += 1
        return self.t("table_number", n=self.n_tab)

    def table(
        self,
        id: str,
        caption: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        align: Sequence[str] = (),
        row_header: bool = True,
        notes: Sequence[str] = (),
        marked_rows: Sequence[int] = (),
        compact: bool = False,
        numbered: bool = True,
    ) -> Table:
        label = f"{self.next_table()}. " if numbered else ""
        return Table(
            id=id,
            caption=f"{label}{caption}",
            header=tuple(header),
            rows=tuple(tuple(r) for r in rows),
            align=tuple(align),  # type: ignore[arg-type]
            row_header=row_header,
            notes=tuple(notes),
            marked_rows=tuple(marked_rows),
            compact=compact,
        )

    def figure(
        self,
        id: str,
        kind: str,
        caption: str,
        alt: str,
        spec: dict[str, Any],
        table: Table,
        *,
        source: str = "",
    ) -> Figure:
        number = self.next_figure()
        data = dataclasses.replace(
            table, caption=self.t("figure_table_caption", number=number, caption=table.caption)
        )
        return Figure(
            id=id,
            kind=kind,
            number=number,
            caption=caption,
            alt=alt,
            spec=spec,
            table=data,
            source=source or self.t("source_smhi"),
        )

    def data_table(
        self,
        id: str,
        caption: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        **kw: Any,
    ) -> Table:
        """A figure's data table (numbered with its figure, not as a table)."""
        return self.table(id, caption, header, rows, numbered=False, **kw)


def _unit_for(peak_t: float) -> tuple[str, float, int]:
    if peak_t >= 5e6:
        return "mt", 1e6, 2
    if peak_t >= 5e3:
        return "kt", 1e3, 1
    return "t", 1.0, 0


def area_slug(run: BudgetRun, code: str) -> str:
    """The area's kebab id for file names: ``slug(name)``, with the code appended when two
    areas share it (Håbo 0305 and Habo 0643 are both "habo")."""
    s = slug(run.names[run.index(code)])
    return f"{s}-{code}" if _slug_counts(run.names).get(s, 0) > 1 else s


@functools.lru_cache(maxsize=8)
def _slug_counts(names: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        counts[slug(name)] = counts.get(slug(name), 0) + 1
    return counts


def _display_name(r: AreaResult, lang: str, tables: Tables | None) -> str:
    if r.level == "riket":
        return _translate("report.sweden", lang)
    if lang == "sv" and tables is not None:
        hit = _names_of(tables).get(r.code)
        if hit:
            return hit
    if r.level == "lan":
        return place_name(r.name, r.level, lang)
    return _translate(f"report.area_name.{r.level}", lang, name=r.name)


def lower_first(text: str) -> str:
    """``Transporter`` → ``transporter``: a name that starts a heading, set inside a sentence."""
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """``transporter och jordbruk`` → ``Transporter och jordbruk``: a sentence's first word."""
    return text[:1].upper() + text[1:]


def _p(*parts: str | Run) -> Paragraph:
    """A paragraph from strings (plain) and runs."""
    runs = tuple(Run(x) if isinstance(x, str) else x for x in parts)
    return Paragraph(runs)


def _strong(text: str) -> Run:
    return Run(text, strong=True)


def _official_names(c: _Ctx) -> dict[str, str]:
    """The names areas go by in the report's language: SCB's official names in Swedish ("Falu
    kommun", "Stockholms län"); in English a municipality's own name and a county's English
    name ("Stockholm County")."""
    if c.lang == "sv":
        return _names_of(c.tables) if c.tables is not None else {}
    run = c.run
    return {
        code: place_name(name, level, c.lang)
        for code, name, level in zip(run.codes, run.names, run.levels, strict=True)
        if level == "lan"
    }


@functools.lru_cache(maxsize=4)
def _names_of(tables: Tables) -> dict[str, str]:
    a = tables.areas
    return dict(zip(a["code"].astype(str), a["official_name"].astype(str), strict=True))
