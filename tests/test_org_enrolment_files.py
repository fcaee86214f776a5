"""Reading enrolment files: the messy CSVs that Dutch Excel and other tools produce.
Pure parsing: no database. Each fixture in tests/fixtures/enrolment_files/ states
what it must give."""
import io
import time
from pathlib import Path

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from course.org.enrolment_files import (
    MAX_ROWS,
    FileProblem,
    decode,
    looks_like_formula,
    parse_enrolment_file,
    sniff_separator,
    valid_email,
)

FIXTURES = Path(__file__).parent / "fixtures" / "enrolment_files"


def parse(name):
    return parse_enrolment_file(name, (FIXTURES / name).read_bytes())


def pairs(rows):
    return [(r.name, r.email) for r in rows]


def test_dutch_headers_semicolons_and_bom_are_read_with_accents_and_lower_cased_addresses(app):
    rows = parse("dutch_semicolon_bom.csv")
    assert pairs(rows) == [("Anneke de Vries", "anneke@welzijn.nl"), ("Şükrü Yılmaz", "sukru@welzijn.nl"),
                           ("Léa Müller", "lea@welzijn.nl")]
    assert all(not r.problems for r in rows)


def test_an_excel_sep_line_sets_the_separator_and_is_not_a_row(app):
    rows = parse("excel_sep_hint.csv")
    assert pairs(rows) == [("Anneke de Vries", "anneke@welzijn.nl"), ("Bram, van der Berg", "bram@welzijn.nl")]
    assert [r.line for r in rows] == [3, 4]


def test_title_rows_above_the_header_are_skipped(app):
    rows = parse("title_rows_above_header.csv")
    assert pairs(rows) == [("Anneke de Vries", "anneke@welzijn.nl"), ("Bram Berg", "bram@welzijn.nl")]
    assert all(not r.problems for r in rows)


def test_english_headers_commas_quotes_and_extra_columns(app):
    assert pairs(parse("english_comma.csv")) == [("John Smith", "john@example.com"),
                                                ("Jansen, Piet", "piet@example.com")]


def test_windows_1252_is_decoded(app):
    assert pairs(parse("windows1252.csv")) == [("José Peña", "jose@welzijn.nl"),
                                              ("Françoise Çelik", "francoise@welzijn.nl"),
                                              ("Renée Smit € 5", "renee@welzijn.nl")]


def test_utf16_from_excel_unicode_text_is_decoded(app):
    assert pairs(parse("utf16.csv")) == [("Utf Zestien", "utf16@welzijn.nl")]


def test_blank_lines_are_skipped_and_duplicates_are_kept_for_the_preview_to_mark(app):
    rows = parse("blank_lines_duplicates.csv")
    assert [r.email for r in rows] == ["kees@welzijn.nl", "kees@welzijn.nl", "kees@welzijn.nl", "mia@welzijn.nl"]
    assert [r.line for r in rows] == [4, 7, 8, 10]


def test_invalid_addresses_are_marked_per_row(app):
    rows = parse("invalid_addresses.csv")
    assert [r.problems for r in rows] == [["email_invalid"], ["email_invalid"], ["email_invalid"],
                                          ["email_missing"], []]


def test_cells_with_formulas_are_marked(app):
    rows = parse("formulas.csv")
    assert ["formula" in r.problems for r in rows] == [True, True, True, True, False]


def test_very_long_values_are_marked_and_shortened_for_the_preview(app):
    rows = parse("long_values.csv")
    assert rows[0].problems == ["name_too_long"] and len(rows[0].name) == 200
    assert rows[1].problems == ["email_invalid"]
    assert rows[2].problems == []


def test_a_file_without_header_is_read_by_finding_the_address_column(app):
    assert pairs(parse("no_header.csv")) == [("Ria Jansen", "ria@welzijn.nl"), ("Bob Dijk", "bob@welzijn.nl")]


def test_first_name_infix_and_last_name_columns_are_joined(app):
    assert pairs(parse("first_last_name.csv")) == [("Jan van der Berg", "jan@welzijn.nl"),
                                                  ("Saskia Bos", "saskia@welzijn.nl")]


def test_tab_separated_text_is_read(app):
    assert pairs(parse("tab_separated.txt")) == [("Tab Person", "tab@welzijn.nl")]


@pytest.mark.parametrize("name, fragment", [
    ("binary_junk.csv", "not a CSV file"),
    ("wrong_type.pdf", "Upload a .csv or .xlsx file"),
    ("fake.xlsx", "Excel file could not be opened"),
    ("empty.csv", "empty"),
    ("header_only.csv", "no names and addresses"),
    ("no_email_column.csv", "No column with e-mail addresses"),
])
def test_unreadable_files_give_one_clear_message(app, name, fragment):
    with pytest.raises(FileProblem) as caught:
        parse(name)
    with force_locale("en"):
        assert fragment in str(caught.value.message)


def test_xlsx_first_sheet_is_read(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Naam", "E-mail", "Functie"])
    sheet.append(["Fatima el Amrani", "fatima@welzijn.nl", "Opbouwwerker"])
    sheet.append([None, None, None])
    sheet.append(["Nguyễn Văn An", "An@Welzijn.nl", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = parse_enrolment_file("team.xlsx", buffer.getvalue())
    assert pairs(rows) == [("Fatima el Amrani", "fatima@welzijn.nl"), ("Nguyễn Văn An", "an@welzijn.nl")]


def test_a_zip_that_is_not_a_workbook_gives_a_message(app):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(FileProblem):
        parse_enrolment_file("team.xlsx", buffer.getvalue())


def test_ten_thousand_rows_are_refused_quickly_with_the_limit_in_the_message(app):
    data = "naam;email\n" + "".join(f"Persoon {i};p{i}@welzijn.nl\n" for i in range(10_000))
    started = time.perf_counter()
    with pytest.raises(FileProblem) as caught:
        parse_enrolment_file("groot.csv", data.encode())
    assert time.perf_counter() - started < 2
    assert f"{MAX_ROWS}" in str(caught.value.message)


def test_the_maximum_number_of_rows_is_accepted(app):
    data = "naam;email\n" + "".join(f"Persoon {i};p{i}@welzijn.nl\n" for i in range(MAX_ROWS))
    assert len(parse_enrolment_file("precies.csv", data.encode())) == MAX_ROWS


def test_a_value_over_the_csv_field_limit_gives_a_message_not_a_crash(app):
    data = b'naam;email\n"' + b"x" * 200_000 + b'";a@b.nl\n'
    with pytest.raises(FileProblem):
        parse_enrolment_file("veld.csv", data)


def test_an_unclosed_quote_does_not_crash(app):
    rows = parse_enrolment_file("quote.csv", b'naam;email\n"Open quote;open@welzijn.nl\nNext;next@welzijn.nl\n')
    assert isinstance(rows, list)


@pytest.mark.parametrize("value, ok", [
    ("a@b.nl", True), ("jan.de-vries+team@welzijn-nederland.nl", True), ("a@b", False), ("a b@c.nl", False),
    ("@b.nl", False), ("a@.nl", False), ("", False), ("x" * 250 + "@b.nl", False),
])
def test_valid_email(value, ok):
    assert valid_email(value) is ok


def test_formula_detection():
    assert looks_like_formula("=1+1") and looks_like_formula("@SUM") and looks_like_formula("-2")
    assert not looks_like_formula("Anne-Marie") and not looks_like_formula("")


def test_separator_sniffing_prefers_the_consistent_one():
    assert sniff_separator("naam;email\nJansen, Piet;p@x.nl\n") == ";"
    assert sniff_separator("name,email\na,b@c.nl\n") == ","


def test_decode_refuses_nul_bytes(app):
    with pytest.raises(FileProblem):
        decode(b"naam\x00;email\x00\n")
