""" "Nytt i utgåvan": what a release changed, for the public — the site's page per edition, the
API's ``/api/v1/editions/{id}/changes`` and the closing lines of ``koldioxidbudget update``.

A release note compares an edition with the one that was current before it (``previous``):
which input files are new or changed (publisher, vintage), which data years were added or
revised, how Sweden's budget moved, and which municipalities and counties moved most and why —
the attribution of :mod:`koldioxidbudget.story.changes` (sequential substitution, causes in ``CAUSES``
order) in the catalogue's sentences, in Swedish and English.

Notes are kept beside the editions, in ``<editions>/changes/<edition id>.json`` (written
atomically by ``update``); :func:`load_notes` reads them and :func:`notes_for` makes one when
none is kept.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .edition import EditionInfo, editions_dir, load_edition, resolve_edition
from .method.attribution import CAUSES
from .method.params import Parameters
from .schema import NATIONAL_CODE
from .service.inputs import parameters_from
from .story.changes import AreaChange, explain_all, previous_edition, sentence
from .story.i18n import LANGUAGES

__all__ = [
    "NOTES_DIR",
    "TOP",
    "list_notes",
    "load_notes",
    "news_context",
    "news_index_context",
    "notes_for",
    "release_notes",
    "save_notes",
]

log = logging.getLogger(__name__)

#: Folder under the editions folder where release notes are kept.
NOTES_DIR = "changes"
#: How many areas a note names as the largest movements.
TOP = 10
#: A budget that moved less than this (relative) did not move.
MOVED = 0.0005


def _published(old: EditionInfo | None, new: EditionInfo) -> list[dict[str, Any]]:
    """The new edition's inputs that the old one did not have (``new``) or had with other
    bytes (``changed``), with publisher and vintage."""
    before = {}
    if old is not None:
        before = {
            i.get("role", "") + "|" + i.get("path", ""): i.get("sha256")
            for i in old.manifest.get("inputs", [])
        }
        before_roles = {i.get("role", ""): i.get("sha256") for i in old.manifest.get("inputs", [])}
    else:
        before_roles = {}
    out = []
    for i in new.manifest.get("inputs", []):
        key = i.get("role", "") + "|" + i.get("path", "")
        if key in before and before[key] == i.get("sha256"):
            continue
        if old is not None and key not in before and i.get("sha256") in before.values():
            continue  # the same file under another name
        status = "changed" if (key in before or i.get("role") in before_roles) else "new"
        out.append(
            {
                "role": i.get("role", ""),
                "path": i.get("path", ""),
                "publisher": i.get("publisher") or "",
                "vintage": i.get("vintage") or "",
                "status": status,
            }
        )
    return out


def _size(c: AreaChange) -> float:
    """How far an area moved: the largest relative change of its budget or remaining budget,
    or of its required cut (percentage points / 100) where the remaining budget is spent."""
    sizes = [abs(q.relative) for q in (c.budget, c.remaining) if q.relative is not None]
    sizes.append(abs(c.rate.total))
    return max(sizes)


def _headline(c: AreaChange, lang: str) -> str:
    """The sentence on the figure that moved: the budget, else the remaining budget, else the
    required cut."""
    if c.budget.relative is not None and abs(c.budget.relative) >= MOVED:
        return sentence(c, lang, "budget")
    if c.remaining.relative is not None and abs(c.remaining.relative) >= MOVED:
        return sentence(c, lang, "remaining")
    return sentence(c, lang, "rate")


def _area_doc(c: AreaChange) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "level": c.level,
        "budget_old_t": c.budget.old,
        "budget_new_t": c.budget.new,
        "budget_relative": c.budget.relative,
        "remaining_old_t": c.remaining.old,
        "remaining_new_t": c.remaining.new,
        "remaining_relative": c.remaining.relative,
        "rate_old": c.rate.old,
        "rate_new": c.rate.new,
        "as_of": c.as_of[1],
        "parts_points": {p.cause: p.points for p in c.remaining.parts},
        "headline": {lang: _headline(c, lang) for lang in LANGUAGES},
        "sentences": {
            lang: [sentence(c, lang, q) for q in ("budget", "remaining", "rate")]
            for lang in LANGUAGES
        },
    }


def release_notes(
    old: EditionInfo | None,
    new: EditionInfo,
    items: list[AreaChange],
    *,
    top: int = TOP,
) -> dict[str, Any]:
    """The note of ``new`` against ``old`` from every area's change (``diff.explain_all``).

    An area moved when its budget, its remaining budget or its required cut changed;
    ``top`` municipalities and ``top`` counties are named, largest movement first (the
    relative change of the budget or the remaining budget). ``causes`` gives, per cause, how
    many areas' remaining budgets it moved and its largest effect (percentage points).
    """
    moved = [c for c in items if _size(c) >= MOVED]

    def largest(level: str) -> list[dict[str, Any]]:
        xs = [c for c in moved if c.level == level]
        xs.sort(key=lambda c: -_size(c))
        return [_area_doc(c) for c in xs[:top]]

    def direction(c: AreaChange) -> float:
        return c.remaining.total if abs(c.remaining.total) > 0 else c.budget.total

    national = next((c for c in items if c.code == NATIONAL_CODE), None)
    causes = []
    for k, cause in enumerate(CAUSES):
        pts = [c.remaining.parts[k].points or 0.0 for c in items]
        n = sum(1 for p in pts if abs(p) >= MOVED * 100)
        if n:
            causes.append(
                {
                    "cause": cause,
                    "areas": n,
                    "largest_points": max(pts, key=abs),
                    "mean_abs_points": sum(abs(p) for p in pts) / len(pts),
                }
            )
    causes.sort(key=lambda x: -x["mean_abs_points"])
    first = items[0] if items else None
    return {
        "edition": new.id,
        "previous": old.id if old is not None else None,
        "gas": new.gas,
        "release": new.release,
        "publisher": new.manifest.get("publisher", ""),
        "built_at": new.built_at,
        "data_years": {
            "old": list(old.manifest.get("data_years", [])) if old is not None else [],
            "new": list(new.manifest.get("data_years", [])),
        },
        "added_years": list(first.added_years) if first else [],
        "revised_years": list(first.revised_years) if first else [],
        "changed_parameters": sorted(first.changed_params.get("parameters", ())) if first else [],
        "published": _published(old, new),
        "areas": len(items),
        "areas_moved": len(moved),
        "areas_larger": sum(1 for c in moved if direction(c) > 0),
        "areas_smaller": sum(1 for c in moved if direction(c) < 0),
        "causes": causes,
        "national": _area_doc(national) if national is not None else None,
        "top_municipalities": largest("kommun"),
        "top_counties": largest("lan"),
        "moved_codes": sorted(c.code for c in moved),
    }


def notes_for(
    edition: str | None = None,
    *,
    previous: str | None = None,
    params: Parameters | None = None,
    into: str | Path | None = None,
) -> dict[str, Any] | None:
    """The kept note of ``edition`` (default: the current CO2 edition), else one made against
    ``previous`` (default: ``diff.previous_edition``); None for a first edition."""
    new = resolve_edition(edition, into=into)
    kept = load_notes(new.id, into=into)
    if kept is not None and previous is None:
        return kept
    old = (
        resolve_edition(previous, gas=None, into=into)
        if previous
        else previous_edition(new.id, into=into)
    )
    if old is None:
        return None
    p = params or parameters_from(None)
    items = explain_all(
        load_edition(old.id, gas=None, into=into), load_edition(new.id, gas=None, into=into), p
    )
    return release_notes(old, new, items)


def _notes_path(edition: str, into: str | Path | None) -> Path:
    return editions_dir(into) / NOTES_DIR / f"{edition}.json"


def save_notes(notes: dict[str, Any], *, into: str | Path | None = None) -> Path:
    """Keep ``notes`` as ``<editions>/changes/<edition>.json`` (temporary file, then rename)."""
    path = _notes_path(str(notes["edition"]), into)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(notes, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(tmp, path)
    return path


def load_notes(edition: str, *, into: str | Path | None = None) -> dict[str, Any] | None:
    """The kept note of ``edition`` (an exact id), or None."""
    try:
        data = json.loads(_notes_path(edition, into).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def list_notes(*, into: str | Path | None = None) -> list[dict[str, Any]]:
    """Every kept note, newest build first."""
    d = editions_dir(into) / NOTES_DIR
    out = []
    for f in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            data = json.loads(f.read_text("utf-8"))
        except (OSError, ValueError):
            log.warning("release note %s unreadable; skipped", f)
            continue
        if isinstance(data, dict) and "edition" in data:
            out.append(data)
    out.sort(key=lambda n: (str(n.get("built_at", "")), str(n.get("edition"))), reverse=True)
    return out


# ---------------------------------------------------------------------------------------------
# the page "Nytt i utgåvan" (words from texts/<lang>/update.toml, numbers through story.fmt)


def _date(iso: str, lang: str) -> str:
    import datetime as _dt

    from .story import fmt

    try:
        return fmt.date(_dt.date.fromisoformat(str(iso)[:10]), lang)
    except ValueError:
        return str(iso)


def _tu(lang: str) -> Any:
    from .story.i18n import t

    def tu(key: str, **values: Any) -> str:
        return t(f"update.{key}", lang, **values)

    return tu


def _row(a: dict[str, Any], lang: str) -> dict[str, Any]:
    from .story import fmt
    from .story.i18n import t

    def signed(rel: float | None) -> str:
        if rel is None:
            return t("site.none", lang)
        text = fmt.percent(rel, lang, decimals=1)
        return text if rel < 0 else "+" + text

    return {
        "code": a["code"],
        "name": a["name"],
        "budget_old": fmt.tonnes(a["budget_old_t"], lang),
        "budget_new": fmt.tonnes(a["budget_new_t"], lang),
        "budget_change": signed(a.get("budget_relative")),
        "remaining_old": fmt.tonnes(a["remaining_old_t"], lang),
        "remaining_new": fmt.tonnes(a["remaining_new_t"], lang),
        "remaining_change": signed(a.get("remaining_relative")),
        "sentence": a["headline"][lang],
    }


def news_context(n: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the page of one release note shows, formatted for ``lang``."""
    from .edition_checks import year_ranges
    from .story import fmt
    from .story.i18n import t

    tu = _tu(lang)
    published = [
        {
            "path": p["path"],
            "publisher": p["publisher"],
            "vintage": p["vintage"] or "–",
            "status": tu(f"news.status_{p['status']}"),
        }
        for p in n.get("published", [])
    ]
    causes = [
        tu(
            "news.cause_line",
            cause=t(f"diff.short.{c['cause']}", lang),
            n=c["areas"],
            total=n["areas"],
            points=fmt.number(abs(c["largest_points"]), lang, decimals=1),
        )
        for c in n.get("causes", [])
    ]
    years = []
    if n.get("added_years"):
        years.append(tu("news.added_years", years=year_ranges(n["added_years"])))
    if n.get("revised_years"):
        years.append(tu("news.revised_years", years=year_ranges(n["revised_years"])))
    nat = n.get("national")
    return {
        "tu": tu,
        "mode_index": False,
        "note": n,
        "title": tu("news.title", edition=n["edition"]),
        "lead": tu(
            "news.lead",
            edition=n["edition"],
            previous=n.get("previous") or "–",
            date=_date(n.get("built_at", ""), lang),
        ),
        "summary": _moved(tu, n),
        "published": published,
        "years": years,
        "causes": causes,
        "national": nat["sentences"][lang] if nat else [],
        "as_of": nat["as_of"] if nat else "",
        "municipalities": [_row(a, lang) for a in n.get("top_municipalities", [])],
        "counties": [_row(a, lang) for a in n.get("top_counties", [])],
    }


def _moved(tu: Callable[..., str], n: dict[str, Any]) -> str:
    """How many areas a release moved, larger and smaller, in words."""
    return tu(
        "news.summary",
        moved=n["areas_moved"],
        total=n["areas"],
        larger=n["areas_larger"],
        smaller=n["areas_smaller"],
    )


def news_index_context(notes: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """What the list of every release note shows."""
    tu = _tu(lang)
    return {
        "tu": tu,
        "mode_index": True,
        "title": tu("news.index_title"),
        "items": [
            {
                "edition": n["edition"],
                "date": _date(n.get("built_at", ""), lang),
                "summary": _moved(tu, n),
            }
            for n in notes
        ],
    }
