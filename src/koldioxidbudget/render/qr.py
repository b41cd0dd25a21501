"""A web address as a QR code (SVG), for the print report's link to the area's visualiser.

The renderers draw what the document holds: a :class:`~koldioxidbudget.story.document.QrCode`
names the address and its label; this turns the address into the code's squares (segno,
error correction M, no quiet zone of its own: the layout leaves the margin).
"""

from __future__ import annotations

import functools
import io

__all__ = ["qr_svg"]


@functools.lru_cache(maxsize=64)
def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG document (dark squares in the report's ink colour)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out,
        kind="svg",
        scale=4,
        border=0,
        xmldecl=False,
        svgclass=None,
        lineclass=None,
        dark="#1a1a1a",
    )
    return out.getvalue().decode("ascii")
