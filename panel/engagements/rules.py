"""What engagements record and manage about contact: the kinds of invitation, and how long a staff
override of a contact limit lasts. The limits themselves are applied by the contact gate
(``notify.rules``), which every invitation passes. No I/O.
"""

from __future__ import annotations

import enum
from datetime import timedelta

OVERRIDE_VALID_FOR = timedelta(days=14)
OVERRIDE_REASON_MAX_LENGTH = 500


class InvitationKind(enum.StrEnum):
    FOCUS_GROUP = "focus_group"
    INDEPENDENT_REVIEW = "independent_review"
    SURVEY = "survey"
