"""Admins set the targets of a dimension in place of the area's defaults, and can go back to them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.representation.tables import RepresentationTarget
from tests.integration.representation.conftest import table_rows
from tests.support import html

PATH = "/admin/representation/targets"
SOURCE = "Our own survey of people who reported to us in 2024, rounded"
SEX = {"share-female": "60", "share-male": "40", "source": SOURCE}


def targets_of(page: str, dimension: str) -> tuple[str, str]:
    """A dimension's section on the targets page: who set its targets, and their source."""
    section = html.one(page, f'section[aria-labelledby="{dimension}"]')
    who, source, *_ = html.texts(section, ":scope > div > p")
    return who, source


async def audit_details() -> list[dict[str, Any]]:
    rows = await AuditEvent.select(AuditEvent.object_id, AuditEvent.detail).where(
        AuditEvent.action == "representation_targets_changed"
    )
    return [{"dimension": row["object_id"], **json.loads(row["detail"])} for row in rows]


async def test_the_targets_page_shows_the_defaults_with_their_sources(client, signed_in):
    await signed_in(Role.ADMIN)
    page = (await client.get(PATH)).text
    who, source = targets_of(page, "ethnicity")
    assert who == "Defaults"
    assert source.startswith("Source: ONS Census 2021 (table TS021, ethnic group, 19 categories)")
    assert html.texts(page, "main section .govuk-tag") == ["Defaults"] * 6
    admin_home = await client.get("/admin")
    assert html.links(admin_home, "main a")["Representation targets"] == PATH


async def test_an_admin_sets_a_dimensions_targets_and_the_dashboard_uses_them(
    client, signed_in, add_members
):
    admin = await signed_in(Role.ADMIN)
    await add_members(10, equality={"sex": "female"})
    form = (await client.get(f"{PATH}/sex")).text
    shown = html.form_values(form, "main form")  # the defaults to start from
    assert (shown["share-female"], shown["share-male"]) == ("51.5", "48.5")

    response = await client.post(f"{PATH}/sex", SEX)
    assert response.headers["location"] == f"{PATH}?done=saved:sex#sex"
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith("Targets for sex saved.")
    who, source = targets_of(page, "sex")
    assert who.startswith("Set by an administrator on ") and source == f"Source: {SOURCE}"

    rows = await RepresentationTarget.select(
        RepresentationTarget.code, RepresentationTarget.share, RepresentationTarget.updated_by
    ).where(RepresentationTarget.dimension == "sex")
    assert {row["code"]: float(row["share"]) for row in rows} == {"female": 60, "male": 40}
    assert {row["updated_by"] for row in rows} == {admin["id"]}
    assert await audit_details() == [
        {"dimension": "sex", "shares": {"female": "60", "male": "40"}, "source": SOURCE}
    ]

    dashboard = (await client.get("/staff/representation")).text
    assert table_rows(dashboard, "sex")["Male"] == ["0", "0.0%", "40%", "-40.0", "7"]
    sex = html.one(dashboard, 'section[aria-labelledby="sex"]')
    assert html.text(sex, ".govuk-details__text") == f"Set by an administrator: {SOURCE}"
    # Other dimensions keep their defaults.
    assert table_rows(dashboard, "district")["Medway"][2] == "15.1%"


async def test_going_back_to_the_defaults(client, signed_in):
    await signed_in(Role.ADMIN)
    await client.post(f"{PATH}/sex", SEX)
    form = (await client.get(f"{PATH}/sex")).text
    assert html.form_values(form, "main form[action$='/sex']")["share-female"] == "60"
    assert html.text(form, "main form[action$='/defaults'] button") == "Go back to the defaults"

    response = await client.post(f"{PATH}/sex/defaults", csrf_from=f"{PATH}/sex")
    assert response.headers["location"] == f"{PATH}?done=restored:sex#sex"
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page) == "Targets for sex are back to the defaults."
    assert not await RepresentationTarget.exists().where(RepresentationTarget.dimension == "sex")
    assert (await audit_details())[-1] == {"dimension": "sex", "restored": "defaults"}
    assert "Go back to the defaults" not in (await client.get(f"{PATH}/sex")).text


async def test_targets_that_do_not_add_up_are_refused_and_the_form_comes_back(client, signed_in):
    await signed_in(Role.ADMIN)
    response = await client.post(
        f"{PATH}/sex", {**SEX, "share-male": "30"}, expected=400, csrf_from=f"{PATH}/sex"
    )
    assert html.title(response).startswith("Error: Targets for sex")
    assert html.error_summary(response)["share"].startswith(
        "The targets must add up to 100%. They add up to 90%"
    )
    assert html.one(response, "main form #share")  # where the summary's link leads
    kept = html.form_values(response, "main form")  # what they typed is kept
    assert (kept["share-female"], kept["share-male"], kept["source"]) == ("60", "30", SOURCE)
    assert not await RepresentationTarget.exists()
    assert await audit_details() == []


async def test_each_share_is_checked_and_the_source_is_needed(client, signed_in):
    await signed_in(Role.ADMIN)
    response = await client.post(
        f"{PATH}/sex",
        {"share-female": "half", "share-male": "", "source": ""},
        expected=400,
        csrf_from=f"{PATH}/sex",
    )
    assert html.error_summary(response) == {
        "share-female": "The target for Female must be a number from 0 to 100, like 12.5",
        "share-male": "Enter the target for Male, from 0 to 100",
        "source": "Enter where the figures come from",
    }
    assert not await RepresentationTarget.exists()


async def test_an_unknown_dimension_is_not_found(client, signed_in):
    await signed_in(Role.ADMIN)
    await client.get(f"{PATH}/shoe_size", expected=404)
    await client.post(f"{PATH}/shoe_size", SEX, expected=404, csrf_from=PATH)
    await client.post(f"{PATH}/shoe_size/defaults", expected=404, csrf_from=PATH)


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.FACILITATOR, Role.MEMBER])
async def test_only_admins_set_targets(client, signed_in, role):
    await signed_in(role)
    await client.get(PATH, expected=403)
    await client.get(f"{PATH}/sex", expected=403)
    await client.post(f"{PATH}/sex", SEX, expected=403, csrf_from="/sign-in")
    assert not await RepresentationTarget.exists()
