"""The pages of invitations: the invitee's page behind their personal link (no sign-in), the same
page in the portal under "Invitations", the calendar file, and the staff page of an engagement's
invitations, where they are sent and support is marked as arranged."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import MEMBERS_ONLY, PUBLIC, STAFF, actor_of, signed_in_viewer
from panel.engagements.services import NoSuchEngagement, engagement_record
from panel.invitations import forms, services
from panel.invitations.rules import STATUS_WORDS, Answer
from panel.members.rules import ACCESS_NEEDS
from panel.members.services import NoSuchMember
from panel.portal.services import membership_of
from panel.reviews.services import reviews_of_reviewer
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values, form_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]

DONE_WORDS = {
    "accepted": "Thank you. You have a place: we look forward to seeing you.",
    "waiting": (
        "Thank you. Every place has been taken, so you are on the waiting list. "
        "We will email you if a place comes free."
    ),
    "declined": "Thank you for letting us know. We will invite you to other things.",
    "cancelled": "Thank you for letting us know. We have freed your place for someone else.",
}


def answer_page(
    request: Req,
    view: services.InvitationView,
    actions: dict[str, str],
    form: FormState | None = None,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Template:
    """The invitation as its member sees it, with the answers they can still give: the same page
    behind the personal link and in the portal (``actions`` are where its forms go)."""
    if form is None:
        form = FormState({"needs": list(view.recorded_needs)})
    return Template(
        "invitations/answer.html",
        context={
            "view": view,
            "actions": actions,
            "form": form,
            "done": DONE_WORDS.get(done, ""),
            "problem": problem,
            "status_words": STATUS_WORDS,
            "needs_options": ACCESS_NEEDS,
            "costs_options": forms.COSTS,
            "answers": {answer.value for answer in view.answers},
        },
        status_code=status_code,
    )


def link_actions(request: Req, token: str) -> dict[str, str]:
    return {
        name: url_for(request, f"invitations:link_{name}", token=token)
        for name in ("accept", "decline", "cancel", "calendar")
    } | {"page": url_for(request, "invitations:open", token=token), "expenses": ""}


def portal_actions(request: Req, invitation_id: int) -> dict[str, str]:
    return {
        name: url_for(request, f"invitations:mine_{name}", invitation_id=invitation_id)
        for name in ("accept", "decline", "cancel", "calendar")
    } | {
        "page": url_for(request, "invitations:mine_detail", invitation_id=invitation_id),
        "expenses": url_for(request, "expenses:claim", invitation_id=invitation_id),
    }


async def give_answer(
    request: Req,
    invitation_id: int,
    answer: Answer,
    actions: dict[str, str],
    member_id: int | None = None,
) -> Response[Any]:
    """Take the answer from the form and go back to the page, which says what happened; a form
    with mistakes, or an answer that can no longer be given, comes back saying why."""
    details = None
    if answer is Answer.ACCEPT:
        values = await form_multi_values(request)
        details, errors = forms.clean_acceptance(values)
        if details is None:
            view = await services.invitation_view(invitation_id, member_id)
            return answer_page(request, view, actions, FormState(values, errors), status_code=400)
    else:
        await form_values(request)  # read (and CSRF-checked) like any form
    try:
        status = await services.answer_invitation(
            invitation_id,
            answer,
            actor_of(request),
            settings_of(request),
            details=details,
            member_id=member_id,
        )
    except services.AnswerRefused as refused:
        view = await services.invitation_view(invitation_id, member_id)
        return answer_page(request, view, actions, problem=str(refused), status_code=409)
    return Redirect(f"{actions['page']}?done={status.value}", status_code=303)


def calendar_response(view: services.InvitationView, request: Req) -> Response[bytes]:
    if not view.coming:
        raise services.NoSuchInvitation()
    return Response(
        services.calendar_file(view, settings_of(request)),
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="meeting.ics"'},
    )


class InvitationLinkController(Controller):
    """Behind the personal link in an invitation email: no sign-in, one invitation only."""

    path = "/invitation/{token:str}"
    opt = PUBLIC
    exception_handlers = {services.NoSuchInvitation: not_found}

    @get("/", name="invitations:open")
    async def open(self, request: Req, token: FromPath[str], done: FromQuery[str] = "") -> Template:
        invitation_id = await services.invitation_for_link(token)
        view = await services.invitation_view(invitation_id)
        return answer_page(request, view, link_actions(request, token), done=done)

    async def answer(self, request: Req, token: str, answer: Answer) -> Response[Any]:
        invitation_id = await services.invitation_for_link(token)
        return await give_answer(request, invitation_id, answer, link_actions(request, token))

    @post("/accept", name="invitations:link_accept")
    async def accept(self, request: Req, token: FromPath[str]) -> Response[Any]:
        return await self.answer(request, token, Answer.ACCEPT)

    @post("/decline", name="invitations:link_decline")
    async def decline(self, request: Req, token: FromPath[str]) -> Response[Any]:
        return await self.answer(request, token, Answer.DECLINE)

    @post("/cancel", name="invitations:link_cancel")
    async def cancel(self, request: Req, token: FromPath[str]) -> Response[Any]:
        return await self.answer(request, token, Answer.CANCEL)

    @get("/meeting.ics", name="invitations:link_calendar")
    async def calendar(self, request: Req, token: FromPath[str]) -> Response[bytes]:
        view = await services.invitation_view(await services.invitation_for_link(token))
        return calendar_response(view, request)


async def my_member_id(request: Req) -> int:
    return (await membership_of(signed_in_viewer(request).user_id)).member_id


class MyInvitationsController(Controller):
    """A member's invitations in the portal: their own only, found from the signed-in account."""

    path = "/my-panel/invitations"
    opt = MEMBERS_ONLY
    exception_handlers = {services.NoSuchInvitation: not_found, NoSuchMember: not_found}

    @get("/", name="invitations:mine")
    async def mine(self, request: Req) -> Template:
        lines = await services.member_invitations(await my_member_id(request))
        reviews = await reviews_of_reviewer(signed_in_viewer(request).user_id)
        return Template(
            "invitations/mine.html",
            context={"lines": lines, "status_words": STATUS_WORDS, "reviews": reviews},
        )

    @get("/{invitation_id:int}", name="invitations:mine_detail")
    async def detail(
        self, request: Req, invitation_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        view = await services.invitation_view(invitation_id, await my_member_id(request))
        return answer_page(request, view, portal_actions(request, invitation_id), done=done)

    async def answer(self, request: Req, invitation_id: int, answer: Answer) -> Response[Any]:
        member_id = await my_member_id(request)
        return await give_answer(
            request, invitation_id, answer, portal_actions(request, invitation_id), member_id
        )

    @post("/{invitation_id:int}/accept", name="invitations:mine_accept")
    async def accept(self, request: Req, invitation_id: FromPath[int]) -> Response[Any]:
        return await self.answer(request, invitation_id, Answer.ACCEPT)

    @post("/{invitation_id:int}/decline", name="invitations:mine_decline")
    async def decline(self, request: Req, invitation_id: FromPath[int]) -> Response[Any]:
        return await self.answer(request, invitation_id, Answer.DECLINE)

    @post("/{invitation_id:int}/cancel", name="invitations:mine_cancel")
    async def cancel(self, request: Req, invitation_id: FromPath[int]) -> Response[Any]:
        return await self.answer(request, invitation_id, Answer.CANCEL)

    @get("/{invitation_id:int}/meeting.ics", name="invitations:mine_calendar")
    async def calendar(self, request: Req, invitation_id: FromPath[int]) -> Response[bytes]:
        view = await services.invitation_view(invitation_id, await my_member_id(request))
        return calendar_response(view, request)


class StaffInvitationsController(Controller):
    path = "/staff/engagements/{engagement_id:int}/invitations"
    opt = STAFF
    exception_handlers = {NoSuchEngagement: not_found, services.NoSuchInvitation: not_found}

    @get("/", name="invitations:staff")
    async def show(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        return await staff_page(request, engagement_id, done=done)

    @post("/send", name="invitations:send")
    async def send(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        await form_values(request)
        try:
            sent = await services.send_invitations(
                engagement_id, actor_of(request), settings_of(request)
            )
        except services.InvitingRefused as refused:
            return await staff_page(request, engagement_id, problem=str(refused), status_code=409)
        path = url_for(request, "invitations:staff", engagement_id=engagement_id)
        return Redirect(f"{path}?done=sent-{sent.invited}-{sent.not_now}", status_code=303)

    @post("/{invitation_id:int}/support", name="invitations:support")
    async def support(
        self, request: Req, engagement_id: FromPath[int], invitation_id: FromPath[int]
    ) -> Response[Any]:
        values = await form_values(request)
        await services.arrange_support(
            engagement_id, invitation_id, values.get("arranged") == "yes", actor_of(request)
        )
        path = url_for(request, "invitations:staff", engagement_id=engagement_id)
        return Redirect(f"{path}?done=support", status_code=303)


async def staff_page(
    request: Req, engagement_id: int, done: str = "", problem: str = "", status_code: int = 200
) -> Template:
    engagement = await engagement_record(engagement_id)
    found = await services.engagement_invitations(engagement_id)
    sent = None
    if done.startswith("sent-"):
        parts = done.split("-")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            sent = (int(parts[1]), int(parts[2]))
    return Template(
        "invitations/staff.html",
        context={
            "engagement": engagement,
            "found": found,
            "status_words": STATUS_WORDS,
            "done": done,
            "sent": sent,
            "problem": problem,
        },
        status_code=status_code,
    )
