"""Redaction: what is stored of a session's notes, a case summary or a quote must not identify
anyone, so identifying details are found and replaced with labels ("[PARTICIPANT 1]", "[PHONE]")
before anything is saved. Pure code: no database, no web.

``redact(text, known_names)`` is the whole of it; ``kinds`` says what it finds; ``identifiers``,
``people`` and ``names`` how; ``words`` what it knows of English (Debian's British English word
list: without it, ``WordListMissing`` is raised and nothing is redacted)."""

from panel.redaction.engine import Redaction, redact
from panel.redaction.kinds import Found, Kind

__all__ = ["Found", "Kind", "Redaction", "redact"]
