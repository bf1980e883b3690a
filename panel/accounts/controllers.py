"""Signing in and out, two-factor, forgotten passwords, and the admin pages for users and roles."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import segno
from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from panel.accounts import forms, services
from panel.accounts.rules import ROLE_LABELS, Role, SessionStage
from panel.settings import Settings
from panel.signup.services import discard_draft
from panel.web.context import (
    actor_of,
    client_address,
    passwords_of,
    settings_of,
    signed_in_viewer,
    viewer_of,
)
from panel.web.errors import safe_next_path
from panel.web.forms import FormState, form_values
from panel.web.security import ADMIN_ONLY, EVERY_ROLE, PUBLIC
from panel.web.sessions import cleared_draft_cookie, cleared_session_cookie, session_cookie

HOME_OF_ROLE = {
    Role.ADMIN: "/admin",
    Role.STAFF: "/staff",
    Role.FACILITATOR: "/facilitator",
    Role.BOARD: "/board",
    Role.MEMBER: "/my-panel",
}

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


def destination(role: str, next_path: str) -> str:
    """Where a completed sign-in goes: back to the page asked for, or the role's home."""
    return safe_next_path(next_path) if next_path else HOME_OF_ROLE[Role(role)]


def after_sign_in(request: Req, result: services.SignIn, next_path: str) -> Redirect:
    if result.token is None or result.role is None:
        raise ValueError("a successful sign-in has a token and a role")
    settings = settings_of(request)
    if result.stage == SessionStage.TWO_FACTOR_SETUP:
        target = "/two-factor/set-up"
    elif result.stage == SessionStage.TWO_FACTOR_CHECK:
        target = "/two-factor"
    else:
        target = destination(result.role, next_path)
    if result.stage != SessionStage.COMPLETE and next_path:
        target += "?next=" + quote(safe_next_path(next_path), safe="")
    return Redirect(target, status_code=303, cookies=[session_cookie(settings, result.token)])


def signed_in_with(request: Req, token: str, next_path: str) -> Redirect:
    target = destination(signed_in_viewer(request).role, next_path)
    return Redirect(target, status_code=303, cookies=[session_cookie(settings_of(request), token)])


class SignInController(Controller):
    @get("/sign-in", name="accounts:sign_in", opt=PUBLIC)
    async def show(
        self, request: Req, timed_out: FromQuery[str] = "", codes: FromQuery[str] = ""
    ) -> Response[Any]:
        viewer = viewer_of(request)
        if viewer is not None and viewer.stage == SessionStage.COMPLETE:
            return Redirect(HOME_OF_ROLE[Role(viewer.role)], status_code=303)
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
            "/signed-out", status_code=303, cookies=[cleared_session_cookie(settings_of(request))]
        )

    @get("/signed-out", name="accounts:signed_out", opt=PUBLIC)
    async def signed_out(self) -> Template:
        return Template("accounts/signed_out.html")

    @get("/exit", name="accounts:exit", opt=PUBLIC)
    async def exit_page(self, request: Req) -> Response[Any]:
        """Exit this page: end the session, forget any sign-up answers given so far, and go to a
        neutral site. A link, so it works without JavaScript."""
        viewer = viewer_of(request)
        if viewer is not None:
            await services.sign_out(viewer, actor_of(request))
        settings = settings_of(request)
        await discard_draft(request.cookies.get(settings.draft_cookie_name))
        return Redirect(
            settings.exit_page_url,
            status_code=303,
            cookies=[cleared_session_cookie(settings), cleared_draft_cookie(settings)],
        )

    @post("/session/keep-alive", name="accounts:keep_alive", opt=EVERY_ROLE, status_code=204)
    async def keep_alive(self, request: Req) -> Response[None]:
        await services.touch_session(signed_in_viewer(request).session_id)
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @get("/home", name="accounts:home", opt=EVERY_ROLE)
    async def home(self, request: Req) -> Redirect:
        return Redirect(HOME_OF_ROLE[Role(signed_in_viewer(request).role)], status_code=303)


class SignInLinkController(Controller):
    """Members who chose "email me a sign-in link each time" (or who forgot their password) sign in
    with a single-use link. The link page asks for a click, so a mail scanner cannot use it up."""

    @get("/sign-in/link", name="accounts:sign_in_link", opt=PUBLIC)
    async def show(self) -> Template:
        return Template("accounts/sign_in_link.html", context={"form": FormState()})

    @post("/sign-in/link", name="accounts:sign_in_link_submit", opt=PUBLIC)
    async def submit(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        email, errors = forms.clean_email_only(values)
        if email is None:
            return Template(
                "accounts/sign_in_link.html",
                context={"form": FormState(values, errors)},
                status_code=400,
            )
        # As with resets, the work happens after the answer, so a known email is not slower.
        return Redirect(
            "/sign-in/link/sent",
            status_code=303,
            background=BackgroundTask(
                services.request_sign_in_link, email, settings_of(request), actor_of(request)
            ),
        )

    @get("/sign-in/link/sent", name="accounts:sign_in_link_sent", opt=PUBLIC)
    async def sent(self) -> Template:
        return Template("accounts/sign_in_link_sent.html")

    @get("/sign-in/link/{token:str}", name="accounts:sign_in_link_open", opt=PUBLIC)
    async def open_link(self, token: FromPath[str]) -> Template:
        if not await services.sign_in_link_is_usable(token):
            return Template("accounts/sign_in_link_expired.html", status_code=404)
        return Template("accounts/sign_in_link_open.html", context={"token": token})

    @post("/sign-in/link/{token:str}", name="accounts:sign_in_link_use", opt=PUBLIC)
    async def use_link(self, request: Req, token: FromPath[str]) -> Response[Any]:
        viewer = viewer_of(request)
        result = await services.sign_in_with_link(
            token, actor_of(request), replaces=viewer.session_id if viewer else None
        )
        if result is None:
            return Template("accounts/sign_in_link_expired.html", status_code=404)
        return after_sign_in(request, result, "")


def qr_code_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app"
    )


class TwoFactorController(Controller):
    @get(
        "/two-factor/set-up",
        name="accounts:two_factor_setup",
        opt={"sign_in_stage": SessionStage.TWO_FACTOR_SETUP, **EVERY_ROLE},
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
        opt={"sign_in_stage": SessionStage.TWO_FACTOR_SETUP, **EVERY_ROLE},
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
        opt={"sign_in_stage": SessionStage.TWO_FACTOR_CHECK, **EVERY_ROLE},
    )
    async def show_check(self) -> Template:
        return Template("accounts/two_factor.html", context={"form": FormState()})

    @post(
        "/two-factor",
        name="accounts:two_factor_submit",
        opt={"sign_in_stage": SessionStage.TWO_FACTOR_CHECK, **EVERY_ROLE},
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
                    "/sign-in?codes=1", status_code=303, cookies=[cleared_session_cookie(settings)]
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
            f"{until}. If you did not enter them, reset your password: someone may know it"
        )
    return "That code is not right or has been used already. Wait for a new code and enter it"


class PasswordResetController(Controller):
    @get("/forgot-password", name="accounts:forgot_password", opt=PUBLIC)
    async def show(self) -> Template:
        return Template("accounts/forgot_password.html", context={"form": FormState()})

    @post("/forgot-password", name="accounts:forgot_password_submit", opt=PUBLIC)
    async def submit(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        email, errors = forms.clean_email_only(values)
        if email is None:
            return Template(
                "accounts/forgot_password.html",
                context={"form": FormState(values, errors)},
                status_code=400,
            )
        # The work happens after the answer is sent, so a known email takes no longer to answer.
        return Redirect(
            "/forgot-password/sent",
            status_code=303,
            background=BackgroundTask(
                services.request_password_reset, email, settings_of(request), actor_of(request)
            ),
        )

    @get("/forgot-password/sent", name="accounts:forgot_password_sent", opt=PUBLIC)
    async def sent(self) -> Template:
        return Template("accounts/forgot_password_sent.html")

    @get("/reset-password/{token:str}", name="accounts:reset_password", opt=PUBLIC)
    async def show_reset(self, token: FromPath[str]) -> Template:
        reset = await services.user_for_reset_token(token)
        if reset is None:
            return Template("accounts/reset_link_expired.html", status_code=404)
        return Template(
            "accounts/reset_password.html",
            context={
                "form": FormState(),
                "token": token,
                "first_password": reset["first_password"],
            },
        )

    @post("/reset-password/{token:str}", name="accounts:reset_password_submit", opt=PUBLIC)
    async def submit_reset(self, request: Req, token: FromPath[str]) -> Response[Any]:
        reset = await services.user_for_reset_token(token)
        if reset is None:
            return Template("accounts/reset_link_expired.html", status_code=404)
        settings = settings_of(request)
        values = await form_values(request)
        password, errors = forms.clean_new_password(values, reset["email"], settings.service_name)
        if password is None:
            return Template(
                "accounts/reset_password.html",
                context={
                    "form": FormState({}, errors),
                    "token": token,
                    "first_password": reset["first_password"],
                },
                status_code=400,
            )
        if not await services.reset_password(
            token, password, settings, passwords_of(request), actor_of(request)
        ):
            return Template("accounts/reset_link_expired.html", status_code=404)
        return Redirect(
            "/password-changed", status_code=303, cookies=[cleared_session_cookie(settings)]
        )

    @get("/password-changed", name="accounts:password_changed", opt=PUBLIC)
    async def changed(self) -> Template:
        return Template("accounts/password_changed.html")


ROLE_OPTIONS = [(role.value, ROLE_LABELS[role]) for role in Role if role != Role.MEMBER]


class UserAdminController(Controller):
    path = "/admin/users"
    opt = ADMIN_ONLY

    @get("/", name="admin:users")
    async def index(self, done: FromQuery[str] = "") -> Template:
        users = await services.list_staff_users()
        return Template(
            "admin/users.html", context={"users": users, "role_labels": ROLE_LABELS, "done": done}
        )

    def new_user_page(self, form: FormState, status_code: int = 200) -> Template:
        return Template(
            "admin/user_new.html",
            context={"form": form, "role_options": [("", "Select a role"), *ROLE_OPTIONS]},
            status_code=status_code,
        )

    @get("/new", name="admin:user_new")
    async def new(self) -> Template:
        return self.new_user_page(FormState())

    @post("/new", name="admin:user_new_submit")
    async def create(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        cleaned, errors = forms.clean_new_user(values)
        if cleaned is not None:
            try:
                await services.invite_user(
                    cleaned.email,
                    cleaned.role,
                    settings_of(request),
                    passwords_of(request),
                    actor_of(request),
                )
            except services.AccountError as error:
                errors = {"email": str(error)}
            else:
                return Redirect("/admin/users?done=invited", status_code=303)
        return self.new_user_page(FormState(values, errors), status_code=400)

    async def detail_page(
        self, user_id: int, form: FormState | None = None, status_code: int = 200, done: str = ""
    ) -> Template:
        user = await services.get_user(user_id)
        if user is None or user["role"] == Role.MEMBER:
            raise NotFoundException()
        return Template(
            "admin/user_detail.html",
            context={
                "user": user,
                "has_two_factor": await services.user_has_two_factor(user_id),
                "form": form or FormState({"role": user["role"]}),
                "role_options": ROLE_OPTIONS,
                "role_labels": ROLE_LABELS,
                "done": done,
            },
            status_code=status_code,
        )

    @get("/{user_id:int}", name="admin:user_detail")
    async def detail(self, user_id: FromPath[int], done: FromQuery[str] = "") -> Template:
        return await self.detail_page(user_id, done=done)

    @post("/{user_id:int}/role", name="admin:user_role")
    async def change_role(self, request: Req, user_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        role, errors = forms.clean_role(values)
        if role is not None and role != Role.MEMBER:
            try:
                await services.change_role(user_id, role, actor_of(request))
            except services.NoSuchAccount:
                raise NotFoundException() from None
            except services.AccountError as error:
                errors = {"role": str(error)}
            else:
                return Redirect(f"/admin/users/{user_id}?done=role", status_code=303)
        errors = errors or {"role": "Select a role"}
        return await self.detail_page(user_id, FormState(values, errors), status_code=400)

    @post("/{user_id:int}/two-factor-reset", name="admin:user_two_factor_reset")
    async def reset_two_factor(self, request: Req, user_id: FromPath[int]) -> Response[Any]:
        if await services.get_user(user_id) is None:
            raise NotFoundException()
        await services.reset_two_factor(user_id, actor_of(request))
        return Redirect(f"/admin/users/{user_id}?done=two_factor", status_code=303)
