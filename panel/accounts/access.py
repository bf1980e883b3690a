"""Who may use a route, and who is asking.

Deny by default: a route is open only when it says it is public (``PUBLIC``, and it is on the
app's ``PUBLIC_ROUTE_NAMES``) or names the roles it serves with one of the settings below, which
``access_guard`` enforces; a test fails on a route whose access is not one of these named settings.
``SessionMiddleware`` puts the signed-in person (a ``Viewer``) in the request's scope for it; the
helpers give controllers that person, the actor for the audit log and the app's password hasher.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send

from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role, SessionStage
from panel.accounts.services import SignIn, Viewer, load_session
from panel.audit.services import Actor
from panel.keys import keyed_hash
from panel.settings import Settings
from panel.web.context import client_address, settings_of
from panel.web.errors import safe_next_path
from panel.web.links import route_paths, url_for
from panel.web.security import PUBLIC as PUBLIC  # defined with the web kit's flags; named here too
from panel.web.security import STATIC_PREFIXES, NotSignedIn
from panel.web.sessions import cookie_value, session_cookie

# The route each role starts from, by name.
HOME_OF_ROLE = {
    Role.ADMIN: "pages:admin_home",
    Role.STAFF: "pages:staff_home",
    Role.FACILITATOR: "pages:facilitator_home",
    Role.BOARD: "pages:board_home",
    Role.MEMBER: "portal:home",
}

# The navigation, in the order shown after each role's home. Each item is shown to every role its
# route lets in, so an admin, who may use the staff pages, sees them; a new area adds a line here.
HOME_TEXT = {
    Role.ADMIN: "Home",
    Role.STAFF: "Home",
    Role.FACILITATOR: "My sessions",
    Role.BOARD: "Reports",
    Role.MEMBER: "My panel",
}
MENU = (
    ("Applications", "screening:queue"),
    ("Members", "directory:index"),
    ("Representativeness", "representation:dashboard"),
    ("Engagements", "engagements:index"),
    ("Insights", "findings:library"),
    ("Actions", "actions:index"),
    ("Expenses", "expenses:index"),
    ("Import", "imports:start"),
    ("Users", "admin:users"),
    ("Audit log", "admin:audit"),
    ("Invitations", "invitations:mine"),
    ("What I have agreed to", "portal:consents"),
    ("My details", "portal:details"),
)
MENUS_LEARNT = "menus_of_roles"

EVERY_ROLE = {"roles": frozenset(Role)}
# A member's own pages read only their own few rows (panel.web.reads).
MEMBERS_ONLY = {"roles": frozenset({Role.MEMBER}), "small_reads": True}
STAFF = {"roles": frozenset({Role.STAFF, Role.ADMIN})}
REPORT_READERS = {"roles": frozenset({Role.BOARD, Role.STAFF, Role.ADMIN})}
ADMIN_ONLY = {"roles": frozenset({Role.ADMIN})}
FACILITATORS_ONLY = {"roles": frozenset({Role.FACILITATOR})}
BOARD_ONLY = {"roles": frozenset({Role.BOARD})}
# Half-way through signing in: the two-factor pages, for any role, at their stage only.
SETTING_UP_TWO_FACTOR = {"sign_in_stage": SessionStage.TWO_FACTOR_SETUP, **EVERY_ROLE}
CHECKING_TWO_FACTOR = {"sign_in_stage": SessionStage.TWO_FACTOR_CHECK, **EVERY_ROLE}

# Every access setting a route may have; the routes test checks each route uses one of them.
ACCESS_SETTINGS = (
    PUBLIC,
    EVERY_ROLE,
    MEMBERS_ONLY,
    STAFF,
    REPORT_READERS,
    ADMIN_ONLY,
    FACILITATORS_ONLY,
    BOARD_ONLY,
    SETTING_UP_TWO_FACTOR,
    CHECKING_TWO_FACTOR,
)


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


class SessionMiddleware:
    """Puts the signed-in person (a ``Viewer``) or None in ``scope["user"]`` for the guard."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["user"] = None
        if scope["type"] == "http" and not scope["path"].startswith(STATIC_PREFIXES):
            token = cookie_value(scope, self.settings.session_cookie_name)
            if token:
                scope["user"] = await load_session(token, self.settings)
        await self.app(scope, receive, send)


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


def passwords_of(request: Request[Any, Any, Any]) -> Passwords:
    return request.app.state["passwords"]


# ---------------------------------------------------------------------------------------------
# Where a completed sign-in goes


def home_of(request: Request[Any, Any, Any], role: str) -> str:
    return url_for(request, HOME_OF_ROLE[Role(role)])


def destination(request: Request[Any, Any, Any], role: str, next_path: str) -> str:
    """Where a completed sign-in goes: back to the page asked for, or the role's home."""
    return safe_next_path(next_path) if next_path else home_of(request, role)


def after_sign_in(request: Request[Any, Any, Any], result: SignIn, next_path: str) -> Redirect:
    if result.token is None or result.role is None:
        raise ValueError("a successful sign-in has a token and a role")
    settings = settings_of(request)
    if result.stage == SessionStage.TWO_FACTOR_SETUP:
        target = url_for(request, "accounts:two_factor_setup")
    elif result.stage == SessionStage.TWO_FACTOR_CHECK:
        target = url_for(request, "accounts:two_factor")
    else:
        target = destination(request, result.role, next_path)
    if result.stage != SessionStage.COMPLETE and next_path:
        target += "?next=" + quote(safe_next_path(next_path), safe="")
    return Redirect(target, status_code=303, cookies=[session_cookie(settings, result.token)])


def signed_in_with(request: Request[Any, Any, Any], token: str, next_path: str) -> Redirect:
    target = destination(request, signed_in_viewer(request).role, next_path)
    return Redirect(target, status_code=303, cookies=[session_cookie(settings_of(request), token)])


def menu_for(app: Litestar, role: str) -> tuple[tuple[str, str], ...]:
    """The navigation of a signed-in role: its home, then every item of ``MENU`` whose route lets
    the role in, as (text, address). Worked out once per app and role from the routes' own
    access settings, so the menu cannot offer a page the guard would refuse, nor hide one."""
    learnt: dict[str, tuple[tuple[str, str], ...]] = app.state.setdefault(MENUS_LEARNT, {})
    if role not in learnt:
        try:
            known = Role(role)
        except ValueError:
            return ()
        items = [(HOME_TEXT[known], route_paths(app).path(HOME_OF_ROLE[known]))]
        for text, route in MENU:
            index = app.get_handler_index_by_name(route)
            if index is not None and known in index["handler"].opt.get("roles", ()):
                items.append((text, route_paths(app).path(route)))
        learnt[role] = tuple(items)
    return learnt[role]
