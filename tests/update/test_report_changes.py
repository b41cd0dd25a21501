"""The report's "Vad har ändrats sedan förra utgåvan?": sentences and table from diff."""

from __future__ import annotations

from pathlib import Path

from koldioxidbudget.edition import load_edition
from koldioxidbudget.render import ReportJob, report_document
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.story import changes as diff
from koldioxidbudget.story import fmt


def _text(doc) -> str:
    from koldioxidbudget.story.document import BulletList, Paragraph, Table

    out: list[str] = []

    def walk(sections) -> None:
        for s in sections:
            out.append(s.title)
            for b in s.blocks:
                if isinstance(b, Paragraph):
                    out.append("".join(r.text for r in b.runs))
                elif isinstance(b, BulletList):
                    out.extend("".join(r.text for r in p.runs) for p in b.items)
                elif isinstance(b, Table):
                    out.append(b.caption)
                    out.extend(" | ".join(row) for row in b.rows)
            walk(s.subsections)

    walk(doc.sections)
    return "\n".join(out)


def test_report_explains_what_changed_since_previous_edition(pair: tuple[Path, str, str]) -> None:
    root, old_id, new_id = pair
    for lang in ("sv", "en"):
        doc = report_document(
            "uppsala", ReportJob(lang=lang, edition=new_id, editions_dir=str(root))
        )
        text = _text(doc)
        change = diff.explain_change(
            load_edition(old_id, into=root),
            load_edition(new_id, into=root),
            parameters_from(),
            "0380",
        )
        assert diff.t_title(lang) in text
        for q in ("budget", "remaining", "rate"):
            assert diff.sentence(change, lang, q) in text
        assert (
            fmt.tonnes(change.budget.old, lang) in text
            and fmt.tonnes(change.budget.new, lang) in text
        )


def test_report_first_edition_has_no_empty_change_section(pair: tuple[Path, str, str]) -> None:
    """The first edition has nothing to compare with: no empty "what changed" section (the
    colophon names the edition)."""
    root, old_id, _new_id = pair
    doc = report_document("uppsala", ReportJob(edition=old_id, editions_dir=str(root)))
    text = _text(doc)
    assert "Vad har ändrats sedan förra utgåvan?" not in text
    assert "Jämfört med förra utgåvan" not in text
