"""The shared CSV helper: BOM, separators, formula neutralising."""
import csv
import io

import pytest

from course.csvutil import csv_response, neutralise


@pytest.mark.parametrize("value", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_stay_as_they_are():
    assert neutralise("Jan de Vries") == "Jan de Vries"
    assert neutralise(None) == ""
    assert neutralise(3) == "3"


def test_response_is_utf8_with_bom_and_semicolons(app):
    response = csv_response("voortgang.csv", ["Naam", "Score"], [["Łucja", "=HYPERLINK()"], ["Jan; Piet", 2]])
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    assert "voortgang.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Naam", "Score"], ["Łucja", "'=HYPERLINK()"], ["Jan; Piet", "2"]]


def test_comma_is_an_option(app):
    response = csv_response("x.csv", ["a", "b"], [["1", "2"]], separator=",")
    assert response.get_data().decode("utf-8-sig").splitlines()[0] == "a,b"


def test_unknown_separator_is_refused(app):
    with pytest.raises(ValueError):
        csv_response("x.csv", ["a"], [], separator="|")
