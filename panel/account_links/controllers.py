"""The pages of single-use links emailed to an account's owner: asking for a link to choose a new
password or to sign in (the answer is the same whatever happened), and using one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath
from litestar.response import Redirect, Template

from panel.account_links import services
from panel.accounts import forms
from panel.accounts.access import PUBLIC, actor_of, after_sign_in, passwords_of, viewer_of
from panel.web.context import settings_of
from panel.web.forms import FormState, form_values
from panel.web.links import url_for
from panel.web.sessions import cleared_session_cookie

Req = Request[Any, Any, Any]


class SignInLinkController(Controller):
    """Members who chose "email me a sign-in link each time" (or who forgot their password) sign in
    with a single-use link. The link page asks for a click, so a mail scanner cannot use it up."""

    @get("/sign-in/link", name="account_links:sign_in_link", opt=PUBLIC)
    async def show(self) -> Template:
        return Template("account_links/sign_in_link.html", context={"form": FormState()})

    @post("/sign-in/link", name="account_links:sign_in_link_submit", opt=PUBLIC)
    async def submit(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        email, errors = forms.clean_email_only(values)
        if email is None:
            return Template(
                "account_links/sign_in_link.html",
                context={"form": FormState(values, errors)},
                status_code=400,
            )
        # As with resets, the work happens after the answer, so a known email is not slower.
        return Redirect(
            url_for(request, "account_links:sign_in_link_sent"),
            status_code=303,
            background=BackgroundTask(
                services.request_sign_in_link, email, settings_of(request), actor_of(request)
            ),
        )

    @get("/sign-in/link/sent", name="account_links:sign_in_link_sent", opt=PUBLIC)
    async def sent(self) -> Template:
        return Template("account_links/sign_in_link_sent.html")

    @get("/sign-in/link/{token:str}", name="account_links:sign_in_link_open", opt=PUBLIC)
    async def open_link(self, token: FromPath[str]) -> Template:
        if not await services.sign_in_link_is_usable(token):
            return Template("account_links/sign_in_link_expired.html", status_code=404)
        return Template("account_links/sign_in_link_open.html", context={"token": token})

    @post("/sign-in/link/{token:str}", name="account_links:sign_in_link_use", opt=PUBLIC)
    async def use_link(self, request: Req, token: FromPath[str]) -> Response[Any]:
        viewer = viewer_of(request)
        result = await services.sign_in_with_link(
            token, actor_of(request), replaces=viewer.session_id if viewer else None
        )
        if result is None:
            return Template("account_links/sign_in_link_expired.html", status_code=404)
        return after_sign_in(request, result, "")


class PasswordResetController(Controller):
    @get("/forgot-password", name="account_links:forgot_password", opt=PUBLIC)
    async def show(self) -> Template:
        return Template("account_links/forgot_password.html", context={"form": FormState()})

    @post("/forgot-password", name="account_links:forgot_password_submit", opt=PUBLIC)
    async def submit(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        email, errors = forms.clean_email_only(values)
        if email is None:
            return Template(
                "account_links/forgot_password.html",
                context={"form": FormState(values, errors)},
                status_code=400,
            )
        # The work happens after the answer is sent, so a known email takes no longer to answer.
        return Redirect(
            url_for(request, "account_links:forgot_password_sent"),
            status_code=303,
            background=BackgroundTask(
                services.request_password_reset, email, settings_of(request), actor_of(request)
            ),
        )

    @get("/forgot-password/sent", name="account_links:forgot_password_sent", opt=PUBLIC)
    async def sent(self) -> Template:
        return Template("account_links/forgot_password_sent.html")

    @get("/reset-password/{token:str}", name="account_links:reset_password", opt=PUBLIC)
    async def show_reset(self, token: FromPath[str]) -> Template:
        reset = await services.user_for_reset_token(token)
        if reset is None:
            return Template("account_links/reset_link_expired.html", status_code=404)
        return Template(
            "account_links/reset_password.html",
            context={
                "form": FormState(),
                "token": token,
                "first_password": reset["first_password"],
            },
        )

    @post("/reset-password/{token:str}", name="account_links:reset_password_submit", opt=PUBLIC)
    async def submit_reset(self, request: Req, token: FromPath[str]) -> Response[Any]:
        reset = await services.user_for_reset_token(token)
        if reset is None:
            return Template("account_links/reset_link_expired.html", status_code=404)
        settings = settings_of(request)
        values = await form_values(request)
        password, errors = forms.clean_new_password(values, reset["email"], settings.service_name)
        if password is None:
            return Template(
                "account_links/reset_password.html",
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
            return Template("account_links/reset_link_expired.html", status_code=404)
        return Redirect(
            url_for(request, "account_links:password_changed"),
            status_code=303,
            cookies=[cleared_session_cookie(settings)],
        )

    @get("/password-changed", name="account_links:password_changed", opt=PUBLIC)
    async def changed(self) -> Template:
        return Template("account_links/password_changed.html")
