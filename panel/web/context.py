"""Per-request facts every controller may need: the settings, and where the request comes from.
Who is asking is the accounts area's (``panel.accounts.access``)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from panel.settings import Settings
from panel.web.proxies import client_address_of


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state["settings"]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address, read from X-Forwarded-For only behind a trusted proxy."""
    return client_address_of(request.scope, settings_of(request).trusted_proxies)
