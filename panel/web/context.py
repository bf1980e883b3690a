"""Per-request facts controllers need: who is asking, from where, and the app's shared objects."""

from __future__ import annotations

from typing import Any

from litestar import Request

from panel.accounts.passwords import Passwords
from panel.accounts.services import Viewer, keyed_hash
from panel.audit.services import Actor
from panel.settings import Settings
from panel.web.proxies import client_address_of
from panel.web.security import NotSignedIn


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state["settings"]


def passwords_of(request: Request[Any, Any, Any]) -> Passwords:
    return request.app.state["passwords"]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address, read from X-Forwarded-For only behind a trusted proxy."""
    return client_address_of(request.scope, settings_of(request).trusted_proxies)


def viewer_of(request: Request[Any, Any, Any]) -> Viewer | None:
    return request.scope.get("user")


def signed_in_viewer(request: Request[Any, Any, Any]) -> Viewer:
    viewer = request.scope.get("user")
    if viewer is None:  # the access guard lets only signed-in people reach such a route
        raise NotSignedIn()
    return viewer


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    viewer = viewer_of(request)
    return Actor(
        user_id=viewer.user_id if viewer else None,
        client_hash=keyed_hash(settings_of(request).secret_key, "client", client_address(request)),
    )
