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
    CHECK,
    SLUGS,
    START,
    Application,
    Place,
    SignInChoice,
    SummaryRow,
    SummarySection,
    after_answer,
    back_link,
    first_unanswered,
    may_open,
    summary,
    to_answer_again,
    where_to_start,
)

REFERENCE = load_reference_data()


def question(slug: str, change: bool = False) -> Place:
    return Place("signup:question", slug, change)


def test_pages_open_only_after_every_earlier_page_is_answered():
    assert may_open("details", set())
    assert not may_open("contact", set())
    assert may_open("contact", {"details"})
    assert not may_open("password", {"details", "contact"})
    assert may_open("password", set(SLUGS[:-1]))
    assert first_unanswered({"details", "experience"}) == "contact"
    assert where_to_start(set(SLUGS)) == CHECK


def test_each_page_leads_to_the_next_and_back_to_the_one_before():
    assert after_answer("details", {"details"}, changing=False) == question("contact")
    assert after_answer("password", set(SLUGS), changing=False) == CHECK
    assert back_link("details", changing=False) == START
    assert back_link("experience", changing=False) == question("contact")


def test_after_what_you_agree_to_comes_how_you_will_sign_in():
    assert after_answer("consents", set(SLUGS[:-1]), changing=False) == question("password")


def test_a_changed_answer_goes_back_to_check_your_answers():
    assert after_answer("experience", set(SLUGS), changing=True) == CHECK
    assert back_link("experience", changing=True) == CHECK
    # Unless a page is still unanswered: then that page.
    assert after_answer("details", {"details"}, changing=True) == question("contact")


def test_a_changed_answer_that_gives_a_new_way_to_contact_asks_if_it_is_safe():
    assert after_answer("details", set(SLUGS), changing=True, new_channels=True) == question(
        "contact", change=True
    )
    assert after_answer("details", set(SLUGS), changing=True, new_channels=False) == CHECK
    # The first time through, the contact page comes next anyway.
    assert after_answer("details", {"details"}, changing=False, new_channels=True) == question(
        "contact"
    )
    # Not yet answered: the first unanswered page, as for any change.
    assert after_answer("details", {"details"}, changing=True, new_channels=True) == question(
        "contact"
    )
    assert after_answer(
        "details", {"details", "experience"}, changing=True, new_channels=True
    ) == question("contact")


def test_an_answer_that_no_longer_passes_is_asked_again_as_a_change():
    assert to_answer_again("contact", set(SLUGS)) == question("contact", change=True)
    assert to_answer_again("consents", {"details"}) == question("contact")


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
    assert rows["Email"] == "Safe at any time"
    # No phone number or address was given, so those ways were not asked about.
    assert {"Phone call", "Text message", "Post"}.isdisjoint(rows)
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


def fully_answered() -> Application:
    contact, _ = clean_safe_contact(
        {
            "email_safe": ["some"],
            "email_days": ["0", "2"],
            "email_from": ["9am"],
            "email_to": ["17:30"],
            "phone_call_safe": ["some"],
            "phone_call_days": ["5", "6"],
            "phone_call_voicemail": ["no"],
            "text_message_safe": ["any"],
            "post_safe": ["no"],
            "code_word": ["bluebell"],
        }
    )
    assert contact is not None
    return application(
        details=Details("Sam", "sam@example.org", "07700 900123", "1 High Street", "dover"),
        contact=contact,
        experience=Experience("victim", ("burglary_home", "domestic_abuse"), "2019", "no"),
        access=Access(("step_free", "interpreter", "other"), "Polish", "A quiet room"),
        taking_part=TakingPart(("focus_groups", "surveys"), ("online",)),
        consents=(Purpose.MEMBERSHIP, Purpose.SURVEYS),
        sign_in=SignInChoice(by_link=False, password_hash="hash"),
    )


def test_check_your_answers_shows_every_answer_in_words_page_by_page():
    titles = {Purpose.MEMBERSHIP: "Being a member", Purpose.SURVEYS: "Surveys"}
    sections = summary(fully_answered(), REFERENCE, titles)
    assert [section for section in sections if section.slug != "equality"] == [
        SummarySection(
            "details",
            "About you",
            (
                SummaryRow("What we call you", "Sam"),
                SummaryRow("Email address", "sam@example.org"),
                SummaryRow("Phone number", "07700 900123"),
                SummaryRow("Postal address", "1 High Street"),
                SummaryRow("Area you live in", "Dover"),
            ),
        ),
        SummarySection(
            "contact",
            "How to contact you safely",
            (
                SummaryRow("Email", "Safe on Monday, Wednesday, 09:00 to 17:30"),
                SummaryRow("Phone call", "Safe on Saturday, Sunday, any time\nVoicemail: no"),
                SummaryRow("Text message", "Safe at any time"),
                SummaryRow("Post", "Not safe"),
                SummaryRow("Code word", "bluebell"),
            ),
        ),
        SummarySection(
            "experience",
            "What happened",
            (
                SummaryRow("What happened", "Something happened to me"),
                SummaryRow("What it was about", "Burglary of a home\nDomestic abuse"),
                SummaryRow("Roughly when", "2019"),
                SummaryRow("Court case still going on", "No"),
            ),
        ),
        SummarySection(
            "access-needs",
            "What you need to take part",
            (
                SummaryRow(
                    "What you need",
                    "Step-free access\n"
                    "An interpreter for another language\n"
                    "Something else\n"
                    "Interpreter language: Polish\n"
                    "Something else: A quiet room",
                ),
            ),
        ),
        SummarySection(
            "taking-part",
            "How you would like to take part",
            (
                SummaryRow("Ways to take part", "Focus groups: small group discussions\nSurveys"),
                SummaryRow("Online or in person", "Online"),
            ),
        ),
        SummarySection(
            "consents",
            "What you agree to",
            (SummaryRow("You agree to", "Being a member\nSurveys"),),
        ),
        SummarySection(
            "password",
            "How you will sign in",
            (SummaryRow("How you will sign in", "With your email address and a password"),),
        ),
    ]


def test_kept_equality_answers_end_with_the_agreement_to_keep_them():
    kept = application(equality=Equality(consent=True, answers={"sex": "female"}))
    equality = next(
        section for section in summary(kept, REFERENCE, {}) if section.slug == "equality"
    )
    assert equality.title == "Equality questions"
    assert equality.rows[-1] == SummaryRow("Keeping your answers", "You agreed")


def test_a_phone_safe_for_voicemail_says_so():
    contact, _ = clean_safe_contact(
        {
            "email_safe": ["any"],
            "phone_call_safe": ["any"],
            "phone_call_voicemail": ["yes"],
            "text_message_safe": ["no"],
            "post_safe": ["no"],
        }
    )
    details = Details("Robin", "robin@example.org", "07700 900123", "", "prefer_not")
    rows = rows_of(summary(application(contact=contact, details=details), REFERENCE, {}))
    assert rows["Phone call"] == "Safe at any time\nVoicemail: yes"
    assert rows["Text message"] == "Not safe" and "Post" not in rows
    assert rows["Code word"] == "None"


def test_a_channel_shows_on_check_your_answers_only_with_its_number_or_address():
    with_address = Details("Robin", "robin@example.org", "", "1 High Street", "prefer_not")
    rows = rows_of(summary(application(details=with_address), REFERENCE, {}))
    assert rows["Post"] == "Not safe"
    assert {"Phone call", "Text message"}.isdisjoint(rows)


def test_answers_left_blank_read_as_not_answered_or_none_given():
    blank = application(experience=Experience(), details=Details("Robin", "", "", "", "dover"))
    rows = rows_of(summary(blank, REFERENCE, {}))
    assert rows["Postal address"] == "None given"
    assert rows["What it was about"] == "Not answered"
    assert rows["Roughly when"] == "Not answered"


def test_an_area_or_crime_type_no_longer_in_the_reference_data_shows_as_stored():
    moved = application(
        details=Details("Robin", "robin@example.org", "", "", "old_district"),
        experience=Experience("victim", ("old_crime_type",), "2019", "no"),
    )
    rows = rows_of(summary(moved, REFERENCE, {}))
    assert rows["Area you live in"] == "old_district"
    assert rows["What it was about"] == "old_crime_type"
