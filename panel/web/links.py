"""Links by name: a page's address comes from its route's name and path parameters, never from a
literal path, so a route can move without a hunt.

``url_for(request, "directory:record", member_id=7)`` in code and ``url_for("directory:record",
member_id=7)`` in templates (``template_url_for``, which ``create_app`` puts in the app's Jinja
environment) give what Litestar's ``route_reverse`` gives, learnt once per app and route: a page
with a link on every row of a table asks many times, and ``route_reverse`` looks the route up
afresh each time. ``tests/integration/web/test_links.py`` checks that no literal path is
left and that every name asked for is a route's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Litestar, Request
from litestar.exceptions import NoRouteMatchFoundException
from litestar.utils import normalize_path

PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
# The path parameter types our routes use, each filled in as str() fills it. A route with another
# type is reversed by Litestar every time.
FILLED_TYPES: Mapping[str, type] = {"int": int, "str": str}

Reversal = Callable[[Mapping[str, Any]], str]

ROUTE_PATHS = "route_paths"  # where an app keeps its RoutePaths, in its own state


class RoutePaths:
    """One app's route paths by name: what ``app.route_reverse`` gives, learnt on the first use of
    each route name and set of parameter names. Only names are kept, never a parameter's value
    (some are single-use tokens), so it stays as small as the routes."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.fixed: dict[str, str] = {}  # the path of each route without parameters
        self.reversals: dict[tuple[str, frozenset[str]], Reversal] = {}

    def path(self, route: str, /, **path_parameters: Any) -> str:
        if not path_parameters:
            path = self.fixed.get(route)
            if path is None:
                path = self.fixed[route] = learn_reversal(self.app, route, frozenset())({})
            return path
        key = (route, frozenset(path_parameters))
        reversal = self.reversals.get(key)
        if reversal is None:
            reversal = self.reversals[key] = learn_reversal(self.app, route, key[1])
        return reversal(path_parameters)


def route_paths(app: Litestar) -> RoutePaths:
    """The app's own ``RoutePaths``: one per app, as tests build several."""
    paths: RoutePaths | None = app.state.get(ROUTE_PATHS)
    if paths is None:
        paths = app.state[ROUTE_PATHS] = RoutePaths(app)
    return paths


def template_url_for(app: Litestar) -> Callable[..., str]:
    """``url_for`` for the app's templates. A plain function and no context passed, the call Jinja
    makes cheapest: the page shell alone asks for a dozen links."""
    paths = route_paths(app)
    fixed = paths.fixed

    def url_for(route: str, /, **path_parameters: Any) -> str:
        if path_parameters:
            return paths.path(route, **path_parameters)
        return fixed.get(route) or paths.path(route)

    return url_for


def url_for(request: Request[Any, Any, Any], route: str, /, **path_parameters: Any) -> str:
    """The path of a named route of the app answering this request."""
    return route_paths(request.app).path(route, **path_parameters)


def learn_reversal(app: Litestar, route: str, names: frozenset[str]) -> Reversal:
    """How to fill in a route's path, chosen as ``route_reverse`` chooses among its paths: the one
    with the most parameters that were all given."""
    index = app.get_handler_index_by_name(route)
    if index is None:
        raise NoRouteMatchFoundException(f"Route {route} can not be found")
    paths = sorted(index["paths"], key=lambda path: len(PARAMETER.findall(path)), reverse=True)
    path = next(
        (p for p in paths if names.issuperset(name for name, _ in PARAMETER.findall(p))),
        paths[-1],
    )
    parameters = PARAMETER.findall(path)
    if not parameters:
        fixed = app.route_reverse(route)
        return lambda _: fixed
    if any(kind not in FILLED_TYPES for _, kind in parameters):
        return lambda given: app.route_reverse(route, **given)
    pieces = PARAMETER.split(path)  # literal, name, kind, literal, name, kind, ..., literal
    literals = pieces[0::3]
    typed = [(name, FILLED_TYPES[kind]) for name, kind in parameters]

    def fill(given: Mapping[str, Any]) -> str:
        parts = [literals[0]]
        for (name, kind), literal in zip(typed, literals[1:], strict=True):
            value = given.get(name)
            if not isinstance(value, kind):
                raise NoRouteMatchFoundException(
                    f"Received type for path parameter {name} doesn't match declared type {kind}"
                )
            parts += (str(value), literal)
        path = "".join(parts)
        # Only an empty value, or one with a slash at its edge, leaves a path to tidy up.
        return normalize_path(path) if "//" in path or path.endswith("/") else path

    return fill
