"""What the server log may hold: masked paths, escaped values, one line per message."""

from __future__ import annotations

import logging
import sys

from panel.web.logs import EscapingFormatter, escaped, logged_path, route_words

WORDS = route_words(
    [
        "/staff/members/{member_id:int}",
        "/staff/members.csv",
        "/reset-password/{token:str}",
        "/sign-in/link/{token:str}",
        "/static/{file_path:path}",
        "/",
    ]
)


def test_the_words_are_the_fixed_parts_of_the_routes():
    assert {
        "",
        "staff",
        "members",
        "members.csv",
        "reset-password",
        "sign-in",
        "link",
        "static",
    } == WORDS


def test_tokens_and_other_words_are_masked_ids_are_kept():
    assert logged_path("/reset-password/Abc-123_xyz", WORDS) == "/reset-password/*"
    assert logged_path("/sign-in/link/sentinel@example.org", WORDS) == "/sign-in/link/*"
    assert logged_path("/staff/members/42", WORDS) == "/staff/members/42"
    assert logged_path("/staff/members.csv", WORDS) == "/staff/members.csv"
    assert logged_path("/", WORDS) == "/"
    assert logged_path("/static/css/panel.css", WORDS) == "/static/*/*"


def test_a_path_no_route_matches_shows_only_the_apps_words():
    assert logged_path("/reset-pasword/Abc-123", WORDS) == "/*/*"
    assert logged_path("/reset-password/Abc-123/more", WORDS) == "/reset-password/*/*"
    assert logged_path("/staff//members/", WORDS) == "/staff//members/"


def test_numbers_an_id_cannot_be_are_masked_too():
    assert logged_path("/staff/members/07700900123", WORDS) == "/staff/members/*"
    assert logged_path("/staff/members/2147483648", WORDS) == "/staff/members/*"
    assert logged_path("/staff/members/-1", WORDS) == "/staff/members/*"
    assert logged_path("/staff/members/\u0665", WORDS) == "/staff/members/*"  # an Arabic 5


def test_a_forged_line_in_a_path_never_reaches_the_log():
    assert logged_path("/x\r\nINFO panel.access: forged", WORDS) == "/*"


def test_control_characters_are_escaped():
    assert escaped("GET") == "GET"
    assert escaped("a\r\nb\x00c\x1b[31m") == "a\\r\\nb\\x00c\\x1b[31m"
    assert escaped("tab\there \u2028 é") == "tab\\there \\u2028 é"


def test_the_formatter_escapes_the_message_but_not_the_traceback():
    formatter = EscapingFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "panel", logging.ERROR, __file__, 1, "error on %s", ("/x\nFORGED line",), exc_info
    )
    lines = formatter.format(record).splitlines()
    assert lines[0] == "ERROR error on /x\\nFORGED line"
    assert lines[1] == "Traceback (most recent call last):"
    assert not [line for line in lines if line.startswith("FORGED")]
