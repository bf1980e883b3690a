"""The directory's filters in words: the heading and choices of each filter, as the list's
form and its "Selected filters" show them, and a filter the audit log kept, told in the same
words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from panel.directory import rules
from panel.members.reference import ReferenceData
from panel.members.rules import ACCESS_NEEDS, PREFER_NOT, PREFER_NOT_LABEL

# The heading of each filter in the list of those applied, in the order of the form.
FILTER_HEADINGS = {
    "q": "Name or email",
    "status": "Status",
    "district": "District",
    "crime_type": "What it was about",
    "involvement": "How they were involved",
    "consent": "Consent held now",
    "invited": "Last invited",
    "took_part": "Last took part",
    "paused": "Paused",
    "access_need": "Access needs",
}


def directory_options(reference: ReferenceData, titles: dict[Any, str]) -> dict[str, Any]:
    """The choices of each filter, as (code, label)."""
    return {
        "status": rules.STATUS_OPTIONS,
        "district": [
            ("", "Any district"),
            *((c.code, c.label) for c in reference.districts),
            (PREFER_NOT, PREFER_NOT_LABEL),
        ],
        "crime_type": [
            ("", "Anything"),
            *((c.code, c.label) for c in reference.crime_types),
        ],
        "involvement": [("", "Any"), *rules.INVOLVEMENT_OPTIONS],
        "consent": [("", "Any, or none"), *((p.value, t) for p, t in titles.items())],
        "invited": [("", "Any time, or never"), *rules.INVITED_OPTIONS],
        "took_part": [("", "Any time, or never"), *rules.TOOK_PART_OPTIONS],
        "paused": [("", "Either"), *rules.PAUSED_OPTIONS],
        "access_need": [
            ("", "Any, or none"),
            (rules.ANY_ACCESS_NEED, "Any access need"),
            *ACCESS_NEEDS,
        ],
        "sort": rules.SORT_OPTIONS,
    }


def filter_in_words(audited: Mapping[str, Any], options: Mapping[str, Any]) -> list[str]:
    """A filter as the audit log keeps it (``DirectoryFilter.as_audit``), one phrase per filter
    in the order of the form, each value in the words the form offers it in: "Status: Active or
    Paused". A search says only that there was one: its words are never kept."""
    phrases = []
    for name, heading in FILTER_HEADINGS.items():
        if name == "q":
            if audited.get("searched"):
                phrases.append(f"{heading}: a search (what was searched for is not kept)")
            continue
        chosen = audited.get(name)
        if not chosen:
            continue
        labels = dict(options.get(name, ()))
        values = chosen if isinstance(chosen, list) else [chosen]
        phrases.append(
            f"{heading}: " + " or ".join(str(labels.get(value, value)) for value in values)
        )
    if sort := audited.get("sort"):
        phrases.append("Sorted: " + dict(options["sort"]).get(sort, sort))
    return phrases
