"""Pages whose reads are all small run them on the event loop's thread (``db.small_reads``).

Public pages (sign-in, joining, the about pages) and a member's own pages read a handful of rows
found by a key. A route says so with ``small_reads`` in its options, as the access settings for
public pages and members' pages do; staff pages, whose lists and counts can read thousands of
rows, keep handing their queries to the database's threads.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from panel import db


class SmallReadsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if handler is None or not (handler.opt.get("public") or handler.opt.get("small_reads")):
            await self.app(scope, receive, send)
            return
        with db.small_reads():
            await self.app(scope, receive, send)
