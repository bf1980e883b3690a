"""Plain-English HTML error pages. No stack trace, SQL or file path ever reaches a person."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from panel.web.links import url_for
from panel.web.logs import escaped
from panel.web.security import NotSignedIn

log = logging.getLogger(__name__)

ERROR_PAGES = {
    400: ("There is a problem with your request", "errors/400.html"),
    403: ("You cannot do this", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("You cannot do this", "errors/405.html"),
    413: ("What you sent is too large", "errors/413.html"),
    429: ("Too many requests", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
    503: ("Sorry, the service is unavailable", "errors/500.html"),
}


def error_page(request: Request[Any, Any, Any], status_code: int, **context: Any) -> Response[Any]:
    title, template = ERROR_PAGES.get(status_code, ERROR_PAGES[400 if status_code < 500 else 500])
    return Template(
        template_name=template,
        context={"title": title, "status_code": status_code, **context},
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """For an area's "no such thing" error: the plain 404 page."""
    return error_page(request, 404)


def safe_next_path(path: str) -> str:
    """Only a path on this site, never another site, may be a place to go back to."""
    if path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return "/"


def handle_not_signed_in(request: Request[Any, Any, Any], exc: NotSignedIn) -> Response[Any]:
    target = url_for(request, "accounts:sign_in")
    if request.method == "GET" and request.url.path not in {url_for(request, "pages:home"), target}:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?next=" + quote(safe_next_path(path), safe="")
    return Redirect(target, status_code=303)


def handle_permission_denied(
    request: Request[Any, Any, Any], exc: PermissionDeniedException
) -> Response[Any]:
    csrf_failed = "CSRF" in str(exc.detail)
    return error_page(request, 403, csrf_failed=csrf_failed)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return error_page(request, exc.status_code)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # The route's template, not the path: a path can hold a single-use token or an email.
    route = request.scope.get("path_template", "a path no route matched")
    log.exception("unexpected error on %s %s", escaped(request.method), route)
    try:
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)
    except Exception:  # the error page itself failed: fall back to fixed text
        return Response(
            "Sorry, there is a problem with the service. Try again later.",
            status_code=HTTP_500_INTERNAL_SERVER_ERROR,
            media_type=MediaType.TEXT,
        )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotSignedIn: handle_not_signed_in,
    PermissionDeniedException: handle_permission_denied,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
