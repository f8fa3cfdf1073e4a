"""People named in text, with honours and the posts the text says they hold.

No person is ever listed: a person is a run of two to four capitalised words
that the text itself marks as a person, by a rank or honorific before it ("Lt
Gen"), a title before it ("Foreign Minister"), a title in apposition after it
(", Secretary of Australia's Department of Home Affairs", "(Director, CISA)") or
before it ("India's Coordinator, NAME, said", "led by Home Affairs deputy
secretary NAME"), a delegation ("for Japan, Mr NAME", a line labelled "Fiji:"),
a workplace (", who directs the programme at ORG", ", of ORG", ", a researcher
at ORG"), a reporting verb ("said") or the start of an attendee-list line. A surname written first in
capitals after an honorific or a post ("Mr. SURNAME Given") is indexed "Given Surname". The signals are
what an analyst reading the sentence relies on, so a capitalised phrase with
none of them ("Prime Ministers", "Quad Senior") is never a person.

The rules run on a *masked* copy of the text in which every country, place and
organisation span is replaced, character for character, by a marker (see
`entities.mask`). Offsets are unchanged, a name can never swallow a country or
an organisation, and the grammar can say "COUNTRY's TITLE NAME" with one symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping

from . import ids, lexicon
from .countries import Span, literal_pattern
from .name_forms import shorter_forms
from .spans import inside_any, overlaps_any

__all__ = [
    "COUNTRY_MARK", "ORG_MARK", "PLACE_MARK", "PERSON_MARK", "FILL_MARK",
    "TITLE_HEADS", "HONORIFICS", "POST_NOMINALS", "SPEAKER_HONORIFIC", "LABEL_END", "Person", "Role", "PeopleFound",
    "find_people",
]

# Markers of the masked text: the first character of a span says what it is, the rest is filler.
# A person marker stands for a name the statistical model found (see `find_people`).
COUNTRY_MARK, ORG_MARK, PLACE_MARK, PERSON_MARK, FILL_MARK = "\ue001", "\ue002", "\ue003", "\ue004", "\ue000"
_C = f"{COUNTRY_MARK}{FILL_MARK}*"
_O = f"{ORG_MARK}{FILL_MARK}*"
_P = f"{PERSON_MARK}{FILL_MARK}*"
_POSS = r"(?:['’]s)?"

# The word lists live in data/lexicon.toml.
TITLE_HEADS = lexicon.words("title_heads")
_TITLE_MODIFIERS = (*lexicon.words("title_modifiers"), *TITLE_HEADS)
HONORIFICS = lexicon.words("honorifics")
POST_NOMINALS = lexicon.words("post_nominals")
_MONTHS = lexicon.words("months_and_days")
_COMMON = lexicon.words("sentence_words")
_NAME_STOP = sorted({*_MONTHS, *_COMMON, *_TITLE_MODIFIERS, *(w for h in HONORIFICS for w in h.split())})

# A capitalised word, with an inner capital ("McIntyre"), a hyphenated part ("Ortega-Price") or a one-letter
# prefix and an apostrophe ("O'Rourke", "D'Souza").
_WORD = r"(?:[A-Z]['’])?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[A-Z][a-zß-öø-ÿ]+)?(?:[-'’][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
_NAME_WORD = rf"(?!(?:{literal_pattern(_NAME_STOP)})(?![\w-])){_WORD}"
# Initials before a surname: "S Jaishankar", "J. D. Vance", "MU Nair"; an initial inside: "Nathaniel C Fick".
# A bare "A" or "I" is the article or the pronoun ("A Reuters report"), not an initial.
_INITIAL = r"(?:[A-Z]\.|(?![AI][ \t])[A-Z])[ \t]+"
_INITIALS = rf"(?:{_INITIAL}){{1,3}}|[A-Z]{{2,3}}[ \t]+(?=[A-Z][a-z])"
_NAME = (
    rf"(?:{_P}|(?<![\w\-{FILL_MARK}])(?:{_INITIALS}|{_NAME_WORD}[ \t]+(?:(?:{_INITIAL})?{_NAME_WORD}[ \t]+){{0,2}})"
    rf"(?:{_INITIAL})?{_NAME_WORD}(?![\w-]))"
)


def _words_pattern(phrases: Iterable[str]) -> str:
    """Multi-word phrases where each word may end in a full stop and words are separated by spaces."""
    alternatives = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\.?[ \t]+".join(map(re.escape, p.split())) + r"\.?" for p in alternatives)


# A word of a portfolio ("Home Affairs"); a title head starts a second post instead.
_PORTFOLIO_WORD = rf"(?!(?:{literal_pattern(TITLE_HEADS)})(?![\w-]))[A-Z][\w-]*"
# "Joint Secretary (Cyber Diplomacy)": a bracketed qualifier in words, not an acronym like "(NCSC)".
_QUALIFIER = r"[ \t]*\([A-Z][a-z][\w-]*(?:[ \t]+[\w&-]+){0,4}\)"
_HON = rf"(?:{_words_pattern(HONORIFICS)})"
_UPPER = "A-ZÀ-ÖØ-Þ"  # what a name, an honorific or a capitalised title starts with
_NAME_FIRST = _UPPER + PERSON_MARK
_HONS = rf"{_HON}(?:[ \t]+{_HON})?"
_POSTS = rf"(?:,?[ \t]+(?:{'|'.join(map(re.escape, POST_NOMINALS))})(?!\w))+"


def _scanner(first: str, pattern: str) -> re.Pattern:
    """Compile a pattern whose matches can only start with one of the `first` characters.

    Spelt out as a leading character class, this lets the regex engine skip to
    the few possible positions in C instead of trying the whole pattern at every
    character, which is most of what the people rules cost on a long article.
    """
    return re.compile(rf"(?=[{first}]){pattern}")


def _title_pattern(ignore_case: bool, lower_complement: bool = True) -> str:
    """A post: modifiers, a head noun, a complement, a bracketed qualifier and a second post joined by "and".

    "Minister for Home Affairs", "Ambassador in charge of Cyber Policy", "Ambassador
    to the United States", "Joint Secretary (Cyber Diplomacy)", "Minister for Home
    Affairs and Minister for Cyber Security". A post read after a name may be written
    in lower case ("a deputy assistant secretary of state for cyberspace and digital
    policy"); before a name it is capitalised, and requiring that keeps the scan fast.
    Without `lower_complement`, a complement is capitalised even after a lower-case head
    ("the head of the Cybercrime Unit"), where lower-case words could be a verb phrase.
    """
    core = (
        rf"(?<![\w-])(?{'i' if ignore_case else ''}:(?:(?:{literal_pattern(_TITLE_MODIFIERS)})(?:[ \t]+|-)){{0,5}}"
        rf"(?:{literal_pattern(TITLE_HEADS)})(?:[ -]General)?)(?![\w-])"
    )
    complements = [
        # capitalised words only, so "of India" or "of Australia's Department" (masked) stay out
        # of the title, and a second post ("and Minister for X") is not read as part of the first
        # "for the Project on Cyber Security", two in a row: "Minister of State for Electronics and IT"
        rf"(?:[ \t]+(?:for|of|in[ \t]+charge[ \t]+of)[ \t]+(?:the[ \t]+)?{_PORTFOLIO_WORD}"
        rf"(?:[ \t]+(?:(?:and|&|on)[ \t]+)?{_PORTFOLIO_WORD})*){{1,2}}",
        rf"[ \t]+to[ \t]+(?:the[ \t]+)?(?:{_C}|{_O})",  # "Ambassador to the United States", "Envoy to the UN"
        # "Deputy Assistant to the President", after a name also "deputy assistant to the president"
        rf"[ \t]+to[ \t]+the[ \t]+(?{'i' if ignore_case else ''}:President|Prime[ \t]+Minister|Vice[ \t]+President)",
        # "Ambassador at Large for X": its portfolio ends at the shortest reading, so a name after it stays whole
        r"[ \t]+at[ -][Ll]arge(?:[ \t]+for[ \t]+[A-Z][\w-]*(?:[ \t]+(?:and[ \t]+)?[A-Z][\w-]*)*?)?",
    ]
    if ignore_case and lower_complement:
        # lower-case words run to the end of the phrase, so "director of policy and said" stays "director"
        complements.append(
            rf"(?:[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?[a-z]+(?:[ \t]+(?:and[ \t]+)?[a-z]+){{0,3}}){{1,2}}"
            rf"(?=[ \t]*(?:[,.;:)\n]|$)|[ \t]+(?:at|of|in|with|from)[ \t]+(?:the[ \t]+)?[{COUNTRY_MARK}{ORG_MARK}])"
        )
    post = rf"{core}(?:{'|'.join(complements)})?(?:{_QUALIFIER})?"
    return rf"{post}(?:[ \t]+(?:and|&)[ \t]+{post})?" if ignore_case else post


_TITLE_AFTER_NAME = _title_pattern(ignore_case=True)
_TITLE_BEFORE_NAME = _title_pattern(ignore_case=False)
_REPORTING_VERBS = lexicon.words("reporting_verbs")


def _body_after(prepositions: str) -> str:
    """What may follow a title: "of India", "of Australia's Department of Home Affairs", "for India's Ministry of
    X", ", Ministry of X", and a comma before "of" when a rank and name stand between ("Director Wing Commander
    NAME, of ORG"); `prepositions` are the others that may stand before the body."""
    return (
        rf"(?:(?:(?:[ \t]*,)?[ \t]+of|[ \t]+(?:{prepositions}))[ \t]+(?:the[ \t]+)?"
        rf"(?:(?P<c2>{_C}){_POSS}(?:[ \t]+(?:the[ \t]+)?(?P<o2>{_O}))?|(?P<o3>{_O}))"
        # a list line may name a unit between the title and its body, the unit itself possibly a known or
        # body-like name: "Director, Cyber Policy Division, Ministry of X", "Official, Bureau of Y, Department of Z"
        rf"|[ \t]*,[ \t]*(?:(?:[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){{0,4}}|{_O})[ \t]*,[ \t]*)?(?:the[ \t]+)?"
        rf"(?:(?P<c3>{_C}){_POSS}[ \t]+)?(?P<o4>{_O})(?![ \t]+(?:{'|'.join(_REPORTING_VERBS)})\b))?"
    )


# After a post, "at", "in", "with" and "for" name where it is held ("NAME, Director at the X Institute"); after a
# titled name only "of" and "from" do: "hosted Foreign Minister NAME at the State Department" names a venue.
_AFTER = _body_after("at|from|in|with|for")
_AFTER_TITLED_NAME = _body_after("from")
_BEFORE = rf"(?:(?P<c1>{_C}){_POSS}[ \t]+(?:(?P<o1>{_O}){_POSS}[ \t]+)?|(?P<o5>{_O}){_POSS}[ \t]+)?"

_APPOSITION = _scanner(_NAME_FIRST,
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?"
    rf"(?P<sep>[ \t]*,[ \t]*|[ \t]*\([ \t]*|[ \t]+and[ \t]+(?!the\b)|[ \t]+[-–—][ \t]+|[ \t]+(?:is|was)[ \t]+)"
    rf"(?:(?:the|an?)[ \t]+)?{_BEFORE}(?P<title>{_TITLE_AFTER_NAME}){_AFTER}"
)
# A second post in the same apposition: "NAME, chair, G20 Working Group and Secretary, Ministry of X", the first
# body's name possibly running on past what was recognised (not a
# former one: "and former Ambassador to X" is no post the person holds).
_SECOND_POST = re.compile(rf"(?:[ \t]+[A-Z][\w-]*){{0,3}}?[ \t]+(?:and|&)[ \t]+(?:(?:the|an?)[ \t]+)?{_BEFORE}(?P<title>{_TITLE_AFTER_NAME}){_AFTER}")
# The title first and the name in apposition after it: "India's National Cyber Security Coordinator,
# NAME, did not attend", "Australia sent its ambassador for cyber affairs, NAME, while", "the Chief
# Executive of Singapore's Cyber Security Agency, NAME, about". "Its" may point back across a clause
# to the body that owns the post ("X Agency ran a drill last week, its director, NAME, said"). The
# start of a line ("Official Spokesperson, Shri NAME:" in a transcript) or of a dateline's report ("New Delhi:
# Secretary (East), Ministry of X and former Ambassador to Y, NAME on Thursday met"), the determiner or possessive
# in front and the punctuation closing the name keep a list ("NAME, Director, NAME, Secretary") out.
_TITLE_THEN_NAME = _scanner(f"{COUNTRY_MARK}{ORG_MARK}{_UPPER}itsh\n",
    rf"(?:(?P<c1>{_C}){_POSS}[ \t]+(?:(?P<o1>{_O}){_POSS}[ \t]+)?|(?P<o5>{_O}){_POSS}[ \t]+"
    rf"|(?<![\w-])(?P<its>[Ii]ts|[Tt]heir)[ \t]+"
    rf"|(?<![\w-])(?:[Tt]he|[Hh]is|[Hh]er)[ \t]+|\n|(?<=:[ \t]))"
    rf"(?P<title>{_TITLE_AFTER_NAME}){_AFTER}(?:[ \t]+and[ \t]+former[ \t]+[^,\n]{{1,60}}?)?[ \t]*,[ \t]*(?:(?:the[ \t]+)?{_HONS}[ \t]+)?"
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?(?=[ \t]*(?:[,;.:)\n]|$)|[ \t]+(?:(?:{literal_pattern(_MONTHS)})[ \t]+)?[a-z])"
)
# The country or body may stand between the post and the name: "Deputy National Security Adviser of
# Japan NAME", "the Secretary of State of the United States NAME".
_TITLE_BEFORE = _scanner(f"{COUNTRY_MARK}{ORG_MARK}{_UPPER}",
    rf"{_BEFORE}(?P<title>{_TITLE_BEFORE_NAME})"
    rf"(?:[ \t]+of[ \t]+(?:the[ \t]+)?(?:(?P<c4>{_C}){_POSS}(?:[ \t]+(?:the[ \t]+)?(?P<o6>{_O}))?|(?P<o7>{_O})))?"
    rf"[ \t]+(?:{_HONS}[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?{_AFTER_TITLED_NAME}"
)
_HONORIFIC = _scanner(_UPPER, rf"(?<![\w.])(?P<hon>{_HONS})[ \t]+(?P<name>{_NAME})(?P<post>{_POSTS})?")
_REPORTING = _scanner(_NAME_FIRST,
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?,?[ \t]+"
    rf"(?:{'|'.join(_REPORTING_VERBS)})\b"
)
_LIST_ITEM = re.compile(
    rf"^[ \t]*(?:[-*•·–]|\d+[.)])[ \t]+(?:{_HONS}[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?(?=[ \t]*(?:[,(:–—-]|$))",
    re.MULTILINE,
)
# "India was represented by X", "Australia's delegation was led by Z", "U.S. officials attending
# included TITLE NAME", the elided "..., and Japan by Y" or "and the Indian side by Y", and a
# delegation list's "for India, Mr X", "on behalf of Japan, Ms Y" or a line labelled with the country
# ("Fiji: Ms Y, Permanent Secretary", "- Japan (co-host): Mr Z"): the country a person stands for.
# A bare "COUNTRY by NAME" counts only after "and" ("attributed to China by NAME" is not it).
_DELEGATION = r"(?:[ \t]+(?:delegation|side|team))"
# A post in lower case before a name ("Australia's cyber ambassador NAME"): a few words ending in a post's head.
_LOWER_POST = rf"(?:[a-z][\w-]*[ \t]+){{0,2}}(?i:{literal_pattern(TITLE_HEADS)})"
_REPRESENTS = _scanner(f"{COUNTRY_MARK}tfohHTiI*•·–0-9\\-",
    rf"(?:(?P<country>{_C}){_POSS}{_DELEGATION}?(?:[ \t]+(?:was|were)|[ \t]*,)[ \t]+(?:represented|led|headed)"
    rf"|(?P<country2>{_C})[ \t]+(?:officials|representatives|delegates)(?:[ \t]+attending)?[ \t]+included"
    rf"|(?<=and[ \t])(?:the[ \t]+)?(?P<country3>{_C}){_POSS}(?:{_DELEGATION}(?=[ \t]+by))?"
    rf"|(?<![\w-])(?:for|on[ \t]+behalf[ \t]+of)[ \t]+(?:the[ \t]+)?(?P<country4>{_C})[ \t]*[,:]"
    rf"|(?<![^\n])(?:(?:[-*•·–]|\d+[.)])[ \t]+)?(?P<country5>{_C})(?:[ \t]*\([^()\n]{{1,40}}\))?[ \t]*:"
    # "Australia's NAME" with a name the model read, or a name in a list ("Australia's NAME, India's NAME and"):
    # the possessive alone says whose side the person is on
    rf"|(?P<country6>{_C})['’]s(?=[ \t]+(?:{_P}|{_NAME}[ \t]*(?:,|and\b|&)|{_LOWER_POST}[ \t]+{_NAME}))"
    # "his Indian counterpart NAME": the counterpart's country
    rf"|(?<![\w-])(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)[ \t]+(?P<country8>{_C})[ \t]+counterparts?(?=[ \t]+{_NAME})"
    # pairs in a list: "the Foreign Ministers of Australia, NAME, India, NAME and Japan, NAME met"
    rf"|(?:(?<=s[ \t]of[ \t])|(?<=and[ \t])|(?<=,[ \t]))(?P<country7>{_C})[ \t]*,(?=[ \t]+{_NAME}[ \t]*(?:,|and\b|&|met\b)))"
    rf"[ \t]+(?:by[ \t]+)?(?:the[ \t]+)?(?:(?P<title>{_TITLE_AFTER_NAME})[ \t]+)?(?:{_HONS}[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?"
)
# The same with the name first: "NAME led the Indian delegation", "NAME, who headed Japan's side".
_LEADS = _scanner(_NAME_FIRST,
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?(?:[ \t]*,[ \t]+who)?[ \t]+(?:(?:led|headed|leads|heads|will[ \t]+(?:lead|head))"
    rf"[ \t]+(?:the[ \t]+)?(?P<country>{_C}){_POSS}{_DELEGATION}\b"
    rf"|(?:represented|represents|will[ \t]+represent)[ \t]+(?P<country9>{_C})(?!{_POSS}[ \t]+[\w{ORG_MARK}]))"  # "NAME, who represented Japan"
)
# "India sent Joint Secretary NAME", "Japan dispatched its cyber ambassador, NAME": whom a country sent
_SENT = _scanner(COUNTRY_MARK,
    rf"(?P<country10>{_C})[ \t]+(?:sent|dispatched|fielded)[ \t]+(?:(?:its|the)[ \t]+)?(?:(?P<title>{_TITLE_AFTER_NAME}),?[ \t]+)?"
    rf"(?:{_HONS}[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?"
)
_COUNTRY_GROUPS = tuple(f"country{n}" for n in ("", 2, 3, 4, 5, 6, 7, 8, 9, 10))
# "the Foreign Ministers of Australia, NAME, India, NAME and Japan, NAME": see `_titled_list`.
_PLURAL_POST = _scanner(_UPPER,
    rf"(?P<title>(?:(?:{literal_pattern(_TITLE_MODIFIERS)})[ \t]+){{0,4}}(?:{literal_pattern(TITLE_HEADS)})s)[ \t]+of[ \t]+(?:the[ \t]+)?"
)
_COUNTRY_NAME_PAIR = re.compile(
    rf"(?P<country>{_C})[ \t]*,[ \t]+(?P<name>{_NAME})(?P<post>{_POSTS})?(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*|(?=[ \t]+[a-z]))"
)
# "his counterparts Rina Sato of Japan and Mark Evans of the United States": each counterpart's country after the name
_COUNTERPARTS = _scanner("c", rf"counterparts?,?[ \t]+")
_NAME_COUNTRY_PAIR = re.compile(
    rf"(?:(?:{_HONS}|{literal_pattern(TITLE_HEADS)})[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?[ \t]+(?:of|from)[ \t]+(?:the[ \t]+)?(?P<country>{_C})"
    rf"(?![\w{FILL_MARK}'’])(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)?"
)
# "the delegation, led by Home Affairs deputy secretary NAME": after "led by" a post may be written
# in lower case before the name, as it is after one; `_REPRESENTS` reads the country before it.
_LED_BY = _scanner("b",
    rf"(?:(?<=[ \t]led[ \t])|(?<=[ \t]headed[ \t]))by[ \t]+"
    rf"(?:the[ \t]+)?{_BEFORE}(?P<title>{_TITLE_AFTER_NAME})[ \t]+(?:{_HONS}[ \t]+)?(?P<name>{_NAME})(?P<post>{_POSTS})?"
)
# "NAME, who directs the cyber programme at the X Institute", "NAME, of the X Directorate": where
# someone works, stated without a post; the organisation is recorded and no title is made up. A
# description of the work ("NAME, a senior researcher at X") is kept as what the text calls them.
_OCCUPATIONS = lexicon.words("occupations")
_AFFILIATION = _scanner(_NAME_FIRST,
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?"
    rf"(?:[ \t]*,[ \t]+(?:who[ \t]+(?:[a-z]+[ \t]+){{1,6}}?(?:at|of|with|for)"
    rf"|an?[ \t]+(?P<title>(?:[a-z]+[ \t]+){{0,2}}?(?:{literal_pattern(_OCCUPATIONS)}))[ \t]+(?:at|of|with)"
    rf"|of|from)|[ \t]+from)[ \t]+"
    rf"(?:the[ \t]+)?(?:(?P<c2>{_C}){_POSS}(?:[ \t]+(?:the[ \t]+)?(?P<o2>{_O}))?|(?P<o3>{_O}))"
)
# "NAME from Japan's Deputy National Security Advisor": a post where a body would stand after "from".
_FROM_POST = _scanner(_NAME_FIRST,
    rf"(?P<name>{_NAME})(?P<post>{_POSTS})?[ \t]+from[ \t]+(?P<c1>{_C}){_POSS}[ \t]+(?P<title>{_TITLE_AFTER_NAME})(?=[ \t]*(?:[,.;)]|$)|[ \t]+[a-z])"
)
# Japanese style writes the surname first and in capitals after an honorific or a post: "Mr. SURNAME Given",
# "Vice-Minister SURNAME Given".
# The look-behind after the first capital asks for the start of a word while keeping a leading letter.
# Two capitals are initials ("Lt General MU Nair"), not a surname.
_CAPS_SURNAME = re.compile(rf"[A-Z](?<![\w-][A-Z])[A-Z]{{2,}}(?:-[A-Z]{{2,}})?(?=[ \t]+{_WORD}(?![\w-]))")
_HONORIFIC_BEFORE = re.compile(rf"(?<![\w.])(?:{_HONS}|(?:{literal_pattern(TITLE_HEADS)})(?:[ -]General)?)[ \t]+\Z")
# A title followed by a name of its own belongs to that name, not to the one before it; a capitalised
# portfolio may run on into that name ("NAME, US Secretary of State NAME hosted").
_NAME_NEXT = re.compile(rf"[ \t]+(?:{_HONS}[ \t]+)?{_NAME}")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_ENDS_IN_NAME = re.compile(rf"[ \t](?:{_NAME})\Z")
_HONORIFIC_ALONE = re.compile(_HONS)
_LONE_WORD = _scanner(_UPPER, rf"(?<![\w-]){_WORD}(?![\w-])")
# A sentence that is only a post: in a spoken introduction ("NAME – is that OK?" / "NAME: Yeah." /
# "OK, good – the head of the Cybercrime Unit of X.") it describes the person just named, never the speaker.
_POST_FRAGMENT = re.compile(
    rf"(?:^|(?<=[.?!:])[ \t]+)(?:(?i:{literal_pattern(lexicon.words('interjections'))})[ \t]*,?[ \t]*){{0,3}}"
    rf"(?:[-–—][ \t]*)?(?i:the)[ \t]+{_BEFORE}(?P<title>{_title_pattern(ignore_case=True, lower_complement=False)}){_AFTER}[ \t]*\.(?=[ \t]*$|[ \t]+[{_UPPER}])",
    re.MULTILINE,
)
_INTRODUCED_WITHIN = 400  # characters: the name a post fragment describes is in the lines just before it
LABEL_END = re.compile(r"[ \t]*:")  # what closes a speaker's label after the name ("NAME:"); `meetings` reads it too
# A byline: "By NAME", "Author: NAME" on a line of its own.
_BYLINE = re.compile(rf"^[ \t]*(?:By|Author|Authors|Written[ \t]+by)[ \t]*:?[ \t]+(?P<name>{_NAME})(?P<post>{_POSTS})?[ \t]*$", re.MULTILINE)
# A transcript's speaker label: "MR. SULLIVAN:", "Ms Ade:" at the start of a line.
# The honorific of a transcript's speaker label, in any case ("MR.", "Ms"); `meetings` reads the labels too.
SPEAKER_HONORIFIC = r"(?i:mr|ms|mrs|dr|prof)"
_SPEAKER = re.compile(
    rf"^[ \t]*(?P<hon>{SPEAKER_HONORIFIC})\.?[ \t]+(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}})(?P<post>)[ \t]*:",
    re.MULTILINE,
)
# A speaker label with a post, in capitals ("SECRETARY BLINKEN:", "FOREIGN MINISTER WONG:") or not ("Secretary Blinken:")
_SPEAKER_CAPS_TITLED = re.compile(
    rf"^[ \t]*(?P<title>(?:[A-Z]+[ \t]+){{0,3}}?(?:{literal_pattern(h.upper() for h in TITLE_HEADS)}))[ \t]+"
    rf"(?P<caps>[A-Z][A-Z'’-]+)[ \t]*:", re.MULTILINE,
)
_SPEAKER_TITLED = re.compile(rf"^[ \t]*(?P<title>{_TITLE_BEFORE_NAME})[ \t]+(?P<name>{_P}|{_NAME_WORD})(?P<post>)[ \t]*:", re.MULTILINE)
_SPEAKER_CAPS = re.compile(rf"^[ \t]*{SPEAKER_HONORIFIC}\.?[ \t]+(?P<caps>[A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+){{0,2}})[ \t]*:", re.MULTILINE)
# What the model's spans are trimmed of, and the shape a name has: capitalised words, initials, a surname
# in capitals ("KAMIKAWA Yoko").
_MODEL_LEAD = re.compile(rf"(?:(?:the|The)[ \t]+)?(?:{_HONS}|{literal_pattern(TITLE_HEADS)})[ \t]+")  # "Dr NAME", "PM NAME"
_MODEL_TAIL = re.compile(rf"(?:{_POSTS}|['’]s?)\Z")
_ARTICLE_BEFORE = re.compile(r"(?<![\w])the[ \t]+\Z")
_COUNT_BEFORE = re.compile(rf"(?<![\w-])(?:\d+|(?i:{literal_pattern(lexicon.words('count_words'))}))[ \t]+\Z")
_CAPS_FIRST = re.compile(rf"[A-Z]{{3,}}[ \t]+{_WORD}")
_MODEL_NAME = re.compile(
    rf"(?:{_INITIALS})?(?:{_NAME_WORD}|[A-Z]{{3,}})(?:[ \t]+(?:{_INITIAL})?{_NAME_WORD}){{0,3}}"
)
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
# Nouns that end a body's name, never a person's ("the Japan Cybercrime Control Center said")
_BODY_NOUNS = frozenset(
    word for name in ("body_nouns", "organization_heads", "organization_suffixes", "research_words", "research_heads", "national_suffixes")
    for word in lexicon.words(name)
)
# The name-shaped word right before a model span ("Saurabh" before "Kumar"): a small model often labels only
# the last part of a name it has not seen.
_GIVEN_BEFORE = re.compile(rf"(?<![\w'’.-]){_NAME_WORD}[ \t]+\Z")


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    honorific: str | None
    post_nominals: str | None
    start: int  # offset of the first full naming


@dataclass(frozen=True)
class Role:
    person_id: str
    title: str | None
    org_id: str | None
    country: str | None
    offset: int  # where the name stands in the sentence that states the role


@dataclass(frozen=True)
class PeopleFound:
    people: tuple[Person, ...]
    roles: tuple[Role, ...]
    mentions: tuple[Span, ...]  # every naming, full or by surname; entity_id is the person_id
    model_spans: tuple[tuple[int, int], ...] = ()  # what the statistical reader returned, before any filter


@dataclass
class _Candidate:
    start: int
    end: int
    honorific: str | None = None
    post_nominals: str | None = None
    roles: tuple[tuple[str | None, str | None, str | None], ...] = ()  # (title, org_id, country)
    # roles stated in a sentence of their own, without the name: ((title, org_id, country), offset of that sentence)
    roles_apart: tuple[tuple[tuple[str | None, str | None, str | None], int], ...] = ()
    represents: str | None = None  # country the sentence says the person stands for


def find_people(
    text: str, masked: str, countries: Mapping[int, str], orgs: Mapping[int, tuple[str, str | None]],
    read_names: Callable[[list[int]], list[tuple[int, int]]] | None = None,
) -> PeopleFound:
    """People in an article, from the masked text and what the masks stand for.

    `countries` maps the start of each masked country span to its alpha-3 code and
    `orgs` the start of each organisation span to (org_id, country). `read_names`,
    when given, is a statistical reader of names (see `ner`): it is asked only about
    the name-shaped words the rules could not place (their offsets) and returns the
    spans it reads as names. Where one overlaps a name the rules found, the rules'
    reading stands; the others that look like names are masked as persons and read
    by the same grammar, so "Australia's NAME" or "NAME, Secretary of X" give them
    a country and a post as for any name.
    """
    masked, surname_first = _recase_surnames(masked)
    common = set(_LOWER_WORD.findall(text))
    candidates = _candidates(text, masked, countries, orgs)
    model_spans = tuple(read_names(_unexplained(masked, candidates))) if read_names else ()
    model = _model_names(masked, model_spans, candidates, common)
    if model:
        masked, surname_first = _recase_model_surnames(masked, model, surname_first)
        marked = _mark(masked, model)
        candidates = [
            c for c in _candidates(text, marked, countries, orgs, seeds=model)
            # a lone word is a name only where a post or an honorific stands by it ("President NAME")
            if len(masked[c.start:c.end].split()) > 1 or c.honorific or any(title for title, _, _ in c.roles)
        ]
    named: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        candidate.start = _drop_common_lead(text, candidate.start, candidate.end, common)
        words = masked[candidate.start : candidate.end].split()
        if words[-1] in _BODY_NOUNS:  # "the Japan Cybercrime Control Center said": a body, not a person
            continue
        if candidate.start in surname_first:
            words = words[1:] + words[:1]
        named.setdefault(" ".join(words), []).append(candidate)
    named = _surnames_joined(named)
    people, roles, mentions = [], [], []
    for name, found in sorted(named.items(), key=lambda item: min(c.start for c in item[1])):
        person_id = ids.person_id(name)
        found.sort(key=lambda c: c.start)
        people.append(Person(
            person_id, name,
            next((c.honorific for c in found if c.honorific), None),
            next((c.post_nominals for c in found if c.post_nominals), None),
            found[0].start,
        ))
        roles += [Role(person_id, *role, c.start) for c in found for role in dict.fromkeys(c.roles)]
        roles += [Role(person_id, *role, offset) for c in found for role, offset in c.roles_apart]
        mentions += [Span(c.start, c.end, person_id) for c in found]
    mentions += _later_mentions(masked, people, mentions)
    return PeopleFound(tuple(people), tuple(roles), tuple(sorted(mentions)), model_spans)


# "Southeast Asia", "Middle East": a region, which alone sends no sentence to the model.
_REGION = rf"(?:{literal_pattern(lexicon.words('region_heads'))})[ \t]+[A-Z]"
_BARE_NAME = re.compile(
    rf"(?<![\w\-{FILL_MARK}])(?!{_REGION})(?:{_INITIALS}|{_NAME_WORD}[ \t]+|[A-Z]{{3,}}[ \t]+|(?:{_HONS}|{literal_pattern(TITLE_HEADS)})[ \t]+)"
    rf"(?:{_INITIAL})?{_NAME_WORD}(?![\w-])"
)


def _unexplained(masked: str, candidates: list[_Candidate]) -> list[int]:
    """Where name-shaped words stand that no rule placed: two name-like words in a row, initials and a name,
    or a post or rank and a name ("President NAME"), once countries, places and bodies are masked; not a
    region ("Southeast Asia"). Only there is a statistical reader worth its cost."""
    taken = overlaps_any((c.start, c.end) for c in candidates)
    return [m.start() for m in _BARE_NAME.finditer(masked) if not taken(m.start(), m.end())]


def _surnames_joined(named: dict[str, list[_Candidate]]) -> dict[str, list[_Candidate]]:
    """A shorter form of a name joins the one longer name in the article it abbreviates (`name_forms`): a surname
    alone ("Dr. Lewis:", "President Biden"), initials ("S NAME") or the name without its middle names."""
    owner = shorter_forms({name: name for name in named})
    joined: dict[str, list[_Candidate]] = {}
    for name, found in named.items():
        joined.setdefault(owner.get(name, name), []).extend(found)
    return joined


def _recase_surnames(masked: str) -> tuple[str, frozenset[int]]:
    """The masked text with "Mr. SURNAME Given" written "Mr. Surname Given", and where such surnames start.

    A transcript's speaker label in capitals ("MR. SULLIVAN:") is title-cased too, as a name of its own.

    Title case has the same length, so offsets hold and every rule reads the
    name as it reads any other; an analyst indexes it as "Given Surname". Capitals
    count as a name only after an honorific or a post: elsewhere they are acronyms ("CISA").
    """
    starts = [
        m for m in _CAPS_SURNAME.finditer(masked) if _HONORIFIC_BEFORE.search(masked, max(0, m.start() - 40), m.start())
    ]
    speakers = list(_SPEAKER_CAPS.finditer(masked))
    titled = list(_SPEAKER_CAPS_TITLED.finditer(masked))
    if not starts and not speakers and not titled:
        return masked, frozenset()
    chars = list(masked)
    for m in starts:
        chars[m.start() : m.end()] = m.group().title()
    for m in speakers:
        chars[m.start("caps") : m.end("caps")] = m.group("caps").title()
    for m in titled:
        chars[m.start("title") : m.end("caps")] = masked[m.start("title") : m.end("caps")].title()
    return "".join(chars), frozenset(m.start() for m in starts)


def _model_names(
    masked: str, spans: Iterable[tuple[int, int]], candidates: list[_Candidate], common: set[str]
) -> list[tuple[int, int]]:
    """The model's spans that may be names: trimmed of honorifics, post-nominals and a possessive, shaped
    like a name (capitalised words and initials, none a title, month or sentence word, none used in lower
    case in the article: "Schools", "Cyber X"), not after "the" (a name used as a modifier: "the NAME
    administration") or a count ("ten X Schools"), covering no country, place or organisation, and not overlapping a name the rules found."""
    ruled = [(c.start, c.end) for c in candidates]
    kept = []
    for start, end in sorted(set(spans)):
        lead = _MODEL_LEAD.match(masked, start, end)
        start = lead.end() if lead else start
        tail = _MODEL_TAIL.search(masked, start, end)
        end = tail.start() if tail else end
        start = _given_names_before(masked, start, end, common)
        words = masked[start:end].split()
        if not words or not _MODEL_NAME.fullmatch(masked, start, end) or any(w.lower() in common for w in words):
            continue
        if _ARTICLE_BEFORE.search(masked, max(0, start - 4), start):  # "the NAME schools", "the NAME administration"
            continue
        if _COUNT_BEFORE.search(masked, max(0, start - 12), start):  # "ten Kendriya Vidyalaya Schools": things counted
            continue
        if any(s < end and start < e for s, e in ruled + kept):
            continue
        kept.append((start, end))
    return kept


def _given_names_before(masked: str, start: int, end: int, common: set[str]) -> int:
    """Where a model name starts once the name-shaped words right before it are joined (at most two, each
    capitalised, never used in lower case in the article, and still a name's shape together)."""
    for _ in range(2):
        given = _GIVEN_BEFORE.search(masked, max(0, start - 40), start)
        if given is None or given.group().strip().lower() in common or not _MODEL_NAME.fullmatch(masked, given.start(), end):
            break
        start = given.start()
    return start


def _recase_model_surnames(masked: str, spans: list[tuple[int, int]], surname_first: frozenset[int]) -> tuple[str, frozenset[int]]:
    """A model name written "SURNAME Given" reads as "Surname Given", indexed "Given Surname" (as after an honorific)."""
    caps = [(s, masked.index(" ", s)) for s, e in spans if _CAPS_FIRST.match(masked, s, e)]
    if not caps:
        return masked, surname_first
    chars = list(masked)
    for start, end in caps:
        chars[start:end] = masked[start:end].title()
    return "".join(chars), surname_first | {start for start, _ in caps}


def _mark(masked: str, spans: list[tuple[int, int]]) -> str:
    """The masked text with each span written as a person marker and filler, offsets unchanged."""
    chars = list(masked)
    for start, end in spans:
        chars[start:end] = PERSON_MARK + FILL_MARK * (end - start - 1)
    return "".join(chars)


def _candidates(
    text: str, masked: str, countries: Mapping[int, str], orgs: Mapping[int, tuple[str, str | None]],
    seeds: Iterable[tuple[int, int]] = (),
) -> list[_Candidate]:
    """Every signalled name span, merged: one candidate per span, overlapping spans resolved to the longest.

    `seeds` are spans that are candidates without a signal of their own (names the model read).
    """
    by_span: dict[tuple[int, int], _Candidate] = {span: _Candidate(*span) for span in seeds}

    def candidate(match: re.Match) -> _Candidate:
        span = match.span("name")
        found = by_span.setdefault(span, _Candidate(*span))
        if match.group("post") and not found.post_nominals:
            found.post_nominals = ", ".join(re.findall(r"[\w.]+", match.group("post")))
        return found

    for match in _SPEAKER_TITLED.finditer(masked):
        candidate(match).roles += ((" ".join(match.group("title").split()), None, None),)
    for match in (*_HONORIFIC.finditer(masked), *_SPEAKER.finditer(masked)):
        found = candidate(match)
        honorific = " ".join(match.group("hon").split())
        found.honorific = found.honorific or (honorific.title() if honorific.isupper() else honorific)
    for pattern in (_REPORTING, _LIST_ITEM, _BYLINE):
        for match in pattern.finditer(masked):
            candidate(match)
    for title, country, match in _titled_list(masked, countries):
        candidate(match).roles += ((title, None, country),)
    for country, match in _counterparts(masked, countries):
        candidate(match).represents = country
    for match in (*_REPRESENTS.finditer(masked), *_LEADS.finditer(masked), *_SENT.finditer(masked)):
        country = next(g for g in _COUNTRY_GROUPS if match.groupdict().get(g))
        found = candidate(match)
        found.represents = countries[match.start(country)]
        if match.groupdict().get("title") and not _is_honorific_only(match):  # "Australia's cyber ambassador NAME"
            found.roles += ((_title_text(text, match), None, found.represents),)
    for pattern in (_APPOSITION, _TITLE_BEFORE, _TITLE_THEN_NAME, _AFFILIATION, _LED_BY, _FROM_POST):
        for match in pattern.finditer(masked):
            if pattern is _APPOSITION and not _is_apposition(masked, match):
                continue
            if pattern is _TITLE_BEFORE and _is_honorific_only(match):
                continue
            found = candidate(match)
            found.roles += (_role(text, match, countries, orgs),)
            second = _SECOND_POST.match(masked, match.end()) if pattern is _APPOSITION else None
            if second and not _NAME_NEXT.match(masked, second.end()):
                found.roles += (_role(text, second, countries, orgs),)
    kept = _longest(by_span.values())
    for match in _POST_FRAGMENT.finditer(masked):
        introduced = _introduced_before(masked, kept, match.start())
        if introduced is not None:
            introduced.roles_apart += ((_role(text, match, countries, orgs), match.start("title")),)
    for found in kept:
        found.roles = _without_bare_repeats(found.roles)
        if found.represents:
            found.roles = tuple((title, org, country or found.represents) for title, org, country in found.roles)
            found.roles = found.roles or ((None, None, found.represents),)
    return kept


def _introduced_before(masked: str, candidates: list[_Candidate], start: int) -> _Candidate | None:
    """The person named last before `start`, in the lines just before it, who is not a speaker's label."""
    before = [c for c in candidates if start - _INTRODUCED_WITHIN <= c.end <= start and not LABEL_END.match(masked, c.end)]
    return max(before, key=lambda c: c.end, default=None)


def _titled_list(masked: str, countries: Mapping[int, str]) -> Iterator[tuple[str, str, re.Match]]:
    """(post, country, name match) for each pair of "the Foreign Ministers of Australia, NAME, India, NAME and
    Japan, NAME": a plural post over a list of countries each followed by its official."""
    for head in _PLURAL_POST.finditer(masked):
        title = head.group("title")[:-1]  # "Foreign Ministers" -> "Foreign Minister"
        position = head.end()
        while pair := _COUNTRY_NAME_PAIR.match(masked, position):
            yield title, countries[pair.start("country")], pair
            position = pair.end()


def _counterparts(masked: str, countries: Mapping[int, str]) -> Iterator[tuple[str, re.Match]]:
    """(country, name match) for each of "his counterparts NAME of Japan and NAME of the United States"."""
    for head in _COUNTERPARTS.finditer(masked):
        position = head.end()
        while pair := _NAME_COUNTRY_PAIR.match(masked, position):
            yield countries[pair.start("country")], pair
            position = pair.end()


def _without_bare_repeats(roles: tuple[tuple[str | None, str | None, str | None], ...]) -> tuple:
    """The roles less any without a title that another role already states with the same body and country.

    "Director Lt Cdr NAME, of X" is read twice, as a post and as a workplace;
    the workplace alone adds nothing.
    """
    titled = {(org, country) for title, org, country in roles if title}
    return tuple(r for r in roles if r[0] or (r[1], r[2]) not in titled)


def _is_apposition(masked: str, match: re.Match) -> bool:
    """Whether the title after a name describes that name.

    Not when a name of its own follows the title ("NAME and Foreign Minister
    NAME"). A stray "and" between a name and its title is common in lists
    ("X, Adviser of Japan and Y and Deputy Adviser of USA"), but "NAME and
    Prime Minister said" joins two subjects, so after "and" the title must name
    its country or organisation.
    """
    if _NAME_NEXT.match(masked, match.end()) or _ENDS_IN_NAME.search(match.group("title")):
        return False
    if _POSSESSIVE_AFTER.match(masked, match.end("title")):  # "NAME, the Director's deputy": someone else's post
        return False
    if match.group("sep").strip() == "and":
        return any(match.group(g) for g in ("c2", "c3", "o2", "o3", "o4"))
    return True


def _is_honorific_only(match: re.Match) -> bool:
    """"Ambassador NAME": a bare word that is also a rank or honorific is recorded as the honorific, not a post."""
    return _HONORIFIC_ALONE.fullmatch(match.group("title")) is not None and not any(
        match.groupdict().get(g) for g in ("c1", "o1", "o5")
    )


def _role(
    text: str, match: re.Match, countries: Mapping[int, str], orgs: Mapping[int, tuple[str, str | None]]
) -> tuple[str | None, str | None, str | None]:
    """(title, org_id, country); the title is read from the text, since it may contain a masked country."""
    groups = match.groupdict()
    title = _title_text(text, match) if groups.get("title") else None
    # what stands between the post and the name ("Adviser of Japan NAME") is nearest the post and comes first
    org_start = next((match.start(g) for g in ("o6", "o7", "o2", "o3", "o4", "o1", "o5") if groups.get(g)), None)
    country_start = next((match.start(g) for g in ("c4", "c2", "c3", "c1") if groups.get(g)), None)
    if groups.get("its") and org_start is None and country_start is None:
        owner = _owner_before(match.string, match.start("its"))
        org_start, country_start = (owner, None) if owner in orgs else (None, owner)
    org_id, org_country = orgs[org_start] if org_start is not None else (None, None)
    country = countries[country_start] if country_start is not None else org_country
    if org_country and country != org_country:  # "Adviser of USA NAME, India's Secretariat": not her body
        org_id = None
    return title, org_id, country


def _title_text(text: str, match: re.Match) -> str:
    """The post as the text writes it (the masked text may hide a country inside it), one space between words."""
    return " ".join(text[match.start("title") : match.end("title")].split())


def _owner_before(masked: str, its: int) -> int | None:
    """Where the organisation or country that "its" points back to starts: the nearest one earlier in the clause."""
    start = max(0, its - 160)
    start = max(start, *(masked.rfind(stop, start, its) + 1 for stop in ".;:!?\n"))
    marks = [masked.rfind(mark, start, its) for mark in (COUNTRY_MARK, ORG_MARK)]
    nearest = max(marks)
    return nearest if nearest >= 0 else None


def _longest(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Overlapping spans ("FIRST MIDDLE LAST" by one rule, "MIDDLE LAST" by another) keep the longest, with all its facts."""
    kept: list[_Candidate] = []
    for found in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        overlapping = next((k for k in kept if found.start < k.end and k.start < found.end), None)
        if overlapping is None:
            kept.append(found)
            continue
        overlapping.honorific = overlapping.honorific or found.honorific
        overlapping.post_nominals = overlapping.post_nominals or found.post_nominals
        overlapping.roles += found.roles
        overlapping.represents = overlapping.represents or found.represents
    return kept


def _drop_common_lead(text: str, start: int, end: int, common: set[str]) -> int:
    """Skip leading words the article also uses in lower case ("Ransomware NAME said"), keeping two words."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 2 and words[0].group().lower() in common:
        words.pop(0)
    return start + words[0].start()


def _later_mentions(masked: str, people: list[Person], full: list[Span]) -> list[Span]:
    """Repeats of a full name, and a surname alone ("SURNAME said", "Gen. SURNAME"), where only one person has it.

    Looked up word by word in dictionaries rather than with a regex of this
    article's names, which would cost a compilation per article.
    """
    surnames: dict[str, list[str]] = {}
    for person in people:
        surnames.setdefault(person.name.split()[-1], []).append(person.person_id)
    unique = {surname: owners[0] for surname, owners in surnames.items() if len(owners) == 1}
    by_first_word: dict[str, list[Person]] = {}
    for person in sorted(people, key=lambda p: -len(p.name)):
        by_first_word.setdefault(person.name.split()[0], []).append(person)
    taken = inside_any((span.start, span.end) for span in full)
    later: list[Span] = []
    for word in _LONE_WORD.finditer(masked):
        start = word.start()
        if later and start < later[-1].end or taken(start, start + 1):
            continue
        whole = next((p for p in by_first_word.get(word.group(), ()) if _names_at(masked, start, p.name)), None)
        if whole is not None:
            later.append(Span(start, start + len(whole.name), whole.person_id))
        elif word.group() in unique:
            later.append(Span(start, word.end(), unique[word.group()]))
    return later


def _names_at(masked: str, start: int, name: str) -> bool:
    end = start + len(name)
    return masked.startswith(name, start) and (end == len(masked) or not (masked[end].isalnum() or masked[end] in "-_"))
