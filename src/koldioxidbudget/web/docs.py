"""The API's documentation page: plain HTML rendered on the server from the OpenAPI description
(no script, no CDN), so it works offline, inside an iframe and under the strict CSP."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..story.i18n import catalogue
from .problems import PROBLEM_TYPES
from .security import html_csp, inline_hashes

__all__ = ["docs_page"]


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("koldioxidbudget.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    t = str(schema.get("type", "string"))
    if "minimum" in schema and "maximum" in schema:
        t += f" ({schema['minimum']}–{schema['maximum']})"
    return t


def docs_page(
    openapi: dict[str, Any], *, openapi_url: str, frame_ancestors: str
) -> tuple[bytes, str]:
    """The page's HTML and its Content-Security-Policy."""
    operations = []
    for path, item in openapi.get("paths", {}).items():
        for method, op in item.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "type": _type(p.get("schema", {})),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            responses = [
                {
                    "status": status,
                    "media": ", ".join(r.get("content", {}) or ["–"]),
                    "description": r.get("description", ""),
                }
                for status, r in op.get("responses", {}).items()
            ]
            operations.append(
                {
                    "anchor": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": params,
                    "responses": responses,
                }
            )
    info = openapi.get("info", {})
    html = (
        _env()
        .get_template("api-docs.html")
        .render(
            title=info.get("title", ""),
            version=info.get("version", ""),
            description=info.get("description", ""),
            openapi_url=openapi_url,
            openapi_version=openapi.get("openapi", ""),
            operations=operations,
            problems=[
                (k, catalogue("en")[f"problems.title.{k}"], d) for k, d in PROBLEM_TYPES.items()
            ],
        )
        .encode("utf-8")
    )
    scripts, styles = inline_hashes(html)
    return html, html_csp(frame_ancestors, scripts=scripts, styles=styles)
