"""Signing in and out, sessions and their limits, two-factor, throttling."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from panel.accounts.controllers import SIGN_IN_THROTTLED
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role
from panel.accounts.services import now_utc
from panel.accounts.tables import SignInFailure, User, WebSession
from panel.audit.tables import AuditEvent
from panel.keys import token_hash
from tests.integration.conftest import PASSWORD, csrf_token_in, settings_for, sign_in
from tests.support import html

WRONG = "Enter a correct email address and password"


async def test_staff_signs_in_with_two_factor_and_reaches_staff_home(client, make_user):
    user = await make_user(Role.STAFF)
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor"
    # Half signed in: the staff home is still refused.
    await client.get("/staff", expected=303)
    code = pyotp.TOTP(user["totp_secret"]).now()
    response = await client.post("/two-factor", {"code": code})
    assert response.headers["location"] == "/staff"
    page = await client.get("/staff")
    assert html.text(page, "h1") == "Staff home"
    assert html.text(page, ".panel-account-bar__who") == f"Signed in as {user['email']} (Staff)"


async def test_first_sign_in_sets_up_two_factor_and_a_used_code_is_refused(
    client, make_user, make_client
):
    user = await make_user(Role.FACILITATOR, with_two_factor=False)
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor/set-up"
    page = await client.get("/two-factor/set-up")
    secret = "".join(html.text(page, "#setup-key").split())
    code = pyotp.TOTP(secret).now()
    response = await client.post("/two-factor/set-up", {"code": code})
    assert response.headers["location"] == "/facilitator"
    assert await AuditEvent.exists().where(
        AuditEvent.action == "two_factor_set_up", AuditEvent.object_id == str(user["id"])
    )

    # Someone who saw that code cannot use it again, even with the password.
    other = make_client()
    await other.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    response = await other.post("/two-factor", {"code": code}, expected=400)
    assert "has been used already" in html.error_summary(response)["code"]
    assert html.title(response).startswith("Error: ")


async def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    user = await make_user(Role.STAFF)
    wrong = await client.post(
        "/sign-in", {"email": user["email"], "password": "not the password at all"}, expected=400
    )
    unknown = await client.post(
        "/sign-in",
        {"email": "nobody-here@example.org", "password": "not the password at all"},
        expected=400,
    )
    assert html.error_messages(wrong) == html.error_messages(unknown) == [WRONG]

    def strip(text):
        return (
            text.split("<main")[1]
            .split("</main>")[0]
            .replace(user["email"], "")
            .replace("nobody-here@example.org", "")
        )

    assert strip(wrong.text) == strip(unknown.text)
    assert html.title(wrong).startswith("Error: Sign in")


async def test_empty_sign_in_form_keeps_the_email_and_says_what_is_missing(client):
    response = await client.post(
        "/sign-in", {"email": "someone@example.org", "password": ""}, expected=400
    )
    assert html.error_summary(response) == {"password": "Enter your password"}
    assert html.form_values(response, "main form")["email"] == "someone@example.org"


async def test_sign_in_is_throttled_per_account_across_app_instances(client, make_user, settings):
    import httpx

    from panel.app import create_app

    user = await make_user(Role.STAFF)
    for _ in range(settings.sign_in_max_failures_per_account):
        await client.post(
            "/sign-in", {"email": user["email"], "password": "wrong password here"}, expected=400
        )
    # A second app process (a new instance) sees the same counts, from the database.
    transport = httpx.ASGITransport(
        app=create_app(settings, run_lifespan_worker=False), client=("192.0.2.50", 1)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as other:
        page = await other.get("/sign-in")
        token = csrf_token_in(page.text)
        response = await other.post(
            "/sign-in", data={"_csrf_token": token, "email": user["email"], "password": PASSWORD}
        )
    assert response.status_code == 400
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]
    # Unknown accounts are throttled the same way, so throttling does not reveal who has an account.
    for _ in range(settings.sign_in_max_failures_per_account):
        await client.post(
            "/sign-in",
            {"email": "ghost@example.org", "password": "wrong password here"},
            expected=400,
        )
    response = await client.post(
        "/sign-in", {"email": "ghost@example.org", "password": "wrong password here"}, expected=400
    )
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]


async def test_sign_in_is_throttled_per_client_address(make_client, make_user, settings):
    attacker = make_client("198.51.100.66")
    for attempt in range(settings.sign_in_max_failures_per_address):
        await attacker.post(
            "/sign-in",
            {"email": f"guess{attempt}@example.org", "password": "wrong password here"},
            expected=400,
        )
    user = await make_user(Role.MEMBER)
    response = await attacker.post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}, expected=400
    )
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]
    # Someone else, elsewhere, is not affected.
    await make_client("198.51.100.77").post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}
    )


async def fail_every_sign_in_allowed_per_address(attacker, settings) -> None:
    for attempt in range(settings.sign_in_max_failures_per_address):
        await attacker.post(
            "/sign-in",
            {"email": f"guess{attempt}@example.org", "password": "wrong password here"},
            expected=400,
        )


async def test_behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own(
    make_client, make_user
):
    behind_proxy = settings_for(PANEL_TRUSTED_PROXIES="10.0.0.0/8")

    def through_proxy(client_address: str):
        client = make_client("10.0.0.2", settings=behind_proxy)
        # What the client claims comes first; the proxy appends the address it saw.
        client.http.headers["x-forwarded-for"] = f"192.0.2.1, {client_address}"
        return client

    attacker = through_proxy("198.51.100.66")
    await fail_every_sign_in_allowed_per_address(attacker, behind_proxy)
    user = await make_user(Role.MEMBER)
    response = await attacker.post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}, expected=400
    )
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]
    # Someone else coming through the same proxy is not locked out.
    await through_proxy("198.51.100.77").post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}
    )


async def test_a_forwarded_address_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(
    make_client, make_user
):
    behind_proxy = settings_for(PANEL_TRUSTED_PROXIES="10.0.0.0/8")
    attacker = make_client("198.51.100.66", settings=behind_proxy)
    attacker.http.headers["x-forwarded-for"] = "203.0.113.1"
    await fail_every_sign_in_allowed_per_address(attacker, behind_proxy)
    user = await make_user(Role.MEMBER)
    attacker.http.headers["x-forwarded-for"] = "203.0.113.2"  # a new address each time: no use
    response = await attacker.post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}, expected=400
    )
    assert html.error_messages(response) == [SIGN_IN_THROTTLED]


async def test_failures_older_than_the_window_do_not_count(client, make_user, settings):
    user = await make_user(Role.MEMBER)
    for _ in range(settings.sign_in_max_failures_per_account):
        await client.post(
            "/sign-in", {"email": user["email"], "password": "wrong password here"}, expected=400
        )
    await SignInFailure.update(
        {SignInFailure.at: now_utc() - timedelta(minutes=settings.sign_in_window_minutes + 1)},
        force=True,
    )
    await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})


async def test_sign_in_gives_a_new_session_id(client, make_user):
    user = await make_user(Role.MEMBER)
    client.http.cookies.set("panel_session", "chosen-by-an-attacker")
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    token = response.cookies["panel_session"]
    assert token != "chosen-by-an-attacker"
    assert await WebSession.exists().where(WebSession.token_hash == token_hash(token))


async def test_session_cookie_flags_local_http(client, make_user):
    user = await make_user(Role.MEMBER)
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("panel_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


async def test_session_cookie_is_secure_and_host_prefixed_over_https(make_user):
    import httpx

    from panel.app import create_app

    settings = settings_for(PANEL_BASE_URL="https://panel.example.org")
    user = await make_user(Role.MEMBER)
    transport = httpx.ASGITransport(app=create_app(settings, run_lifespan_worker=False))
    async with httpx.AsyncClient(transport=transport, base_url="https://panel.example.org") as http:
        page = await http.get("/sign-in")
        assert (
            "__Host-panel_csrf=" in page.headers["set-cookie"]
            and "Secure" in page.headers["set-cookie"]
        )
        token = csrf_token_in(page.text)
        response = await http.post(
            "/sign-in", data={"_csrf_token": token, "email": user["email"], "password": PASSWORD}
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-panel_session=")
    assert (
        "Secure" in cookie
        and "HttpOnly" in cookie
        and "Path=/" in cookie
        and "Domain" not in cookie
    )


async def test_sign_out_ends_the_session_on_the_server(client, signed_in):
    await signed_in(Role.STAFF)
    token = client.http.cookies["panel_session"]
    response = await client.post("/sign-out", csrf_from="/staff")
    assert response.headers["location"] == "/signed-out"
    # Replaying the old cookie does not sign anyone in.
    client.http.cookies.set("panel_session", token)
    await client.get("/staff", expected=303)
    session = (
        await WebSession.select(WebSession.ended_at)
        .where(WebSession.token_hash == token_hash(token))
        .first()
    )
    assert session["ended_at"] is not None


async def test_idle_timeout_signs_out(client, signed_in, settings):
    await signed_in(Role.STAFF)
    token = client.http.cookies["panel_session"]
    await WebSession.update(
        {
            WebSession.last_seen_at: now_utc()
            - timedelta(minutes=settings.session_idle_minutes, seconds=1)
        }
    ).where(WebSession.token_hash == token_hash(token))
    response = await client.get("/staff", expected=303)
    assert response.headers["location"].startswith("/sign-in")


async def test_activity_keeps_the_session_alive_but_not_past_the_absolute_limit(
    client, signed_in, settings
):
    await signed_in(Role.STAFF)
    token = client.http.cookies["panel_session"]
    where = WebSession.token_hash == token_hash(token)
    await WebSession.update(
        {WebSession.last_seen_at: now_utc() - timedelta(minutes=settings.session_idle_minutes - 1)}
    ).where(where)
    await client.get("/staff")
    await client.get("/staff")
    await WebSession.update(
        {
            WebSession.created_at: now_utc()
            - timedelta(hours=settings.session_absolute_hours, seconds=1)
        }
    ).where(where)
    await client.get("/staff", expected=303)


async def test_keep_alive_extends_the_session(client, signed_in, settings):
    await signed_in(Role.STAFF)
    token = client.http.cookies["panel_session"]
    where = WebSession.token_hash == token_hash(token)
    await WebSession.update(
        {WebSession.last_seen_at: now_utc() - timedelta(minutes=settings.session_idle_minutes - 1)}
    ).where(where)
    page = await client.get("/staff")
    csrf = page.text.split('data-csrf-token="')[1].split('"')[0]
    response = await client.http.post("/session/keep-alive", headers={"x-csrftoken": csrf})
    assert response.status_code == 204
    row = await WebSession.select(WebSession.last_seen_at).where(where).first()
    assert now_utc() - row["last_seen_at"] < timedelta(seconds=30)


async def test_password_is_rehashed_when_the_parameters_change(make_user, app):
    user = await make_user(Role.MEMBER)
    before = (await User.select(User.password_hash).where(User.id == user["id"]).first())[
        "password_hash"
    ]
    assert "m=19456,t=2,p=1" in before
    stronger = settings_for(PANEL_ARGON2_TIME_COST="3")
    from panel.accounts.services import sign_in as service_sign_in

    result = await service_sign_in(
        user["email"], PASSWORD, "192.0.2.1", stronger, Passwords(stronger)
    )
    assert result.outcome == "signed_in"
    after = (await User.select(User.password_hash).where(User.id == user["id"]).first())[
        "password_hash"
    ]
    assert "m=19456,t=3,p=1" in after


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.FACILITATOR, Role.BOARD])
async def test_every_role_that_sees_people_must_use_two_factor(client, make_user, role):
    user = await make_user(role, with_two_factor=False)
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor/set-up"


async def test_members_sign_in_without_two_factor(client, make_user):
    user = await make_user(Role.MEMBER)
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    assert response.headers["location"] == "/my-panel"


async def test_demo_mode_skips_two_factor_for_demo_users_only(make_user, make_client, passwords):
    from panel.accounts.services import DEMO_PASSWORD, load_demo_users

    await load_demo_users(passwords)
    ordinary = await make_user(Role.STAFF, with_two_factor=False)
    demo = make_client(settings=settings_for(PANEL_DEMO="true"))
    page = await demo.get("/sign-in")
    banner = html.text(page, ".govuk-phase-banner__text")
    assert "The demo accounts sign in without two-factor codes" in banner
    response = await demo.post(
        "/sign-in", {"email": "staff@demo.example", "password": DEMO_PASSWORD}
    )
    assert response.headers["location"] == "/staff"
    other = make_client(settings=settings_for(PANEL_DEMO="true"))
    response = await other.post("/sign-in", {"email": ordinary["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor/set-up"


async def test_sign_in_and_failure_are_audited_without_the_typed_email(client, make_user):
    user = await make_user(Role.STAFF)
    await client.post(
        "/sign-in", {"email": user["email"], "password": "wrong password here"}, expected=400
    )
    await sign_in(client, user)
    events = (
        await AuditEvent.select()
        .where(AuditEvent.object_id == str(user["id"]))
        .order_by(AuditEvent.id)
    )
    actions = [event["action"] for event in events]
    assert "sign_in_failed" in actions and actions[-1] == "sign_in"
    assert all(user["email"] not in str(event) for event in events)
    sign_in_events = [event for event in events if event["action"].startswith("sign_in")]
    assert all(len(event["client_hash"]) == 64 for event in sign_in_events)
    assert all("203.0.113.7" not in str(event) for event in sign_in_events)


async def test_in_demo_mode_the_sign_in_page_lists_the_demo_accounts_and_password(make_client):
    from panel.accounts.services import DEMO_PASSWORD

    demo = make_client(settings=settings_for(PANEL_DEMO="true"))
    page = await demo.get("/sign-in")
    accounts = html.summary_list(html.section(page, "Demo accounts"))
    assert accounts["Staff"] == "staff@demo.example"
    assert accounts["Administrator"] == "admin@demo.example"
    assert accounts["Panel member"] == "member@demo.example"
    assert html.text(page, ".panel-demo-password") == DEMO_PASSWORD
    # Not in a real service.
    ordinary = await make_client().get("/sign-in")
    assert not html.select(ordinary, ".panel-demo-password")
    assert DEMO_PASSWORD not in ordinary.text
