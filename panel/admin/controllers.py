"""The admin's pages: the staff accounts (adding someone, their role, their two-factor) and the
audit log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.account_links.services import invite_user
from panel.accounts import services
from panel.accounts.access import ADMIN_ONLY, actor_of, passwords_of
from panel.accounts.rules import ROLE_LABELS, Role
from panel.admin import forms
from panel.admin.audit_words import Link, Part
from panel.admin.services import AuditPage, browse_events
from panel.audit.services import ACTIONS
from panel.web.context import settings_of
from panel.web.forms import FormState, form_values, plain_text
from panel.web.links import url_for

Req = Request[Any, Any, Any]


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
                await invite_user(
                    cleaned.email,
                    cleaned.role,
                    settings_of(request),
                    passwords_of(request),
                    actor_of(request),
                )
            except services.AccountError as error:
                errors = {"email": str(error)}
            else:
                return Redirect(url_for(request, "admin:users") + "?done=invited", status_code=303)
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
                return Redirect(
                    url_for(request, "admin:user_detail", user_id=user_id) + "?done=role",
                    status_code=303,
                )
        errors = errors or {"role": "Select a role"}
        return await self.detail_page(user_id, FormState(values, errors), status_code=400)

    @post("/{user_id:int}/two-factor-reset", name="admin:user_two_factor_reset")
    async def reset_two_factor(self, request: Req, user_id: FromPath[int]) -> Response[Any]:
        if await services.get_user(user_id) is None:
            raise NotFoundException()
        await services.reset_two_factor(user_id, actor_of(request))
        return Redirect(
            url_for(request, "admin:user_detail", user_id=user_id) + "?done=two_factor",
            status_code=303,
        )


def linked(request: Req, part: Part) -> dict[str, str]:
    """Words of the audit log, with where they link to when they name a record or an account."""
    if isinstance(part, Link):
        return {"text": part.text, "href": url_for(request, part.route, **part.params)}
    return {"text": part, "href": ""}


def events_shown(request: Req, result: AuditPage) -> list[dict[str, Any]]:
    return [
        {
            "at": row.at,
            "who": linked(request, row.told.who),
            "role": row.told.role,
            "what": [linked(request, part) for part in row.told.what],
        }
        for row in result.rows
    ]


class AuditController(Controller):
    path = "/admin/audit"
    opt = ADMIN_ONLY

    @get("/", name="admin:audit")
    async def index(
        self,
        request: Req,
        action: FromQuery[str] = "",
        actor: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        page: FromQuery[int] = 1,
    ) -> Template:
        values = {
            name: plain_text(value)
            for name, value in {
                "action": action,
                "actor": actor,
                "since": since,
                "until": until,
            }.items()
        }
        settings = settings_of(request)
        wanted, errors = forms.clean_filters(values, page, settings.time_zone)
        result = await browse_events(wanted, request.app.state["reference"], settings.time_zone)
        return Template(
            "admin/audit.html",
            context={
                "form": FormState(values, errors),
                "result": result,
                "events": events_shown(request, result),
                "action_options": [("", "Any action"), *ACTIONS.items()],
                "query": {k: v for k, v in values.items() if v},
            },
            status_code=400 if errors else 200,
        )
