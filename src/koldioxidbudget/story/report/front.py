"""Cover, labels, key-figure values, foreword and the reading guide."""

from __future__ import annotations

from typing import Any

from .. import fmt
from ..document import Block, BulletList, Callout, Cover, Image, Paragraph, Run, Section
from ..keyfigures import key_figures
from .context import _Ctx, _p, _strong

__all__ = ["markdown_blocks"]


def _labels(c: _Ctx) -> dict[str, str]:
    keys = (
        "contents",
        "skip",
        "page",
        "figure_data",
        "text_alternative",
        "source",
        "estimate_note",
        "appendix",
        "chapter",
        "back_to_contents",
        "figure_tables_html",
        "main_nav",
        "print_note",
    )
    out = {k: c.t(f"label.{k}") for k in keys}
    out["running_header"] = c.t("label.running_header", area=c.area, year=c.r.budget_from)
    out["footer"] = c.t("label.footer", temperature=c.temperature())
    out["lang_name"] = c.t("label.lang_name")
    return out


def _key_figure_values(c: _Ctx) -> dict[str, str]:
    """The key figures the report's templates quote (cover, running text), from the one list."""
    kf = key_figures(c.r, c.variant)

    def rate(id: str) -> str:
        f = kf[id]
        return c.t("exhausted_short") if f.spent else c.pct(f.value)  # type: ignore[arg-type]

    out = {
        "budget": c.tonnes(kf["budget"].value),  # type: ignore[arg-type]
        "remaining": c.tonnes(kf["remaining"].value),  # type: ignore[arg-type]
        "rate": c.pct(kf["rate"].value),  # type: ignore[arg-type]
        "e0": c.tonnes(kf["e0"].value),  # type: ignore[arg-type]
    }
    if kf["years_left"].value is not None:
        out["years_left"] = c.num(kf["years_left"].value, 1)  # type: ignore[arg-type]
    if kf["exhaustion_year"].value is not None:
        out["exhaustion_year"] = str(kf["exhaustion_year"].value)
    if "rate_15" in kf:
        out["rate_15"] = rate("rate_15")
        out["budget_15"] = c.tonnes(c.variant.budget_t)  # type: ignore[union-attr]
    if len(c.r.cost_of_delay) > 1:
        d1 = c.r.cost_of_delay[1]
        out["delay_rate_1"] = c.rate_of(c.r, d1.rate, spent=d1.exhausted)
    return out


def _image(img: Any) -> Image | None:
    if img is None:
        return None
    return Image(data=img.data, mime=img.mime, width=img.width, height=img.height, alt=img.alt)


def _cover(c: _Ctx) -> Cover:
    r = c.r
    prof = c.profile
    release = c.tables.release if c.tables is not None else None
    date_line = c.t("cover_as_of", year=r.remaining_as_of)
    if release:
        try:
            import datetime as _dt

            d = _dt.date.fromisoformat(release)
            date_line = c.t("cover_release", date=fmt.date(d, c.lang), year=r.remaining_as_of)
        except ValueError:
            pass
    return Cover(
        kicker=c.t("cover_kicker", year=r.budget_from),
        title=c.t("cover_title"),
        subtitle=c.t("cover_subtitle", temperature=c.temperature()),
        area=c.area,
        edition_line=c.t("cover_edition", last=r.last_data_year),
        date_line=date_line,
        image=_image(prof.cover) if prof is not None else None,
        logo=_image(prof.logo) if prof is not None else None,
        credit=(prof.cover_credit if prof is not None else ""),
        publisher=c.t("cover_publisher", customer=prof.customer_name) if prof is not None else "",
    )


def markdown_blocks(text: str) -> list[Paragraph | BulletList]:
    """Markdown (paragraphs, **strong**, *emphasis*, lists, headings) as document blocks."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Paragraph | BulletList] = []
    items: list[Paragraph] | None = None
    heading = False
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            items = []
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            if items:
                blocks.append(BulletList(tuple(items)))
            items = None
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline":
            runs = _inline_runs(tok.children or [], strong=heading)
            if not runs:
                continue
            para = Paragraph(tuple(runs))
            if items is not None:
                items.append(para)
            else:
                blocks.append(para)
    return blocks


def _inline_runs(children: list[Any], *, strong: bool = False) -> list[Run]:
    runs: list[Run] = []
    s, e = strong, False
    for ch in children:
        if ch.type == "strong_open":
            s = True
        elif ch.type == "strong_close":
            s = strong
        elif ch.type == "em_open":
            e = True
        elif ch.type == "em_close":
            e = False
        elif ch.type in ("text", "code_inline"):
            if ch.content:
                runs.append(Run(ch.content, strong=s, emph=e))
        elif ch.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", strong=s, emph=e))
    return runs


def _foreword(c: _Ctx) -> Section:
    prof = c.profile
    blocks: list[Block] = []
    if prof is not None and prof.foreword_markdown:
        blocks.extend(markdown_blocks(prof.foreword_markdown))
        if prof.foreword_authors:
            blocks.append(Paragraph((Run(", ".join(prof.foreword_authors), emph=True),)))
    else:
        for key in ("p1", "p2", "p3", "p4"):
            blocks.append(_p(c.t(f"foreword.{key}", area=c.area, year=c.r.budget_from)))
        blocks.append(Paragraph((Run(c.t("foreword.signature"), emph=True),)))
    if prof is not None and prof.contact:
        parts = [prof.contact[k] for k in ("name", "email", "phone", "url") if k in prof.contact]
        blocks.append(_p(_strong(c.t("foreword.contact") + " "), ", ".join(parts)))
    return Section("foreword", c.t("foreword.title"), 1, tuple(blocks), numbered=False)


def _reading_guide(c: _Ctx) -> Section:
    items = (
        "summary",
        "general",
        "local",
        "sectors",
        "insights",
        "proposals",
        "follow",
        "appendices",
    )
    return Section(
        "reading-guide",
        c.t("guide.title"),
        1,
        (
            _p(c.t("guide.intro", area=c.area)),
            BulletList(
                tuple(_p(_strong(c.t(f"guide.{k}_title") + " "), c.t(f"guide.{k}")) for k in items)
            ),
            Callout(
                "note",
                c.t("guide.numbers_title"),
                (
                    BulletList(
                        tuple(
                            _p(c.t(f"guide.numbers_{i}", unit=c.unit_label())) for i in range(1, 5)
                        )
                    ),
                ),
            ),
        ),
        numbered=False,
    )
