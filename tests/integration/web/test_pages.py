"""Public pages, the exit control, and the menu each role sees."""

from __future__ import annotations

import pytest

from panel.accounts.rules import Role
from panel.accounts.tables import WebSession
from tests.support import html

EXIT_BUTTON = "govuk-exit-this-page"


def exit_button_href(page) -> str:
    """Where the page's one "Exit this page" button leads."""
    return html.one(page, ".govuk-exit-this-page a.govuk-exit-this-page__button")["href"]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Help improve support for victims and witnesses"),
        ("/about", "About the panel"),
        ("/accessibility", "Accessibility statement"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"),
        ("/sign-in", "Sign in"),
        ("/forgot-password", "Reset your password"),
    ],
)
async def test_public_pages_show_the_exit_button(client, path, heading):
    page = await client.get(path)
    assert html.text(page, "h1") == heading
    assert exit_button_href(page) == "/exit"


async def test_member_pages_show_the_exit_button_and_staff_pages_do_not(
    client, signed_in, make_client, make_user
):
    await signed_in(Role.MEMBER)
    assert exit_button_href(await client.get("/my-panel")) == "/exit"
    staff_browser = make_client()
    from tests.integration.conftest import sign_in

    await sign_in(staff_browser, await make_user(Role.STAFF))
    assert EXIT_BUTTON not in (await staff_browser.get("/staff")).text


async def test_exit_ends_the_session_and_leads_to_the_neutral_site(client, signed_in, settings):
    await signed_in(Role.MEMBER)
    response = await client.get("/exit", expected=303)
    assert response.headers["location"] == settings.exit_page_url
    assert not await WebSession.exists().where(WebSession.ended_at.is_null())
    await client.get("/my-panel", expected=303)


async def test_the_cookies_page_lists_only_essential_cookies_and_there_is_no_banner(client):
    page = await client.get("/cookies")
    assert "This service uses only the cookies it needs to work" in html.texts(page, "main p")[0]
    assert "govuk-cookie-banner" not in page.text


async def test_the_privacy_notice_shows_its_version(client):
    page = await client.get("/privacy")
    assert html.text(page, "main .govuk-body-s") == "Version 1.0"


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.ADMIN, ["/admin/users", "/admin/audit"]),
        (Role.STAFF, ["/staff"]),
        (Role.FACILITATOR, ["/facilitator"]),
        (Role.BOARD, ["/board"]),
        (Role.MEMBER, ["/my-panel"]),
    ],
)
async def test_each_role_sees_its_own_menu(client, signed_in, role, links):
    await signed_in(role)
    page = await client.get("/home", expected=303)
    home = await client.get(page.headers["location"])
    menu = html.hrefs(home, "#navigation a")
    for link in links:
        assert link in menu
    if role != Role.ADMIN:
        assert "/admin/audit" not in menu


async def test_no_gov_uk_crown_or_font(client):
    page = await client.get("/")
    assert (
        "GOV.UK" not in page.text
        and "govuk-logo" not in page.text
        and "crown" not in page.text.lower()
    )


def test_the_compiled_stylesheet_uses_arial_and_not_the_gov_uk_font():
    from panel.settings import ROOT

    css = (ROOT / "static" / "dist" / "app.css").read_text()
    assert "arial" in css.lower()
    assert "GDS Transport" not in css


async def test_the_about_page_names_the_area_from_the_reference_data(client):
    page = await client.get("/about")
    assert "people in Kent who have been victims or witnesses" in html.text(
        page, "main .govuk-body-l"
    )
    headings = html.texts(page, "main h2")
    for heading in (
        "Who can join",
        "What taking part involves",
        "How your information is used and kept",
        "How to leave",
    ):
        assert heading in headings


async def test_the_about_page_lists_support_national_and_local_with_numbers_and_sources(client):
    page = await client.get("/about")
    support = html.section(page, "Help and support")
    national = html.select(support, "h3:-soup-contains('England and Wales') + ul > li")
    local = html.select(support, "h3:-soup-contains('In Kent') + ul > li")
    assert national and local
    victim_support = next(
        item for item in national if html.text(item, "a[href^='https://']") == "Victim Support"
    )
    assert html.one(victim_support, "a[href^='tel:']")["href"] == "tel:08081689111"
    assert html.one(victim_support, "a[href^='https://']")["href"] == (
        "https://www.victimsupport.org.uk"
    )
    assert html.text(victim_support, ".panel-support-list__source").startswith("Source: ")
    assert html.text(local[0], "a[href^='https://']") == "Kent Police"


async def test_the_kept_page_shell_shows_each_person_only_their_own_email_and_token(
    client, make_client, make_user
):
    """The shell around every page is kept rendered for each role (panel.web.shell); who is
    signed in and their CSRF token are filled in, escaped, for each request, never kept."""
    from tests.integration.conftest import csrf_token_in, sign_in

    first = await make_user(Role.STAFF, email="o'brien@example.org")
    second = await make_user(Role.STAFF)
    other = make_client()
    await sign_in(client, first)
    await sign_in(other, second)
    tokens = set()
    for browser, user in ((client, first), (other, second), (client, first)):
        page = await browser.get("/staff")
        who = html.one(page, ".panel-account-bar__who")
        assert html.shown_text(who) == f"Signed in as {user['email']} (Staff)"
        fields = {field["value"] for field in html.select(page, "input[name=_csrf_token]")}
        dialog = html.one(page, "dialog#timeout-warning")["data-csrf-token"]
        assert fields == {dialog} == {csrf_token_in(page.text)}
        tokens.add(dialog)
    assert len(tokens) == 2
    raw = (await client.get("/staff")).text
    assert "Signed in as o&#39;brien@example.org" in raw
    assert "o'brien" not in raw
