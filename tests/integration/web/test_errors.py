"""Error pages are plain English, HTML, and never show a stack trace, SQL or a file path."""

from __future__ import annotations

import httpx
from litestar import get
from litestar.params import FromPath

from panel.app import create_app
from tests.integration.conftest import csrf_token_in
from tests.support import html

LEAKS = (
    "Traceback",
    'File "',
    "/work/",
    "site-packages",
    "SELECT ",
    "sqlite",
    "asyncpg",
    "Exception",
)


def assert_no_leaks(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"error page shows {leak!r}"


async def test_not_found(client):
    response = await client.get("/nothing/here", expected=404)
    assert html.text(response, "h1") == "Page not found"
    assert response.headers["content-type"].startswith("text/html")
    assert_no_leaks(response.text)


async def test_method_not_allowed(client):
    response = await client.http.request("PUT", "/sign-in")
    assert response.status_code == 405
    response = await client.http.delete("/")
    assert response.status_code == 405
    assert html.texts(response, "main p")[0].startswith("This page cannot be used in that way")
    assert response.headers["content-type"].startswith("text/html")
    assert_no_leaks(response.text)


async def test_a_wrong_kind_of_value_in_the_address_is_a_plain_400_or_404(client, signed_in):
    from panel.accounts.rules import Role

    await signed_in(Role.ADMIN)
    response = await client.get("/admin/audit?page=not-a-number", expected=400)
    assert html.text(response, "h1") == "There is a problem with your request"
    assert_no_leaks(response.text)
    response = await client.get("/admin/users/99999999", expected=404)
    assert_no_leaks(response.text)


async def test_a_body_over_one_megabyte_gets_413(client):
    page = await client.http.get("/sign-in")
    token = csrf_token_in(page.text)
    response = await client.http.post(
        "/sign-in",
        data={"_csrf_token": token, "email": "a@example.org", "password": "x" * (1024 * 1024 + 10)},
    )
    assert response.status_code == 413
    assert html.texts(response, "main p")[0].startswith("What you sent is larger than 1 MB")
    assert_no_leaks(response.text)


async def test_an_unexpected_failure_is_a_plain_500(settings):
    @get("/boom", opt={"public": True})
    async def boom() -> str:
        raise RuntimeError("SELECT secret FROM /work/somewhere")

    app = create_app(settings, run_lifespan_worker=False)
    app.register(boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        response = await http.get("/boom")
    assert response.status_code == 500
    assert html.text(response, "h1") == "Sorry, there is a problem with the service"
    assert_no_leaks(response.text)
    assert response.headers["content-security-policy"]


async def test_a_state_change_without_csrf_token_is_refused_in_plain_english(client, make_user):
    await client.get("/sign-in")
    response = await client.http.post(
        "/sign-in", data={"email": "a@example.org", "password": "whatever it is"}
    )
    assert response.status_code == 403
    assert html.texts(response, "main p")[0].startswith(
        "We could not check that this form came from this website"
    )
    response = await client.http.post(
        "/sign-in",
        data={"_csrf_token": "forged", "email": "a@example.org", "password": "whatever it is"},
    )
    assert response.status_code == 403


async def test_csrf_is_checked_on_signed_in_forms_too(client, signed_in):
    from panel.accounts.rules import Role

    await signed_in(Role.STAFF)
    response = await client.http.post("/sign-out", data={})
    assert response.status_code == 403
    await client.get("/staff")  # still signed in
    response = await client.http.post("/session/keep-alive")
    assert response.status_code == 403


async def test_health_check_answers_503_when_the_database_does_not(client, monkeypatch):
    from panel import db

    await client.get("/healthz")
    engine = db.engine()
    outside = engine.current_transaction.set(None)  # step outside the test's transaction
    try:
        if db.is_postgres():
            monkeypatch.setitem(engine.config, "dsn", "postgresql://postgres@127.0.0.1:1/none")
        else:
            await engine.close_pool()
            monkeypatch.setitem(
                engine.connection_kwargs, "database", "/nonexistent/folder/panel.sqlite3"
            )
        response = await client.http.get("/healthz")
    finally:
        engine.current_transaction.reset(outside)
        if not db.is_postgres():
            await engine.close_pool()
    assert response.status_code == 503


async def test_a_nul_in_the_address_is_a_plain_404(client):
    for path in ("/static/%00/x", "/static/css/%00panel.css", "/reset-password/a%00b", "/%00"):
        response = await client.get(path, expected=404)
        assert_no_leaks(response.text)


async def test_a_number_in_the_address_too_large_for_the_database_is_a_plain_404(client, signed_in):
    from panel.accounts.rules import Role

    await signed_in(Role.ADMIN)
    for path in (
        "/staff/members/99999999999999999999",
        "/staff/members/2147483648",
        "/staff/members/-99999999999999999999/contact-limits",
        "/admin/users/99999999999999999999",
        "/staff/applications/reasons/99999999999999999999",
    ):
        response = await client.get(path, expected=404)
        assert_no_leaks(response.text)


async def test_a_date_at_the_end_of_the_calendar_is_a_form_error_not_a_server_error(
    client, signed_in
):
    from panel.accounts.rules import Role

    await signed_in(Role.ADMIN)
    response = await client.get("/admin/audit?until=9999-12-31", expected=400)
    assert_no_leaks(response.text)
    response = await client.get("/admin/audit?since=0001-01-01&until=9999-12-30", expected=200)


async def test_a_static_file_name_no_file_can_have_is_a_plain_404(client):
    for path in ("/static/" + "x" * 300, "/static/css/panel.css/x", "/assets/images/%00"):
        response = await client.get(path, expected=404)
        assert_no_leaks(response.text)
    await client.get("/static/css/panel.css")


async def test_an_unexpected_failure_is_logged_with_the_route_not_the_token_in_the_path(settings):
    import logging

    @get("/boom/{token:str}", opt={"public": True})
    async def boom(token: FromPath[str]) -> str:
        raise RuntimeError("boom")

    app = create_app(settings, run_lifespan_worker=False)
    app.register(boom)
    logged: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = logged.append  # type: ignore[method-assign]
    logger = logging.getLogger("panel.web.errors")
    logger.addHandler(handler)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            response = await http.get("/boom/single-use-token%0d%0aFORGED")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500
    (record,) = logged
    assert record.getMessage() == "unexpected error on GET /boom/{token}"
    assert record.exc_info is not None
