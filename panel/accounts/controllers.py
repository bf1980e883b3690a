"""Signing in and out, two-factor, keeping a session alive."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import segno
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from panel.accounts import forms, services
from panel.accounts.access import (
    CHECKING_TWO_FACTOR,
    EVERY_ROLE,
    PUBLIC,
    SETTING_UP_TWO_FACTOR,
    actor_of,
    after_sign_in,
    home_of,
    passwords_of,
    signed_in_viewer,
    signed_in_with,
    viewer_of,
)
from panel.accounts.rules import SessionStage
from panel.settings import Settings
from panel.web.context import client_address, settings_of
from panel.web.forms import FormState, form_values
from panel.web.links import url_for
from panel.web.sessions import cleared_session_cookie
from panel.web.templating import TIME_ZONE_LABEL

SIGN_IN_REFUSED = "Enter a correct email address and password"
SIGN_IN_THROTTLED = (
    "You have tried to sign in too many times. Wait 15 minutes, then try again, "
    "or reset your password"
)

Req = Request[Any, Any, Any]


def sign_in_page(form: FormState, status_code: int = 200, notice: str = "") -> Template:
    return Template(
        "accounts/sign_in.html", context={"form": form, "notice": notice}, status_code=status_code
    )


class SignInController(Controller):
    @get("/sign-in", name="accounts:sign_in", opt=PUBLIC)
    async def show(
        self, request: Req, timed_out: FromQuery[str] = "", codes: FromQuery[str] = ""
    ) -> Response[Any]:
        viewer = viewer_of(request)
        if viewer is not None and viewer.stage == SessionStage.COMPLETE:
            return Redirect(home_of(request, viewer.role), status_code=303)
        if codes:
            notice = "A wrong code was entered too many times. Sign in again to get a new chance."
        elif timed_out:
            notice = "You were signed out because you had not done anything for a while."
        else:
            notice = ""
        return sign_in_page(FormState(), notice=notice)

    @post("/sign-in", name="accounts:sign_in_submit", opt=PUBLIC)
    async def submit(self, request: Req, next: FromQuery[str] = "") -> Response[Any]:
        values = await form_values(request)
        cleaned, errors = forms.clean_sign_in(values)
        form = FormState(values={"email": values.get("email", "")}, errors=errors)
        if cleaned is None:
            return sign_in_page(form, status_code=400)
        viewer = viewer_of(request)
        result = await services.sign_in(
            cleaned.email,
            cleaned.password,
            client_address(request),
            settings_of(request),
            passwords_of(request),
            replaces=viewer.session_id if viewer else None,
        )
        if result.outcome == services.SignInOutcome.SIGNED_IN:
            return after_sign_in(request, result, next)
        message = (
            SIGN_IN_THROTTLED
            if result.outcome == services.SignInOutcome.THROTTLED
            else SIGN_IN_REFUSED
        )
        form.errors = {"email": message}
        return sign_in_page(form, status_code=400)

    @post("/sign-out", name="accounts:sign_out", opt=PUBLIC)
    async def sign_out(self, request: Req) -> Response[Any]:
        viewer = viewer_of(request)
        if viewer is not None:
            await services.sign_out(viewer, actor_of(request))
        return Redirect(
            url_for(request, "accounts:signed_out"),
            status_code=303,
            cookies=[cleared_session_cookie(settings_of(request))],
        )

    @get("/signed-out", name="accounts:signed_out", opt=PUBLIC)
    async def signed_out(self) -> Template:
        return Template("accounts/signed_out.html")

    @post("/session/keep-alive", name="accounts:keep_alive", opt=EVERY_ROLE, status_code=204)
    async def keep_alive(self, request: Req) -> Response[None]:
        await services.touch_session(signed_in_viewer(request).session_id)
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @get("/home", name="accounts:home", opt=EVERY_ROLE)
    async def home(self, request: Req) -> Redirect:
        return Redirect(home_of(request, signed_in_viewer(request).role), status_code=303)


def qr_code_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app"
    )


class TwoFactorController(Controller):
    @get(
        "/two-factor/set-up",
        name="accounts:two_factor_setup",
        opt=SETTING_UP_TWO_FACTOR,
    )
    async def show_setup(self, request: Req) -> Template:
        return await self.setup_page(request, FormState())

    async def setup_page(self, request: Req, form: FormState, status_code: int = 200) -> Template:
        viewer = signed_in_viewer(request)
        secret = await services.prepare_two_factor_setup(viewer, settings_of(request))
        uri = services.provisioning_uri(secret, viewer.email, settings_of(request))
        return Template(
            "accounts/two_factor_setup.html",
            context={
                "form": form,
                "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
                "qr_svg": qr_code_svg(uri),
            },
            status_code=status_code,
        )

    @post(
        "/two-factor/set-up",
        name="accounts:two_factor_setup_submit",
        opt=SETTING_UP_TWO_FACTOR,
    )
    async def submit_setup(self, request: Req, next: FromQuery[str] = "") -> Response[Any]:
        values = await form_values(request)
        code, errors = forms.clean_code(values)
        if code is not None:
            token = await services.confirm_two_factor_setup(
                signed_in_viewer(request), code, settings_of(request), actor_of(request)
            )
            if token:
                return signed_in_with(request, token, next)
            errors = {
                "code": "That code is not right. Check your app and enter the code it shows now"
            }
        return await self.setup_page(request, FormState(values, errors), status_code=400)

    @get(
        "/two-factor",
        name="accounts:two_factor",
        opt=CHECKING_TWO_FACTOR,
    )
    async def show_check(self) -> Template:
        return Template("accounts/two_factor.html", context={"form": FormState()})

    @post(
        "/two-factor",
        name="accounts:two_factor_submit",
        opt=CHECKING_TWO_FACTOR,
    )
    async def submit_check(self, request: Req, next: FromQuery[str] = "") -> Response[Any]:
        values = await form_values(request)
        code, errors = forms.clean_code(values)
        if code is not None:
            settings = settings_of(request)
            check = await services.check_two_factor(
                signed_in_viewer(request), code, settings, actor_of(request)
            )
            if check.outcome is services.CodeOutcome.SIGNED_IN and check.token:
                return signed_in_with(request, check.token, next)
            if check.outcome is services.CodeOutcome.SESSION_ENDED:
                return Redirect(
                    url_for(request, "accounts:sign_in") + "?codes=1",
                    status_code=303,
                    cookies=[cleared_session_cookie(settings)],
                )
            errors = {"code": code_refused_message(check, settings)}
        return Template(
            "accounts/two_factor.html", context={"form": FormState(values, errors)}, status_code=400
        )


def code_refused_message(check: services.CodeCheck, settings: Settings) -> str:
    if check.outcome is services.CodeOutcome.NEEDS_RESET:
        return (
            "Two-factor sign-in for this account must be set up again. Ask an administrator "
            "to reset it"
        )
    if check.outcome is services.CodeOutcome.LOCKED and check.until is not None:
        until = check.until.astimezone(ZoneInfo(settings.time_zone)).strftime("%H:%M")
        return (
            "Too many wrong codes have been entered for this account. Try again after "
            f"{until} ({TIME_ZONE_LABEL}). If you did not enter them, reset your password: "
            "someone may know it"
        )
    return "That code is not right or has been used already. Wait for a new code and enter it"
