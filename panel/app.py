"""Building the web application from settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from panel import db
from panel.account_links.controllers import PasswordResetController, SignInLinkController
from panel.accounts.access import SessionMiddleware, access_guard, menu_for
from panel.accounts.controllers import SignInController, TwoFactorController
from panel.accounts.passwords import Passwords
from panel.accounts.services import DEMO_PASSWORD, DEMO_USERS
from panel.actions.controllers import ActionsController, HorizonController
from panel.actions.services import actions_for_findings
from panel.admin.controllers import AuditController, UserAdminController
from panel.consent.controllers import StaffConsentController
from panel.demo import DEMO_MEMBERS
from panel.directory.controllers import (
    DirectoryController,
    OnTheirBehalfController,
    RenewalsController,
)
from panel.engagements.controllers import (
    ContactLimitsController,
    EngagementsController,
    FacilitatorEngagementsController,
)
from panel.expenses.controllers import expense_routes
from panel.findings.controllers import (
    ACTIONS_OF_FINDINGS,
    BoardFindingsController,
    FacilitatorFindingsController,
    StaffFindingsController,
)
from panel.imports.controllers import import_routes
from panel.invitations.controllers import (
    InvitationLinkController,
    MyInvitationsController,
    StaffInvitationsController,
)
from panel.jobs.worker import run_worker
from panel.members.forms import QUESTION_OPTIONS
from panel.members.reference import load_reference_data
from panel.members.rules import MemberStatus, name_to_show
from panel.notes.controllers import SessionNotesController, StaffSessionNotesController
from panel.outbox.controllers import DemoMailController
from panel.pages.controllers import HomePagesController, PublicPagesController
from panel.portal.controllers import LeftPanelController, MemberPortalController
from panel.representation.controllers import RepresentationController, TargetsController
from panel.reviews.controllers import MemberReviewsController, ReviewCasesController
from panel.screening.controllers import DeclineReasonsController, ScreeningController
from panel.selections.controllers import SelectionsController
from panel.settings import ROOT, Settings, load_settings
from panel.signup.controllers import SignUpController
from panel.web.csrf import CSRFMiddleware
from panel.web.errors import EXCEPTION_HANDLERS
from panel.web.head import HeadAsGet
from panel.web.links import template_url_for
from panel.web.logs import AccessLog, app_logging
from panel.web.paths import StaticFileSystem, plain_path_guard
from panel.web.reads import SmallReadsMiddleware
from panel.web.security import STATIC_FILES, security_headers
from panel.web.templating import build_environment

MAX_BODY_BYTES = 1024 * 1024
GOVUK_FRONTEND = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
MOJ_FRONTEND = ROOT / "node_modules" / "@ministryofjustice" / "frontend" / "moj"

# Routes anyone may reach without signing in. Everything else is refused to anonymous requests.
PUBLIC_ROUTE_NAMES = frozenset(
    {
        "pages:home",
        "pages:accessibility",
        "pages:privacy",
        "pages:cookies",
        "pages:about",
        "pages:health",
        "accounts:sign_in",
        "accounts:sign_in_submit",
        "accounts:sign_out",
        "accounts:signed_out",
        "pages:exit",
        "account_links:forgot_password",
        "account_links:forgot_password_submit",
        "account_links:forgot_password_sent",
        "account_links:reset_password",
        "account_links:reset_password_submit",
        "account_links:password_changed",
        "account_links:sign_in_link",
        "account_links:sign_in_link_submit",
        "account_links:sign_in_link_sent",
        "account_links:sign_in_link_open",
        "account_links:sign_in_link_use",
        "outbox:demo_mail",
        "outbox:demo_mail_message",
        "portal:left",
        "signup:start",
        "signup:question",
        "signup:answer",
        "signup:check",
        "signup:submit",
        "signup:sent",
        "signup:verify",
        "signup:verify_submit",
        "signup:confirmed",
        # Behind the personal link in an invitation email: the token is the key.
        "invitations:open",
        "invitations:link_accept",
        "invitations:link_decline",
        "invitations:link_cancel",
        "invitations:link_calendar",
    }
)


def static_routers() -> list:
    files = StaticFileSystem()
    return [
        create_static_files_router(
            path="/static/govuk",
            directories=[GOVUK_FRONTEND],
            name="static_govuk",
            opt=STATIC_FILES,
            file_system=files,
        ),
        create_static_files_router(
            path="/static/moj",
            directories=[MOJ_FRONTEND],
            name="static_moj",
            opt=STATIC_FILES,
            file_system=files,
        ),
        create_static_files_router(
            path="/static",
            directories=[ROOT / "static"],
            name="static",
            opt=STATIC_FILES,
            file_system=files,
        ),
        create_static_files_router(
            path="/assets",
            directories=[GOVUK_FRONTEND / "assets"],
            name="assets",
            opt=STATIC_FILES,
            file_system=files,
        ),
    ]


def demo_sign_in() -> dict[str, Any]:
    """What the sign-in page lists in demo mode: each demo account and the one password."""
    accounts = [(role.label, email) for email, role in DEMO_USERS]
    for email, _, _, status, *_ in DEMO_MEMBERS:
        kind = (
            "Panel member" if status is MemberStatus.ACTIVE else "Applicant, waiting for screening"
        )
        accounts.append((kind, email))
    return {"password": DEMO_PASSWORD, "accounts": accounts}


async def every_route_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Who may use the route, then whether its path names anything: one guard, as Litestar copies
    the route's handler for each guard it runs on a request."""
    await access_guard(connection, handler)
    await plain_path_guard(connection, handler)


def create_app(
    settings: Settings | None = None, run_lifespan_worker: bool | None = None
) -> Litestar:
    settings = settings or load_settings()
    run_worker_here = (
        settings.run_worker_in_web if run_lifespan_worker is None else run_lifespan_worker
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.open_connections(settings)
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, stop)) if run_worker_here else None
        try:
            yield
        finally:
            stop.set()
            if worker is not None:
                await worker
            await db.close_connections()

    cache_dir = None if settings.debug else settings.var_dir / "template-cache"
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    environment = build_environment(settings, cache_dir=cache_dir)
    # The answer lists the shared question macros (templates/members/questions/) render.
    environment.globals["questions"] = QUESTION_OPTIONS
    environment.globals["menu_for"] = menu_for
    # A member as staff pages name them: their preferred name, or words saying they gave none.
    environment.filters["member_name"] = name_to_show
    if settings.demo:
        environment.globals["demo_sign_in"] = demo_sign_in()

    handlers: list = [
        PublicPagesController,
        HomePagesController,
        MemberPortalController,
        LeftPanelController,
        SignInController,
        TwoFactorController,
        PasswordResetController,
        SignInLinkController,
        UserAdminController,
        AuditController,
        ScreeningController,
        DeclineReasonsController,
        StaffConsentController,
        DirectoryController,
        OnTheirBehalfController,
        RenewalsController,
        RepresentationController,
        TargetsController,
        ContactLimitsController,
        EngagementsController,
        FacilitatorEngagementsController,
        SessionNotesController,
        StaffSessionNotesController,
        FacilitatorFindingsController,
        StaffFindingsController,
        BoardFindingsController,
        ReviewCasesController,
        MemberReviewsController,
        ActionsController,
        HorizonController,
        SelectionsController,
        StaffInvitationsController,
        MyInvitationsController,
        InvitationLinkController,
        *import_routes(settings),
        *expense_routes(settings),
        SignUpController,
        *static_routers(),
    ]
    if settings.demo:
        handlers.append(DemoMailController)

    app = Litestar(
        route_handlers=handlers,
        guards=[every_route_guard],
        # The session first, so that a refused request's 403 page knows who is signed in.
        middleware=[
            DefineMiddleware(SessionMiddleware, settings=settings),
            DefineMiddleware(CSRFMiddleware, settings=settings),
            SmallReadsMiddleware,
        ],
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(environment),
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers(settings)],
        request_max_body_size=MAX_BODY_BYTES,
        lifespan=[lifespan],
        openapi_config=None,
        logging_config=app_logging(),
        state=State(
            {
                "settings": settings,
                "passwords": Passwords(settings),
                "reference": load_reference_data(settings.reference_data),
                # What was done about findings, for the insight library, which is below the
                # actions in the layers and so cannot ask them itself.
                ACTIONS_OF_FINDINGS: actions_for_findings,
            }
        ),
        debug=False,
    )
    # In place of Litestar's url_for, which looks the route up afresh on every call: this app's
    # paths, learnt once (panel.web.links). The environment is this app's alone.
    environment.globals["url_for"] = template_url_for(app)
    # Around the router: Litestar answers HEAD only on routes that declare it, and every request
    # is logged, found or not.
    app.asgi_handler = AccessLog(
        HeadAsGet(app.asgi_handler), settings, [route.path for route in app.routes]
    )
    return app


def app_from_environment() -> Litestar:
    """The entry point for an ASGI server: ``uvicorn --factory panel.app:app_from_environment``."""
    return create_app()
