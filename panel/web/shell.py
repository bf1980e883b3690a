"""The page shell: what every page has around its content (the exit button, header, menu, account
bar, footer and the sign-out warning), kept rendered.

The shell looks the same for everyone with the same role, sign-in stage, menu item and page
width, so each of its few looks is rendered once per app (``templates/shell/``) with stand-ins
for what differs between requests: the page's title, the script nonce, the signed-in person's
email and the CSRF token. Each request joins the kept pieces with its own values, escaped. Jinja
would otherwise evaluate the shell's two dozen expressions on every page, a sixth of a signed-in
page's time. The looks are bounded by the roles and menus, never by who is signed in or the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup, escape

from panel.web.links import route_paths
from panel.web.security import csp_nonce_for

TOP, BOTTOM = "shell/top.html", "shell/bottom.html"
# A stand-in cannot occur in a page otherwise: a NUL is in no template, and nothing a request
# brings is in the kept pieces.
STAND_IN = re.compile("\x00shell:(title|nonce|email|csrf_token)\x00")


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str


PUBLIC_NAVIGATION = (("About the panel", "pages:about"), ("Sign in", "accounts:sign_in"))


def navigation_for(context: Any, person: Any) -> tuple[NavItem, ...]:
    """The menu: the public one, or the signed-in role's from ``menu_for`` (a global the app sets
    from the accounts area, which knows who may open what)."""
    app = context["request"].app
    if person is None:
        path_of = route_paths(app).path
        return tuple(NavItem(text, path_of(route)) for text, route in PUBLIC_NAVIGATION)
    if person.stage != "complete" or "menu_for" not in context:
        return ()
    return tuple(NavItem(text, href) for text, href in context["menu_for"](app, person.role))


def current_navigation_href(items: tuple[NavItem, ...], path: str) -> str | None:
    """The menu item for this page: the longest one whose address the page is at or under."""
    matching = [
        item.href
        for item in items
        if path == item.href or path.startswith(item.href.rstrip("/") + "/")
    ]
    return max(matching, key=len, default=None)


def stand_in(name: str) -> Markup:
    return Markup(f"\x00shell:{name}\x00")  # noqa: S704 (a constant of our own, nothing typed)


@dataclass(frozen=True)
class Piece:
    """A kept part of the shell: literal text, each followed by the value it is waiting for."""

    texts: tuple[str, ...]
    names: tuple[str, ...]  # one fewer than texts

    @classmethod
    def of(cls, rendered: str) -> Piece:
        parts = STAND_IN.split(rendered)
        return cls(tuple(parts[0::2]), tuple(parts[1::2]))


class Shell:
    """One app's kept shell pieces, by how they look."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.kept: dict[tuple[Any, ...], Piece] = {}
        self.menus: dict[tuple[str | None, str | None], tuple[NavItem, ...]] = {}

    def menu(self, context: Any, person: Any) -> tuple[NavItem, ...]:
        """The menu for the person's role and sign-in stage, worked out once for each."""
        key = (person.role, person.stage) if person is not None else (None, None)
        items = self.menus.get(key)
        if items is None:
            items = self.menus[key] = navigation_for(context, person)
        return items

    def piece(
        self, template: str, key: tuple[Any, ...], make: Callable[[], dict[str, Any]]
    ) -> Piece:
        piece = self.kept.get((template, *key))
        if piece is None:
            rendered = self.environment.get_template(template).render(
                title=stand_in("title"),
                nonce=stand_in("nonce"),
                email=stand_in("email"),
                csrf_token=stand_in("csrf_token"),
                **make(),
            )
            piece = self.kept[(template, *key)] = Piece.of(rendered)
        return piece


def request_value(name: str, scope: Any, title: Any) -> str:
    """What a stand-in stands for in this request, escaped."""
    if name == "title":
        return str(escape(title))
    if name == "nonce":
        return csp_nonce_for(scope)
    if name == "email":
        return str(escape(scope["user"].email))
    token = ScopeState.from_scope(scope).csrf_token
    return str(escape(token if isinstance(token, str) else ""))


def filled(piece: Piece, scope: Any, title: Any = "") -> Markup:
    """The piece with this request's values in place of its stand-ins."""
    if not piece.names:
        return Markup(piece.texts[0])  # noqa: S704 (rendered by our templates, nothing typed)
    out = [piece.texts[0]]
    for name, text in zip(piece.names, piece.texts[1:], strict=True):
        out += (request_value(name, scope, title), text)
    return Markup("".join(out))  # noqa: S704 (each value escaped)


def shell_globals(environment: Environment) -> dict[str, Callable[..., Markup]]:
    """``shell_top(title, wide)`` and ``shell_bottom(wide)`` for the layout."""
    shell = Shell(environment)

    @pass_context
    def shell_top(context: Any, title: Any, wide: Any = False) -> Markup:
        scope = context["request"].scope
        person = scope.get("user")
        items = shell.menu(context, person)
        current_href = current_navigation_href(items, scope["path"])
        signed_in = person is not None and person.stage == "complete"
        role = person.role if person is not None else None

        def looks() -> dict[str, Any]:
            return {
                "show_exit": person is None or role == "member",
                "container": container_class(wide),
                "items": items,
                "current_href": current_href,
                "signed_in": signed_in,
                "signed_in_at_all": person is not None,
                "role_label": person.role_label if person is not None else "",
            }

        piece = shell.piece(TOP, (role, signed_in, bool(wide), current_href), looks)
        return filled(piece, scope, title)

    @pass_context
    def shell_bottom(context: Any, wide: Any = False) -> Markup:
        scope = context["request"].scope
        person = scope.get("user")
        signed_in = person is not None and person.stage == "complete"

        def looks() -> dict[str, Any]:
            return {"container": container_class(wide), "signed_in": signed_in}

        return filled(shell.piece(BOTTOM, (signed_in, bool(wide)), looks), scope)

    return {"shell_top": shell_top, "shell_bottom": shell_bottom}


def container_class(wide: Any) -> str:
    """Data pages (tables, records) set ``wide`` and use the whole width of the screen."""
    return "govuk-width-container" + (" panel-width-container--wide" if wide else "")
