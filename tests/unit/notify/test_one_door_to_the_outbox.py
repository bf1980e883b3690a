"""Every message to a member or applicant goes through the contact gate: the outbox itself
(``panel/outbox/services.py``) writes its rows, and only the gate (``panel/notify/services.py``,
whose two doors are ``send_to_member`` and ``send_to_account``) calls its ``enqueue``. Fails the
build when another module calls ``enqueue`` or writes outbox rows (issue: hardening, point 1)."""

from __future__ import annotations

import ast
from pathlib import Path

from panel.settings import ROOT

THE_GATE = Path("panel/notify/services.py")
THE_OUTBOX = Path("panel/outbox/services.py")


def outbox_writes(source: str) -> list[str]:
    """What in this module writes to the outbox: calls of ``enqueue``, inserts of ``OutboxMessage``
    rows, and SQL that inserts into ``outbox_message``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and any(
            alias.name == "enqueue" for alias in node.names
        ):
            found.append(f"line {node.lineno}: imports enqueue")
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            arguments = [ast.unparse(argument) for argument in node.args]
            if called.split(".")[-1] == "enqueue":
                found.append(f"line {node.lineno}: calls {called}")
            if called in {"OutboxMessage", "OutboxMessage.insert"} or (
                called.split(".")[-1] == "insert_many" and "OutboxMessage" in arguments
            ):
                found.append(f"line {node.lineno}: writes OutboxMessage rows")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "insert into outbox_message" in " ".join(node.value.lower().split())
        ):
            found.append(f"line {node.lineno}: SQL inserting into outbox_message")
    return found


def test_only_the_gate_writes_to_the_outbox():
    offenders = {
        str(path.relative_to(ROOT)): writes
        for path in sorted((ROOT / "panel").rglob("*.py"))
        if path.relative_to(ROOT) not in {THE_GATE, THE_OUTBOX}
        and (writes := outbox_writes(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_gate_calls_enqueue_and_the_outbox_writes_rows():
    gate = outbox_writes((ROOT / THE_GATE).read_text(encoding="utf-8"))
    outbox = outbox_writes((ROOT / THE_OUTBOX).read_text(encoding="utf-8"))
    assert any("calls enqueue" in found for found in gate)
    assert any("writes OutboxMessage rows" in found for found in outbox)


def test_the_check_finds_each_way_of_writing():
    source = """
from panel.outbox.services import enqueue
from panel.notify import services
async def f():
    await services.enqueue(KIND, "a@example.org", settings)
    await OutboxMessage.insert(OutboxMessage(to_address="a@example.org"))
    await db.insert_many(OutboxMessage, [])
    await OutboxMessage.raw("INSERT INTO   outbox_message (to_address) VALUES ({})", "x")
"""
    assert len(outbox_writes(source)) == 6
