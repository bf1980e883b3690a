"""Two-factor codes cannot be guessed: wrong codes are counted per session and per account in the
database, the half-signed-in session ends after 5, the account's code step locks for 15 minutes
after 10 in an hour, only ASCII digits are a code, and keys are stored sealed (issue: hardening,
point 3)."""

from __future__ import annotations

from datetime import timedelta

import pyotp

from panel.accounts.rules import Role
from panel.accounts.sealing import unseal
from panel.accounts.services import now_utc
from panel.accounts.tables import TwoFactorFailure, User, WebSession
from panel.audit.tables import AuditEvent
from tests.integration.conftest import PASSWORD, csrf_token_in
from tests.support import html


def wrong_code(secret: str) -> str:
    """A six-digit code that is not right now, nor a step either side."""
    totp = pyotp.TOTP(secret)
    now = now_utc().timestamp()
    right = {totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in right)


async def half_signed_in(client, user) -> None:
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    assert response.headers["location"] == "/two-factor"


async def test_five_wrong_codes_end_the_half_signed_in_session(client, make_user):
    user = await make_user(Role.STAFF)
    await half_signed_in(client, user)
    for _ in range(4):
        response = await client.post("/two-factor", {"code": wrong_code(user["totp_secret"])}, 400)
        assert html.field_error(response, "code").startswith("That code is not right")
    response = await client.post("/two-factor", {"code": wrong_code(user["totp_secret"])})
    assert response.headers["location"] == "/sign-in?codes=1"
    page = await client.get("/sign-in?codes=1")
    assert html.text(page, "main .govuk-inset-text") == (
        "A wrong code was entered too many times. Sign in again to get a new chance."
    )
    # The right code is no use now: the session that could have used it has ended.
    response = await client.http.post(
        "/two-factor", data={"code": pyotp.TOTP(user["totp_secret"]).now()}
    )
    assert response.status_code in {303, 403}
    assert response.headers.get("location", "/sign-in").startswith("/sign-in")
    assert not await WebSession.exists().where(
        WebSession.user == user["id"], WebSession.ended_at.is_null()
    )
    assert await TwoFactorFailure.count().where(TwoFactorFailure.user == user["id"]) == 5


async def test_ten_wrong_codes_in_an_hour_lock_the_account_even_to_the_right_code(
    client, make_client, make_user
):
    user = await make_user(Role.STAFF)
    # Two sessions of five wrong codes each, as an attacker with the password would do.
    for attempt in range(2):
        browser = client if attempt == 0 else make_client()
        await half_signed_in(browser, user)
        for _ in range(5):
            await browser.http.post(
                "/two-factor",
                data={
                    "code": wrong_code(user["totp_secret"]),
                    "_csrf_token": await csrf_of(browser, "/two-factor"),
                },
            )
    assert await AuditEvent.exists().where(
        AuditEvent.action == "two_factor_locked", AuditEvent.object_id == str(user["id"])
    )

    browser = make_client()
    await half_signed_in(browser, user)
    right = pyotp.TOTP(user["totp_secret"]).now()
    response = await browser.post("/two-factor", {"code": right}, expected=400)
    assert html.field_error(response, "code").startswith("Too many wrong codes have been entered")
    assert html.title(response).startswith("Error: Enter your code")

    # Fifteen minutes on, the right code works again.
    await TwoFactorFailure.update(
        {TwoFactorFailure.at: TwoFactorFailure.at - timedelta(minutes=16)}, force=True
    )
    response = await browser.post("/two-factor", {"code": right})
    assert response.headers["location"] == "/staff"


async def csrf_of(browser, path: str) -> str:
    page = await browser.http.get(path)
    return csrf_token_in(page.text)


async def test_digits_of_other_scripts_are_a_form_error_not_a_server_error(client, make_user):
    user = await make_user(Role.STAFF)
    await half_signed_in(client, user)
    for code in ("١٢٣٤٥٦", "\uff11\uff12\uff13\uff14\uff15\uff16", "۱۲۳۴۵۶"):
        response = await client.post("/two-factor", {"code": code}, expected=400)
        assert html.field_error(response, "code") == "The code must be 6 digits, like 123456"


async def test_two_factor_keys_are_stored_sealed(client, make_user, settings):
    user = await make_user(Role.FACILITATOR, with_two_factor=False)
    await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    page = await client.get("/two-factor/set-up")
    secret = "".join(html.text(page, "#setup-key").split())
    [session] = await WebSession.select().where(WebSession.user == user["id"])
    assert secret not in str(session)
    assert unseal(settings.secret_key, session["pending_totp_sealed"]) == secret
    # A reload shows the same key.
    again = await client.get("/two-factor/set-up")
    assert secret in again.text.replace(" ", "")

    await client.post("/two-factor/set-up", {"code": pyotp.TOTP(secret).now()})
    row = await User.select().where(User.id == user["id"]).first()
    assert secret not in str(row)
    assert unseal(settings.secret_key, row["totp_secret_sealed"]) == secret


async def test_a_key_sealed_with_another_secret_key_asks_for_a_reset(client, make_user):
    from panel.accounts.sealing import seal

    user = await make_user(Role.STAFF)
    await User.update(
        {User.totp_secret_sealed: seal("an old secret key" * 3, user["totp_secret"])}
    ).where(User.id == user["id"])
    await half_signed_in(client, user)
    response = await client.post(
        "/two-factor", {"code": pyotp.TOTP(user["totp_secret"]).now()}, expected=400
    )
    assert html.field_error(response, "code").startswith(
        "Two-factor sign-in for this account must be set"
    )
