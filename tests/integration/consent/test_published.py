"""What is published (every wording and the privacy notice's versions) is read once a minute by each
process outside transactions, and afresh inside one, so a wording added there shows at once."""

from __future__ import annotations

from typing import Any

import pytest

from panel import db
from panel.consent import services
from panel.consent.rules import Purpose
from panel.consent.tables import ConsentWording


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """Each read of the database ``published`` makes."""
    made: list[int] = []
    read = services.read_published

    async def counted() -> Any:
        made.append(1)
        return await read()

    monkeypatch.setattr(services, "read_published", counted)
    services.forget_published()
    yield made
    services.forget_published()


@pytest.fixture
def outside_transactions():
    engine = db.engine()
    outside = engine.current_transaction.set(None)
    yield
    engine.current_transaction.reset(outside)


async def test_outside_transactions_it_is_read_once_a_minute(
    reads, outside_transactions, monkeypatch
):
    first = await services.published()
    again = await services.published()
    assert again == first and len(reads) == 1
    clock = services.time.monotonic() + services.PUBLISHED_KEPT_SECONDS + 1
    monkeypatch.setattr(services.time, "monotonic", lambda: clock)
    await services.published()
    assert len(reads) == 2


async def test_forgetting_it_reads_it_again(reads, outside_transactions):
    await services.published()
    services.forget_published()
    await services.published()
    assert len(reads) == 2


async def test_in_a_transaction_a_wording_added_shows_at_once(reads):
    before = await services.published()
    newest = before.versions.wording[Purpose.SURVEYS]
    await ConsentWording.insert(
        ConsentWording(
            purpose="surveys",
            version=newest + 1,
            title="Surveys",
            text="New words",
            material=True,
        )
    )
    after = await services.published()
    assert after.versions.wording[Purpose.SURVEYS] == newest + 1
    assert after.wordings[(Purpose.SURVEYS, newest + 1)].text == "New words"
    assert len(reads) == 2
