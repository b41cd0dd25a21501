"""Errors as ``application/problem+json`` (RFC 9457).

Every error a client can cause becomes one problem object: ``type`` (a link to the docs page
section describing it), ``title``, ``status``, ``detail`` (what happened, why, what to do),
``instance`` (the request path) and, where it applies, ``invalid-params`` (each wrong parameter
with the reason and what is allowed) or ``suggestions`` (areas a mistyped name may mean).
Unexpected failures are logged with their traceback and reach the client as a bare 500 with
an incident id that matches the log line, never with a stack trace.

Titles, details and reasons are in the client's language, Swedish first: ``?lang=`` when the
endpoint takes it, else the first of sv/en in ``Accept-Language``, else Swedish; the response
says which in ``Content-Language``. The words come from the ``problems`` catalogue (and the
``errors`` one for the engine's errors); a problem holds them as ``Text`` (a plain string, a
``Msg`` or an error) and is put into words only when the response is written.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import AreaNotFound, EditionError, KoldioxidbudgetError, ParameterError, slot_in

__all__ = [
    "LANGS",
    "PROBLEM_TYPES",
    "Msg",
    "Problem",
    "install_handlers",
    "msg",
    "negotiate",
    "problem_response",
]

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

#: the languages problems are written in; the first is the default
LANGS = ("sv", "en")

#: Problem type id → when it happens (English, for the docs page, which lists them; ``type``
#: links there). Titles are in the catalogues: ``problems.title.<id>``.
PROBLEM_TYPES: dict[str, str] = {
    "invalid-parameter": (
        "A query or path parameter is unknown, given twice, cannot be read, or is outside what is allowed. "
        "`invalid-params` names each one with the reason and the allowed values."
    ),
    "area-not-found": (
        "No municipality, county or Sweden matches the code or name; `suggestions` lists close matches."
    ),
    "edition-not-found": (
        "No built edition has this id, or the id prefix fits none or several editions, or only "
        "one that failed its hard data checks (name that one by its full id)."
    ),
    "edition-unsuitable": (
        "The edition exists but cannot answer this request (for example a CO2e edition asked for a CO2 budget)."
    ),
    "no-edition": (
        "The server has no edition built yet; its operator must run 'koldioxidbudget data build'."
    ),
    "not-found": ("No resource at this path."),
    "method-not-allowed": ("The API is read-only: GET, HEAD and OPTIONS."),
    "request-too-large": ("The URL or the request body is longer than the server accepts."),
    "timeout": (
        "The computation or rendering took longer than the server's time limit; retry later or with fewer changes."
    ),
    "busy": (
        "Too many reports or downloads are being made at once; retry after the seconds "
        "`Retry-After` gives."
    ),
    "bad-request": (
        "The HTTP request could not be read (a malformed request line, or headers larger than "
        "the server accepts); the connection is closed."
    ),
    "client-closed": (
        "The client closed the connection before its report or download was ready; the work "
        "was stopped (status 499, seen only in the server's log)."
    ),
    "internal-error": (
        "A bug on the server. The `incident` id matches the server's log entry; please report it."
    ),
}


@dataclass(frozen=True)
class Msg:
    """A message of the ``problems`` catalogue with its slots, put into words per language.

    Slot values may themselves be ``Text``; floats are written the language's way (1,5 / 1.5)."""

    key: str
    slots: tuple[tuple[str, Any], ...] = ()

    def say(self, lang: str) -> str:
        from ..story.i18n import catalogue

        return catalogue(lang)[f"problems.{self.key}"].format(
            **{k: _slot(v, lang) for k, v in self.slots}
        )


Text: TypeAlias = str | Msg | KoldioxidbudgetError


def msg(key: str, **slots: Any) -> Msg:
    """``Msg(key, slots)``: the message ``problems.<key>`` of the catalogues."""
    return Msg(key, tuple(slots.items()))


def say(text: Text, lang: str) -> str:
    """``text`` in ``lang`` (an error without a catalogue key stays in English)."""
    if isinstance(text, Msg):
        return text.say(lang)
    if isinstance(text, KoldioxidbudgetError):
        return text.localized(lang)
    return text


def _slot(value: Any, lang: str) -> Any:
    if isinstance(value, (Msg, KoldioxidbudgetError)):
        return say(value, lang)
    return slot_in(value, lang)


def negotiate(lang: str | None, accept_language: str | None) -> str:
    """The language to answer in: ``lang`` when it is one of ``LANGS``, else the first of them
    the ``Accept-Language`` header prefers (q-values honoured), else Swedish."""
    if lang in LANGS:
        return lang
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, primary)
    return best[2] if best else LANGS[0]


class Problem(Exception):
    """An error response; raise it from any route or helper. ``detail`` and each
    ``invalid_params`` item's ``reason`` are ``Text``, written in the client's language."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: Text,
        *,
        invalid_params: Sequence[Mapping[str, Any]] = (),
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        assert kind in PROBLEM_TYPES, kind
        super().__init__(say(detail, "en"))
        self.status = status
        self.kind = kind
        self.detail = detail
        self.invalid_params = list(invalid_params)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self, instance: str, lang: str = LANGS[0]) -> dict[str, Any]:
        from ..story.i18n import catalogue

        doc: dict[str, Any] = {
            "type": f"/api/v1/docs#problem-{self.kind}",
            "title": catalogue(lang)[f"problems.title.{self.kind}"],
            "status": self.status,
            "detail": say(self.detail, lang),
            "instance": instance,
        }
        if self.invalid_params:
            doc["invalid-params"] = [
                {k: say(v, lang) if k == "reason" else v for k, v in item.items()}
                for item in self.invalid_params
            ]
        doc.update(self.extra)
        return doc


def problem_response(problem: Problem, instance: str, lang: str = LANGS[0]) -> Response:
    headers = {
        "Cache-Control": "no-store",
        "Content-Language": lang,
        "Vary": "Accept-Language",
        **problem.headers,
    }
    return Response(
        orjson.dumps(problem.body(instance, lang)),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def request_language(request: Request) -> str:
    """The language ``request`` asks problems in (see ``negotiate``)."""
    return negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))


#: slots of an error that hold a path on the server: an error naming one never reaches a client
_PATH_SLOTS = frozenset({"path", "dir", "folder", "file_path"})


def server_paths_in(e: KoldioxidbudgetError) -> bool:
    """Whether ``e``'s message names a file or folder on the server (a client must not see it:
    the error is logged with an incident id instead)."""
    return not _PATH_SLOTS.isdisjoint(e.slots)


def from_error(e: KoldioxidbudgetError) -> Problem:
    """The problem for an error of the tree that no route translated more precisely."""
    if isinstance(e, AreaNotFound):
        return Problem(404, "area-not-found", e, extra={"suggestions": []})
    if isinstance(e, ParameterError):
        return Problem(422, "invalid-parameter", e)
    if isinstance(e, EditionError) and not server_paths_in(e):
        return Problem(422, "edition-unsuitable", e)
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s", incident, e)
    return Problem(500, "internal-error", msg("data_unreadable"), extra={"incident": incident})


_HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 413: "request-too-large"}


def install_handlers(app: FastAPI) -> None:
    """Route every error to a problem response in the client's language."""

    def respond(request: Request, problem: Problem) -> Response:
        return problem_response(problem, request.url.path, request_language(request))

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return respond(request, exc)

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KoldioxidbudgetError)
        return respond(request, from_error(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = _HTTP_KINDS.get(
            exc.status_code, "not-found" if exc.status_code < 500 else "internal-error"
        )
        detail: Text = {
            "not-found": msg("not_found", path=request.url.path),
            "method-not-allowed": msg("method_not_allowed", method=request.method),
            "request-too-large": msg("request_too_large"),
        }.get(kind, str(exc.detail))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = "GET, HEAD, OPTIONS"
        return respond(request, Problem(exc.status_code, kind, detail, headers=headers))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        params = []
        for err in exc.errors():  # pydantic's own words: English
            loc = [str(x) for x in err.get("loc", ()) if x not in ("path", "query")]
            item: dict[str, Any] = {
                "name": ".".join(loc) or "request",
                "reason": err.get("msg", ""),
            }
            expected = (err.get("ctx") or {}).get("expected")
            if expected:
                item["allowed"] = str(expected)
            params.append(item)
        return respond(
            request,
            Problem(
                422,
                "invalid-parameter",
                "; ".join(f"{p['name']}: {p['reason']}" for p in params),
                invalid_params=params,
            ),
        )

    async def on_bug(request: Request, exc: Exception) -> Response:
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s: unhandled error on %s", incident, request.url.path)
        return respond(
            request,
            Problem(500, "internal-error", msg("internal_error"), extra={"incident": incident}),
        )

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(KoldioxidbudgetError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_bug)
