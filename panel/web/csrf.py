"""Cross-site request forgery: every request that changes something must come from this site's pages.

Two checks on each POST, PUT, PATCH and DELETE. The browser must not say that another site sent it
(``Origin``, ``Sec-Fetch-Site``). And it must carry the token this site showed, in the form's
``_csrf_token`` field or the ``x-csrftoken`` header. The token is an HMAC of what identifies the
browser: its session cookie once it has one, so a new session (at sign-in, again when two-factor
completes) gets a new token and one session's token is worthless in another; before that, a random
value in a cookie of its own, dropped once the browser has a session, so signing out starts afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import cast
from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from panel.settings import Settings
from panel.web.forms import submitted_form
from panel.web.security import CSRF_EXEMPT
from panel.web.sessions import cookie_value, private_cookie

# Where a page sends the token back: the hidden field of every form, or the keep-alive's header.
TOKEN_FIELD = "_csrf_token"  # noqa: S105 (a field name, not a secret)
TOKEN_HEADER = "x-csrftoken"  # noqa: S105
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART})
DEFAULT_PORTS = {"http": ":80", "https": ":443"}
# The detail says "CSRF" so that the 403 page explains what happened (panel.web.errors).
REFUSED = "CSRF check failed"


def origin_of(scheme: str, host: str) -> str:
    """An origin as a browser writes it in ``Origin``: lower case, without the scheme's default port."""
    scheme, host = scheme.lower(), host.lower()
    default_port = DEFAULT_PORTS.get(scheme)
    if default_port and host.endswith(default_port):
        host = host.removesuffix(default_port)
    return f"{scheme}://{host}"


def origin_of_url(url: str) -> str:
    parts = urlsplit(url)
    return origin_of(parts.scheme, parts.netloc)


def sent_by_another_site(origin: str | None, fetch_site: str | None, own: frozenset[str]) -> bool:
    """Whether the browser says another site made the request. A browser that sends neither header
    (an old one) is judged on the token alone."""
    if fetch_site in {"cross-site", "same-site"}:
        return True
    # A browser sends "null" for an opaque origin: a sandboxed frame, a data: page, some redirects.
    return origin is not None and origin.lower() not in own


def csrf_token_for(key: bytes, binding: str, signed_in: bool) -> str:
    """The token for a browser identified by ``binding`` (its session cookie, or its anonymous value)."""
    kind = b"session" if signed_in else b"anonymous"
    message = b"csrf\x00" + kind + b"\x00" + binding.encode()
    return hmac.digest(key, message, hashlib.sha256).hex()


class CSRFMiddleware:
    """Shows each page its token (``csrf_field()`` in templates) and checks it on every state change."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.key = settings.secret_key.encode()
        self.session_cookie = settings.session_cookie_name
        self.anonymous_cookie = settings.csrf_cookie_name
        self.site_origin = origin_of_url(settings.base_url)
        self.settings = settings
        self.forget_anonymous = private_cookie(
            settings, self.anonymous_cookie, "", max_age=0
        ).to_header(header="")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["route_handler"].opt.get(CSRF_EXEMPT):
            await self.app(scope, receive, send)
            return
        token, set_cookie = self.token_for_browser(scope)
        # Set before the check, so that the 403 page's own forms (sign out) carry the right token.
        ScopeState.from_scope(scope).csrf_token = token
        if cast("HTTPScope", scope)["method"] not in SAFE_METHODS:
            await self.check(scope, receive, token)
        if set_cookie is not None:
            send = with_cookie(send, set_cookie)
        await self.app(scope, receive, send)

    def token_for_browser(self, scope: Scope) -> tuple[str, str | None]:
        """The browser's token, and the anonymous cookie to set or clear on the response, if any."""
        session = cookie_value(scope, self.session_cookie)
        anonymous = cookie_value(scope, self.anonymous_cookie)
        if session:
            # The first request of a session: the anonymous value from before it is done with.
            forget = self.forget_anonymous if anonymous else None
            return csrf_token_for(self.key, session, signed_in=True), forget
        if anonymous:
            return csrf_token_for(self.key, anonymous, signed_in=False), None
        anonymous = secrets.token_urlsafe(32)
        cookie = private_cookie(self.settings, self.anonymous_cookie, anonymous)
        return csrf_token_for(self.key, anonymous, signed_in=False), cookie.to_header(header="")

    async def check(self, scope: Scope, receive: Receive, token: str) -> None:
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        headers = request.headers
        own = frozenset({self.site_origin, origin_of(scope["scheme"], headers.get("host", ""))})
        if sent_by_another_site(headers.get("origin"), headers.get("sec-fetch-site"), own):
            raise PermissionDeniedException(REFUSED)
        sent: object = headers.get(TOKEN_HEADER)
        if not sent and request.content_type[0] in FORM_TYPES:
            # Read once here; the handler reads the same parsed form from the scope.
            sent = (await submitted_form(request)).get(TOKEN_FIELD)
        if not isinstance(sent, str) or not hmac.compare_digest(
            sent.encode("utf-8", "replace"), token.encode()
        ):
            raise PermissionDeniedException(REFUSED)


def with_cookie(send: Send, cookie: str) -> Send:
    async def send_with_cookie(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableScopeHeaders.from_message(message).add("set-cookie", cookie)
        await send(message)

    return send_with_cookie
