"""HEAD answered on every page that answers GET: the same status and headers, no body.

Litestar answers HEAD only on routes that declare it (405 elsewhere); this middleware, outside
the router, hands a HEAD request to the app as a GET and drops what the GET would send as body.
"""

from __future__ import annotations

from typing import cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or cast("HTTPScope", scope)["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server keeps its own scope saying HEAD, so it sends no body either.
        as_get = cast("HTTPScope", {**scope, "method": "GET"})
        await self.app(as_get, receive, send_headers_only)
