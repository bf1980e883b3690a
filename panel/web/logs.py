"""The server's log: one line a request, with nothing in it that identifies a person or opens
their account, and no line a request can write for itself.

uvicorn's own access log is off (``panel serve``): it writes query strings (a directory search
for a member's email) and single-use tokens in paths (``/reset-password/…``), which would outlive
an erased member. ``AccessLog`` writes the method, the path with every segment that is not one
of the app's own words or an id masked, the status and the time taken; for the client, the first
characters of the keyed hash the audit log stores, never the address.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Iterable
from typing import Any, cast

from litestar.logging import LoggingConfig
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from panel.db import INTEGER_RANGE
from panel.keys import keyed_hash
from panel.settings import Settings
from panel.web.proxies import client_address_of

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "*"
CLIENT_TAG_LENGTH = 8


def escaped(text: str) -> str:
    """Control and other unprintable characters written as escapes (``\\n``, ``\\x00``), so a
    value stays on its line."""
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode()
        for character in text
    )


class EscapingFormatter(logging.Formatter):
    """Escapes the message (a request's path or method may be in it), not a traceback."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escaped(record.message)
        return super().formatMessage(record)


def app_logging() -> LoggingConfig:
    """The app's logging (Litestar configures the root logger with it), one escaped line each.
    Unexpected errors are logged once, by the 500 handler; expected ones are not errors."""
    return LoggingConfig(
        log_exceptions="never",
        formatters={"standard": {"()": EscapingFormatter, "fmt": LINE_FORMAT}},
    )


# uvicorn's own loggers for ``panel serve``: the same escaped lines; its access log is off.
SERVER_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"escaped": {"()": EscapingFormatter, "fmt": LINE_FORMAT}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "escaped",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "propagate": False},
    },
}


def route_words(route_paths: Iterable[str]) -> frozenset[str]:
    """Every fixed segment of the app's routes: ``staff``, ``members``, ``reset-password``…"""
    return frozenset(
        segment
        for path in route_paths
        for segment in path.split("/")
        if not segment.startswith("{")
    )


def could_be_an_id(segment: str) -> bool:
    return (
        len(segment) <= 10
        and segment.isascii()
        and segment.isdigit()
        and int(segment) in INTEGER_RANGE
    )


def logged_path(path: str, words: frozenset[str]) -> str:
    """The path as the log shows it: a segment that is neither one of the app's words nor an id
    is masked. Single-use tokens, and anything a person put in an address, matched or not (a
    mistyped link, an email), never reach the log."""
    return "/".join(
        segment if segment in words or could_be_an_id(segment) else MASK
        for segment in path.split("/")
    )


class AccessLog:
    """ASGI middleware: a line for every HTTP request once it is answered (or has failed), on
    standard error, laid out like the other log lines.

    It runs on every request, so it is kept cheap (measured with ``bench/http.py``): the line is
    written straight to the stream, not through ``logging``, whose call cost twice the rest of the
    line's work; and the lines of requests answered in the same turn of the event loop go out in
    one write, since a write a line cost more than everything else the log does."""

    def __init__(self, app: ASGIApp, settings: Settings, route_paths: Iterable[str]) -> None:
        self.app = app
        self.settings = settings
        self.words = route_words(route_paths)
        self.waiting: list[str] = []

    def write(self, line: str) -> None:
        if not self.waiting:
            asyncio.get_running_loop().call_soon(self.flush)
        self.waiting.append(line)

    def flush(self) -> None:
        lines, self.waiting = self.waiting, []
        sys.stderr.write("".join(lines))

    def client_tag(self, scope: Scope) -> str:
        address = client_address_of(scope, self.settings.trusted_proxies)
        return keyed_hash(self.settings.secret_key, "client", address)[:CLIENT_TAG_LENGTH]

    def line(self, scope: Scope, status: int, seconds: float) -> str:
        now = time.time()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
        method = escaped(cast("HTTPScope", scope)["method"])
        path = logged_path(scope["path"], self.words)
        return (
            f"{stamp},{int(now * 1000) % 1000:03d} INFO panel.access: {self.client_tag(scope)} "
            f'"{method} {path}" {status} {seconds * 1000:.1f}ms\n'
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app fails before it does

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self.write(self.line(scope, status, time.perf_counter() - started))
