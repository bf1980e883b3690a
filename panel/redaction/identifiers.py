"""Identifiers with a shape: email and web addresses, social media names, phone numbers (the
``phonenumbers`` package, as the UK writes them), postcodes, National Insurance numbers, vehicle
registrations, crime and case references in the forms forces and courts use, police collar
numbers, street addresses, and dates of birth and ages tied to a person. Each finder returns the
stretches it found; ``engine`` settles overlaps."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from panel.redaction.kinds import Found, Kind

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
LINK = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]+"
    # Only from the start of a dotted run: from every letter in it would take time squared.
    r"|(?<![\w.-])(?:[a-z0-9-]+\.)+(?:com|co\.uk|org|org\.uk|net|uk|io|me)/[^\s<>\"]*",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
# The full postcode (outward and inward parts); the outward part alone names a district.
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# Any two letters: a number mistyped, or not yet checked, identifies someone all the same.
NI_NUMBER = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
# Current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D) registrations.
VEHICLE = re.compile(
    r"\b(?:[A-Z]{2}[0-9]{2} ?[A-Z]{3}|[A-Z][0-9]{1,3} ?[A-Z]{3}|[A-Z]{3} ?[0-9]{1,3}[A-Z])\b",
    re.IGNORECASE,
)
REFERENCE = re.compile(
    # Force crime numbers: 46/123456/24, CR/0123456/24, 46-123456-2024.
    r"\b(?:[A-Z]{1,4}|\d{1,3})[/-]\d{4,8}[/-]\d{2,4}\b"
    # Letters, a year and a number: NRM-2023-118204, NRM 2022 093411, T2023 0512.
    r"|\b[A-Z]{1,4}[- ]?(?:19|20)\d{2}[- ]\d{4,8}\b"
    # A CPS unique reference number: force, station, number, year (46AB1234524).
    r"|\b\d{2}[A-Z]{2}\d{7}\b"
    # Crown Court case numbers (T20247001) and Action Fraud references (NFRC240112345678).
    r"|\b[TSA]\d{8}\b|\bNFRC\d{6,12}\b"
    # Anything with a digit after the words that introduce a reference.
    r"|\b(?:crime|case|incident|log|occurrence|report|reference|ref|urn)"
    r"(?: number| no\.?| ref\.?| reference)?(?: is| was)?[:#,]? ?"
    r"(?P<it>(?-i:[A-Z]{2,4} )?(?=[A-Z/-]*\d)[A-Z0-9][A-Z0-9/-]{3,}(?: ?/ ?[0-9][0-9/-]{3,}| \d{4,8})?)\b",
    re.IGNORECASE,
)
RANKS = (
    r"PCSO|PC|WPC|DC|DS|DI|DCI|DSI|DSU|DCS|Sgt|Sergeant|Inspector|Constable|Detective"
    r"(?: Constable| Sergeant| Inspector| Chief Inspector)?|Chief Inspector|Superintendent"
    r"|Chief Superintendent|Officer"
)
COLLAR_NUMBER = re.compile(
    # "PC 4521", "PC Amrit Sandhu 10482", "DC Tom Okafor, collar 4552", "PC Michael Banks (KT2291)".
    rf"\b(?:(?:{RANKS})(?: [A-Z][a-z'-]+){{0,3}}(?: ?\(|,? (?:collar|shoulder) (?:number |no\.? )?)?"
    r" ?|(?:collar|shoulder|badge|warrant)(?: number| no\.?| num)?(?: is| was)?:? ?)"
    r"(?P<it>(?:[A-Z]{2})?\d{3,6})\b",
    re.IGNORECASE,
)
STREET_WORDS = (
    r"Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Court|Place|Gardens|Grove"
    r"|Terrace|Row|Mews|Walk|Square|Hill|Rise|Parade|View|Green|Park|Vale|Path|Broadway|Fields"
    r"|Meadow|Meadows|Wharf|Quay|Yard"
)
STREET = rf"(?:[A-Z][a-z']+ ){{1,3}}(?:{STREET_WORDS})\b"
BUILDING_WORDS = (
    r"Court|House|Lodge|Mansions|Cottages?|Buildings|Point|Tower|Heights|Place|Farm|Forge|Barn"
    r"|Manor|Hall|Mill|Villa"
)
BUILDING = rf"(?:The )?(?:[A-Z][a-z']+ ){{0,3}}(?:{BUILDING_WORDS}),? "
ADDRESS = re.compile(
    # A house or flat number and a street: "12 High Street", "Flat 3, 45a London Road",
    # "Flat 9, Orchard Court, 52 Week Street", "Marine Court, 14 Alexandra Road".
    rf"\b(?:(?:Flat|Apartment|Unit|Room) \d+[A-Za-z]?,? )?(?:{BUILDING})?"
    rf"\d{{1,4}}[A-Za-z]?,? {STREET}"
    # A named house on a street: "The Old Forge, Mill Lane", "Hop Farm Cottages, Five Oak Green".
    rf"|\b{BUILDING}{STREET}"
    # A street said to be where someone lives.
    r"|\b(?:lives|lived|living|live|moved|staying|stays|stayed|house|home|flat|property|address"
    r"|(?:mum|dad|nan|gran|mother|father|sister|brother|friend|partner)['\u2019]s)"
    rf"(?: is| was)? (?:on|in|at|to) (?:the )?(?P<it>{STREET})",
)
MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
DATE = (
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS}),? \d{{4}}"
    rf"|(?:{MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|(?:{MONTHS}) \d{{4}}|\d{{4}}"
)
DATE_OF_BIRTH = re.compile(
    # The date may come a few words on: "DOB for the referral: 11/09/1990".
    rf"(?:\bDOB|\bD\.O\.B\.?|\bdate of birth|\bbirthday|\bborn(?: on| in)?)[^.\n\d]{{0,40}}?"
    rf"(?P<it>{DATE})\b",
    re.IGNORECASE,
)
AGE = re.compile(
    r"\b\d{1,3}(?=[- ]years?[- ]old\b|[- ]yrs?[- ]old\b)"
    r"|\b(?:aged|age)(?: of)?:? (?P<it>\d{1,3})\b"
    # "my daughter is 12", "he was only 15".
    r"|\b(?:son|daughter|child|boy|girl|brother|sister|grandson|granddaughter|he|she)"
    r"(?: is| was|['\u2019]s)(?: only| just)? (?P<it2>\d{1,2})\b(?![ -]?(?:%|per|times|minutes"
    r"|hours|days|weeks|months|years? (?:ago|later|before|after)|o'clock|am|pm))"
    # "I'm 79", "I am 34".
    r"|\b(?:I['\u2019]m|I am|Im) (?P<it4>\d{1,2})\b(?![ -]?(?:%|minutes|hours|days|weeks|months"
    r"|years? (?:ago|later)|times))"
    # "disclosed at 14", "(now 22)".
    r"|\b(?:now|at the age of|at) (?P<it3>\d{1,2})\b(?![:.]\d)(?![ -]?(?:%|per|times|minutes"
    r"|hours|days|weeks|months|years|o'clock|am|pm|a\.m|p\.m|and|or|to|-))",
    re.IGNORECASE,
)
# The second of two ages: "aged 7 and 10".
SECOND_AGE = re.compile(r"\baged \d{1,2} and (?P<it>\d{1,2})\b", re.IGNORECASE)
# "my uncle Zahid is 78.", "Cian, who was 19, in", "Johnny is 8 and".
AGE_STATED = re.compile(
    r"(?<=[A-Za-z\],])(?<!\bit)(?<!\bthat)(?<!\bthis)(?<!\bthere)(?<!\bwhich)"
    r" (?:who )?(?:is|was)(?: only| just| now)? (?P<it>\d{1,2})(?=[,.;)]| and\b| when\b)"
)
# An age between commas after a name: "Beryl Ashdown, 69, widowed" ("[PARTICIPANT 1], 69,").
AGE_AFTER_A_NAME = re.compile(r"(?<=[a-z\]])(?:, | \()(?P<it>\d{1,2})(?=[,.)]| years)")

PATTERNS = (
    (EMAIL, Kind.EMAIL),
    (LINK, Kind.LINK),
    (HANDLE, Kind.HANDLE),
    (POSTCODE, Kind.POSTCODE),
    (NI_NUMBER, Kind.NI_NUMBER),
    (VEHICLE, Kind.VEHICLE),
    (REFERENCE, Kind.REFERENCE),
    (COLLAR_NUMBER, Kind.COLLAR_NUMBER),
    (ADDRESS, Kind.ADDRESS),
    (DATE_OF_BIRTH, Kind.DATE_OF_BIRTH),
    (AGE, Kind.AGE),
    (AGE_AFTER_A_NAME, Kind.AGE),
    (SECOND_AGE, Kind.AGE),
    (AGE_STATED, Kind.AGE),
)


def shaped_identifiers(text: str) -> Iterator[Found]:
    for pattern, kind in PATTERNS:
        for match in pattern.finditer(text):
            # Where a pattern needs words around what it finds, the part to replace is its named
            # group ("it", or "it2"… where alternatives each need one).
            part = next((name for name in pattern.groupindex if match.group(name)), None)
            start, end = match.span(part) if part else match.span()
            if kind is Kind.LINK:
                end = start + len(match.group().rstrip(".,;:!?)'\""))
            yield Found(start, end, kind)
    yield from phone_numbers(text)


# A whole UK number has 10 or 11 digits with its leading 0; fewer is a year, a count or a part of
# something else. Numbers need only be possible, not in use: a note may hold a number not yet
# given out, or one of the ranges set aside for drama (07700 900123).
FEWEST_DIGITS = 10


def phone_numbers(text: str) -> Iterator[Found]:
    """UK numbers however they are written, and international ones written with their "+"."""
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if sum(character.isdigit() for character in match.raw_string) >= FEWEST_DIGITS:
            yield Found(match.start, match.end, Kind.PHONE)
