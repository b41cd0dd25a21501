"""The HTTP API's routes (``/api/v1``): areas, budgets, reports, editions and open data.

Each route parses the request, asks the ``Engine`` (web/engine.py) for a cached or computed
answer, and responds with an ETag and a cache policy. Computations run in worker threads with
a concurrency limit and a time limit; cached answers are sent straight from the event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ..areas import Area, find_area
from ..edition import EditionInfo
from ..errors import AreaNotFound, ParameterError
from ..method.budget import METHOD_VERSION, AreaResult, BudgetRun
from ..method.params import Parameters
from ..schema import Tables
from ..service.budget import CSV_FIELDS, budget_document
from ..service.inputs import named
from . import opendata, reports
from .engine import LRU, Engine, etag_for
from .problems import Msg, Problem, msg
from .query import Query, allowed, names_in, openapi_query_parameters, parse_parameters, split_query
from .responses import DAY, FOREVER, SHORT, cache_policy, dumps, not_modified, respond
from .schemas import (
    AreaDetail,
    AreaList,
    BudgetDocument,
    EditionList,
    Licence,
    ProblemDetails,
)

__all__ = ["router"]

T = TypeVar("T")
PREFIX = "/api/v1"
LEVELS = ("kommun", "lan", "riket")
JSON = "application/json"

router = APIRouter(prefix=PREFIX)


def _problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    texts = {
        304: "Not modified: the client's copy (If-None-Match) is current.",
        400: "Unknown or repeated query parameter.",
        404: "No such area or edition; suggestions where there are close matches.",
        422: "A parameter value is not allowed; invalid-params says which and what is allowed.",
        503: "No edition built yet, or the computation took too long.",
    }
    out: dict[int | str, dict[str, Any]] = {}
    for c in codes:
        if c == 304:
            out[c] = {"description": texts[c]}
        else:
            out[c] = {
                "model": ProblemDetails,
                "description": texts[c]
                + " In Swedish unless Accept-Language (or lang) asks for English.",
                "headers": {
                    "Content-Language": {
                        "description": "The language of title, detail and reasons: sv or en.",
                        "schema": {"type": "string", "enum": ["sv", "en"]},
                    }
                },
            }
    return out


_CODE = Path(
    description="Area code ('0380', '03', '00') or name ('uppsala', 'Stockholms län', 'Sverige').",
    max_length=100,
)


# ---------------------------------------------------------------------------------------------
# helpers


def _engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


async def _offload(
    request: Request,
    fn: Callable[[], T],
    *,
    report: bool = False,
    gone: threading.Event | None = None,
) -> T:
    """Run ``fn`` in a worker thread under the concurrency and time limits.

    With ``gone`` (reports and downloads), the client's connection is watched while ``fn``
    runs: when the client leaves or the time limit passes, ``gone`` is set, so ``fn`` stops
    before its next expensive step (a report is then neither laid out nor cached), and the
    request ends at once (499 in the log) instead of holding a thread for nobody."""
    state = request.app.state
    name = "report_limiter" if report else "compute_limiter"
    limiter = getattr(state, name, None)
    if limiter is None:  # an app run without its lifespan (e.g. a bare ASGI transport)
        threads = state.settings.report_threads if report else state.settings.compute_threads
        limiter = anyio.CapacityLimiter(threads)
        setattr(state, name, limiter)
    timeout = state.settings.report_timeout_s if report else state.settings.request_timeout_s

    async def work() -> T:
        return await anyio.to_thread.run_sync(fn, limiter=limiter, abandon_on_cancel=True)

    try:
        with anyio.fail_after(timeout):
            if gone is None:
                return await work()
            return await _unless_client_leaves(request, gone, work)
    except TimeoutError:
        if gone is not None:
            gone.set()
        raise Problem(
            503,
            "timeout",
            msg("timeout", seconds=float(timeout)),
            headers={"Retry-After": "5"},
        ) from None


async def _unless_client_leaves(
    request: Request, gone: threading.Event, work: Callable[[], Awaitable[T]]
) -> T:
    """``await work()``, given up (``gone`` set, 499) when the client disconnects first.

    What ``work`` raises (a 422 problem, say) is raised as it is, not wrapped in the task
    group's ``ExceptionGroup``, so the problem handlers see it."""
    done: list[T] = []
    failed: list[Exception] = []

    async def watch(scope: anyio.CancelScope) -> None:
        while not await request.is_disconnected():
            await anyio.sleep(DISCONNECT_POLL_S)
        gone.set()
        scope.cancel()

    async with anyio.create_task_group() as tg:
        tg.start_soon(watch, tg.cancel_scope)
        try:
            done.append(await work())
        except Exception as e:  # raised below, outside the group
            failed.append(e)
        tg.cancel_scope.cancel()
    if failed:
        raise failed[0]
    if not done:
        raise Problem(499, "client-closed", msg("client_closed"))
    return done[0]


#: how often a report's or download's connection is checked while it is made, s
DISCONNECT_POLL_S = 0.25

_AREAS: LRU[tuple[str, str], Area | Problem] = LRU(max_items=4096)


def _area(tables: Tables, query: str) -> Area:
    """The area a path names, or 404 with suggestions (code, name, link)."""
    key = (tables.edition_id, query)
    hit = _AREAS.get(key)
    if hit is None:
        try:
            hit = find_area(tables.areas, query)
        except AreaNotFound as e:
            codes = dict(zip(tables.areas["name"], tables.areas["code"], strict=True))
            hit = Problem(
                404,
                "area-not-found",
                msg(
                    "area_not_found_suggest",
                    query=query[:100],
                    suggestions=", ".join(e.suggestions),
                )
                if e.suggestions
                else msg("area_not_found", query=query[:100]),
                extra={
                    "suggestions": [
                        {"code": codes[n], "name": n, "href": f"{PREFIX}/areas/{codes[n]}"}
                        for n in e.suggestions
                        if n in codes
                    ]
                },
            )
        _AREAS.put(key, hit)
    if isinstance(hit, Problem):
        raise hit
    return hit


def _params(q: Query) -> Parameters:
    return parse_parameters(q.preset, q.overrides)


def _pinned(q: Query, info: EditionInfo) -> bool:
    return q.edition == info.id


def _explicit_time(q: Query) -> bool:
    return any(k == "as_of" for k, _ in q.overrides) or q.preset in {"klimatkollen-2024"}


def _compute_problem(e: ParameterError, q: Query) -> Problem:
    given = dict(q.overrides)
    return Problem(422, "invalid-parameter", e, invalid_params=names_in(e, given))


def _check_cell(tables: Tables, params: Parameters, q: Query) -> None:
    """A budget needs a published global budget cell: say which ones exist when it does not."""
    from ..method.global_budget import global_cells

    cells = global_cells(tables, params.global_source)
    if not cells:
        sources = sorted(set(tables.global_budgets["source_id"]))
        raise Problem(
            422,
            "invalid-parameter",
            _cell_error(tables, params),
            invalid_params=[
                {
                    "name": "global_source",
                    "reason": msg("reason.not_in_edition"),
                    "allowed": sources,
                }
            ],
        )
    if not any(
        abs(t - params.temperature_c) < 1e-9 and p == params.probability_pct for _s, t, p in cells
    ):
        available = sorted({f"{t:g}/{p}" for _s, t, p in cells})
        raise Problem(
            422,
            "invalid-parameter",
            _cell_error(tables, params),
            invalid_params=[
                {
                    "name": "temperature_c",
                    "reason": msg("reason.no_published_budget"),
                    "allowed": available,
                    "value": str(params.temperature_c),
                },
                {
                    "name": "probability_pct",
                    "reason": msg("reason.no_published_budget"),
                    "allowed": available,
                    "value": str(params.probability_pct),
                },
            ],
        )


def _cell_error(tables: Tables, params: Parameters) -> ParameterError:
    """The engine's own words for a missing global budget cell (the CLI says the same)."""
    from ..method.global_budget import global_budget

    try:
        global_budget(
            tables=tables,
            source_id=params.global_source,
            temperature_c=params.temperature_c,
            probability_pct=params.probability_pct,
            year=params.as_of,
        )
    except ParameterError as e:
        return e
    return ParameterError(key="no_global_budget_for", source=params.global_source)


def _run(eng: Engine, tables: Tables, params: Parameters, q: Query) -> Any:
    _check_cell(tables, params, q)
    try:
        return eng.run(tables, params)
    except ParameterError as e:
        raise _compute_problem(e, q) from None


async def _one_area_body(
    request: Request,
    eng: Engine,
    tables: Tables,
    params: Parameters,
    q: Query,
    key: Hashable,
    build: Callable[[BudgetRun], bytes],
) -> bytes:
    """``build(run)`` for one area's response, cached under ``key``.

    When the run is already computed, one area's figures take about a millisecond, and are made
    right here on the event loop: under load that is faster than a hop to a worker thread, which
    then contends with the loop for the GIL (measured: p50 5.4 → 2.7 ms in the server, p99 of the
    load test 36 → 31 ms). A run still to compute (tens of milliseconds) goes to a worker thread.
    """
    body = eng.responses.get(key)
    if body is not None:
        return body
    run = eng.computed_run(tables, params)
    if run is not None:
        body = build(run)
        eng.responses.put(key, body, len(body))
        return body
    return await _offload(
        request,
        lambda: eng.cached(eng.responses, key, lambda: build(_run(eng, tables, params, q))),
    )


def _links(code: str) -> dict[str, str]:
    base = f"{PREFIX}/areas/{code}"
    return {
        "self": base,
        "budget": f"{base}/budget",
        "report_pdf": f"{base}/report.pdf",
        "report_html": f"{base}/report.html",
    }


def _summary(r: AreaResult) -> dict[str, Any]:
    d = r.to_dict()
    out = {k: d[k] for k in CSV_FIELDS}
    out["links"] = _links(r.code)
    return out


# ---------------------------------------------------------------------------------------------
# areas

#: the query parameters of the key-figure routes (a preset's defaults, one edition)
_KEY_FIGURE_PARAMETERS = [
    {
        "name": "preset",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": sorted(allowed("preset"))},
        "description": "Preset whose defaults give the key figures.",
    },
    {
        "name": "edition",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 100},
        "description": "Edition id or prefix (default: newest CO2 edition).",
    },
]


@router.get(
    "/areas",
    summary="Every area with its key figures",
    description="The 290 municipalities, 21 counties and Sweden with the key figures of a preset's "
    "default parameters. Filter with level.",
    response_model=AreaList,
    responses=_problem_responses(304, 400, 422, 503),
    operation_id="list-areas",
    openapi_extra={
        "parameters": [
            {
                "name": "level",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": list(LEVELS)},
                "description": "Only kommun, lan or riket.",
            },
            *_KEY_FIGURE_PARAMETERS,
        ]
    },
)
async def list_areas(request: Request) -> Response:
    eng = _engine(request)
    q = split_query(request.query_params.multi_items(), extras=("level",), fields=False)
    level = q.extras.get("level")
    if level is not None and level not in LEVELS:
        raise Problem(
            422,
            "invalid-parameter",
            msg("not_one_of", name="level", value=level[:100], allowed=", ".join(LEVELS)),
            invalid_params=[
                {"name": "level", "reason": msg("reason.unknown_value"), "allowed": list(LEVELS)}
            ],
        )
    info = eng.edition(q.edition)
    params = named(q.preset)
    etag = etag_for("areas", info.id, params, level)
    cc = cache_policy(pinned_edition=_pinned(q, info), pinned_time=False)
    if not_modified(request, etag):
        return respond(request, None, etag=etag, media_type=JSON, cache_control=cc)
    tables = eng.tables(info)

    def make() -> bytes:
        run = _run(eng, tables, params, q)
        rows = [_summary(r) for r in run.areas(level)]
        return dumps(
            {
                "edition": info.id,
                "method_version": METHOD_VERSION,
                "preset": params.preset,
                "as_of": params.as_of,
                "areas": rows,
            }
        )

    key = ("areas", info.id, params, level)
    body = eng.responses.get(key) or await _offload(
        request, lambda: eng.cached(eng.responses, key, make)
    )
    return respond(request, body, etag=etag, media_type=JSON, cache_control=cc)


@router.get(
    "/areas/{code}",
    summary="One area with its key figures",
    description="Key figures under a preset's default parameters, and links to the full budget "
    "and the report. code may be a name.",
    response_model=AreaDetail,
    responses=_problem_responses(304, 400, 404, 422, 503),
    operation_id="get-area",
    openapi_extra={
        "parameters": [
            *_KEY_FIGURE_PARAMETERS,
        ]
    },
)
async def get_area(request: Request, code: str = _CODE) -> Response:
    eng = _engine(request)
    q = split_query(request.query_params.multi_items(), fields=False)
    info = eng.edition(q.edition)
    tables = eng.tables(info)
    area = _area(tables, code)
    params = named(q.preset)
    etag = etag_for("area", info.id, params, area.code)
    cc = cache_policy(pinned_edition=_pinned(q, info), pinned_time=False)
    if not_modified(request, etag):
        return respond(request, None, etag=etag, media_type=JSON, cache_control=cc)

    def build(run: BudgetRun) -> bytes:
        return dumps(
            {
                "edition": info.id,
                "method_version": METHOD_VERSION,
                "preset": params.preset,
                "as_of": params.as_of,
                "area": _summary(run.area(area.code)),
            }
        )

    key = ("area", info.id, params, area.code)
    body = await _one_area_body(request, eng, tables, params, q, key, build)
    return respond(request, body, etag=etag, media_type=JSON, cache_control=cc)


@router.get(
    "/areas/{code}/budget",
    summary="An area's full carbon budget for any parameters",
    description="Computed on the fly: the same JSON contract as 'koldioxidbudget budget AREA "
    "--format json' (docs/api.md). Every Parameters field is a query parameter, with the syntax "
    "of the CLI's --set.",
    response_model=BudgetDocument,
    responses=_problem_responses(304, 400, 404, 422, 503),
    operation_id="get-area-budget",
    openapi_extra={"parameters": openapi_query_parameters()},
)
async def area_budget(request: Request, code: str = _CODE) -> Response:
    eng = _engine(request)
    q = split_query(request.query_params.multi_items())
    info = eng.edition(q.edition)
    tables = eng.tables(info)
    area = _area(tables, code)
    params = _params(q)
    etag = etag_for("budget", info.id, params, area.code)
    cc = cache_policy(pinned_edition=_pinned(q, info), pinned_time=_explicit_time(q))
    if not_modified(request, etag):
        return respond(request, None, etag=etag, media_type=JSON, cache_control=cc)
    body = await _one_area_body(
        request,
        eng,
        tables,
        params,
        q,
        budget_key(info.id, params, area.code),
        lambda run: budget_body(run, area.code),
    )
    return respond(request, body, etag=etag, media_type=JSON, cache_control=cc)


def budget_key(edition: str, params: Parameters, code: str) -> Hashable:
    """The response cache's key for one area's ``/budget`` under ``params``."""
    return ("budget", edition, params, code)


def budget_body(run: BudgetRun, code: str) -> bytes:
    """One area's ``/budget`` response body from ``run``."""
    return dumps(budget_document(run, [run.area(code)]))


def _known_format(fmt: str, formats: Sequence[str], message: Msg) -> None:
    """A path's ``.{fmt}`` that is none of ``formats``: 404 with ``message``, naming the
    allowed ones."""
    if fmt not in formats:
        raise Problem(
            404,
            "not-found",
            message,
            invalid_params=[
                {"name": "fmt", "reason": msg("reason.unknown_format"), "allowed": list(formats)}
            ],
        )


@router.get(
    "/areas/{code}/report.{fmt}",
    summary="An area's report, rendered on demand",
    description="The report (PDF or accessible HTML) for the given parameters and language, "
    "cached by edition and parameters.",
    responses={
        200: {
            "description": "The report.",
            "content": {"application/pdf": {}, "text/html": {}},
        },
        **_problem_responses(304, 400, 404, 422, 503),
    },
    operation_id="get-area-report",
    openapi_extra={
        "parameters": [
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": list(reports.LANGS)},
                "description": "Language: sv (default) or en.",
            },
            *openapi_query_parameters(),
        ]
    },
)
async def area_report(
    request: Request,
    code: str = _CODE,
    fmt: str = Path(description="pdf or html", json_schema_extra={"enum": list(reports.FORMATS)}),
) -> Response:
    _known_format(fmt, reports.FORMATS, msg("unknown_report_format", value=fmt[:20]))
    eng = _engine(request)
    q = split_query(request.query_params.multi_items(), extras=("lang",))
    lang = q.extras.get("lang", "sv")
    if lang not in reports.LANGS:
        raise Problem(
            422,
            "invalid-parameter",
            msg("not_one_of", name="lang", value=lang[:20], allowed=", ".join(reports.LANGS)),
            invalid_params=[
                {
                    "name": "lang",
                    "reason": msg("reason.unknown_value"),
                    "allowed": list(reports.LANGS),
                }
            ],
        )
    info = eng.edition(q.edition)
    tables = eng.tables(info)
    area = _area(tables, code)
    params = _params(q)
    etag = etag_for("report", info.id, params, area.code, lang, fmt)
    cc = cache_policy(pinned_edition=_pinned(q, info), pinned_time=_explicit_time(q))
    name = f"koldioxidbudget-{area.code}-{info.id}-{lang}.{fmt}"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    media = reports.MEDIA_TYPES[fmt]
    if not_modified(request, etag):
        return respond(
            request, None, etag=etag, media_type=media, cache_control=cc, headers=headers
        )
    key = ("report", info.id, params, area.code, lang, fmt)

    gone = threading.Event()  # set when the client leaves: the report is not laid out

    def make() -> bytes:
        _run(eng, tables, params, q)  # the parameters' problems as 422s before any rendering
        return reports.render_report(
            code=area.code,
            lang=lang,
            fmt=fmt,
            params=params,
            edition=info.id,
            editions_dir=eng.root,
            pool=eng.render_pool,
            cancelled=gone.is_set,
        )

    body = eng.reports.get(key)
    if body is None:
        body = await _offload(
            request, lambda: eng.cached(eng.reports, key, make), report=True, gone=gone
        )
    if fmt == "html":
        from .security import html_csp, inline_hashes

        scripts, styles = inline_hashes(body)
        headers["Content-Security-Policy"] = html_csp(
            request.app.state.settings.frame_ancestors, scripts=scripts, styles=styles
        )
    return respond(request, body, etag=etag, media_type=media, cache_control=cc, headers=headers)


# ---------------------------------------------------------------------------------------------
# editions and open data


def _edition_summary(info: EditionInfo) -> dict[str, Any]:
    m = info.manifest
    base = f"{PREFIX}/editions/{info.id}"
    return {
        "id": info.id,
        "gas": info.gas,
        "release": info.release,
        "publisher": m.get("publisher"),
        "data_years": m.get("data_years", []),
        "last_data_year": m.get("last_data_year"),
        "method_version": m.get("method_version"),
        "built_at": m.get("built_at", ""),
        "links": {
            "self": base,
            "licence": f"{base}/licence",
            "csv": f"{base}/download.csv",
            "json": f"{base}/download.json",
            "xlsx": f"{base}/download.xlsx",
        },
    }


_EDITION = Path(
    description="Edition id, or a unique prefix such as co2-2024-04-18.", max_length=100
)


@router.get(
    "/editions",
    summary="Every built edition",
    response_model=EditionList,
    responses=_problem_responses(304, 400),
    operation_id="list-editions",
)
async def list_editions_route(request: Request) -> Response:
    split_query(request.query_params.multi_items(), fields=False, preset=False, edition=False)
    eng = _engine(request)
    live, since = eng.live()
    eds = eng.editions()
    current = set(live.values())
    etag = etag_for("editions", tuple(e.id for e in eds), tuple(sorted(live.items())), since)
    body = dumps(
        {
            "editions": [dict(_edition_summary(e), current=e.id in current) for e in eds],
            "current": live,
            "current_since": since,
        }
    )
    return respond(request, body, etag=etag, media_type=JSON, cache_control="public, max-age=60")


def _edition_in_path(request: Request, edition: str) -> tuple[EditionInfo, str]:
    split_query(request.query_params.multi_items(), fields=False, preset=False, edition=False)
    info = _engine(request).edition(edition, gas=None, in_path=True)
    return info, FOREVER if edition == info.id else SHORT


@router.get(
    "/editions/{edition}",
    summary="An edition's manifest",
    description="Every input file with its SHA-256, publisher and vintage; tables with row counts.",
    response_model=dict[str, Any],
    responses=_problem_responses(304, 400, 404, 503),
    operation_id="get-edition",
)
async def get_edition(request: Request, edition: str = _EDITION) -> Response:
    info, cc = _edition_in_path(request, edition)
    body = dumps(dict(info.manifest, links=_edition_summary(info)["links"]))
    return respond(
        request, body, etag=etag_for("manifest", info.id), media_type=JSON, cache_control=cc
    )


@router.get(
    "/editions/{edition}/licence",
    summary="Licence and sources of an edition's data",
    response_model=Licence,
    responses=_problem_responses(304, 400, 404, 503),
    operation_id="get-edition-licence",
)
async def get_licence(request: Request, edition: str = _EDITION) -> Response:
    info, cc = _edition_in_path(request, edition)
    body = dumps(opendata.licence_note(info))
    return respond(
        request, body, etag=etag_for("licence", info.id), media_type=JSON, cache_control=cc
    )


@router.get(
    "/editions/{edition}/changes",
    summary='What is new in an edition ("Nytt i utgåvan")',
    description="The release note: the input files that are new or changed (publisher, vintage), "
    "the data years added or revised, how Sweden's budget moved, and the municipalities and "
    "counties that moved most and why (the attribution of data diff, in Swedish and English "
    "sentences). Against the edition that was current before it, else the one before it.",
    response_model=dict[str, Any],
    responses=_problem_responses(304, 400, 404, 503),
    operation_id="get-edition-changes",
)
async def get_changes(request: Request, edition: str = _EDITION) -> Response:
    from ..news import load_notes, notes_for

    info, _cc = _edition_in_path(request, edition)
    eng = _engine(request)
    key = ("changes", info.id)

    def make() -> bytes:
        notes = load_notes(info.id, into=eng.root)
        if notes is None:
            notes = notes_for(info.id, into=eng.root)
        if notes is None:
            raise Problem(404, "not-found", msg("no_changes", edition=info.id))
        return dumps(notes)

    body = eng.responses.get(key) or await _offload(
        request, lambda: eng.cached(eng.responses, key, make)
    )
    return respond(
        request, body, etag=etag_for("changes", info.id, body), media_type=JSON, cache_control=SHORT
    )


@router.get(
    "/editions/{edition}/download.{fmt}",
    summary="Bulk data of an edition: emissions, population and every area's budget",
    description="csv: one long table (code, name, level, lan_code, variable, sector, year, value, "
    "unit); json: the same tables with the licence; xlsx: sheets about, budgets, pathways, "
    "emissions, population. Budgets use the preset (and any Parameters field) given.",
    responses={
        200: {
            "description": "The data.",
            "content": {"text/csv": {}, "application/json": {}, opendata.MEDIA_TYPES["xlsx"]: {}},
        },
        **_problem_responses(304, 400, 404, 422, 503),
    },
    operation_id="download-edition",
    openapi_extra={"parameters": openapi_query_parameters(include_edition=False)},
)
async def download(
    request: Request,
    edition: str = _EDITION,
    fmt: str = Path(
        description="csv, json or xlsx", json_schema_extra={"enum": list(opendata.FORMATS)}
    ),
) -> Response:
    _known_format(fmt, opendata.FORMATS, msg("unknown_download_format", value=fmt[:20]))
    eng = _engine(request)
    q = split_query(request.query_params.multi_items(), edition=False)
    info = eng.edition(edition, gas=None, in_path=True)
    tables = eng.tables(info)
    params = _params(q)
    etag = etag_for("download", info.id, params, fmt)
    pinned = edition == info.id
    cc = cache_policy(pinned_edition=pinned, pinned_time=_explicit_time(q)) if pinned else SHORT
    if cc == FOREVER and not _explicit_time(q):
        cc = DAY
    name = f"koldioxidbudget-{info.id}.{fmt}"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Link": f'<{PREFIX}/editions/{info.id}/licence>; rel="license"',
    }
    media = opendata.MEDIA_TYPES[fmt]
    if not_modified(request, etag):
        return respond(
            request, None, etag=etag, media_type=media, cache_control=cc, headers=headers
        )
    key = ("download", info.id, params, fmt)

    gone = threading.Event()

    def make() -> bytes:
        run = _run(eng, tables, params, q)
        if gone.is_set():
            raise reports.Cancelled(key)
        return opendata.download_bytes(fmt, info, tables, run)

    body = eng.downloads.get(key) or await _offload(
        request, lambda: eng.cached(eng.downloads, key, make), report=True, gone=gone
    )
    return respond(request, body, etag=etag, media_type=media, cache_control=cc, headers=headers)


@router.get(
    "/health",
    summary="Is the server up, and which editions does it have",
    responses=_problem_responses(400),
    operation_id="health",
)
async def health(request: Request) -> Response:
    split_query(request.query_params.multi_items(), fields=False, preset=False, edition=False)
    eng = _engine(request)
    live, since = eng.live()
    body = dumps(
        {
            "status": "ok",
            "edition": live.get("CO2"),
            "current": live,
            "current_since": since,
            "editions": [e.id for e in eng.editions()],
            "caches": eng.stats(),
            "renderers": eng.renderers(),
        }
    )
    return Response(body, media_type=JSON, headers={"Cache-Control": "no-store"})
