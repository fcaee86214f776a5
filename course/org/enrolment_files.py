"""Reading enrolment files: names and e-mail addresses from whatever Dutch Excel
and other tools produce. Pure functions: bytes in, rows or one clear error out.
No request, no database; the service validates rows against seats and enrolments.

Accepted: .csv/.txt with ';', ',' or tab as separator, UTF-8 with or without BOM,
Windows-1252, Excel's "sep=;" first line, title lines above the header, Dutch or
English headers (or none), blank lines, extra columns;
and .xlsx (first sheet) through openpyxl.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from course.emails import EMAIL_RE, MAX_EMAIL, valid_email  # noqa: F401  (one rule for every form)

MAX_ROWS = 2000
MAX_NAME = 120
SHOWN = 200  # longest value kept for the preview
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_UNPACKED = 20 * 1024 * 1024  # an .xlsx of a team list unpacks to far less; more is a zip bomb
TEXT_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx",)

# Normalised header (lower case, no spaces, dashes, dots or underscores) -> column kind.
HEADERS = {
    "naam": "name", "name": "name", "volledigenaam": "name", "fullname": "name", "deelnemer": "name",
    "medewerker": "name", "participant": "name",
    "voornaam": "first", "firstname": "first", "givenname": "first", "roepnaam": "first",
    "tussenvoegsel": "infix", "tussenvoegsels": "infix", "prefix": "infix",
    "achternaam": "last", "lastname": "last", "surname": "last", "familynaam": "last", "familyname": "last",
    "email": "email", "emailadres": "email", "emailaddress": "email", "mail": "email", "mailadres": "email",
    "eadres": "email", "emailwerk": "email", "zakelijkemail": "email", "workemail": "email",
}


class FileProblem(Exception):
    """The file as a whole cannot be read. `message` is shown to the admin."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class ParsedRow:
    line: int
    name: str
    email: str
    problems: list[str] = field(default_factory=list)


def looks_like_formula(value: str) -> bool:
    return bool(value) and value.startswith(FORMULA_START)


def _norm_header(value: str) -> str:
    return re.sub(r"[\s\-_.:*()]+", "", (value or "").strip().lower())


WHITESPACE_RUN = re.compile(r"\s+")


def _clean(value) -> str:
    if value is None:
        return ""
    # A line break inside a quoted cell (Alt+Enter in Excel) separates words: a space.
    text = WHITESPACE_RUN.sub(" ", str(value).replace("\x00", ""))
    text = "".join(ch for ch in text if ch.isprintable())
    return text.strip().strip('"').strip()


# ---- bytes to text -------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252. Binary files are refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _refuse_binary(data.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise FileProblem(_l("This file is not a readable text file.")) from error
    if b"\x00" in data[:4096]:
        raise FileProblem(_l("This file is not a CSV file. Save it in Excel as \"CSV (gescheiden door "
                             "lijstscheidingsteken)\" or upload the .xlsx file."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise FileProblem(_l("The characters in this file could not be read. Save it as UTF-8 CSV "
                                 "and try again.")) from error
    return _refuse_binary(text)


def _refuse_binary(text: str) -> str:
    sample = text[:4096]
    if sample:
        odd = sum(1 for ch in sample if not (ch.isprintable() or ch in "\r\n\t"))
        if odd / len(sample) > 0.05:
            raise FileProblem(_l("This file is not a CSV file. Save it in Excel as \"CSV (gescheiden door "
                                 "lijstscheidingsteken)\" or upload the .xlsx file."))
    return text


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines most consistently: ';', ',' or tab."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    best, best_score = ";", -1
    for sep in (";", ",", "\t"):
        counts = [line.count(sep) for line in lines]
        if not counts or max(counts) == 0:
            continue
        score = sum(1 for c in counts if c == counts[0] and c > 0) * 10 + min(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


SEP_HINT = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)


def _text_table(data: bytes) -> list[list[str]]:
    text = decode(data)
    # Excel writes (and honours) a first line "sep=;" naming the separator.
    hint = SEP_HINT.match(text.split("\n", 1)[0].strip())
    separator = hint.group(1) if hint else sniff_separator(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        table = []
        for row in reader:
            table.append([] if hint and not table else row)  # keep the line numbers of the file
            if len(table) > MAX_ROWS + 50:
                break
        return table
    except csv.Error as error:
        raise FileProblem(_l("This file could not be read as CSV: a value is too long or a quote is "
                             "not closed.")) from error


def _refuse_zip_bomb(data: bytes) -> None:
    """The sizes in the zip directory bound what zipfile will unpack (it stops there
    and checks the CRC), so summing them bounds openpyxl's memory and time."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileProblem(_l("This Excel file could not be opened. Save it again as .xlsx or as CSV.")) from error
    if unpacked > MAX_UNPACKED:
        raise FileProblem(_l("This Excel file is too large when unpacked. Save the list of names and e-mail "
                             "addresses as CSV and upload that."))


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _refuse_zip_bomb(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise FileProblem(_l("This Excel file could not be opened. Save it again as .xlsx or as CSV.")) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(["" if v is None else str(v) for v in row[:30]])
            if len(table) > MAX_ROWS + 50:
                break
        return table
    except Exception as error:  # noqa: BLE001  openpyxl raises many kinds on broken files
        raise FileProblem(_l("This Excel file could not be opened. Save it again as .xlsx or as CSV.")) from error
    finally:
        workbook.close()


# ---- table to rows -------------------------------------------------------


def _columns(header: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        kind = HEADERS.get(_norm_header(cell))
        if kind and kind not in found:
            found[kind] = index
    if "email" in found:
        return found
    return None


def _guess_columns(row: list[str]) -> dict[str, int] | None:
    """No header row: the column with an @ is the address, the first other text is the name."""
    email_index = next((i for i, cell in enumerate(row) if "@" in cell), None)
    if email_index is None:
        return None
    name_index = next((i for i, cell in enumerate(row) if i != email_index and cell.strip()), None)
    columns = {"email": email_index}
    if name_index is not None:
        columns["name"] = name_index
    return columns


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return _clean(row[index])


def _row_name(row: list[str], columns: dict[str, int]) -> str:
    if "name" in columns:
        return _cell(row, columns["name"])
    parts = [_cell(row, columns.get(kind)) for kind in ("first", "infix", "last")]
    return " ".join(p for p in parts if p)


HEADER_SEARCH = 10  # title lines above the header that are skipped


def _find_columns(numbered: list[tuple[int, list[str]]]) -> tuple[dict[str, int] | None, list]:
    """The header among the first lines (title lines above it are skipped), or else
    the first line with an address, whose columns are guessed. Returns (columns, body)."""
    for index, (_line, row) in enumerate(numbered[:HEADER_SEARCH]):
        columns = _columns(row)
        if columns is not None:
            return columns, numbered[index + 1:]
    for index, (_line, row) in enumerate(numbered[:HEADER_SEARCH]):
        columns = _guess_columns([_clean(c) for c in row])
        if columns is not None:
            return columns, numbered[index:]
    return None, numbered


def rows_from_table(table: list[list[str]]) -> list[ParsedRow]:
    """Find the header (or guess the columns), skip blank lines, check each row."""
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(_clean(c) for c in row)]
    if not numbered:
        raise FileProblem(_l("The file is empty."))
    columns, body = _find_columns(numbered)
    if columns is None:
        raise FileProblem(_l("No column with e-mail addresses was found. Give the columns the headings "
                             "\"naam\" and \"e-mail\"."))
    if len(body) > MAX_ROWS:
        raise FileProblem(_l("The file has %(count)d rows; at most %(max)d can be uploaded at once. "
                             "Split the file and upload the parts one by one.", count=len(body), max=MAX_ROWS))
    rows = []
    for line, raw in body:
        name = _row_name(raw, columns)
        email = _cell(raw, columns["email"]).lower()
        if email.startswith("mailto:"):
            email = email[len("mailto:"):]
        rows.append(check_row(line, name, email))
    if not rows:
        raise FileProblem(_l("The file has a header but no names and addresses."))
    return rows


PROBLEMS = {
    "formula": _l("This row contains a spreadsheet formula; type the plain value instead."),
    "name_too_long": _l("The name is longer than %(max)d characters.", max=MAX_NAME),
    "email_missing": _l("The e-mail address is missing."),
    "email_invalid": _l("This is not a valid e-mail address."),
}


def check_row(line: int, name: str, email: str) -> ParsedRow:
    """The rules a single row must pass on its own (before seats and enrolments).
    Problems are codes (see PROBLEMS), shown in the reader's language."""
    problems = []
    if looks_like_formula(name) or looks_like_formula(email):
        problems.append("formula")
    if len(name) > MAX_NAME:
        problems.append("name_too_long")
    if not email:
        problems.append("email_missing")
    elif not valid_email(email):
        problems.append("email_invalid")
    return ParsedRow(line=line, name=name[:SHOWN], email=email[:SHOWN], problems=problems)


def parse_enrolment_file(filename: str, data: bytes) -> list[ParsedRow]:
    """Read an uploaded file. Raises FileProblem with a message for the admin."""
    lower = (filename or "").lower()
    if not data:
        raise FileProblem(_l("The file is empty."))
    if lower.endswith(XLSX_EXTENSIONS):
        if not data.startswith(b"PK"):
            raise FileProblem(_l("This Excel file could not be opened. Save it again as .xlsx or as CSV."))
        return rows_from_table(_xlsx_table(data))
    if lower.endswith(TEXT_EXTENSIONS):
        if data.startswith(b"PK\x03\x04"):
            return rows_from_table(_xlsx_table(data))
        return rows_from_table(_text_table(data))
    raise FileProblem(_l("Upload a .csv or .xlsx file. Other file types (such as .xls, .pdf or .docx) "
                         "cannot be read."))
