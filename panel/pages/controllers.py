"""Public pages, "Exit this page", each role's home page, and the health check."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from panel import db
from panel.accounts.access import (
    ADMIN_ONLY,
    BOARD_ONLY,
    FACILITATORS_ONLY,
    PUBLIC,
    STAFF,
    actor_of,
    signed_in_viewer,
    viewer_of,
)
from panel.accounts.services import sign_out
from panel.engagements.rules import ListFilters
from panel.engagements.services import list_engagements
from panel.screening.services import applications_waiting
from panel.signup.services import discard_draft
from panel.web.context import settings_of
from panel.web.sessions import cleared_draft_cookie, cleared_session_cookie

PRIVACY_NOTICE_VERSION = "1.0"


class PublicPagesController(Controller):
    opt = PUBLIC

    @get("/", name="pages:home")
    async def home(self) -> Template:
        return Template("pages/home.html")

    @get("/about", name="pages:about")
    async def about(self, request: Request[Any, Any, Any]) -> Template:
        return Template("pages/about.html", context={"reference": request.app.state["reference"]})

    @get("/accessibility", name="pages:accessibility")
    async def accessibility(self) -> Template:
        return Template("pages/accessibility.html")

    @get("/privacy", name="pages:privacy")
    async def privacy(self) -> Template:
        return Template("pages/privacy.html", context={"version": PRIVACY_NOTICE_VERSION})

    @get("/cookies", name="pages:cookies")
    async def cookies(self) -> Template:
        return Template("pages/cookies.html")

    @get("/exit", name="pages:exit")
    async def exit_page(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Exit this page: end the session, forget any sign-up answers given so far, and go to a
        neutral site. A link, so it works without JavaScript."""
        viewer = viewer_of(request)
        if viewer is not None:
            await sign_out(viewer, actor_of(request))
        settings = settings_of(request)
        await discard_draft(request.cookies.get(settings.draft_cookie_name))
        return Redirect(
            settings.exit_page_url,
            status_code=303,
            cookies=[cleared_session_cookie(settings), cleared_draft_cookie(settings)],
        )

    @get("/healthz", name="pages:health", cache=False)
    async def health(self) -> Response[str]:
        if await db.database_answers():
            return Response("ok", status_code=HTTP_200_OK, media_type="text/plain")
        return Response(
            "database not answering",
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            media_type="text/plain",
        )


class HomePagesController(Controller):
    """Each role's starting page. Later areas add their own links here. A member's home is their
    own area's (``members.controllers``)."""

    @get("/staff", name="pages:staff_home", opt=STAFF)
    async def staff_home(self, request: Request[Any, Any, Any]) -> Template:
        return Template(
            "pages/staff_home.html", context={"applications_waiting": await applications_waiting()}
        )

    @get("/admin", name="pages:admin_home", opt=ADMIN_ONLY)
    async def admin_home(self) -> Template:
        return Template("pages/admin_home.html")

    @get("/facilitator", name="pages:facilitator_home", opt=FACILITATORS_ONLY)
    async def facilitator_home(self, request: Request[Any, Any, Any]) -> Template:
        sessions = await list_engagements(
            ListFilters(),
            1,
            ZoneInfo(settings_of(request).time_zone),
            facilitator=signed_in_viewer(request).user_id,
        )
        return Template("pages/facilitator_home.html", context={"sessions": sessions})

    @get("/board", name="pages:board_home", opt=BOARD_ONLY)
    async def board_home(self) -> Template:
        return Template("pages/board_home.html")
