"""Cross-site request forgery: the token is bound to the browser's session and renewed at sign-in,
another site's requests are refused by their Origin, and a form that cannot be read is a plain 400."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from panel.accounts.rules import Role
from panel.accounts.tables import User
from tests.integration.conftest import (
    BASE_URL,
    PASSWORD,
    csrf_token_in,
    settings_for,
    sign_in,
)
from tests.support import html

CSRF_REFUSED = "We could not check that this form came from this website, so nothing was changed."


def assert_csrf_refusal(response: Any) -> None:
    assert response.status_code == 403, response.text[:500]
    assert html.text(response, "h1") == "You cannot do this"
    assert html.title(response).startswith("You cannot do this")
    assert html.texts(response, "main p")[0].startswith(CSRF_REFUSED)


def assert_bad_request_page(response: Any) -> None:
    assert response.status_code == 400, response.text[:500]
    assert html.text(response, "h1") == "There is a problem with your request"
    assert html.title(response).startswith("There is a problem with your request")


async def token_on(client: Any, path: str) -> str:
    page = await client.get(path)
    token = csrf_token_in(page.text)
    assert token, f"{path} shows no CSRF token"
    return token


async def role_of(user: dict) -> str:
    return (await User.select(User.role).where(User.id == user["id"]).first())["role"]


# The static-file exception


@pytest.mark.parametrize("path", ["/join/assets", "/join/static", "/sign-in/link/static-x"])
async def test_a_public_route_with_static_or_assets_inside_its_path_is_checked(client, path):
    await client.get("/sign-in")  # the browser has its CSRF cookie
    response = await client.http.post(path, data={"email": "a@example.org"})
    assert_csrf_refusal(response)


@pytest.mark.parametrize(
    "path", ["/admin/representation/targets/static", "/admin/representation/targets/assets-x"]
)
async def test_a_signed_in_route_with_static_inside_its_path_is_checked(client, signed_in, path):
    await signed_in(Role.ADMIN)
    response = await client.http.post(path, data={"share-male": "30"})
    assert_csrf_refusal(response)


async def test_static_files_are_still_served_without_a_csrf_cookie(client):
    response = await client.http.get("/static/js/panel.js")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


# The token belongs to the session


async def test_a_token_shown_before_sign_in_is_refused_after_it(client, make_user):
    staff = await make_user(Role.STAFF)
    before = await token_on(client, "/sign-in")
    await sign_in(client, staff)
    after = await token_on(client, "/staff")
    assert after != before
    response = await client.http.post("/sign-out", data={"_csrf_token": before})
    assert_csrf_refusal(response)
    await client.get("/staff")  # still signed in


async def test_a_token_shown_before_two_factor_is_refused_after_it(client, make_user):
    staff = await make_user(Role.STAFF)
    response = await client.post("/sign-in", {"email": staff["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor"
    half_signed_in = await token_on(client, "/two-factor")
    await client.post("/two-factor", {"code": pyotp.TOTP(staff["totp_secret"]).now()})
    assert await token_on(client, "/staff") != half_signed_in
    response = await client.http.post("/sign-out", data={"_csrf_token": half_signed_in})
    assert_csrf_refusal(response)


async def test_a_token_from_another_session_is_refused_even_with_its_cookie(
    client, make_user, make_client
):
    """Someone who can plant a cookie (a sibling site, before ``__Host-`` cookies) gives the victim
    their own CSRF cookie and the token shown with it: the victim's session does not accept it."""
    victim, attacker = await make_user(Role.STAFF), await make_user(Role.STAFF)
    await sign_in(client, victim)
    attackers_browser = make_client()
    attackers_token = await token_on(attackers_browser, "/sign-in")
    attackers_cookie = attackers_browser.http.cookies["panel_csrf"]
    await sign_in(attackers_browser, attacker)
    signed_in_token = await token_on(attackers_browser, "/staff")
    for token in (attackers_token, signed_in_token):
        client.http.cookies.set("panel_csrf", attackers_cookie)
        response = await client.http.post("/sign-out", data={"_csrf_token": token})
        assert_csrf_refusal(response)
        await client.get("/staff")  # still signed in


async def test_signing_out_changes_the_token(client, make_user):
    staff = await make_user(Role.STAFF)
    before = await token_on(client, "/sign-in")
    await sign_in(client, staff)
    signed_in_token = await token_on(client, "/staff")
    await client.post("/sign-out", csrf_from="/staff")
    after = await token_on(client, "/sign-in")
    assert after not in {before, signed_in_token}
    response = await client.http.post(
        "/sign-in",
        data={"_csrf_token": signed_in_token, "email": staff["email"], "password": PASSWORD},
    )
    assert_csrf_refusal(response)
    response = await client.http.post(
        "/sign-in", data={"_csrf_token": before, "email": staff["email"], "password": PASSWORD}
    )
    assert_csrf_refusal(response)


async def test_the_anonymous_cookie_is_private_and_secure_on_https(client, make_client):
    response = await client.http.get("/sign-in")
    [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith("panel_csrf=")]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    https = make_client(
        settings=settings_for(PANEL_BASE_URL="https://panel.example.org"),
        base_url="https://panel.example.org",
    )
    response = await https.http.get("/sign-in")
    [cookie] = response.headers.get_list("set-cookie")
    assert cookie.startswith("__Host-panel_csrf=") and "Secure" in cookie and "HttpOnly" in cookie
    await https.post("/forgot-password", {"email": "someone@example.org"})


async def test_the_keep_alive_sends_its_token_in_a_header(client, signed_in):
    await signed_in(Role.STAFF)
    token = await token_on(client, "/staff")
    response = await client.http.post("/session/keep-alive", headers={"x-csrftoken": token})
    assert response.status_code == 204
    altered = token[:-1] + ("1" if token.endswith("0") else "0")  # always differs
    response = await client.http.post("/session/keep-alive", headers={"x-csrftoken": altered})
    assert_csrf_refusal(response)


# Another site's requests


CROSS_SITE = [
    {"origin": "https://attacker.example"},
    {"origin": "null"},
    {"origin": "http://127.0.0.1:8001"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},
    {"origin": BASE_URL, "sec-fetch-site": "cross-site"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
async def test_another_sites_role_change_is_refused_and_not_made(
    client, signed_in, make_user, headers
):
    await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    token = await token_on(client, f"/admin/users/{staff['id']}")
    response = await client.http.post(
        f"/admin/users/{staff['id']}/role",
        data={"_csrf_token": token, "role": "board"},
        headers=headers,
    )
    assert_csrf_refusal(response)
    assert await role_of(staff) == "staff"


@pytest.mark.parametrize("headers", CROSS_SITE)
async def test_another_sites_sign_out_is_refused(client, signed_in, headers):
    await signed_in(Role.STAFF)
    token = await token_on(client, "/staff")
    response = await client.http.post("/sign-out", data={"_csrf_token": token}, headers=headers)
    assert_csrf_refusal(response)
    await client.get("/staff")  # still signed in


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": BASE_URL},
        {"origin": BASE_URL, "sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        {},
    ],
)
async def test_this_sites_own_requests_are_accepted(client, signed_in, make_user, headers):
    await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    token = await token_on(client, f"/admin/users/{staff['id']}")
    response = await client.http.post(
        f"/admin/users/{staff['id']}/role",
        data={"_csrf_token": token, "role": "board"},
        headers=headers,
    )
    assert response.status_code == 303
    assert await role_of(staff) == "board"


async def test_a_request_from_the_address_it_was_sent_to_is_accepted(make_client, make_user):
    """Served on another address than the base URL (a browser test's random port): the request's
    own scheme and host is this site too."""
    browser = make_client(base_url="http://localhost:8123")
    token = await token_on(browser, "/sign-in")
    staff = await make_user(Role.STAFF)
    response = await browser.http.post(
        "/sign-in",
        data={"_csrf_token": token, "email": staff["email"], "password": PASSWORD},
        headers={"origin": "http://localhost:8123", "sec-fetch-site": "same-origin"},
    )
    assert response.status_code == 303
    response = await browser.http.post(
        "/sign-in",
        data={"_csrf_token": token, "email": staff["email"], "password": PASSWORD},
        headers={"origin": "http://localhost:8124"},
    )
    assert_csrf_refusal(response)


# Forms that cannot be read


def multipart(*parts: tuple[bytes, bytes], boundary: bytes = b"panelboundary") -> dict:
    """A multipart body from (headers of the part, value) pairs, exactly as the bytes say."""
    body = b"".join(
        b"--" + boundary + b"\r\n" + headers + b"\r\n\r\n" + value + b"\r\n"
        for headers, value in parts
    )
    return {
        "content": body + b"--" + boundary + b"--\r\n",
        "headers": {"content-type": f"multipart/form-data; boundary={boundary.decode()}"},
    }


def field(name: bytes, value: bytes, extra: bytes = b"") -> tuple[bytes, bytes]:
    return b'Content-Disposition: form-data; name="' + name + b'"' + extra, value


UNREADABLE_MULTIPART = {
    "value": [field(b"email", b"\xff\xfe@example.org")],
    "name": [field(b"\xff\xfe", b"a")],
    "filename": [field(b"file", b"a", b'; filename="\xff\xfe.csv"')],
    "charset": [field(b"email", b"a", b"\r\nContent-Type: text/plain; charset=no-such-charset")],
}


@pytest.mark.parametrize("part", UNREADABLE_MULTIPART.values(), ids=UNREADABLE_MULTIPART.keys())
async def test_a_multipart_form_that_is_not_utf8_is_a_plain_400(client, part):
    token = await token_on(client, "/sign-in")
    response = await client.http.post(
        "/sign-in", **multipart(field(b"_csrf_token", token.encode()), *part)
    )
    assert_bad_request_page(response)


@pytest.mark.parametrize("part", UNREADABLE_MULTIPART.values(), ids=UNREADABLE_MULTIPART.keys())
async def test_a_signed_in_multipart_form_that_is_not_utf8_is_a_plain_400(client, signed_in, part):
    """With the token in the form, the CSRF check reads the body first; with it in the header,
    the form's own reading does."""
    await signed_in(Role.ADMIN)
    token = await token_on(client, "/admin/users/new")
    response = await client.http.post(
        "/admin/users/new", **multipart(field(b"_csrf_token", token.encode()), *part)
    )
    assert_bad_request_page(response)
    body = multipart(*part)
    response = await client.http.post(
        "/admin/users/new",
        content=body["content"],
        headers={**body["headers"], "x-csrftoken": token},
    )
    assert_bad_request_page(response)


@pytest.mark.parametrize(
    "fields",
    [b"email=%ff%fe%40example.org", b"email=\xff\xfe@example.org", b"email=100%", b"email=%zz"],
    ids=["escaped bytes not utf-8", "raw bytes", "lone percent", "bad escape"],
)
async def test_a_url_encoded_form_that_is_not_utf8_is_a_plain_400(client, signed_in, fields):
    headers = {"content-type": "application/x-www-form-urlencoded"}
    token = await token_on(client, "/sign-in")
    response = await client.http.post(
        "/sign-in", content=b"_csrf_token=" + token.encode() + b"&" + fields, headers=headers
    )
    assert_bad_request_page(response)
    await signed_in(Role.ADMIN)
    token = await token_on(client, "/admin/users/new")
    response = await client.http.post(
        "/admin/users/new",
        content=fields + b"&role=staff",
        headers={**headers, "x-csrftoken": token},
    )
    assert_bad_request_page(response)


async def test_a_form_in_utf8_is_read_as_sent(client, signed_in):
    await signed_in(Role.ADMIN)
    token = await token_on(client, "/admin/users/new")
    response = await client.http.post(
        "/admin/users/new",
        **multipart(
            field(b"_csrf_token", token.encode()),
            field(b"email", "zoë@example.org".encode()),
            field(b"role", b""),
        ),
    )
    assert response.status_code == 400
    assert html.form_values(response, "main form")["email"] == "zoë@example.org"
