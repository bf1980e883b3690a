"""Headers every response carries (error pages and static files too), and the route flags the web
kit reads (public routes, static files). Who may use the other routes is the accounts area's
(``panel.accounts.access``)."""

from __future__ import annotations

import secrets
from typing import Any

from litestar.exceptions import NotAuthorizedException
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from panel.settings import Settings

# A route anyone may use without signing in (it must also be on ``PUBLIC_ROUTE_NAMES``).
PUBLIC = {"public": True}
# Static files change nothing and are cached: no CSRF token or cookie (panel.web.csrf).
CSRF_EXEMPT = "exclude_from_csrf"
STATIC_FILES = {**PUBLIC, CSRF_EXEMPT: True}

STATIC_PREFIXES = ("/static/", "/assets/")


def csp_nonce_for(scope: Any) -> str:
    """The request's script nonce, made on first use; the security headers send the same one."""
    state = scope.setdefault("state", {})
    nonce = state.get("csp_nonce")
    if nonce is None:
        nonce = state["csp_nonce"] = secrets.token_urlsafe(18)
    return nonce


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

    # As raw ASGI headers, each replacing any of the same name the response already has: one pass
    # over the response's headers, where setting them one by one searched them nine times.
    fixed_raw = [(name.encode(), value.encode()) for name, value in fixed]
    replaced = frozenset(name for name, _ in fixed_raw) | {b"content-security-policy"}
    replaced_on_pages = replaced | {b"cache-control"}

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        static = scope.get("path", "").startswith(STATIC_PREFIXES)
        dropped = replaced if static else replaced_on_pages
        headers = [
            (name, value)
            for name, value in message.get("headers", ())
            if name.lower() not in dropped
        ]
        nonce = csp_nonce_for(scope)
        headers.append(
            (
                b"content-security-policy",
                b"default-src 'self'; "
                b"script-src 'self' 'nonce-" + nonce.encode() + b"'; "
                b"style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                b"form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
            )
        )
        headers += fixed_raw
        if not static:
            # Pages may show someone's information: never keep them in a browser or proxy cache.
            headers.append((b"cache-control", b"no-store"))
        elif not any(name.lower() == b"cache-control" for name, _ in headers):
            headers.append((b"cache-control", b"public, max-age=3600"))
        message["headers"] = headers

    return add_security_headers


class NotSignedIn(NotAuthorizedException):
    """The page needs a signed-in person; the error handler sends them to sign in."""
