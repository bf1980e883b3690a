"""Headers every response carries (error pages and static files too), and the route flags the web
kit reads (public routes, static files). Who may use the other routes is the accounts area's
(``panel.accounts.access``)."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotAuthorizedException
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from panel.settings import Settings
from panel.web.templating import csp_nonce_for

# A route anyone may use without signing in (it must also be on ``PUBLIC_ROUTE_NAMES``).
PUBLIC = {"public": True}
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
