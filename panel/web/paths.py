"""What an address may hold before a handler sees it: no NUL anywhere, numbers an id can be, and
for static files, a name a file can have."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.file_system import BaseLocalFileSystem
from litestar.handlers.base import BaseRouteHandler
from litestar.types import PathType

from panel.db import INTEGER_RANGE


async def plain_path_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Every route: a path with a NUL (no file name or database text can hold one) or a number
    too large for an id names nothing, so it is "page not found" rather than an error."""
    if "\x00" in connection.scope["path"]:
        raise NotFoundException()
    for value in connection.scope["path_params"].values():
        if isinstance(value, int) and value not in INTEGER_RANGE:
            raise NotFoundException()


class StaticFileSystem(BaseLocalFileSystem):
    """The static folders, where a name no file can have (too long, under a file, with a NUL) is
    a file that is not there: a 404, where Litestar would answer 500."""

    async def info(self, path: PathType, **kwargs: Any) -> Any:
        try:
            return await super().info(path, **kwargs)
        except PermissionError:
            raise
        except (OSError, ValueError) as error:
            raise FileNotFoundError(path) from error
