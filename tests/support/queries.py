"""Counting the database queries a piece of code makes, to prove a page's count does not grow with rows."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from panel import db


@contextlib.contextmanager
def counted_queries() -> Iterator[list[str]]:
    # On the class: Piccolo's PostgreSQL engine has __slots__, so an instance attribute cannot be set.
    engine_class = type(db.engine())
    seen: list[str] = []
    original = engine_class.run_querystring

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    engine_class.run_querystring = counting  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        engine_class.run_querystring = original  # type: ignore[method-assign]
