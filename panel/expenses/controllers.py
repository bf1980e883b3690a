"""The expense pages: a participant claims the costs of a session from its invitation in the
portal and sees the decision there; staff list the claims, read each receipt, approve or refuse,
and export the approved claims for payment."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import MEMBERS_ONLY, STAFF, actor_of, signed_in_viewer
from panel.expenses import forms, services
from panel.expenses.rules import COST_KINDS, RECEIPT_EXTENSIONS, ClaimStatus
from panel.imports.rules import size_label
from panel.members.services import NoSuchMember
from panel.portal.services import membership_of
from panel.settings import Settings
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_values, page_number, submitted_form
from panel.web.links import url_for

Req = Request[Any, Any, Any]
# What a browser sends around the file itself: the multipart headers and the other fields.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


async def my_member_id(request: Req) -> int:
    return (await membership_of(signed_in_viewer(request).user_id)).member_id


async def claim_page(
    request: Req,
    invitation_id: int,
    form: FormState | None = None,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Template:
    member_id = await my_member_id(request)
    invitation = await services.claimable_invitation(invitation_id, member_id)
    return Template(
        "expenses/claim.html",
        context={
            "invitation": invitation,
            "claims": await services.claims_for_invitation(invitation_id, member_id),
            "form": form or FormState(),
            "kinds": COST_KINDS,
            "max_size": size_label(settings_of(request).receipt_max_bytes),
            "done": done,
            "problem": problem,
        },
        status_code=status_code,
    )


def refused_here(request: Req, exc: services.ClaimRefused) -> Response[Any]:
    return Template("expenses/not_claimable.html", context={"reason": str(exc)}, status_code=409)


class MyExpensesController(Controller):
    path = "/my-panel/invitations/{invitation_id:int}/expenses"
    opt = MEMBERS_ONLY
    exception_handlers = {
        services.NoSuchClaim: not_found,
        NoSuchMember: not_found,
        services.ClaimRefused: refused_here,
    }

    @get("/", name="expenses:claim")
    async def claim(
        self, request: Req, invitation_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        return await claim_page(request, invitation_id, done=done)


async def submit_claim(request: Req, invitation_id: FromPath[int]) -> Response[Any]:
    """Check the claim and its receipt, and keep them; or show what is wrong (nothing kept)."""
    settings = settings_of(request)
    submitted = await submitted_form(request)
    values: dict[str, list[str]] = {
        name: [value for value in submitted.getall(name, []) if isinstance(value, str)]
        for name in ("kind", "amount", "description")
    }
    uploaded = submitted.get("receipt")
    receipt = None
    if isinstance(uploaded, UploadFile) and uploaded.filename:
        try:
            receipt = await uploaded.read(settings.receipt_max_bytes + 1)
        finally:
            await uploaded.close()
    claim, errors = forms.clean_claim(
        values, receipt, settings.receipt_max_bytes, size_label(settings.receipt_max_bytes)
    )
    if claim is None:
        return await claim_page(request, invitation_id, FormState(values, errors), status_code=400)
    member_id = await my_member_id(request)
    await services.submit_claim(invitation_id, member_id, claim, actor_of(request))
    path = url_for(request, "expenses:claim", invitation_id=invitation_id)
    return Redirect(f"{path}?done=claimed", status_code=303)


def too_large(request: Req, exc: Exception) -> Response[Any]:
    return Template(
        "expenses/too_large.html",
        context={"max_size": size_label(settings_of(request).receipt_max_bytes)},
        status_code=413,
    )


def claim_route(settings: Settings) -> HTTPRouteHandler:
    """The one member route allowed a body larger than the app's limit: the receipt, up to
    ``PANEL_RECEIPT_MAX_BYTES``, and the form around it."""
    return post(
        "/my-panel/invitations/{invitation_id:int}/expenses",
        name="expenses:submit",
        opt=MEMBERS_ONLY,
        request_max_body_size=settings.receipt_max_bytes + UPLOAD_OVERHEAD_BYTES,
        exception_handlers={
            RequestEntityTooLarge: too_large,
            services.NoSuchClaim: not_found,
            NoSuchMember: not_found,
            services.ClaimRefused: refused_here,
        },
    )(submit_claim)


class StaffExpensesController(Controller):
    path = "/staff/expenses"
    opt = STAFF
    exception_handlers = {services.NoSuchClaim: not_found}

    @get("/", name="expenses:index")
    async def index(self, show: FromQuery[str] = "", page: FromQuery[str] = "1") -> Template:
        status = ClaimStatus(show) if show in ClaimStatus._value2member_map_ else None
        found = await services.list_claims(status, page_number(page))
        return Template(
            "expenses/index.html",
            context={
                "found": found,
                "show": status.value if status else "",
                "statuses": ClaimStatus,
            },
        )

    @get("/approved.csv", name="expenses:export")
    async def export(self, request: Req) -> Response[str]:
        return Response(
            await services.approved_claims_csv(actor_of(request)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="approved-expenses.csv"'},
        )

    @get("/{claim_id:int}", name="expenses:detail")
    async def detail(
        self, request: Req, claim_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        return await decision_page(request, claim_id, FormState(), done=done)

    @post("/{claim_id:int}", name="expenses:decide")
    async def decide(self, request: Req, claim_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        decision, errors = forms.clean_decision(values)
        if decision is None:
            return await decision_page(
                request, claim_id, FormState(values, errors), status_code=400
            )
        approve, reason = decision
        try:
            await services.decide_claim(claim_id, approve, reason, actor_of(request))
        except services.ClaimRefused as refused:
            return await decision_page(
                request, claim_id, FormState(values), problem=str(refused), status_code=409
            )
        path = url_for(request, "expenses:detail", claim_id=claim_id)
        return Redirect(f"{path}?done=decided", status_code=303)

    @get("/{claim_id:int}/receipt", name="expenses:receipt")
    async def receipt(self, request: Req, claim_id: FromPath[int]) -> Response[bytes]:
        content, media_type = await services.receipt_of(claim_id, actor_of(request))
        extension = RECEIPT_EXTENSIONS.get(media_type, "pdf")
        return Response(
            content,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="receipt-{claim_id}.{extension}"',
                "X-Content-Type-Options": "nosniff",
            },
        )


async def decision_page(
    request: Req,
    claim_id: int,
    form: FormState,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Template:
    return Template(
        "expenses/detail.html",
        context={
            "claim": await services.claim_for_staff(claim_id),
            "form": form,
            "done": done,
            "problem": problem,
        },
        status_code=status_code,
    )


def expense_routes(settings: Settings) -> list[Any]:
    return [MyExpensesController, StaffExpensesController, claim_route(settings)]
