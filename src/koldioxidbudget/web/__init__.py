"""The web layer: the FastAPI app (API + open data + site) behind ``koldioxidbudget serve``.

Public surface: ``create_app(settings)``, ``Settings``, ``serve``.
"""

from __future__ import annotations

from .app import create_app, serve
from .settings import Settings

__all__ = ["Settings", "create_app", "serve"]
