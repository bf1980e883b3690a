"""The write-up of a held session: only ever its anonymised text."""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.engagements.tables import Engagement
from panel.personal_data import nothing_personal


class SessionNote(Table, tablename="session_note"):
    """The facilitator's notes of one session. The text is stored only as the redaction engine
    left it, with the words the facilitator put back (judged not identifying) and removed; what
    they typed is never stored, not even as a draft. A draft is the same anonymised text, kept
    when the facilitator checks the notes, so it survives a reload only in that form."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "Anonymised at the point of writing: names, contact details, addresses, references and "
        "other identifiers are replaced before the text is stored, and it goes with the session."
    )
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, unique=True)
    text = Text(default="")
    saved = Boolean(default=False)  # False while it is a draft
    replaced = Integer(default=0)  # how many stretches the engine replaced at the last save
    restored = Integer(default=0)  # how many words the facilitator put back at the last save
    written_by = Integer(null=True, default=None)  # the facilitator's account; kept if it goes
    updated_at = Timestamptz(default=TimestamptzNow())
