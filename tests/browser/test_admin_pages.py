"""An administrator's pages: users and roles, the audit log; and the public information pages."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.accounts import Account, new_password
from tests.browser.authenticator import Authenticator
from tests.browser.conftest import PanelServer
from tests.browser.pages import ServicePage, SignInPage, TwoFactorSetUpPage


class AdminHomePage(ServicePage):
    path = "/admin"
    heading = "Administration"


class UsersPage(ServicePage):
    path = "/admin/users"
    heading = "Users and roles"


class UserPage(ServicePage):
    path = "/admin/users/"
    path_pattern = r"/admin/users/\d+"

    @classmethod
    def of(cls, page: Page, email: str) -> UserPage:
        cls.heading = email
        return cls.arrived(page)


class AddUserPage(ServicePage):
    path = "/admin/users/new"
    heading = "Add a user"


class AuditLogPage(ServicePage):
    path = "/admin/audit"
    heading = "Audit log"


class AboutPage(ServicePage):
    path = "/about"
    heading = "About the panel"


class AccessibilityPage(ServicePage):
    path = "/accessibility"
    heading = "Accessibility statement"


class PrivacyPage(ServicePage):
    path = "/privacy"
    heading = "Privacy notice"


class CookiesPage(ServicePage):
    path = "/cookies"
    heading = "Cookies"


class NotFoundPage(ServicePage):
    path = "/no-such-page"
    heading = "Page not found"


def new_account(server: PanelServer, role: str) -> Account:
    account = Account(email=f"{role}-{uuid.uuid4().hex[:10]}@example.org", password=new_password())
    server.create_user(account.email, role, account.password)
    return account


def sign_in_as_new_admin(page: Page, server: PanelServer) -> AdminHomePage:
    admin = new_account(server, "admin")
    SignInPage.visit(page).submit(admin.email, admin.password)
    set_up = TwoFactorSetUpPage.arrived(page)
    set_up.field("Code from your authenticator app").fill(Authenticator(set_up.key()).code())
    set_up.press("Continue")
    return AdminHomePage.arrived(page)


def test_admin_changes_a_role_and_sees_it_in_the_audit_log(page: Page, server: PanelServer) -> None:
    staff = new_account(server, "staff")
    sign_in_as_new_admin(page, server).page.get_by_role("link", name="Users and roles").click()

    users = UsersPage.arrived(page)
    users.page.get_by_role("link", name=staff.email).click()
    person = UserPage.of(page, staff.email)
    person.page.get_by_label("Role").select_option(label="Board member")
    person.press("Change role")
    person = UserPage.of(page, staff.email)
    expect(person.page.locator(".govuk-notification-banner")).to_contain_text("Role changed")

    page.get_by_role("link", name="Audit log").click()
    audit = AuditLogPage.arrived(page)
    audit.page.get_by_label("Action").select_option(label="Role changed")
    audit.press("Filter")
    audit = AuditLogPage.arrived(page)
    changed = audit.page.locator("tbody tr").filter(
        has_text=f"Changed the role of {staff.email} from Staff to Board member"
    )
    expect(changed).to_have_count(1)
    expect(changed.locator("td").nth(1)).to_contain_text("Administrator")
    changed.locator("td").nth(2).get_by_role("link", name=staff.email).click()
    UserPage.of(page, staff.email)
    page.go_back()
    audit = AuditLogPage.arrived(page)

    audit.field("From (yyyy-mm-dd)").fill("last tuesday")
    audit.press("Filter")
    audit = AuditLogPage.arrived(page)
    audit.error_summary.expect_messages("Enter the date as year-month-day, like 2026-11-01")
    expect(audit.field("From (yyyy-mm-dd)")).to_have_value("last tuesday")


def test_admin_adds_a_user_who_is_emailed_a_link(page: Page, server: PanelServer, mailbox) -> None:
    sign_in_as_new_admin(page, server)
    UsersPage.visit(page).page.get_by_role("button", name="Add a user").click()
    form = AddUserPage.arrived(page)
    form.press("Add user and send the email")
    form = AddUserPage.arrived(page)
    form.error_summary.expect_messages("Enter their email address", "Select a role")

    email = f"board-{uuid.uuid4().hex[:10]}@example.org"
    form.field("Their email address").fill(email)
    form.page.get_by_label("Role").select_option(label="Board member")
    form.press("Add user and send the email")
    users = UsersPage.arrived(page)
    expect(users.page.locator(".govuk-notification-banner")).to_contain_text("User added")
    expect(users.page.locator("tbody")).to_contain_text(email)
    invitation = mailbox.wait_for(email, "Your new account")
    assert "/reset-password/" in invitation.text


def test_the_public_information_pages(phone_page: Page) -> None:
    for page_class in (AboutPage, AccessibilityPage, PrivacyPage, CookiesPage, NotFoundPage):
        page_class.visit(phone_page)
