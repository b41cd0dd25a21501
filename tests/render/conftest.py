"""Reports rendered once per test session from the real edition (Uppsala, sv and en)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from koldioxidbudget.render import ReportJob, render_charts, report_document
from koldioxidbudget.story.document import Document


class Rendered:
    """A document with its charts, PDF and HTML."""

    def __init__(self, doc: Document) -> None:
        from koldioxidbudget.render.html import render_html
        from koldioxidbudget.render.pdf import render_pdf

        self.doc = doc
        self.svgs = render_charts(doc)
        self.pdf = render_pdf(doc, self.svgs)
        self.html = render_html(doc, self.svgs, strict=True)


@functools.cache
def rendered_uppsala(editions_root: Path, lang: str) -> Rendered:
    """Uppsala's report in ``lang``, rendered once per session (shared with tests/browser)."""
    job = ReportJob(lang=lang, editions_dir=str(editions_root))
    return Rendered(report_document("uppsala", job))


@pytest.fixture(scope="session")
def uppsala(editions_root: Path) -> Rendered:
    return rendered_uppsala(editions_root, "sv")


@pytest.fixture(scope="session")
def uppsala_en(editions_root: Path) -> Rendered:
    return rendered_uppsala(editions_root, "en")
