"""No input gives a 500: every form route gets random fields, signed in with the role it serves
and anonymously; every GET route gets random query strings; every path parameter of every route
gets odd values (huge numbers, NUL, unicode, very long text)."""

from __future__ import annotations

import re
from urllib.parse import quote

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from panel.accounts.rules import Role
from panel.app import create_app
from tests.integration.conftest import PageClient, csrf_token_in, settings_for
from tests.integration.web.test_access import concrete, every_route, role_served
from tests.support import html

FIELD_NAMES = ["email", "password", "password_confirm", "code", "role", "next", "x"]
values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "999999999999999999999",
            "admin",
            "staff",
            "member",
            "\x00",
            "%00",
            "é" * 50,
        ]
    ),
)
forms = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=len(FIELD_NAMES))

# Multipart parts as raw bytes: known names and values or random bytes, often not UTF-8.
some_bytes = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"caf\xe9", b"\x00", "é".encode()]),
)
part_names = st.one_of(st.sampled_from([name.encode() for name in FIELD_NAMES]), some_bytes)
part_values = st.one_of(values.map(lambda text: text.encode("utf-8", "surrogatepass")), some_bytes)
parts = st.lists(st.tuples(part_names, part_values, st.one_of(st.none(), some_bytes)), max_size=6)
BOUNDARY = b"----panel-property-test-boundary"


def multipart_body(token: bytes | None, parts: list[tuple[bytes, bytes, bytes | None]]) -> bytes:
    """The parts exactly as given, byte for byte; the CSRF token first when it goes in the form."""
    if token is not None:
        parts = [(b"_csrf_token", token, None), *parts]
    body = b""
    for name, value, filename in parts:
        disposition = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + BOUNDARY + b"\r\n" + disposition + b"\r\n\r\n" + value + b"\r\n"
    return body + b"--" + BOUNDARY + b"--\r\n"


def routes_answering(method: str) -> list[str]:
    app = create_app(settings_for(), run_lifespan_worker=False)
    return [concrete(path) for path, answered, _ in every_route(app) if answered == method]


ROUTES = [path for path in routes_answering("POST") if path != "/sign-out"]
GET_ROUTES = routes_answering("GET")
LENIENT = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def signed_in_token(client, signed_in) -> str:
    """Signed in as an admin for the example: again only when an earlier example ended the
    session (resetting your own two-factor signs you out, as it should)."""
    page = await client.http.get("/admin")
    if page.status_code != 200:
        await signed_in(Role.ADMIN)
        page = await client.get("/admin")
    return csrf_token_in(page.text)


def test_every_form_route_is_tried():
    assert {"/admin/users/new", "/forgot-password", "/two-factor", "/sign-in"} <= set(ROUTES)


async def test_a_nul_character_is_dropped_not_a_server_error(client, signed_in):
    """PostgreSQL cannot store NUL: it must never reach a query."""
    response = await client.post(
        "/sign-in", {"email": "a\x00b@example.org", "password": "x\x00y long enough"}, expected=400
    )
    assert html.error_messages(response) == ["Enter a correct email address and password"]
    await client.post("/forgot-password", {"email": "some\x00one@example.org"})
    await signed_in_token(client, signed_in)
    await client.get("/admin/audit?actor=a%00b@example.org&action=sign_in%00")


@LENIENT
@given(form=forms)
async def test_random_form_input_never_gives_a_server_error(client, signed_in, form):
    token = await signed_in_token(client, signed_in)
    for path in ROUTES:
        response = await client.http.post(path, data={"_csrf_token": token, **form})
        assert response.status_code < 500, f"POST {path} with {form!r} gave {response.status_code}"


@LENIENT
@given(parts=parts, token_in_header=st.booleans())
@example(parts=[(b"email", b"\xff\xfe", None)], token_in_header=False)
@example(parts=[(b"email", b"caf\xe9", None), (b"file", b"", b"\xff")], token_in_header=True)
async def test_random_multipart_bodies_never_give_a_server_error(
    client, signed_in, parts, token_in_header
):
    """Names, values and file names of any bytes: the CSRF check reads the form when the token is
    in it, the route's own reading does when the token is in the header."""
    token = await signed_in_token(client, signed_in)
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY.decode()}"}
    if token_in_header:
        headers["x-csrftoken"] = token
    body = multipart_body(None if token_in_header else token.encode(), parts)
    for path in ROUTES:
        response = await client.http.post(path, content=body, headers=headers)
        assert response.status_code < 500, f"POST {path} with {body!r} gave {response.status_code}"


@LENIENT
@given(
    action=values,
    actor=values,
    since=values,
    until=values,
    page=st.one_of(st.integers(min_value=-10, max_value=10**12).map(str), values),
)
async def test_random_query_strings_never_give_a_server_error(
    client, signed_in, action, actor, since, until, page
):
    await signed_in_token(client, signed_in)
    response = await client.http.get(
        "/admin/audit",
        params={"action": action, "actor": actor, "since": since, "until": until, "page": page},
    )
    assert response.status_code < 500, response.text[:300]


async def anonymous_token(client: PageClient) -> str:
    page = await client.get("/sign-in")
    return csrf_token_in(page.text) or ""


@LENIENT
@given(form=forms)
async def test_random_forms_from_someone_not_signed_in_never_give_a_server_error(client, form):
    token = await anonymous_token(client)
    for path in [*ROUTES, "/sign-out"]:
        response = await client.http.post(path, data={"_csrf_token": token, **form})
        assert response.status_code < 500, f"POST {path} with {form!r} gave {response.status_code}"


QUERY_NAMES = ["q", "next", "page", "since", "until", "status", "district", "sort", "change", "x"]
raw_queries = st.one_of(
    st.text(max_size=200).map(lambda text: quote(text, safe="=&")),
    st.sampled_from(["%00", "a=%00", "=&=&", "q=%ff%fe", "page=-1", "page=1e99", "%", "q=%zz"]),
)


@LENIENT
@given(params=st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4), raw=raw_queries)
async def test_random_query_strings_from_someone_not_signed_in_never_give_a_server_error(
    client, params, raw
):
    for path in GET_ROUTES:
        response = await client.http.get(path, params=params)
        assert response.status_code < 500, f"GET {path} {params!r}: {response.status_code}"
        response = await client.http.get(f"{path}?{raw}")
        assert response.status_code < 500, f"GET {path}?{raw}: {response.status_code}"


# ---------------------------------------------------------------------------------------------
# Path parameters

PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
# What a path segment can be, already as it goes in the address (percent-encoded where needed).
segments = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "0",
            "-1",
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "99999999999999999999",
            "%00",
            "a%00b",
            "%2500",
            "%0d%0a",
            "%ff",
            "%c3%28",
            "..",
            "%2e%2e",
            "%2F",
            "x" * 5000,
            quote("é" * 300),
            quote("\u202e\u0000\ud7ff"),
        ]
    ),
    st.text(min_size=1, max_size=300).map(lambda text: quote(text, safe="")),
)


def routes_with_parameters(app):
    for path, method, handler in every_route(app):
        if method in {"GET", "POST"} and PARAMETER.search(path):
            yield method, path, role_served(handler)


def test_every_path_parameter_is_tried(demo_app):
    templates = {path for _, path, _ in routes_with_parameters(demo_app)}
    assert {
        "/staff/members/{member_id:int}",
        "/reset-password/{token:str}",
        "/join/{slug:str}",
        "/demo/mail/{file_name:str}",
        "/static/{file_path:path}",
        "/staff/members/{member_id:int}/contact-limits/overrides/{override_id:int}/revoke",
    } <= templates


@LENIENT
@given(segment=segments)
async def test_odd_path_parameters_never_give_a_server_error(demo_app, client_for_role, segment):
    for method, template, role in routes_with_parameters(demo_app):
        path = PARAMETER.sub(segment, template)
        page_client, token = await client_for_role(role)
        if method == "GET":
            response = await page_client.http.get(path)
        else:
            response = await page_client.http.post(path, data={"_csrf_token": token})
        assert response.status_code < 500, f"{method} {path[:200]} gave {response.status_code}"
