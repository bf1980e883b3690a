"""Every time of day a page shows is in UK time and says so, in the same words everywhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from panel.web.templating import TIME_ZONE_LABEL, local_formats

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def test_no_page_shows_a_time_in_utc():
    offending = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\bUTC\b|\|\s*datetime\b", path.read_text())
    ]
    assert offending == []


def test_every_page_that_shows_a_time_of_day_says_it_is_uk_time():
    unlabelled = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if ("local_datetime" in (text := path.read_text()) or "local_time" in text)
        and "time_zone_label" not in text
    ]
    assert unlabelled == []
    assert TIME_ZONE_LABEL == "UK time"


def test_times_are_shown_where_the_panel_is():
    formats = local_formats("Europe/London")
    summer_evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert formats["local_datetime"](summer_evening) == "2 July 2026, 00:30"
    assert formats["local_date"](summer_evening) == "2 July 2026"
    assert formats["short_date"](summer_evening) == "2 Jul 2026"
    assert formats["local_datetime"](None) == ""
