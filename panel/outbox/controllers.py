"""Demo mode only: the emails the file backend wrote, so a newcomer can follow emailed links.

The controller is registered only when demo mode is on; otherwise the route does not exist.
"""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from panel.web.context import settings_of
from panel.web.security import PUBLIC

MAIL_FILE_NAME = re.compile(r"^[0-9T]+-[0-9a-f]{8}\.eml$")


def read_message(path: Any) -> dict[str, str]:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    return {
        "name": path.name,
        "to": str(message["To"]),
        "from": str(message["From"]),
        "subject": str(message["Subject"]),
        "text": body.get_content() if body else "",
    }


class DemoMailController(Controller):
    path = "/demo/mail"
    opt = PUBLIC

    @get("/", name="outbox:demo_mail")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        folder = settings_of(request).mail_dir
        paths = sorted(folder.glob("*.eml"), reverse=True)[:50] if folder.exists() else []
        return Template(
            "outbox/demo_mail.html", context={"messages": [read_message(p) for p in paths]}
        )

    # Not "name": route_reverse's own first parameter has that name, so it could not fill it in.
    @get("/{file_name:str}", name="outbox:demo_mail_message")
    async def message(self, request: Request[Any, Any, Any], file_name: FromPath[str]) -> Template:
        path = settings_of(request).mail_dir / file_name
        if not MAIL_FILE_NAME.match(file_name) or not path.is_file():
            raise NotFoundException()
        return Template("outbox/demo_mail_message.html", context={"message": read_message(path)})
