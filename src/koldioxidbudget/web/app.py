"""``create_app(settings)``: the FastAPI application — the JSON API under ``/api/v1``, its
OpenAPI description and docs page, and the static site at ``/`` when one is built.

``koldioxidbudget serve``, the tests and the benchmarks all build the app here. ``serve`` runs
uvicorn with ``app_from_env`` as factory, so every worker process builds the same app from the
``KOLDIOXIDBUDGET_*`` environment.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..service.inputs import parameters_from
from .api import PREFIX, budget_body, budget_key, router
from .compression import CompressionMiddleware
from .docs import docs_page
from .engine import Engine
from .problems import MEDIA_TYPE, Problem, install_handlers, msg
from .responses import dumps
from .security import SecurityMiddleware
from .settings import Settings
from .sitefiles import SiteFiles

__all__ = ["app_from_env", "create_app", "serve"]

log = logging.getLogger(__name__)

OPENAPI_URL = f"{PREFIX}/openapi.json"
DOCS_URL = f"{PREFIX}/docs"

_DESCRIPTION = (
    "Paris-aligned carbon budgets for every Swedish municipality, county and Sweden, computed "
    "from official statistics (SMHI, SCB, IPCC, Global Carbon Project). Read-only, open to every "
    "origin. Budgets are computed on the fly for any parameters; each edition's data can be "
    "downloaded with its licence and sources."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    engine = Engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.compute_limiter = anyio.CapacityLimiter(settings.compute_threads)
        app.state.report_limiter = anyio.CapacityLimiter(settings.report_threads)
        if settings.warm:
            await anyio.to_thread.run_sync(_warm, engine)
            if settings.report_processes:
                await anyio.to_thread.run_sync(_warm_report_document, engine)
        _freeze_heap()
        if settings.report_processes:
            from ..render.pool import RenderPool

            engine.render_pool = RenderPool(
                settings.report_processes, chart_store=settings.chart_store(engine.root)
            )
            # warm before the first request: a renderer warming at full priority while
            # clients ask for budgets took one of the two cores from them (measured: p99 of
            # the load test's warm-up 1.43 s with it, 77 ms without it)
            job = await anyio.to_thread.run_sync(_warm_renderers, engine)
            if job is not None and settings.prefill_charts and engine.render_pool.chart_store:
                threading.Thread(target=_prefill_charts, args=(engine, job), daemon=True).start()
        try:
            yield
        finally:
            if engine.render_pool is not None:
                engine.render_pool.close()
                engine.render_pool = None

    app = FastAPI(
        title="koldioxidbudget",
        version="1",
        description=_DESCRIPTION,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    # for apps used without lifespan (e.g. a bare ASGI transport); replaced at startup
    app.state.compute_limiter = None
    app.state.report_limiter = None
    install_handlers(app)
    app.include_router(router)

    spec: dict[str, Any] = {}
    docs: dict[str, tuple[bytes, str]] = {}

    def openapi() -> dict[str, Any]:
        if not spec:
            spec.update(_openapi(app))
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get(OPENAPI_URL, include_in_schema=False)
    async def openapi_json(request: Request) -> Response:
        _no_query(request)
        return Response(
            dumps(openapi()),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=300"},
        )

    @app.get(DOCS_URL, include_in_schema=False)
    async def api_docs(request: Request) -> Response:
        _no_query(request)
        if not docs:
            docs["page"] = docs_page(
                openapi(), openapi_url=OPENAPI_URL, frame_ancestors=settings.frame_ancestors
            )
        html, csp = docs["page"]
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp, "Cache-Control": "public, max-age=300"},
        )

    @app.get("/docs", include_in_schema=False)
    async def docs_redirect() -> Response:
        return RedirectResponse(DOCS_URL, status_code=308)

    site = settings.site
    if site is not None and site.is_dir():
        app.mount("/", SiteFiles(directory=site, frame_ancestors=settings.frame_ancestors))
    else:

        @app.get("/", include_in_schema=False)
        async def root() -> Response:
            return RedirectResponse(DOCS_URL, status_code=307)

    # compression inside the security headers: HEAD and refused requests are settled outside it
    app.add_middleware(CompressionMiddleware)
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


def _no_query(request: Request) -> None:
    if request.query_params:
        raise Problem(400, "invalid-parameter", msg("no_query"))


def _warm(engine: Engine) -> None:
    """Load the newest edition, compute the default budgets and make every area's default
    ``/budget`` response (~2 ms each), so no client waits for what most of them ask first (the
    visualiser opens every area at the defaults)."""
    from ..errors import KoldioxidbudgetError

    try:
        eds = engine.editions()
        if not eds:
            return
        info = engine.edition(None)
        params = parameters_from()
        run = engine.run(engine.tables(info), params)
        for code in run.codes:
            body = budget_body(run, code)
            engine.responses.put(budget_key(info.id, params, code), body, len(body))
    except (KoldioxidbudgetError, Problem) as e:
        log.warning("could not warm the engine: %s", e)


def _warm_report_document(engine: Engine) -> None:
    """Build one report's document before serving: this worker's first report then finds the
    edition's subsectors loaded and the report's modules imported (about 1 s otherwise)."""
    from ..errors import KoldioxidbudgetError
    from ..render import ReportJob, report_document
    from ..schema import NATIONAL_CODE

    try:
        info = engine.edition(None)
        job = ReportJob(edition=info.id, editions_dir=str(engine.root), self_contained=True)
        report_document(NATIONAL_CODE, job)
    except (KoldioxidbudgetError, Problem) as e:
        log.warning("could not prepare the report documents: %s", e)


def _warm_renderers(engine: Engine) -> Any:
    """Have the report renderers render one municipality's report (see ``RenderPool.warm``);
    the job they rendered it under, or None when they could not be warmed (the server runs on
    without warm renderers; the log says why)."""
    from ..errors import KoldioxidbudgetError
    from ..render import ReportJob

    pool = engine.render_pool
    try:
        info = engine.edition(None)
        if pool is None:
            return None
        job = ReportJob(edition=info.id, editions_dir=str(engine.root), self_contained=True)
        areas = engine.tables(info).areas
        pool.warm(job, str(areas.loc[areas["level"] == "kommun", "code"].iloc[0]))
        return job
    except (KoldioxidbudgetError, Problem) as e:
        log.warning("could not warm the report renderers: %s", e)
    except BrokenProcessPool:  # a renderer died under it; a report asked for later starts new
        log.warning(
            "the report renderers stopped before they were warm; "
            "a report asked for later starts new ones"
        )
    except Exception:
        log.exception("could not warm the report renderers")
    return None


def _prefill_charts(engine: Engine, job: Any) -> None:
    """Fill the chart store for every area's Swedish report in the background, in one process
    at the lowest priority (``RenderPool.prefill``)."""
    pool = engine.render_pool
    if pool is None:
        return
    try:
        engine.prefill_job = job
        areas = engine.tables(engine.edition(job.edition)).areas
        pool.prefill(job, [str(c) for c in areas["code"]])
    except BrokenProcessPool:  # stopped under it: the server shutting down
        log.warning("the chart prefill stopped before it was done")
    except Exception:  # the server runs on; reports then convert their own charts
        log.exception("could not prefill the charts")


def _freeze_heap() -> None:
    """Move everything alive at startup (modules, tables, the warm run) out of the collector's
    reach: a full collection then scans only what requests added, not the ~100 000 objects of
    numpy, pandas, pydantic and FastAPI. Measured: full collections of 60–80 ms each, several
    per 20 s under load, were the server's p99 latency."""
    gc.collect()
    gc.freeze()


def _openapi(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    doc["servers"] = [{"url": "/"}]
    comps = doc.setdefault("components", {}).setdefault("schemas", {})
    comps.pop("HTTPValidationError", None)
    comps.pop("ValidationError", None)
    for item in doc.get("paths", {}).values():
        for op in item.values():
            responses = op.get("responses", {})
            if "422" in responses and "HTTPValidationError" in str(responses["422"]):
                responses["422"] = {
                    "description": "A parameter value is not allowed.",
                    "content": {
                        MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
                    },
                }
            for status, r in responses.items():
                content = r.get("content")
                if status[0] in "45" and content and "application/json" in content:
                    r["content"] = {MEDIA_TYPE: content.pop("application/json")}
            # every endpoint may also refuse a too-long URL or hit an internal error
            responses.setdefault(
                "414",
                {
                    "description": "URL too long.",
                    "content": {
                        MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
                    },
                },
            )
            responses.setdefault(
                "500",
                {
                    "description": "Internal error (a bug; the incident id matches the log).",
                    "content": {
                        MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
                    },
                },
            )
    return doc


def app_from_env() -> FastAPI:
    """The uvicorn factory of ``koldioxidbudget serve`` (settings from the environment)."""
    return create_app(Settings.from_env())


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Run the server until interrupted (uvicorn; ``workers`` processes share the port)."""
    import uvicorn

    from .protocol import HeaderTimeoutProtocol

    os.environ.update(settings.to_env())
    uvicorn.run(
        "koldioxidbudget.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        http=HeaderTimeoutProtocol,
        limit_concurrency=1000,
        h11_max_incomplete_event_size=16 * 1024,
    )
