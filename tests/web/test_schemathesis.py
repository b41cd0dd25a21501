"""schemathesis against the app's own OpenAPI description (in-process ASGI, no network):
no server error, and every status code, content type, header and body as described."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from koldioxidbudget.web import Settings, create_app
from tests.conftest import make_tables, write_tiny_edition
from tests.web.conftest import LEVELS


def _app() -> object:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="kdb-schemathesis-"))
    write_tiny_edition(root, make_tables(levels=LEVELS))
    return create_app(Settings(editions=root))


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_schema_is_valid_openapi() -> None:
    assert schema.raw_schema["openapi"].startswith("3.")
    ops = list(schema.get_all_operations())
    assert len(ops) >= 9
    for op in ops:
        assert op.ok()


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
