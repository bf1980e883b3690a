"""The Jinja environment: our templates, GOV.UK Frontend macros under a prefix, and page helpers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    pass_context,
)
from litestar.connection import ASGIConnection
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup, escape

from panel.settings import ROOT, Settings
from panel.web.links import route_paths

TEMPLATES_DIR = ROOT / "templates"


def csp_nonce_for(scope: Any) -> str:
    """The request's script nonce, made on first use; the security headers send the same one."""
    state = scope.setdefault("state", {})
    nonce = state.get("csp_nonce")
    if nonce is None:
        nonce = state["csp_nonce"] = secrets.token_urlsafe(18)
    return nonce


@pass_context
def csp_nonce(context: Any) -> str:
    return csp_nonce_for(context["request"].scope)


def viewer_of(connection: ASGIConnection) -> Any:
    return connection.scope.get("user")


@pass_context
def viewer(context: Any) -> Any:
    return context["request"].scope.get("user")


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str


PUBLIC_NAVIGATION = (("About the panel", "pages:about"), ("Sign in", "accounts:sign_in"))


@pass_context
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


def error_link(item: tuple[str, str]) -> dict[str, str]:
    field, message = item
    return {"text": message, "href": f"#{field}"}


def select_item(option: tuple[str, str], selected: str) -> dict[str, Any]:
    value, text = option
    return {"value": value, "text": text, "selected": value == selected}


@pass_context
def csrf_field(context: Any) -> Markup:
    """The hidden CSRF field every form that changes something carries."""
    token = value_or_default(ScopeState.from_scope(context["request"].scope).csrf_token, "")
    # An f-string of the escaped token, not Markup.format: format's escaping formatter costs more
    # than the rest of the field. The token is the only variable part, and it is escaped.
    return Markup(f'<input type="hidden" name="_csrf_token" value="{escape(token)}">')  # noqa: S704


@pass_context
def this_url(context: Any) -> str:
    """The current path and query, for forms that post back to where they are."""
    url = context["request"].url
    return url.path + (f"?{url.query}" if url.query else "")


# Every date and time a person reads is in the panel's time zone; a time of day is labelled with
# these words wherever it is shown (a table's heading, a summary's key, a sentence).
TIME_ZONE_LABEL = "UK time"
DATE_FORMATS = {
    "local_date": "%-d %B %Y",
    "local_datetime": "%-d %B %Y, %H:%M",
    # A date in a table's narrow column: "7 Mar 2026".
    "short_date": "%-d %b %Y",
}


def local_formats(time_zone: str) -> dict[str, Callable[[datetime | None], str]]:
    """The filters that write dates and times in the panel's time zone (an empty string for none),
    by name; code that writes dates for people (an export, the audit log) uses the same ones."""
    zone = ZoneInfo(time_zone)

    def formatter(pattern: str) -> Callable[[datetime | None], str]:
        def formatted(value: datetime | None) -> str:
            return value.astimezone(zone).strftime(pattern) if value else ""

        return formatted

    return {name: formatter(pattern) for name, pattern in DATE_FORMATS.items()}


def build_environment(settings: Settings, cache_dir: Path | None = None) -> Environment:
    environment = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES_DIR),
                PrefixLoader(
                    {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
                ),
            ]
        ),
        autoescape=True,
        # The GOV.UK macros test optional parameters as "params.x.y": that needs chainable lookups.
        undefined=ChainableUndefined,
        auto_reload=settings.debug,
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        settings=settings,
        service_name=settings.service_name,
        csp_nonce=csp_nonce,
        viewer=viewer,
        navigation_for=navigation_for,
        this_url=this_url,
        csrf_field=csrf_field,
        current_navigation_href=current_navigation_href,
        time_zone_label=TIME_ZONE_LABEL,
    )
    environment.filters.update(
        error_link=error_link,
        select_item=select_item,
        **local_formats(settings.time_zone),
    )
    return environment
