"""Deny by default: every registered route is either on the public allow-list or refuses anonymous requests."""

from __future__ import annotations

import ast
import re

import pytest
from litestar.handlers import HTTPRouteHandler

from panel.accounts.access import ACCESS_SETTINGS
from panel.accounts.rules import Role
from panel.app import PUBLIC_ROUTE_NAMES, create_app
from panel.settings import ROOT
from tests.integration.conftest import csrf_token_in, settings_for
from tests.support import html

REFUSALS = {303, 401, 403}
STATIC_NAMES = {"static", "static_govuk", "static_moj", "assets"}


def every_route(app):
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if isinstance(handler, HTTPRouteHandler):
                for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                    yield route.path, method, handler


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+):(\w+)\}", lambda m: "1" if m.group(2) == "int" else "x", path)


ROLE_PREFERENCE = (Role.STAFF, Role.ADMIN, Role.MEMBER, Role.BOARD, Role.FACILITATOR)


def role_served(handler) -> Role | None:
    """A role the route serves (staff first, where it serves several); None for a public route."""
    if handler.opt.get("public"):
        return None
    return next(role for role in ROLE_PREFERENCE if role in handler.opt["roles"])


@pytest.fixture(params=[False, True], ids=["normal", "demo"])
def walked_app(request):
    return create_app(
        settings_for(PANEL_DEMO="true" if request.param else "false"), run_lifespan_worker=False
    )


async def test_every_route_is_public_by_name_or_refuses_anonymous_requests(walked_app, make_client):
    import httpx

    transport = httpx.ASGITransport(app=walked_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        page = await http.get("/sign-in")
        token = csrf_token_in(page.text)
        checked = 0
        for path, method, handler in every_route(walked_app):
            name = handler.name
            if name in PUBLIC_ROUTE_NAMES or name in STATIC_NAMES:
                assert handler.opt.get("public"), (
                    f"{name} is on the allow-list, so it must say it is public"
                )
                continue
            assert not handler.opt.get("public"), (
                f"{method} {path} ({name}) is public but not on the allow-list"
            )
            response = await http.request(
                method, concrete(path), data={"_csrf_token": token} if method != "GET" else None
            )
            assert response.status_code in REFUSALS, (
                f"{method} {path} answered {response.status_code} to an anonymous request"
            )
            if response.status_code == 303:
                assert response.headers["location"].startswith("/sign-in")
            checked += 1
    assert checked >= 10


async def test_every_protected_route_names_its_roles():
    app = create_app(settings_for(), run_lifespan_worker=False)
    for path, method, handler in every_route(app):
        if not handler.opt.get("public"):
            assert handler.opt.get("roles"), (
                f"{method} {path} names no roles, so nobody could use it"
            )


ACCESS_KEYS = ("public", "roles", "sign_in_stage")
# Where the access settings are spelt out: the accounts area names them, and the web kit names
# PUBLIC (with the static files' flags), which areas below accounts use.
SPELT_IN = {"panel/accounts/access.py", "panel/web/security.py"}


async def test_every_route_has_one_of_the_named_access_settings(walked_app):
    named = [
        {key: setting[key] for key in ACCESS_KEYS if key in setting} for setting in ACCESS_SETTINGS
    ]
    for path, method, handler in every_route(walked_app):
        access = {key: handler.opt[key] for key in ACCESS_KEYS if key in handler.opt}
        assert access in named, f"{method} {path} ({handler.name}): {access} has no name"


def test_access_settings_are_spelt_out_only_where_they_are_named():
    """A route's ``opt`` is a named setting (``opt=STAFF``), never a dict written in place, and
    only the access module (and the web kit, for PUBLIC) writes one."""
    found = []
    for path in sorted((ROOT / "panel").rglob("*.py")):
        file = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            sets_opt = (isinstance(node, ast.keyword) and node.arg == "opt") or (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "opt" for t in node.targets)
            )
            if sets_opt and not isinstance(node.value, ast.Name | ast.Attribute):
                found.append(f"{file}:{node.value.lineno}: opt is not a named setting")
            if isinstance(node, ast.Dict) and file not in SPELT_IN:
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if keys & set(ACCESS_KEYS):
                    found.append(f"{file}:{node.lineno}: an access setting written in place")
    assert not found, "use the settings in panel.accounts.access:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.MEMBER, "/staff"),
        (Role.MEMBER, "/admin/users"),
        (Role.BOARD, "/staff"),
        (Role.FACILITATOR, "/admin/audit"),
        (Role.STAFF, "/admin/users"),
        (Role.STAFF, "/admin/audit"),
        (Role.BOARD, "/my-panel"),
    ],
)
async def test_a_signed_in_person_cannot_open_another_roles_pages(client, signed_in, role, path):
    await signed_in(role)
    response = await client.get(path, expected=403)
    assert "Your account does not give you access to this page." in html.texts(response, "main p")


async def test_demo_mail_route_exists_only_in_demo_mode(client):
    await client.get("/demo/mail", expected=404)
    demo = create_app(settings_for(PANEL_DEMO="true"), run_lifespan_worker=False)
    names = {handler.name for _, _, handler in every_route(demo)}
    assert "outbox:demo_mail" in names
    plain = create_app(settings_for(), run_lifespan_worker=False)
    assert "outbox:demo_mail" not in {handler.name for _, _, handler in every_route(plain)}


async def test_after_sign_in_the_person_goes_back_to_the_page_they_asked_for(client, make_user):
    from tests.integration.conftest import PASSWORD

    user = await make_user(Role.MEMBER)
    response = await client.get("/my-panel", expected=303)
    assert response.headers["location"] == "/sign-in?next=%2Fmy-panel"
    response = await client.post(
        "/sign-in?next=%2Fmy-panel",
        {"email": user["email"], "password": PASSWORD},
        csrf_from="/sign-in",
    )
    assert response.headers["location"] == "/my-panel"


async def test_next_cannot_send_someone_to_another_site(client, make_user):
    from tests.integration.conftest import PASSWORD

    user = await make_user(Role.MEMBER)
    response = await client.post(
        "/sign-in?next=//evil.example/",
        {"email": user["email"], "password": PASSWORD},
        csrf_from="/sign-in",
    )
    assert response.headers["location"] == "/"
