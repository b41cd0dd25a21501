"""Errors as ``application/problem+json`` (RFC 9457).

Every error a client can cause becomes one problem object: ``type`` (a link to the docs page
section describing it), ``title``, ``status``, ``detail`` (what happened, why, what to do),
``instance`` (the request path) and, where it applies, ``invalid-params`` (each wrong parameter
with the reason and what is allowed) or ``suggestions`` (areas a mistyped name may mean).
Unexpected failures are logged with their traceback and reach the client as a bare 500 with
an incident id that matches the log line, never with a stack trace.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import AreaNotFound, EditionError, KoldioxidbudgetError, ParameterError

__all__ = ["PROBLEM_TYPES", "Problem", "install_handlers", "problem_response"]

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

#: Problem type id → (title, when it happens). The docs page lists them; ``type`` links there.
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "invalid-parameter": (
        "Invalid parameter",
        "A query or path parameter is unknown, given twice, cannot be read, or is outside what is allowed. "
        "`invalid-params` names each one with the reason and the allowed values.",
    ),
    "area-not-found": (
        "Area not found",
        "No municipality, county or Sweden matches the code or name; `suggestions` lists close matches.",
    ),
    "edition-not-found": (
        "Edition not found",
        "No built edition has this id or id prefix.",
    ),
    "edition-unsuitable": (
        "Edition not usable for this",
        "The edition exists but cannot answer this request (for example a CO2e edition asked for a CO2 budget).",
    ),
    "no-edition": (
        "No data edition",
        "The server has no edition built yet; its operator must run 'koldioxidbudget data build'.",
    ),
    "not-found": ("Not found", "No resource at this path."),
    "method-not-allowed": ("Method not allowed", "The API is read-only: GET, HEAD and OPTIONS."),
    "request-too-large": (
        "Request too large",
        "The URL or the request body is longer than the server accepts.",
    ),
    "timeout": (
        "Took too long",
        "The computation or rendering took longer than the server's time limit; retry later or with fewer changes.",
    ),
    "not-implemented": (
        "Not implemented",
        "This server lacks the component needed for this request (e.g. report rendering).",
    ),
    "internal-error": (
        "Internal error",
        "A bug on the server. The `incident` id matches the server's log entry; please report it.",
    ),
}


class Problem(Exception):
    """An error response; raise it from any route or helper."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        invalid_params: Sequence[Mapping[str, Any]] = (),
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        assert kind in PROBLEM_TYPES, kind
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.invalid_params = list(invalid_params)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self, instance: str) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": f"/api/v1/docs#problem-{self.kind}",
            "title": PROBLEM_TYPES[self.kind][0],
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.invalid_params:
            doc["invalid-params"] = self.invalid_params
        doc.update(self.extra)
        return doc


def problem_response(problem: Problem, instance: str) -> Response:
    headers = {"Cache-Control": "no-store", **problem.headers}
    return Response(
        orjson.dumps(problem.body(instance)),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def from_error(e: KoldioxidbudgetError) -> Problem:
    """The problem for an error of the tree that no route translated more precisely."""
    if isinstance(e, AreaNotFound):
        return Problem(404, "area-not-found", str(e), extra={"suggestions": []})
    if isinstance(e, ParameterError):
        return Problem(422, "invalid-parameter", str(e))
    if isinstance(e, EditionError):
        return Problem(422, "edition-unsuitable", str(e))
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s", incident, e)
    return Problem(
        500,
        "internal-error",
        "The server's data could not be read; the operator has been told in the log.",
        extra={"incident": incident},
    )


_HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 413: "request-too-large"}


def install_handlers(app: FastAPI) -> None:
    """Route every error to a problem response."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(exc, request.url.path)

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KoldioxidbudgetError)
        return problem_response(from_error(exc), request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = _HTTP_KINDS.get(
            exc.status_code, "not-found" if exc.status_code < 500 else "internal-error"
        )
        detail = {
            "not-found": f"Nothing at {request.url.path}. The API lives under /api/v1 (see /api/v1/docs).",
            "method-not-allowed": f"{request.method} is not allowed here; the API is read-only (GET, HEAD, OPTIONS).",
            "request-too-large": "The request is larger than the server accepts.",
        }.get(kind, str(exc.detail))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = "GET, HEAD, OPTIONS"
        return problem_response(
            Problem(exc.status_code, kind, detail, headers=headers), request.url.path
        )

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        params = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("path", "query")]
            item: dict[str, Any] = {
                "name": ".".join(loc) or "request",
                "reason": err.get("msg", ""),
            }
            expected = (err.get("ctx") or {}).get("expected")
            if expected:
                item["allowed"] = str(expected)
            params.append(item)
        return problem_response(
            Problem(
                422,
                "invalid-parameter",
                "; ".join(f"{p['name']}: {p['reason']}" for p in params),
                invalid_params=params,
            ),
            request.url.path,
        )

    async def on_bug(request: Request, exc: Exception) -> Response:
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s: unhandled error on %s", incident, request.url.path)
        return problem_response(
            Problem(
                500,
                "internal-error",
                "Something went wrong on the server. It has been logged; please report the incident id.",
                extra={"incident": incident},
            ),
            request.url.path,
        )

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(KoldioxidbudgetError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_bug)
