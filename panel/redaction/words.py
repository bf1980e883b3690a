"""What the names finder knows of English: the ordinary words and the proper nouns of British
English (Debian's ``wbritish`` word list, installed by ``make install``), and the words that are
capitalised without naming anyone: places in Kent and the largest elsewhere, days and months,
nationalities, and services people name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORD_LIST = Path("/usr/share/dict/british-english")


class WordListMissing(Exception):
    """Without the word list, names cannot be told from words: nothing may be redacted."""

    def __init__(self) -> None:
        super().__init__(
            f"the word list {WORD_LIST} is missing: install Debian's wbritish package "
            "(make install does)"
        )


@dataclass(frozen=True)
class Vocabulary:
    ordinary: frozenset[str]  # words written in lower case: "faith", "frank", "burgled"
    proper: frozenset[str]  # words the list capitalises, folded: names, places, brands


@cache
def vocabulary() -> Vocabulary:
    if not WORD_LIST.exists():
        raise WordListMissing()
    ordinary: set[str] = set(TEXT_SPEAK)
    proper: set[str] = set()
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if not word:
            continue
        if "'" in word:
            # "dont", "wasnt", "im": what the apostrophe's forms become when typed in a hurry.
            if word[0].islower() and not word.endswith("'s"):
                ordinary.add(word.replace("'", "").casefold())
            continue
        (ordinary if word[0].islower() else proper).add(word.casefold())
    return Vocabulary(frozenset(ordinary), frozenset(proper - ordinary))


def split_words(text: str) -> list[str]:
    """The words of a list written as text, a few to a line."""
    return text.split()


# Written in notes typed in a hurry, and no one's name.
TEXT_SPEAK = split_words(
    """
    lol innit tbh cos coz omg ur pls plz thx ta ok okay nah yeah yep txt txts msg msgs bf gf dm
    dms fb insta convo rly bc idk smh ppl govt asap fyi btw imo tbc tbd wk wks hr hrs min mins
    approx etc aka vs gonna wanna gotta dunno yeh ya thru tho alot bcos bcoz prob probs sry
    mtg mtgs grp grps evry nite tonite nothin til wkend wkends sez pref pre chippy thats whats
    mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec
    redacted dob
    """
)


# Places at town level and above, which stay in a note: Kent's districts and towns, and the
# nations, regions and largest places elsewhere that a note might name.
PLACES = frozenset(
    word.casefold()
    for word in split_words(
        """
    Kent Medway Ashford Canterbury Dartford Dover Folkestone Hythe Gravesham Gravesend Maidstone
    Sevenoaks Swale Thanet Tonbridge Malling Tunbridge Wells Sittingbourne Faversham Sheerness
    Sheppey Whitstable Herne Margate Ramsgate Broadstairs Deal Sandwich Tenterden Cranbrook
    Edenbridge Westerham Swanley Northfleet Rochester Chatham Gillingham Strood Rainham Snodland
    Aylesford Larkfield Paddock Minster Birchington Westgate Hawkinge Lydd Romney New Dymchurch
    Bexley Bromley Greenwich Lewisham Croydon Sussex Surrey Essex Brighton Hastings Eastbourne
    England Scotland Wales Ireland Northern Britain Great UK London Birmingham Manchester
    Liverpool Leeds Sheffield Bristol Newcastle Nottingham Leicester Cardiff Edinburgh Glasgow
    Belfast Europe Poland Romania Lithuania Nepal India Pakistan Bangladesh Nigeria Ghana
    Somalia Turkey China Africa Asia Caribbean Jamaica
    """
    )
)
# Capitalised, and about no one.
NOT_NAMES = frozenset(
    word.casefold()
    for word in split_words(
        """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Christmas Easter Ramadan Eid Diwali
    English Scottish Welsh Irish British Polish Romanian Lithuanian Nepali Nepalese Indian
    Pakistani Bangladeshi Nigerian Ghanaian Somali Turkish Chinese Roma Traveller Travellers
    Gypsy Black White Asian Arab Muslim Jewish Hindu Sikh Christian Catholic European African
    Caribbean Kurdish Albanian Afghan Syrian Ukrainian Russian Portuguese Spanish Italian French
    Facebook Instagram WhatsApp Snapchat TikTok Twitter YouTube Google Uber Tesco Asda Sainsbury
    Sainsbury's Aldi Lidl Amazon eBay iPhone Android Zoom Teams Microsoft Ring Gumtree
    Police Constabulary Victims Victim Code Crown Court Magistrates Council NHS GP AandE
    Mr Mrs Ms Miss Dr PC PCSO DC DS DI DCI Sgt Sergeant Inspector Constable Detective Officer
    OK Okay Yes No Hi Dear Regards Thanks Thank Sorry Please Re Fwd Note Notes Action Actions
    Facilitator Facilitators Participant Participants Attendees Apologies Agenda Minutes Summary
    Urdu Punjabi Gujarati Bengali Hindi Tamil Pashto Dari Farsi Arabic Tigrinya Amharic Yoruba
    Igbo Twi Swahili Vietnamese Cantonese Mandarin Tagalog Latvian Czech Slovak Hungarian
    Bulgarian Greek Islamophobic Islamophobia Antisemitic Antisemitism
    CPS IDVA ISVA OPCC ASB CICA OIC VPS SARC WCU CAD NRM SPO DVPN DVPO MARAC MAPPA
    Nobody Somebody Someone Anyone Anybody Everyone Everybody Noone No-one Nothing Everything
    """
    )
)
