"""Links by name: every route has a name, code and templates link to routes by name and never by a
literal path, every name asked for is a route's, and ``url_for`` gives what Litestar's
``route_reverse`` gives."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.exceptions import NoRouteMatchFoundException
from litestar.handlers import HTTPRouteHandler

from panel.app import create_app
from panel.outbox import messages
from panel.settings import ROOT
from panel.web.links import route_paths
from panel.web.security import STATIC_PREFIXES
from tests.integration.conftest import settings_for

CODE = ROOT / "panel"
TEMPLATES = ROOT / "templates"
ROUTE_NAME = re.compile(r"^[a-z_]+:[a-z_]+$")
# Litestar's static-file routers, named when they are made (panel/app.py): files, not pages.
STATIC_NAMES = {"static", "static_govuk", "static_moj", "assets"}

EMAILED = "a link in an email: written where no app is at hand, checked against its route below"
# Literal internal paths that stay, each with the reason. Static files (/static/, /assets/) are
# not pages and keep their paths.
ALLOWED = {
    ("panel/outbox/messages.py", "/sign-in"): EMAILED,
    ("panel/outbox/messages.py", "/my-panel/consents"): EMAILED,
    ("panel/outbox/messages.py", "/join/verify/{token}"): EMAILED,
    ("panel/outbox/messages.py", "/reset-password/{token}"): EMAILED,
    ("panel/outbox/messages.py", "/sign-in/link/{token}"): EMAILED,
    ("panel/outbox/messages.py", "/invitation/{token}"): EMAILED,
    ("panel/outbox/messages.py", "/staff/horizon"): EMAILED,
}

# Calls that define a route: their path is the route itself, not a link to it.
ROUTE_DEFINITIONS = {"get", "post", "put", "patch", "delete", "route", "create_static_files_router"}
# Calls whose first argument is where the browser goes.
REDIRECTS = {"Redirect"}
ATTRIBUTE_VALUE = re.compile(r"""\s[\w:.-]+=(?:"([^"]*)"|'([^']*)')""")
JINJA_TAG = re.compile(r"\{[{%].*?[}%]\}", re.DOTALL)
JINJA_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
TEMPLATE_URL_FOR = re.compile(r"""\burl_for\(\s*(.)""")
TEMPLATE_ROUTE_NAME = re.compile(r"""\burl_for\(\s*['"]([^'"]+)['"]""")
CODE_ROUTE_NAME = re.compile(r"""["']([a-z_]+:[a-z_]+)["']""")


@pytest.fixture(scope="module")
def demo_app():
    """Demo mode: every route the panel can have (the demo mail pages only exist in it)."""
    return create_app(settings_for(PANEL_DEMO="true"), run_lifespan_worker=False)


def named_handlers(app) -> Iterator[tuple[str, HTTPRouteHandler]]:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if isinstance(handler, HTTPRouteHandler) and handler.http_methods - {"OPTIONS"}:
                yield route.path, handler


def route_names(app) -> set[str]:
    return {handler.name for _, handler in named_handlers(app) if handler.name}


def page_patterns(app) -> list[re.Pattern[str]]:
    """Each page route's path as a pattern a concrete path matches."""
    patterns = []
    for path, handler in named_handlers(app):
        if handler.name in STATIC_NAMES or "/" in (handler.name or ""):
            continue
        pattern = re.sub(
            r"\\\{\w+:(\w+)\\\}", lambda m: r"\d+" if m[1] == "int" else "[^/]+", re.escape(path)
        )
        patterns.append(re.compile(f"^{pattern}$"))
    return patterns


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def sample_value(kind: str):
    return 7 if kind == "int" else "a-b_c"


# ---------------------------------------------------------------------------------------------
# Every route has a name


def test_every_route_has_a_name_of_the_form_area_and_action(demo_app):
    unnamed = [
        f"{sorted(handler.http_methods)} {path} is named {handler.name!r}"
        for path, handler in named_handlers(demo_app)
        if handler.name not in STATIC_NAMES
        and handler.name.removesuffix("/head") not in STATIC_NAMES  # the static routers' HEAD
        and not ROUTE_NAME.match(handler.name or "")
    ]
    assert not unnamed, "every route needs name='area:action':\n" + "\n".join(unnamed)


# ---------------------------------------------------------------------------------------------
# No literal paths


def literal_text(node: ast.AST) -> str | None:
    """A string literal's text; an f-string's from its first path on (after a base URL put in
    first, say), with "1" for each value put in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [part.value if isinstance(part, ast.Constant) else None for part in node.values]
        start = next((i for i, part in enumerate(parts) if part and part.startswith("/")), 0)
        return "".join("1" if part is None else part for part in parts[start:])
    return None


def call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def literal_paths_in_code(source: str, is_page) -> Iterator[tuple[int, str]]:
    """(line, text) of each literal in the code that is a path to a page: any string that is a
    page route's path, and anything starting with "/" where a redirect goes."""
    tree = ast.parse(source)
    skipped: set[int] = set()  # ids of literals that define a route or document something
    redirected: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = call_name(node)
            if name in ROUTE_DEFINITIONS:
                skipped.update(id(arg) for arg in node.args[:1])
                skipped.update(id(kw.value) for kw in node.keywords if kw.arg == "path")
            if name in REDIRECTS:
                redirected.update(id(arg) for arg in node.args[:1])
                redirected.update(id(kw.value) for kw in node.keywords if kw.arg == "path")
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == "path"
                    for target in statement.targets
                ):
                    skipped.add(id(statement.value))
        if isinstance(node, ast.Expr):
            skipped.add(id(node.value))  # docstrings
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
        text = literal_text(node)
        if text is None or not text.startswith("/"):
            continue
        if id(node) in redirected or (text != "/" and is_page(text)):
            found.append((node.lineno, text))
    yield from sorted(found)


def literal_paths_in_template(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each path that is not a static file's: an attribute's value starting with
    "/" (href, action, formaction, data-…), or a string starting with "/" in a Jinja tag."""
    found = [
        (match.start(), value)
        for match in ATTRIBUTE_VALUE.finditer(source)
        for value in match.groups()
        if value and value.startswith("/")
    ]
    for tag in JINJA_TAG.finditer(source):
        for match in JINJA_STRING.finditer(tag.group()):
            value = match.group(1) or match.group(2)
            if value and value.startswith("/"):
                found.append((tag.start() + match.start(), value))
    for offset, text in sorted(found):
        if not text.startswith(STATIC_PREFIXES) and not text.startswith("//"):
            yield source.count("\n", 0, offset) + 1, text


def literal_paths(app) -> list[str]:
    patterns = page_patterns(app)

    def is_page(text: str) -> bool:
        path = re.split(r"[?#]", text, maxsplit=1)[0]
        return any(pattern.match(path) for pattern in patterns)

    found = []
    for path in sorted(CODE.rglob("*.py")):
        for line, text in literal_paths_in_code(path.read_text(), is_page):
            if (relative(path), text) not in ALLOWED:
                found.append(f"{relative(path)}:{line}: {text}")
    for path in sorted(TEMPLATES.rglob("*.html")):
        for line, text in literal_paths_in_template(path.read_text()):
            if (relative(path), text) not in ALLOWED:
                found.append(f"{relative(path)}:{line}: {text}")
    return found


def test_no_literal_path_to_a_page_in_code_or_templates(demo_app):
    found = literal_paths(demo_app)
    assert not found, (
        "link to pages by route name (url_for in templates, panel.web.links.url_for in code), "
        "or add the literal to ALLOWED with the reason:\n" + "\n".join(found)
    )


def test_the_scan_finds_literal_paths_wherever_they_are_written(demo_app):
    patterns = page_patterns(demo_app)

    def is_page(text: str) -> bool:
        return any(p.match(re.split(r"[?#]", text, maxsplit=1)[0]) for p in patterns)

    code = '''
class Pages(Controller):
    path = "/staff"  # a route's own path: not a link

    @get("/members/{member_id:int}", name="directory:record")
    async def record(self, member_id: int) -> Redirect:
        """Goes to /staff/members."""
        menu = ("Members", "/staff/members")
        return Redirect(f"/staff/members/{member_id}?done=x", status_code=303)

def elsewhere() -> Redirect:
    email_link = f"{settings.base_url}/join/verify/{token}"
    return Redirect(path="/")
'''
    assert list(literal_paths_in_code(code, is_page)) == [
        (8, "/staff/members"),
        (9, "/staff/members/1?done=x"),
        (12, "/join/verify/1"),
        (13, "/"),
    ]
    template = """<a href="/my-panel">
<form method="post" action='/sign-out'>
<button formaction="/join/{{ slug }}?change=1">
<a href="{{ '/' if x else '/home' }}">
<div data-url="/session/keep-alive">
<link href="/static/dist/app.css"><a href="https://example.org/a"><path d="M0 0h13"/>
<a href="{{ url_for('pages:home') }}?a=/b">{% set back = "/my-panel/data" %}"""
    assert list(literal_paths_in_template(template)) == [
        (1, "/my-panel"),
        (2, "/sign-out"),
        (3, "/join/{{ slug }}?change=1"),
        (4, "/"),
        (4, "/home"),
        (5, "/session/keep-alive"),
        (7, "/my-panel/data"),
    ]


def test_every_allowed_literal_is_still_there():
    for (file, text), reason in ALLOWED.items():
        assert reason
        assert f'"{text}"' in (ROOT / file).read_text(), f"{file} no longer has {text}: drop it"


# ---------------------------------------------------------------------------------------------
# Every name asked for is a route's


def test_every_url_for_in_a_template_names_a_route(demo_app):
    names = route_names(demo_app)
    unknown, not_literal = [], []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text()
        for match in TEMPLATE_URL_FOR.finditer(source):
            if match.group(1) not in "'\"":
                line = source.count("\n", 0, match.start()) + 1
                not_literal.append(f"{relative(path)}:{line}")
        for match in TEMPLATE_ROUTE_NAME.finditer(source):
            if match.group(1) not in names:
                line = source.count("\n", 0, match.start()) + 1
                unknown.append(f"{relative(path)}:{line}: {match.group(1)}")
    assert not not_literal, "write the route's name in the template:\n" + "\n".join(not_literal)
    assert not unknown, "no route has these names:\n" + "\n".join(unknown)


def test_every_route_name_in_the_code_is_a_route(demo_app):
    """Names passed to url_for and route_reverse, and those kept for later (role homes, menus,
    sign-up pages, emailed links, the public list): every "area:action" string in the code."""
    names = route_names(demo_app)
    unknown = []
    for path in sorted(CODE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for name in CODE_ROUTE_NAME.findall(line):
                if name not in names:
                    unknown.append(f"{relative(path)}:{number}: {name}")
    assert not unknown, "no route has these names:\n" + "\n".join(unknown)


def test_emailed_links_reach_the_routes_they_name(demo_app):
    declared = [v for v in vars(messages).values() if isinstance(v, messages.EmailedLink)]
    assert set(declared) == set(messages.EMAILED_LINKS), "add the link to EMAILED_LINKS"
    for link in messages.EMAILED_LINKS:
        values = {name: "a-b_c" for name in re.findall(r"\{(\w+)\}", link.path)}
        assert link.url("https://panel.example", **values) == (
            "https://panel.example" + demo_app.route_reverse(link.route, **values)
        ), f"{link.route} is no longer at {link.path}"


# ---------------------------------------------------------------------------------------------
# url_for


def test_url_for_gives_what_route_reverse_gives_for_every_route(demo_app):
    for path, handler in named_handlers(demo_app):
        if handler.name in STATIC_NAMES or "/" in handler.name:
            continue
        values = {n: sample_value(k) for n, k in re.findall(r"\{(\w+):(\w+)\}", path)}
        # A TypeError here: a path parameter is called "name", which route_reverse cannot fill.
        expected = demo_app.route_reverse(handler.name, **values)
        assert route_paths(demo_app).path(handler.name, **values) == expected
        assert route_paths(demo_app).path(handler.name, **values) == expected  # now learnt
    for slug in ("", "a/", "/a", "a/b", "a//b"):
        expected = demo_app.route_reverse("signup:question", slug=slug)
        assert route_paths(demo_app).path("signup:question", slug=slug) == expected


def test_templates_call_the_apps_own_url_for(demo_app):
    url_for = demo_app.template_engine.engine.globals["url_for"]
    assert url_for("pages:home") == "/"
    assert url_for("directory:record", member_id=7) == "/staff/members/7"
    assert url_for("outbox:demo_mail_message", file_name="a.eml") == "/demo/mail/a.eml"


def test_url_for_refuses_what_route_reverse_refuses(demo_app):
    with pytest.raises(NoRouteMatchFoundException):
        route_paths(demo_app).path("directory:nowhere")
    with pytest.raises(NoRouteMatchFoundException):
        route_paths(demo_app).path("directory:record", member_id="7")
    with pytest.raises(NoRouteMatchFoundException):
        route_paths(demo_app).path("directory:record")
    assert route_paths(demo_app).path("directory:record", member_id=7) == "/staff/members/7"


def test_url_for_keeps_what_it_learns_per_app_and_never_a_value():
    demo = create_app(settings_for(PANEL_DEMO="true"), run_lifespan_worker=False)
    plain = create_app(settings_for(), run_lifespan_worker=False)
    assert route_paths(demo).path("outbox:demo_mail") == "/demo/mail"
    with pytest.raises(NoRouteMatchFoundException):
        route_paths(plain).path("outbox:demo_mail")
    token = "single-use-token-value"
    assert route_paths(demo).path("signup:verify", token=token) == f"/join/verify/{token}"
    assert token not in repr(vars(route_paths(demo)))
