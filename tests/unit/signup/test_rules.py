"""The order of the sign-up pages and what check-your-answers says."""

from __future__ import annotations

from panel.consent.rules import Purpose
from panel.members.forms import (
    Access,
    Details,
    Equality,
    Experience,
    TakingPart,
    clean_safe_contact,
)
from panel.members.reference import load_reference_data
from panel.signup.rules import (
    SLUGS,
    Application,
    SignInChoice,
    after_answer,
    back_link,
    first_unanswered,
    may_open,
    summary,
    to_answer_again,
    where_to_start,
)

REFERENCE = load_reference_data()


def test_pages_open_only_after_every_earlier_page_is_answered():
    assert may_open("details", set())
    assert not may_open("contact", set())
    assert may_open("contact", {"details"})
    assert not may_open("password", {"details", "contact"})
    assert may_open("password", set(SLUGS[:-1]))
    assert first_unanswered({"details", "experience"}) == "contact"
    assert where_to_start(set(SLUGS)) == "/join/check"


def test_each_page_leads_to_the_next_and_back_to_the_one_before():
    assert after_answer("details", {"details"}, changing=False) == "/join/contact"
    assert after_answer("password", set(SLUGS), changing=False) == "/join/check"
    assert back_link("details", changing=False) == "/join"
    assert back_link("experience", changing=False) == "/join/contact"


def test_a_changed_answer_goes_back_to_check_your_answers():
    assert after_answer("experience", set(SLUGS), changing=True) == "/join/check"
    assert back_link("experience", changing=True) == "/join/check"
    # Unless a page is still unanswered: then that page.
    assert after_answer("details", {"details"}, changing=True) == "/join/contact"


def test_an_answer_that_no_longer_passes_is_asked_again_as_a_change():
    assert to_answer_again("contact", set(SLUGS)) == "/join/contact?change=1"
    assert to_answer_again("consents", {"details"}) == "/join/contact"


def application(**changes) -> Application:
    contact, _ = clean_safe_contact(
        {
            "email_safe": ["any"],
            "phone_call_safe": ["no"],
            "text_message_safe": ["no"],
            "post_safe": ["no"],
        }
    )
    assert contact is not None
    values = {
        "details": Details("Robin", "robin@example.org", "", "", "prefer_not"),
        "contact": contact,
        "experience": Experience("witness", ("prefer_not",), "prefer_not", ""),
        "access": Access(),
        "taking_part": TakingPart(("surveys",), ("online", "in_person")),
        "equality": Equality(consent=False, skipped=True),
        "consents": (Purpose.MEMBERSHIP,),
        "sign_in": SignInChoice(by_link=True, password_hash=None),
    }
    return Application(**{**values, **changes})


def rows_of(sections) -> dict[str, str]:
    return {row.key: row.value for section in sections for row in section.rows}


def test_check_your_answers_reads_in_words_not_codes():
    rows = rows_of(summary(application(), REFERENCE, {Purpose.MEMBERSHIP: "Being a member"}))
    assert rows["Area you live in"] == "Prefer not to say"
    assert rows["What happened"] == "I saw or heard something happen to someone else"
    assert (
        rows["What it was about"] == "Prefer not to say"
        and rows["Roughly when"] == "Prefer not to say"
    )
    assert rows["Court case still going on"] == "Not answered"
    assert rows["Phone number"] == "None given" and rows["What you need"] == "Nothing"
    assert rows["Email"] == "Safe at any time" and rows["Post"] == "Not safe"
    assert rows["Online or in person"] == "Online\nIn person"
    assert rows["You agree to"] == "Being a member"
    assert rows["Your answers"].startswith("Skipped")
    assert rows["How you will sign in"] == "We email you a link each time"


def test_equality_answers_are_shown_only_when_kept_and_every_section_has_its_page():
    kept = application(equality=Equality(consent=True, answers={"sex": "female"}))
    sections = summary(kept, REFERENCE, {})
    assert [section.slug for section in sections] == list(SLUGS)
    rows = rows_of(sections)
    assert rows["What is your sex?"] == "Female" and rows["What is your age?"] == "Not answered"
    assert kept.purposes_given == (Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA)
    assert application().purposes_given == (Purpose.MEMBERSHIP,)
