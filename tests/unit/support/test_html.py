"""The page-reading helpers the integration tests select elements with."""

from __future__ import annotations

import httpx
import pytest

from tests.support import html

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Error: Members - Panel</title></head><body>
<div class="govuk-error-summary"><h2>There is a problem</h2>
  <ul class="govuk-list govuk-error-summary__list">
    <li><a href="#district">Select a district
        from the list</a></li>
    <li>The file is empty</li>
  </ul></div>
<p class="govuk-body">Never mind</p>
<table class="govuk-table" id="found">
  <thead><tr><th>Name</th><th>Last invited</th><th>Last took part</th></tr></thead>
  <tr><td><a href="/staff/members/1">Alex</a></td><td>6 May 2026</td><td>Never</td></tr>
  <tr><td>Sam</td><td>Never</td><td>1 June 2026</td></tr>
</table>
<dl class="govuk-summary-list">
  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Email</dt>
    <dd class="govuk-summary-list__value">sam@example.org</dd></div>
  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">District</dt>
    <dd class="govuk-summary-list__value">Dover <span>(Kent)</span></dd></div>
</dl>
<form action="/x" method="post">
  <input type="hidden" name="_csrf_token" value="secret">
  <p id="name-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>
    Enter a name</p>
  <input name="name" value="Sam">
  <input type="radio" name="safe" value="yes"><input type="radio" name="safe" value="no" checked>
  <input type="checkbox" name="need" value="bsl" checked><input type="checkbox" name="need" value="x">
  <input type="checkbox" name="need" value="large_print" checked>
  <select name="district"><option value="">Choose</option><option value="dover" selected>Dover</option></select>
  <textarea name="note">Line one
line two</textarea>
  <button type="submit" name="go" value="1">Save</button>
</form>
</body></html>"""


def test_one_finds_exactly_one_element_and_says_what_it_found_otherwise():
    assert html.one(PAGE, "#found").name == "table"
    with pytest.raises(AssertionError, match=r"expected one element for '\.nothing', found 0"):
        html.one(PAGE, ".nothing")
    with pytest.raises(AssertionError, match=r"found 6: Alex; 6 May 2026; Never; Sam; Never$"):
        html.one(PAGE, "tbody td")


def test_text_collapses_whitespace_and_takes_a_response_a_string_or_an_element():
    response = httpx.Response(200, text=PAGE)
    assert html.text(response, ".govuk-error-summary__list a") == "Select a district from the list"
    assert html.text(html.one(PAGE, ".govuk-summary-list"), "dd:has(span)") == "Dover (Kent)"
    assert html.texts(PAGE, "thead th") == ["Name", "Last invited", "Last took part"]
    assert html.title(PAGE) == "Error: Members - Panel"


def test_a_table_as_cells_and_as_rows_keyed_by_heading():
    assert html.table_cells(PAGE, "#found") == [
        ["Alex", "6 May 2026", "Never"],
        ["Sam", "Never", "1 June 2026"],
    ]
    rows = html.table_rows(PAGE, "#found")
    assert [row["Last took part"] for row in rows] == ["Never", "1 June 2026"]


def test_the_error_summary_maps_each_field_to_its_message():
    assert html.error_summary(PAGE) == {
        "district": "Select a district from the list",
        "": "The file is empty",
    }
    assert html.error_messages(PAGE) == ["Select a district from the list", "The file is empty"]
    assert html.field_error(PAGE, "name") == "Enter a name"


def test_a_summary_list_as_a_dict():
    assert html.summary_list(PAGE) == {"Email": "sam@example.org", "District": "Dover (Kent)"}


def test_form_values_are_what_the_form_would_send():
    assert html.form_values(PAGE) == {
        "name": "Sam",
        "safe": "no",
        "need": ["bsl", "large_print"],
        "district": "dover",
        "note": "Line one\nline two",
    }


def test_hrefs():
    assert html.hrefs(PAGE, "#found a") == ["/staff/members/1"]


SECTIONS = """<!DOCTYPE html><html><head><title>Member</title></head><body><main>
<h1>Alex</h1>
<h2>Invitations</h2><table><tr><td>Survey</td></tr></table><p>The 2 most recent are shown.</p>
<h2>Sessions <span class="govuk-visually-hidden">they took part in</span></h2><p>None yet.</p>
<div class="grid"><h3>Within</h3><p>Kept</p><h2>Change their status</h2><form></form></div>
<h2>Who viewed this record</h2><p>No one yet.</p>
</main><footer><p>Cookies</p></footer></body></html>"""


def test_a_section_runs_from_its_heading_to_the_next_heading_of_its_level():
    assert html.texts(html.section(SECTIONS, "Invitations"), "p, td") == [
        "Survey",
        "The 2 most recent are shown.",
    ]
    sessions = html.section(SECTIONS, "Sessions")
    assert html.texts(sessions, "p") == ["None yet.", "Kept"]
    assert html.texts(sessions, "h3") == ["Within"]
    assert html.text(html.section(SECTIONS, "Who viewed this record")) == "No one yet."
    with pytest.raises(AssertionError, match="expected one heading 'Nothing', found 0"):
        html.section(SECTIONS, "Nothing")


def test_text_keeps_blocks_apart_and_lines_together():
    page = '<div><p>Saved.</p><p>Sent <a href="/x">to them</a>.</p><p>No<br>more</p></div>'
    assert html.text(page, "div") == "Saved. Sent to them. No more"
    heading = html.one(
        '<table><tr><th>Name<span class="govuk-visually-hidden">, sort by this</span></th></table>',
        "th",
    )
    assert html.shown_text(heading) == "Name"
    assert html.text(heading) == "Name, sort by this"
