"""Joining the panel: the start page, one question page per topic, check your answers, and the
link that confirms the email address. All public."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import PUBLIC, actor_of, passwords_of
from panel.consent.rules import Purpose
from panel.consent.services import Wording, newest_of, newest_wordings, published
from panel.members.reference import reference_of
from panel.signup import forms, rules, services
from panel.web.context import settings_of
from panel.web.forms import FormState, form_multi_values, one
from panel.web.links import url_for
from panel.web.sessions import cleared_draft_cookie, draft_cookie

EXPIRED_LINK = "signup/link_expired.html"

Req = Request[Any, Any, Any]


def draft_token(request: Req) -> str | None:
    return request.cookies.get(settings_of(request).draft_cookie_name) or None


def link_to(request: Req, place: rules.Place) -> str:
    path = (
        url_for(request, place.route, slug=place.slug)
        if place.slug
        else url_for(request, place.route)
    )
    return path + ("?change=1" if place.change else "")


def go_to(request: Req, place: rules.Place, cookies: list[Cookie] | None = None) -> Redirect:
    return Redirect(link_to(request, place), status_code=303, cookies=cookies)


def page_of(slug: str) -> rules.Page:
    page = rules.PAGE_BY_SLUG.get(slug)
    if page is None:
        raise NotFoundException()
    return page


def page_context(
    request: Req, answers: services.Answers, wordings: dict[Purpose, Wording]
) -> forms.PageContext:
    return forms.PageContext(
        reference=reference_of(request),
        answers=answers,
        offered=tuple(purpose for purpose in forms.ASKED_ON_CONSENTS_PAGE if purpose in wordings),
        this_year=datetime.now(UTC).year,
    )


async def question_page(
    request: Req,
    page: rules.Page,
    form: FormState,
    changing: bool,
    answers: services.Answers,
    status_code: int = 200,
    has_password: bool = False,
) -> Template:
    context: dict[str, Any] = {
        "form": form,
        "has_password": has_password,
        "page": page,
        "step": rules.SLUGS.index(page.slug) + 1,
        "steps": len(rules.SLUGS),
        "changing": changing,
        "back_href": link_to(request, rules.back_link(page.slug, changing)),
        "action": link_to(request, rules.page_at(page.slug, changing)),
        "reference": reference_of(request),
    }
    if page.slug == "contact":
        context["usable"] = forms.usable_channels_given(answers)
        context["details_href"] = link_to(request, rules.page_at("details", changing))
    if page.slug in {"consents", "equality"}:
        now_published = await published()
        wordings = newest_of(now_published.wordings)
        context["wordings"] = [
            wording
            for purpose, wording in wordings.items()
            if purpose in forms.ASKED_ON_CONSENTS_PAGE
        ]
        context["equality_wording"] = wordings.get(Purpose.EQUALITY_DATA)
        context["privacy_version"] = now_published.versions.notice
    return Template(
        f"signup/{page.slug.replace('-', '_')}.html", context=context, status_code=status_code
    )


class SignUpController(Controller):
    path = "/join"
    opt = PUBLIC

    @get("/", name="signup:start")
    async def start(self) -> Template:
        return Template("signup/start.html")

    @get("/check", name="signup:check")
    async def check(self, request: Req) -> Response[Any]:
        answers = await services.load_answers(draft_token(request))
        wordings = await newest_wordings()
        application = forms.clean_application(answers, page_context(request, answers, wordings))
        if isinstance(application, str):
            return go_to(request, rules.to_answer_again(application, answers))
        titles = {purpose: wording.title for purpose, wording in wordings.items()}
        return Template(
            "signup/check.html",
            context={"sections": rules.summary(application, reference_of(request), titles)},
        )

    @post("/check", name="signup:submit")
    async def submit(self, request: Req) -> Response[Any]:
        token = draft_token(request)
        answers = await services.load_answers(token)
        wordings = await newest_wordings()
        application = forms.clean_application(answers, page_context(request, answers, wordings))
        if isinstance(application, str):
            return go_to(request, rules.to_answer_again(application, answers))
        settings = settings_of(request)
        # The same answer whether or not the address has an account, and the work is done after
        # it is sent, so neither the page nor the time it takes tells them apart.
        return Redirect(
            url_for(request, "signup:sent"),
            status_code=303,
            cookies=[cleared_draft_cookie(settings)],
            background=BackgroundTask(
                services.submit_application, token, application, settings, actor_of(request)
            ),
        )

    @get("/sent", name="signup:sent")
    async def sent(self) -> Template:
        return Template("signup/sent.html", context={"hours": rules.VERIFICATION_HOURS})

    @get("/confirmed", name="signup:confirmed")
    async def confirmed(self) -> Template:
        return Template("signup/confirmed.html", context={"takes": rules.SCREENING_TAKES})

    @get("/verify/{token:str}", name="signup:verify")
    async def verify(self, token: FromPath[str]) -> Template:
        if not await services.verification_is_usable(token):
            return Template(
                EXPIRED_LINK, context={"hours": rules.VERIFICATION_HOURS}, status_code=410
            )
        return Template("signup/verify.html", context={"token": token})

    @post("/verify/{token:str}", name="signup:verify_submit")
    async def verify_submit(self, request: Req, token: FromPath[str]) -> Response[Any]:
        if not await services.confirm_email(token, actor_of(request)):
            return Template(
                EXPIRED_LINK, context={"hours": rules.VERIFICATION_HOURS}, status_code=410
            )
        return Redirect(url_for(request, "signup:confirmed"), status_code=303)

    @get("/{slug:str}", name="signup:question")
    async def question(
        self, request: Req, slug: FromPath[str], change: FromQuery[str] = ""
    ) -> Response[Any]:
        page = page_of(slug)
        answers = await services.load_answers(draft_token(request))
        if not rules.may_open(page.slug, answers):
            return go_to(request, rules.where_to_start(answers))
        kept = {
            name: value
            for name, value in answers.get(page.slug, {}).items()
            if name != "password_hash"
        }
        has_password = bool(kept.get("sign_in") == ["password"])
        return await question_page(
            request, page, FormState(kept), bool(change), answers, has_password=has_password
        )

    @post("/{slug:str}", name="signup:answer")
    async def answer(
        self, request: Req, slug: FromPath[str], change: FromQuery[str] = ""
    ) -> Response[Any]:
        page = page_of(slug)
        token = draft_token(request)
        answers = await services.load_answers(token)
        if not rules.may_open(page.slug, answers):
            return go_to(request, rules.where_to_start(answers))
        values = await form_multi_values(request)
        settings = settings_of(request)
        if page.slug == "password":
            email = one(answers.get("details", {}), "email")
            chosen_hash = one(answers.get("password", {}), "password_hash")
            choice, errors = forms.clean_sign_in(
                values, email, settings.service_name, has_password=bool(chosen_hash)
            )
            if choice is None:
                # The password itself is never sent back to the page; the choice is.
                form = FormState({"sign_in": values.get("sign_in", [])}, errors)
                return await question_page(
                    request,
                    page,
                    form,
                    bool(change),
                    answers,
                    status_code=400,
                    has_password=bool(chosen_hash),
                )
            password_hash = (
                await passwords_of(request).hash(choice.password)
                if choice.password
                else chosen_hash or None
            )
            kept = forms.sign_in_kept(choice, password_hash)
        else:
            wordings = await newest_wordings() if page.slug == "consents" else {}
            _, kept, errors = forms.clean_page(
                page.slug, values, page_context(request, answers, wordings)
            )
            if errors:
                form = FormState(values, errors)
                return await question_page(
                    request, page, form, bool(change), answers, status_code=400
                )
        usable_before = set(forms.usable_channels_given(answers))
        answers[page.slug] = kept
        new_channels = bool(set(forms.usable_channels_given(answers)) - usable_before)
        new_token = await services.save_answers(token, answers)
        return go_to(
            request,
            rules.after_answer(page.slug, answers, bool(change), new_channels),
            cookies=[draft_cookie(settings, new_token)] if new_token else [],
        )
