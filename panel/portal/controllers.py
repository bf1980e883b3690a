"""The member's own pages under /my-panel. Each finds the member from the signed-in account, never
from an id in the address, so no one can reach another member's information by changing a URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from panel.accounts.access import MEMBERS_ONLY, PUBLIC, actor_of, signed_in_viewer
from panel.consent.rules import Purpose
from panel.members import forms as member_forms
from panel.members.reference import reference_of
from panel.members.rules import PAUSE_LENGTHS, usable_channels
from panel.members.services import NoSuchMember
from panel.portal import forms, services
from panel.web.context import settings_of
from panel.web.errors import error_page
from panel.web.forms import FormState, form_multi_values
from panel.web.links import url_for
from panel.web.sessions import cleared_session_cookie

Req = Request[Any, Any, Any]


def user_id_of(request: Req) -> int:
    return signed_in_viewer(request).user_id


def email_of(request: Req) -> str:
    return signed_in_viewer(request).email


def purpose_from_path(value: str) -> Purpose:
    try:
        return Purpose(value)
    except ValueError:
        raise NotFoundException() from None


def no_membership(request: Req, exc: NoSuchMember) -> Response[Any]:
    return error_page(request, 404)


def back_home(request: Req, done: str = "", **more: str) -> Redirect:
    """To the member's home page, which says what was done (and ``more`` about it)."""
    query = urlencode({"done": done, **more}) if done else ""
    return Redirect(
        url_for(request, "portal:home") + (f"?{query}" if query else ""), status_code=303
    )


def decided_redirect(request: Req, purpose: Purpose, given: bool, ways_changed: bool) -> Redirect:
    """Back to "What I have agreed to", which says what was decided and what followed from it."""
    query = {"done": "given" if given else "withdrawn", "purpose": purpose.value}
    if ways_changed:
        query["ways"] = "changed"
    return Redirect(url_for(request, "portal:consents") + "?" + urlencode(query), status_code=303)


class MemberPortalController(Controller):
    path = "/my-panel"
    opt = MEMBERS_ONLY
    exception_handlers = {NoSuchMember: no_membership}

    @get("/", name="portal:home")
    async def home(
        self,
        request: Req,
        later: FromQuery[str] = "",
        done: FromQuery[str] = "",
        stopped: FromQuery[str] = "",
        usable: FromQuery[str] = "",
        moved: FromQuery[str] = "",
        ways: FromQuery[str] = "",
    ) -> Response[Any]:
        try:
            mine = await services.my_consents(
                user_id_of(request), settings_of(request), with_history=False
            )
        except NoSuchMember:
            return Template("portal/home.html", context={"mine": None})
        # Sign-in lands here: changed wording is put to the member first, unless they put it off.
        if mine.needing_confirmation and not later:
            return Redirect(url_for(request, "portal:reconfirm"), status_code=303)
        change = forms.details_change_from(stopped, usable, moved)
        return Template(
            "portal/home.html",
            context={"mine": mine, "done": done, "change": change, "ways_changed": bool(ways)},
        )

    # What they have agreed to

    @get("/consents", name="portal:consents")
    async def consents(
        self,
        request: Req,
        done: FromQuery[str] = "",
        purpose: FromQuery[str] = "",
        ways: FromQuery[str] = "",
    ) -> Template:
        mine = await services.my_consents(user_id_of(request), settings_of(request))
        decided = next((c for c in mine.consents if c.purpose.value == purpose), None)
        return Template(
            "portal/consents.html",
            context={
                "mine": mine,
                "done": done if decided else "",
                "decided": decided,
                "ways_changed": bool(ways),
                "ends_all_contact": decided is not None
                and services.ends_all_contact(decided.purpose),
            },
        )

    @post("/consents/{purpose:str}", name="portal:consent_decide")
    async def decide(self, request: Req, purpose: FromPath[str]) -> Response[Any]:
        chosen = purpose_from_path(purpose)
        given = forms.clean_consent_decision(await form_multi_values(request))
        if given is None:
            return error_page(request, HTTP_400_BAD_REQUEST)
        if chosen is Purpose.MEMBERSHIP and not given:
            # Withdrawing membership stops all contact: it is confirmed on a page of its own.
            return Redirect(url_for(request, "portal:withdraw_membership"), status_code=303)
        changed = await services.decide_consents(
            user_id_of(request), {chosen: given}, actor_of(request)
        )
        return decided_redirect(request, chosen, given, changed)

    @get("/consents/membership/withdraw", name="portal:withdraw_membership")
    async def withdraw_membership(self, request: Req) -> Response[Any]:
        mine = await services.my_consents(
            user_id_of(request), settings_of(request), with_history=False
        )
        if not mine.membership_consent.can_withdraw:
            return Redirect(url_for(request, "portal:consents"), status_code=303)
        return Template("portal/withdraw_membership.html", context={"mine": mine})

    @post("/consents/membership/withdraw", name="portal:withdraw_membership_submit")
    async def withdraw_membership_submit(self, request: Req) -> Redirect:
        await services.withdraw_membership(
            user_id_of(request), settings_of(request), actor_of(request)
        )
        return decided_redirect(request, Purpose.MEMBERSHIP, given=False, ways_changed=False)

    def reconfirm_page(
        self, mine: services.MyConsents, form: FormState, status_code: int = 200
    ) -> Template:
        return Template(
            "portal/reconfirm.html",
            context={"mine": mine, "form": form, "field_of": forms.reconfirm_field},
            status_code=status_code,
        )

    @get("/consents/confirm", name="portal:reconfirm")
    async def reconfirm(self, request: Req) -> Response[Any]:
        mine = await services.my_consents(
            user_id_of(request), settings_of(request), with_history=False
        )
        if not mine.needing_confirmation:
            return Redirect(url_for(request, "portal:consents"), status_code=303)
        return self.reconfirm_page(mine, FormState())

    @post("/consents/confirm", name="portal:reconfirm_submit")
    async def reconfirm_submit(self, request: Req) -> Response[Any]:
        settings = settings_of(request)
        mine = await services.my_consents(user_id_of(request), settings, with_history=False)
        values = await form_multi_values(request)
        titles = {c.purpose: c.wording.title for c in mine.needing_confirmation}
        decisions, errors = forms.clean_reconfirmation(values, titles)
        if decisions is None:
            return self.reconfirm_page(mine, FormState(values, errors), status_code=400)
        changed = await services.decide_consents(user_id_of(request), decisions, actor_of(request))
        return back_home(request, "confirmed", **({"ways": "changed"} if changed else {}))

    # Their details and choices: the answers sign-up asked, checked by the same code

    def profile_page(
        self, request: Req, template: str, form: FormState, status_code: int = 200, **context: Any
    ) -> Template:
        return Template(
            f"portal/{template}.html",
            context={"form": form, "reference": reference_of(request), **context},
            status_code=status_code,
        )

    @get("/details", name="portal:details")
    async def details(self, request: Req) -> Template:
        member = await services.my_member_row(user_id_of(request))
        values = member_forms.details_values(member)
        return self.profile_page(request, "details", FormState(values), email=email_of(request))

    @post("/details", name="portal:details_submit")
    async def details_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        details, errors = member_forms.clean_details(
            values, reference_of(request), with_email=False
        )
        if details is None:
            return self.profile_page(
                request, "details", FormState(values, errors), 400, email=email_of(request)
            )
        change = await services.save_details(user_id_of(request), details, actor_of(request))
        return back_home(request, "saved", **forms.details_change_query(change))

    @get("/contact", name="portal:contact")
    async def contact(self, request: Req) -> Template:
        member, rows = await services.my_contact_preferences(user_id_of(request))
        values = member_forms.safe_contact_values(rows)
        return self.profile_page(
            request, "contact", FormState(values), usable=usable_channels(member)
        )

    @post("/contact", name="portal:contact_submit")
    async def contact_submit(self, request: Req) -> Response[Any]:
        member, _ = await services.my_contact_preferences(user_id_of(request))
        usable = usable_channels(member)
        values = await form_multi_values(request)
        contact, errors = member_forms.clean_safe_contact(
            values, require_safe_email=False, usable=usable
        )
        if contact is None:
            form = FormState(values, errors)
            return self.profile_page(request, "contact", form, 400, usable=usable)
        await services.save_safe_contact(user_id_of(request), contact, actor_of(request))
        return back_home(request, "saved")

    @get("/access-needs", name="portal:access_needs")
    async def access_needs(self, request: Req) -> Template:
        row = await services.my_access_needs(user_id_of(request))
        return self.profile_page(
            request, "access_needs", FormState(member_forms.access_needs_values(row))
        )

    @post("/access-needs", name="portal:access_needs_submit")
    async def access_needs_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        access, errors = member_forms.clean_access_needs(values)
        if access is None:
            return self.profile_page(request, "access_needs", FormState(values, errors), 400)
        await services.save_access_needs(user_id_of(request), access, actor_of(request))
        return back_home(request, "saved")

    @get("/taking-part", name="portal:taking_part")
    async def taking_part(self, request: Req) -> Template:
        member = await services.my_member_row(user_id_of(request))
        values = member_forms.taking_part_values(member["ways_to_take_part"], member["formats"])
        return self.profile_page(request, "taking_part", FormState(values))

    @post("/taking-part", name="portal:taking_part_submit")
    async def taking_part_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        taking_part, errors = member_forms.clean_taking_part(values)
        if taking_part is None:
            return self.profile_page(request, "taking_part", FormState(values, errors), 400)
        await services.save_taking_part(user_id_of(request), taking_part, actor_of(request))
        return back_home(request, "saved")

    @get("/experience", name="portal:experience")
    async def experience(self, request: Req) -> Template:
        row = await services.my_experience(user_id_of(request))
        return self.profile_page(
            request, "experience", FormState(member_forms.experience_values(row))
        )

    @post("/experience", name="portal:experience_submit")
    async def experience_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        experience, errors = member_forms.clean_experience(values, reference_of(request))
        if experience is None:
            return self.profile_page(request, "experience", FormState(values, errors), 400)
        await services.save_experience(user_id_of(request), experience, actor_of(request))
        return back_home(request, "saved")

    @get("/equality", name="portal:equality")
    async def equality(self, request: Req) -> Template:
        row, wording = await services.my_equality(user_id_of(request))
        values = member_forms.equality_values(row)
        return self.profile_page(request, "equality", FormState(values), wording=wording)

    @post("/equality", name="portal:equality_submit")
    async def equality_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        equality, errors = member_forms.clean_equality(values)
        if equality is None:
            _, wording = await services.my_equality(user_id_of(request))
            form = FormState(values, errors)
            return self.profile_page(request, "equality", form, 400, wording=wording)
        if equality.skipped:
            return back_home(request)
        await services.save_equality(user_id_of(request), equality, actor_of(request))
        return back_home(request, "saved")

    # Pausing

    def pause_page(
        self, membership: services.Membership, form: FormState, status_code: int = 200
    ) -> Template:
        return Template(
            "portal/pause.html",
            context={"membership": membership, "form": form, "lengths": PAUSE_LENGTHS},
            status_code=status_code,
        )

    @get("/pause", name="portal:pause")
    async def pause(self, request: Req) -> Template:
        return self.pause_page(await services.membership_of(user_id_of(request)), FormState())

    @post("/pause", name="portal:pause_submit")
    async def pause_submit(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        length, errors = forms.clean_pause(values)
        if length is not None:
            try:
                await services.pause_membership(
                    user_id_of(request), length, settings_of(request), actor_of(request)
                )
            except services.PortalError:
                pass  # the page says why they cannot pause yet
            else:
                return back_home(request, "paused")
        membership = await services.membership_of(user_id_of(request))
        return self.pause_page(membership, FormState(values, errors), status_code=400)

    @post("/resume", name="portal:resume")
    async def resume(self, request: Req) -> Redirect:
        resumed = await services.resume_membership(user_id_of(request), actor_of(request))
        return back_home(request, "resumed" if resumed else "")

    # Their data

    @get("/data", name="portal:data")
    async def data(self, request: Req) -> Template:
        data = await services.download_my_data(
            user_id_of(request),
            reference_of(request),
            settings_of(request),
            actor_of(request),
            as_file=False,
        )
        event_words = await services.my_events_in_words(data, settings_of(request).time_zone)
        return Template("portal/data.html", context={"data": data, "event_words": event_words})

    @get("/data.json", name="portal:data_file")
    async def data_file(self, request: Req) -> Response[bytes]:
        data = await services.download_my_data(
            user_id_of(request),
            reference_of(request),
            settings_of(request),
            actor_of(request),
            as_file=True,
        )
        return Response(
            services.as_json(data),
            media_type="application/json",
            headers={"content-disposition": 'attachment; filename="my-panel-data.json"'},
        )

    # Leaving

    @get("/leave", name="portal:leave")
    async def leave(self, request: Req) -> Template:
        membership = await services.membership_of(user_id_of(request))
        return Template("portal/leave.html", context={"membership": membership})

    @post("/leave", name="portal:leave_submit")
    async def leave_submit(self, request: Req) -> Redirect:
        settings = settings_of(request)
        await services.leave_panel(user_id_of(request), settings, actor_of(request))
        # The account and its sessions are gone with the erasure; the browser forgets the cookie.
        return Redirect(
            url_for(request, "portal:left"),
            status_code=303,
            cookies=[cleared_session_cookie(settings)],
        )


class LeftPanelController(Controller):
    @get("/my-panel/left", name="portal:left", opt=PUBLIC)
    async def left(self) -> Template:
        return Template("portal/left.html")
