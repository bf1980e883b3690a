"""Reading a cookie the browser sent, and the cookies the service sets: the session's and the
sign-up draft's, private to this site."""

from __future__ import annotations

from litestar.datastructures import Cookie
from litestar.types import Scope

from panel.settings import Settings


def cookie_value(scope: Scope, name: str) -> str | None:
    """The value of the cookie ``name`` the browser sent, if it sent one that is not empty."""
    for key, header in scope["headers"]:
        if key == b"cookie":
            for part in header.decode("latin-1").split(";"):
                cookie_name, _, value = part.strip().partition("=")
                if cookie_name == name and value:
                    return value
    return None


def private_cookie(settings: Settings, key: str, value: str, max_age: int | None = None) -> Cookie:
    """A cookie only this site's pages send back: HttpOnly, SameSite=Lax, Secure on https.

    No max-age: it goes when the browser closes; the server enforces every time limit."""
    return Cookie(
        key=key,
        value=value,
        path="/",
        max_age=max_age,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def session_cookie(settings: Settings, token: str, max_age: int | None = None) -> Cookie:
    return private_cookie(settings, settings.session_cookie_name, token, max_age)


def cleared_session_cookie(settings: Settings) -> Cookie:
    return session_cookie(settings, "", max_age=0)


def draft_cookie(settings: Settings, token: str, max_age: int | None = None) -> Cookie:
    """The sign-up answers given so far are kept on the server against this cookie's token."""
    return private_cookie(settings, settings.draft_cookie_name, token, max_age)


def cleared_draft_cookie(settings: Settings) -> Cookie:
    return draft_cookie(settings, "", max_age=0)
