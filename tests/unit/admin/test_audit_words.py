"""The audit log in words: every action the application writes has a sentence, each names who
did it and to whom (their own record or account said as such), and an action or detail no
sentence knows still reads as words."""

from __future__ import annotations

import ast
import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from panel.admin.audit_words import (
    SENTENCES,
    Account,
    Event,
    Known,
    Link,
    MemberSeen,
    readable,
    tell,
)
from panel.audit.services import ACTIONS, Actor, record_event
from panel.directory.words import directory_options, filter_in_words
from panel.members.reference import load_reference_data

PANEL = Path(__file__).resolve().parents[3] / "panel"
WEB = "ab" * 32  # an address as the log keeps it: a keyed hash

STAFF = Account(1, "jo@opcc.example", "staff")
ROBIN_ACCOUNT = Account(2, "robin@example.org", "member")
ROBIN = MemberSeen(10, "Robin", erased=False, user_id=2)
ERASED = MemberSeen(11, "", erased=True, user_id=None)
KNOWN = Known(
    accounts={1: STAFF, 2: ROBIN_ACCOUNT},
    members={10: ROBIN, 11: ERASED},
    members_by_user={2: ROBIN},
    purpose_titles={"surveys": "Surveys"},
    local_date=lambda value: value.strftime("%-d %B %Y") if value else "",
    local_datetime=lambda value: value.strftime("%-d %B %Y, %H:%M") if value else "",
)
ROBIN_LINK = Link("Robin", "directory:record", {"member_id": 10})
STAFF_LINK = Link("jo@opcc.example", "admin:user_detail", {"user_id": 1})


def event(action: str, actor: int | None, on: str = "", at: object = "", **detail: object) -> Event:
    return Event(action, actor, WEB, on, str(at), detail)


def actions_written_in(path: Path) -> set[str]:
    """The action of every ``record_event``/``record_events`` call in a module, where it is a
    string, a choice of strings, or taken from a dict of strings the module defines."""
    tree = ast.parse(path.read_text())
    dicts = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    written = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"record_event", "record_events"}
            and node.args
        ):
            continue
        action = node.args[0]
        if isinstance(action, ast.Subscript) and isinstance(action.value, ast.Name):
            action = dicts[action.value.id]
        written |= {
            found.value
            for found in ast.walk(action)
            if isinstance(found, ast.Constant) and isinstance(found.value, str)
        }
    return written


def test_every_action_the_code_writes_has_a_sentence():
    written = set()
    for path in PANEL.rglob("*.py"):
        written |= actions_written_in(path)
    # A few actions are passed on by name (screening's reasons); the log refuses anything else.
    assert {"sign_in", "consent_given", "member_list_exported", "decline_reason_added"} <= written
    assert written <= set(ACTIONS)
    assert set(SENTENCES) == set(ACTIONS)


def test_the_log_refuses_an_action_it_has_no_words_for():
    with pytest.raises(ValueError, match="unknown audit action"):
        asyncio.run(record_event("widget_polished", Actor(None, "")))


# Every detail any action keeps, with a value of the kind the code writes.
DETAILS = {
    "told": "send",
    "until": "until resumed",
    "purpose": "surveys",
    "channel": "web",
    "role": "staff",
    "from": "staff",
    "to": "board",
    "format": "json",
    "topic": "equality",
    "reason": 1,
    "filter": {"status": ["active"]},
    "rows": 3,
    "source": "Census 2021",
    "expires_at": "2027-01-02T09:30:00+00:00",
    "added": 2,
}


@pytest.mark.parametrize("action", sorted(SENTENCES))
def test_every_sentence_reads_in_every_form_with_no_field_left_unfilled(action):
    for actor, on, at in ((1, "member", 10), (2, "member", 10), (2, "user", 2), (None, "", "")):
        told = tell(event(action, actor, on, at, **DETAILS), KNOWN)
        words = "".join(part if isinstance(part, str) else part.text for part in told.what)
        assert words and words[0].isupper(), words
        assert "{" not in words and "}" not in words and "  " not in words, words


def test_staff_acting_on_a_member_are_named_by_email_and_role_and_the_member_by_name():
    told = tell(event("member_record_viewed", 1, "member", 10), KNOWN)
    assert (told.who, told.role) == (STAFF_LINK, "Staff")
    assert told.what == ("Opened the record of ", ROBIN_LINK)


def test_a_member_acting_on_their_own_record_or_account_is_told_in_their_own_words():
    paused = tell(event("membership_paused", 2, "member", 10, until="until resumed"), KNOWN)
    assert (paused.who, paused.role) == (ROBIN_LINK, "Panel member")
    assert paused.what == ("Paused their membership until further notice",)
    assert tell(event("sign_in", 2, "user", 2), KNOWN).what == ("Signed in",)
    staff_pause = tell(
        event("membership_paused", 1, "member", 10, until="2027-03-27T00:00:00+00:00"), KNOWN
    )
    assert staff_pause.what == ("Paused the membership of ", ROBIN_LINK, " until 27 March 2027")


def test_an_erased_member_is_never_linked_and_their_own_account_is_gone():
    told = tell(
        event("consent_withdrawn", 99, "member", 11, purpose="surveys", channel="web"), KNOWN
    )
    assert (told.who, told.role) == ("A former member", "")
    assert told.what == ("Withdrew their agreement to “Surveys” (online, by the member)",)
    by_staff = tell(event("member_erased", 1, "member", 11), KNOWN)
    assert by_staff.what == (
        "Removed ",
        "an erased member",
        " from the panel and erased their details",
    )


def test_the_system_and_someone_not_signed_in_are_told_apart():
    resumed = Event("membership_resumed", None, "retention job", "member", "10", {})
    assert (tell(resumed, KNOWN).who, tell(resumed, KNOWN).role) == ("The system", "Daily clean-up")
    failed = tell(event("sign_in_failed", None), KNOWN)
    assert (failed.who, failed.what) == (
        "Someone not signed in",
        ("Could not sign in: no account has that email address",),
    )
    asked = tell(event("password_reset_requested", None, "user", 1, told="refuse"), KNOWN)
    assert asked.what == (
        "Asked for a password reset link for ",
        STAFF_LINK,
        ", but no email was sent: the contact rules did not allow it",
    )


def test_an_account_event_names_the_account_a_member_s_by_the_member():
    told = tell(event("role_changed", 1, "user", 2, **{"from": "staff", "to": "board"}), KNOWN)
    assert told.what == ("Changed the role of ", ROBIN_LINK, " from Staff to Board member")
    gone = tell(event("two_factor_reset", 1, "user", 77), KNOWN)
    assert gone.what == (
        "Reset the two-factor sign-in of ",
        "an account that has since been removed",
    )


def test_an_override_s_end_is_in_uk_time_and_says_so():
    expires = datetime(2027, 1, 2, 9, 30, tzinfo=UTC).isoformat()
    told = tell(event("contact_override_granted", 1, "member", 10, expires_at=expires), KNOWN)
    assert told.what[-1] == " through the contact limits, until 2 January 2027, 09:30 (UK time)"


def test_an_action_or_detail_no_sentence_knows_still_reads_as_words():
    told = tell(event("widget_polished", 1, "member", 10, colour_chosen="blue"), KNOWN)
    assert told.what == ("Widget polished: ", ROBIN_LINK, "; Colour chosen: blue")
    assert tell(event("widget_polished", 1), KNOWN).what == ("Widget polished",)
    assert readable("decline_reason_retired") == "Decline reason retired"


def test_a_kept_filter_reads_in_the_directory_s_words():
    options = directory_options(load_reference_data(), {})
    audited = {
        "searched": True,
        "status": ["active", "paused"],
        "district": "prefer_not",
        "access_need": "any",
        "sort": "-joined",
    }
    assert filter_in_words(audited, options) == [
        "Name or email: a search (what was searched for is not kept)",
        "Status: Active or Paused",
        "District: Prefer not to say",
        "Access needs: Any access need",
        "Sorted: Joined, newest first",
    ]
    assert filter_in_words({}, options) == []


def test_changes_staff_make_for_a_member_and_contact_they_log_read_in_the_forms_words():
    opened = tell(
        event("member_profile_opened_by_staff", 1, "member", 10, topic="safe_contact"), KNOWN
    )
    assert opened.what == (
        "Opened the safe contact answers of ",
        ROBIN_LINK,
        ", to change them for them",
    )
    changed = tell(
        event("member_profile_changed_by_staff", 1, "member", 10, topic="details"), KNOWN
    )
    assert changed.what == ("Changed the name and contact details of ", ROBIN_LINK, ", for them")
    own = tell(event("member_profile_changed", 2, "member", 10, topic="safe contact"), KNOWN)
    assert own.what == ("Changed how it is safe to contact them",)
    logged = tell(
        event(
            "member_contact_logged", 1, "member", 10, channel="phone_call", reason="returning_call"
        ),
        KNOWN,
    )
    assert logged.what == ("Logged contact with ", ROBIN_LINK, ": phone call, returning their call")
