"""Chapter 5: strategic insights (and the ways of working that close chapter 6, proposals)."""

from __future__ import annotations

from ..document import Block, BulletList, Section
from ..insights import Insights
from .context import _Ctx, _p


def _measures(c: _Ctx) -> Section:
    """The ways of working that make a budget steer decisions (the proposals chapter's end)."""
    return Section(
        "measures",
        c.t("insights.measures_title"),
        2,
        (
            _p(c.t("insights.measures_intro")),
            BulletList(tuple(_p(c.t(f"insights.measure_{i}")) for i in range(1, 7))),
        ),
    )


def _insights(c: _Ctx, ins: Insights) -> Section:
    subs = []
    for key, items in (
        ("next", ins.next_years(c)),
        ("wait", ins.can_wait(c)),
        ("early", ins.early_action(c)),
        ("sectors", ins.sector_sentences(c)),
    ):
        # a spent budget is not "held" and not "made smaller": its own introductions
        intro = f"insights.{key}_intro"
        if c.r.exhausted and c.has(f"{intro}_spent"):
            intro += "_spent"
        blocks: list[Block] = [_p(c.t(intro, area=c.area))]
        if items:
            blocks.append(BulletList(tuple(_p(x) for x in items)))
        if key == "next":
            rows = ins.sector_milestone_rows(c)
            if rows:
                blocks.append(
                    c.table(
                        "sector-milestone",
                        c.t(
                            "insights.milestone_caption",
                            year=ins.milestone_year,
                            e0_year=c.r.e0_year,
                        ),
                        (
                            c.t("col.sector"),
                            c.t("col.level_now", year=c.r.e0_year),
                            c.t("col.level_then", year=ins.milestone_year),
                            c.t("col.cut_by", year=ins.milestone_year),
                        ),
                        rows,
                        align=("left", "right", "right", "right"),
                        notes=(
                            c.t(
                                "insights.milestone_note",
                                year=ins.milestone_year,
                                e0_year=c.r.e0_year,
                            ),
                        ),
                    )
                )
        subs.append(Section(f"insights-{key}", c.t(f"insights.{key}_title"), 2, tuple(blocks)))
    return Section(
        "insights",
        c.t("insights.title"),
        1,
        (_p(c.t("insights.intro", area=c.area)),),
        tuple(subs),
    )
