"""Likely personal data in Dutch text: one small pure function per kind.

Each `find_<kind>(text)` returns Findings with positions in `text`. `find_all`
runs them all and drops overlaps (an IBAN's digits are not also a phone number).
The rules lean towards warning: a hint the learner can dismiss costs little, a
client's phone number in a shared text costs a lot. Known false positives are
listed in tests/fixtures/privacy_hints_corpus.yml.
"""
import bisect
import re
from dataclasses import dataclass, replace
from itertools import accumulate

from .checks import IBAN_LENGTHS, passes_eleven_check, passes_iban_check

KINDS = ("email", "phone", "bsn", "iban", "address", "birthdate", "name")


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int
    field: str | None = None


def _finding(kind: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind, text[start:end], start, end)


# ---- e-mail ----------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")


def find_email(text: str) -> list[Finding]:
    return [_finding("email", text, m.start(), m.end()) for m in EMAIL.finditer(text)]


# ---- phone -----------------------------------------------------------------

# Digit groups joined by one space or dash, an area code maybe in brackets, "+31 (0)6".
# A group is at most 20 characters (a phone number has at most 13 digits): so one
# candidate is short, and a long run of digits and brackets costs linear time, not
# cubic (200k characters of "(1" once took minutes). A number starts with 0 or is
# international ("+31", "(+31)"): the search skips every other start itself.
PHONE_GROUP = r"\d[\d()]{0,19}"
PHONE_CANDIDATE = re.compile(rf"(?<![\w+])(?:\+|\(\+|\(?(?=0)){PHONE_GROUP}(?:(?: ?[-–] ?| )\(?{PHONE_GROUP}){{0,6}}")
# where a number may end: after a digit (and a closing bracket) before a separator or the end
PHONE_CUT = re.compile(r"\d\)?(?=[\s\-–(]|$)")
PHONE_GROUP_CHAR = re.compile(r"[\d()]")
SERVICE_NUMBERS = ("0800", "0900", "0906", "0909")  # helplines and businesses, not people


def _is_phone(candidate: str) -> bool:
    international = candidate.lstrip("(").startswith("+") or candidate.startswith("0031")
    digits = re.sub(r"\D", "", candidate)
    if international:
        rest = digits if candidate.lstrip("(").startswith("+") else digits[2:]
        if not rest.startswith("31"):
            return False
        rest = rest[2:]
        national = rest if rest.startswith("0") else "0" + rest
    else:
        national = digits
        first_group = re.split(r"[\s\-–()]+", candidate.strip("("))[0]
        # "03-03-1956 10" is a date: a two-digit first group can only be mobile 06
        if len(first_group) == 2 and first_group != "06":
            return False
    return bool(re.fullmatch(r"0[1-9]\d{8}", national)) and not national.startswith(SERVICE_NUMBERS)


def _balanced(candidate: str) -> str:
    """Without a bracket that opens or closes outside the number: "(06-12345678)"."""
    if candidate.startswith("(") and candidate.find(")") in (-1, len(candidate) - 1):
        candidate = candidate[1:]
    if candidate.endswith(")") and "(" not in candidate:
        candidate = candidate[:-1]
    return candidate


def find_phone(text: str) -> list[Finding]:
    found = []
    pos = 0
    while (m := PHONE_CANDIDATE.search(text, pos)) is not None:
        candidate = m.group()
        # where a long group was cut short, its next digit or bracket follows: no number ends there
        follows = text[m.end():m.end() + 1]
        judged = candidate + follows if PHONE_GROUP_CHAR.fullmatch(follows) else candidate
        cuts = [g.end() for g in PHONE_CUT.finditer(judged) if g.end() <= len(candidate)]
        digits_before = list(accumulate(map(str.isdigit, candidate), initial=0))
        # nothing here: a later group may start a number, unless too few digits are left
        pos = m.start() + cuts[0] if cuts and digits_before[-1] > 10 else m.end()
        # the longest leading part that is a phone number ("06-12345678 12 keer" → "06-12345678");
        # a national number has exactly 10 digits, only +31 and 0031 have more
        international = "+" in candidate[:3] or "0031" in candidate[:5]
        for cut in reversed(cuts):
            if not (10 <= digits_before[cut] <= 13 if international else digits_before[cut] == 10):
                continue
            number = _balanced(candidate[:cut])
            if _is_phone(number):
                start = m.start() + candidate.index(number)
                found.append(_finding("phone", text, start, start + len(number)))
                pos = m.start() + cut
                break
    return found


# ---- BSN -------------------------------------------------------------------

BSN_CANDIDATE = re.compile(
    r"(?<![\w.,€-])(?:\d{9}|\d{3}([. ])\d{3}\1\d{3}|\d{4}([. ])\d{2}\2\d{3})(?![\w-]|[.,]\d| ?euro)")
# a 9-digit number after these words is an order or invoice number, not a person
NOT_A_BSN_AFTER = re.compile(r"(?i)(order|bestel|factuur|artikel|ticket|referentie|kvk|pas)\w*\s*(nr\.?|nummer)?"
                             r"[:.#\s]*$|€\s*$")


def find_bsn(text: str) -> list[Finding]:
    found = []
    for m in BSN_CANDIDATE.finditer(text):
        if not passes_eleven_check(re.sub(r"\D", "", m.group())):
            continue
        if NOT_A_BSN_AFTER.search(text[max(0, m.start() - 30):m.start()]):
            continue
        found.append(_finding("bsn", text, m.start(), m.end()))
    return found


# ---- IBAN ------------------------------------------------------------------

IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}(?=[ ]?[A-Za-z0-9])")


def find_iban(text: str) -> list[Finding]:
    """Two letters and two check digits, then as many characters as the country uses,
    in groups or not; the mod-97 check keeps words and codes out."""
    found = []
    for m in IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(m.group(1).upper())
        if length is None:
            continue
        chars, end = [], m.start()
        while end < len(text) and len(chars) < length:
            char = text[end]
            if char.isascii() and char.isalnum():
                chars.append(char)
            elif not (char == " " and chars and end + 1 < len(text) and text[end + 1].isalnum()):
                break
            end += 1
        iban = "".join(chars)
        if end < len(text) and text[end].isalnum():
            continue
        if len(chars) == length and passes_iban_check(iban):
            found.append(_finding("iban", text, m.start(), end))
    return found


# ---- address: postcode with house number, or street with house number ---------

# no SA, SD, SS (not issued); no words in capitals ("2019 EN 2020")
POSTCODE = r"[1-9]\d{3} ?(?!SA|SD|SS|EN\b|OF\b|OP\b|IN\b|OM\b|TE\b|DE\b|TOT\b)[A-Z]{2}"
HOUSE_NUMBER = r"\d{1,5}(?:-\d{1,4}| ?[a-zA-Z](?!\w)| ?-?(?:hs|bis)\b)?"
# a street's name is at most 60 characters before its ending: a long run of letters and
# apostrophes ("A'A'A'…") then costs linear time, not quadratic
STREET = (r"[A-Z][\w'’-]{0,60}(?:straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|ring|baan|"
          r"markt|plantsoen|wal|allee|dam|park|erf|veld|weide|hoek|zijde|burcht)")
NUMBER_WORD = r"(?:(?i:huisnummer|nummer|nr\.?)\s*)?"
# "Kerkweg 10 minuten" is a distance, not an address
NOT_A_HOUSE_NUMBER = (r"(?! ?(?:%|jaar|keer|uur|minuten|min\b|km|meter|m\b|euro|procent|personen|mensen))"
                      r"(?![\w]|[,.:]\d)")
ADDRESS = re.compile(
    rf"(?<![\w-])(?:{POSTCODE}\b[ ,]*{NUMBER_WORD}{HOUSE_NUMBER}{NOT_A_HOUSE_NUMBER}"
    rf"|{STREET}\s{NUMBER_WORD}{HOUSE_NUMBER}{NOT_A_HOUSE_NUMBER}(?:,?\s{POSTCODE}\b)?)")


def find_address(text: str) -> list[Finding]:
    """Postcode with house number ("1234 AB 12"), street with house number
    ("Dorpsstraat 12, 1234AB"). A postcode alone names a street, not a home: no hint."""
    return [_finding("address", text, m.start(), m.end()) for m in ADDRESS.finditer(text)]


# ---- date of birth ----------------------------------------------------------

MONTHS = (r"(?i:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          r"jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?")
DATE = rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}|\d{{1,2}}e?\s{MONTHS}(?:\s(?:19|20)\d{{2}})?)(?![\w-])"
BIRTH_WORD = r"(?i:geboren|geb\.|geboortedatum|geb\.\s?datum|geboortedag|geboortejaar)"
BIRTHDATE_AFTER = re.compile(rf"{BIRTH_WORD}[\s:(]*(?:[^\W\d]+,?\s+){{0,3}}?(?P<date>{DATE})")
BIRTHDATE_BEFORE = re.compile(rf"(?P<date>{DATE})[)\s,]+(?:(?i:is|was|ben)\s+)?(?i:geboren)")


def find_birthdate(text: str) -> list[Finding]:
    """A date near "geboren", "geb." or "geboortedatum"; other dates are left alone."""
    found = {}
    for pattern in (BIRTHDATE_AFTER, BIRTHDATE_BEFORE):
        for m in pattern.finditer(text):
            found[m.start("date")] = _finding("birthdate", text, m.start("date"), m.end("date"))
    return list(found.values())


# ---- names after "cliënt", "mevrouw", "meneer", "bewoner" … --------------------

HONORIFIC = r"mevrouw|mevr\.|mw\.?|meneer|mijnheer|dhr\.?|de heer|familie|buurvrouw|buurman"
ROLE = (r"cli[eë]nt(?:e|en)?|clie\u0308nt(?:e|en)?|bewoner(?:s)?|bewoonster|deelnemer(?:s)?|deelneemster|"
        r"pati[eë]nt(?:e|en)?")
NAME_TRIGGER = re.compile(rf"(?<![\w])(?i:(?P<honorific>{HONORIFIC})|(?P<role>{ROLE}))(?:(?<=\.)|\b)[ \t]*[:,]?[ \t]*")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
PARTICLES = {"van", "de", "der", "den", "ten", "ter", "te", "'t", "op", "in", "von", "le", "la", "el", "al", "da"}
# capitalised words that follow these triggers but are no names: titles, sentence starts
NOT_NAMES = {
    "hij", "zij", "ze", "het", "een", "dit", "dat", "deze", "die", "daar", "hier", "er", "ik", "wij", "we",
    "jij", "je", "u", "uw", "zijn", "haar", "hun", "en", "of", "maar", "want", "dus", "toen", "als", "wel",
    "niet", "ook", "nog", "al", "met", "voor", "bij", "na", "om", "aan", "uit", "naar", "over", "tot", "door",
    "zo", "dan", "ja", "nee", "gisteren", "vandaag", "morgen", "daarna", "later", "nu", "verder", "soms",
    "voorzitter", "burgemeester", "wethouder", "minister", "directeur", "dokter", "professor", "pastoor",
    "dominee", "juffrouw", "juf", "meester", "koning", "koningin", "president", "secretaris",
    "penningmeester", "notaris", "advocaat", "agent", "x", "y", "z", "a", "b",
}


def _name_tokens(text: str, pos: int, lower_particles: bool) -> tuple[int, int] | None:
    """(start, end) of the name that begins at `pos`, or None."""
    start = end = None
    words = 0
    while pos < len(text) and words < 5:
        m = WORD.match(text, pos)
        if m is None:
            break
        token = m.group()
        bare = token.rstrip(".")
        is_initial = len(bare) == 1 and bare.isupper() and token.endswith(".")
        is_particle = bare.lower() in PARTICLES and (lower_particles or bare[0].isupper())
        is_name = (bare[0].isupper() and len(bare) > 1 and bare.lower() not in NOT_NAMES
                   and bare.lower() not in PARTICLES)
        if not (is_initial or is_particle or is_name):
            break
        if start is None:
            start = m.start()
        if is_name:
            end = m.start() + len(bare)
        words += 1
        pos = m.end()
        if pos < len(text) and text[pos] == " ":
            pos += 1
        elif not (is_initial and pos < len(text) and text[pos].isupper()):
            break
    return (start, end) if end is not None else None


def find_name(text: str) -> list[Finding]:
    """Capitalised words right after a form of address or a role: "mevrouw Jansen",
    "cliënt Ahmed", "dhr. J. de Vries". An initial alone ("mevrouw J.") is the
    anonymised form we suggest, so it passes."""
    found = []
    for m in NAME_TRIGGER.finditer(text):
        span = _name_tokens(text, m.end(), lower_particles=m.group("honorific") is not None)
        while span is not None:
            found.append(_finding("name", text, *span))
            # a list: "bewoners Ahmed en Fatima", "meneer Smit, Jansen en De Boer"
            more = re.compile(r"(?:,\s*|\s+(?:en|&)\s+)").match(text, span[1])
            span = _name_tokens(text, more.end(), False) if more else None
    return found


# ---- all kinds --------------------------------------------------------------

DETECTORS = (find_email, find_iban, find_bsn, find_birthdate, find_address, find_phone, find_name)


def find_all(text: str) -> list[Finding]:
    """Every finding in reading order. Where two overlap, the earlier detector in
    DETECTORS wins (the most specific rule)."""
    kept: list[Finding] = []  # sorted by start, never overlapping
    for detect in DETECTORS:
        for finding in detect(text):
            at = bisect.bisect_left(kept, finding.start, key=lambda f: f.start)
            before_overlaps = at > 0 and kept[at - 1].end > finding.start
            after_overlaps = at < len(kept) and kept[at].start < finding.end
            if not (before_overlaps or after_overlaps):
                kept.insert(at, finding)
    return kept


def find_in_fields(fields: dict[str, str]) -> list[Finding]:
    """Findings per field, in the fields' order, each carrying its field id."""
    return [replace(finding, field=field_id) for field_id, text in fields.items() for finding in find_all(text or "")]
