"""Headers every response carries (error pages and static files too), and the access guard."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from panel.accounts.rules import Role, SessionStage
from panel.settings import Settings
from panel.web.templating import csp_nonce_for

# Who may use a route: the ``opt`` a handler or controller names, which ``access_guard`` enforces.
PUBLIC = {"public": True}
EVERY_ROLE = {"roles": frozenset(Role)}
MEMBERS_ONLY = {"roles": frozenset({Role.MEMBER})}
STAFF = {"roles": frozenset({Role.STAFF, Role.ADMIN})}
REPORT_READERS = {"roles": frozenset({Role.BOARD, Role.STAFF, Role.ADMIN})}
ADMIN_ONLY = {"roles": frozenset({Role.ADMIN})}
# Static files change nothing and are cached: no CSRF token or cookie (panel.web.csrf).
CSRF_EXEMPT = "exclude_from_csrf"
STATIC_FILES = {**PUBLIC, CSRF_EXEMPT: True}

STATIC_PREFIXES = ("/static/", "/assets/")


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    fixed = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]
    if settings.is_production:
        fixed.append(("strict-transport-security", "max-age=63072000; includeSubDomains"))

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        nonce = csp_nonce_for(scope)
        headers["content-security-policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'"
        )
        for name, value in fixed:
            headers[name] = value
        if scope.get("path", "").startswith(STATIC_PREFIXES):
            headers.setdefault("cache-control", "public, max-age=3600")
        else:
            # Pages may show someone's information: never keep them in a browser or proxy cache.
            headers["cache-control"] = "no-store"

    return add_security_headers


class NotSignedIn(NotAuthorizedException):
    """The page needs a signed-in person; the error handler sends them to sign in."""


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Deny by default: a route is open only when it says it is public or names the roles it serves.

    Async although it awaits nothing: Litestar runs a plain function guard on a worker thread.
    """
    if handler.opt.get("public"):
        return
    viewer = connection.scope.get("user")
    needed_stage = handler.opt.get("sign_in_stage", SessionStage.COMPLETE)
    if viewer is None or viewer.stage != needed_stage:
        raise NotSignedIn()
    roles = handler.opt.get("roles")
    if not roles or viewer.role not in roles:
        raise PermissionDeniedException()
