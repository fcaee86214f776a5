"""The trainer's CSV exports read their separator from the query string: an odd value
(a space, a tab, a word) falls back to the Dutch default ';' instead of a 500."""
import pytest

from tests.test_access_matrix import _client, build_world

ODD_SEPARATORS = [" ", "\t", "\n", "|", "ab", '"', "", ";;"]


@pytest.mark.parametrize("export", ["voortgang.csv", "beoordelingen.csv"])
@pytest.mark.parametrize("separator", ODD_SEPARATORS)
def test_an_odd_separator_falls_back_to_the_semicolon(app, export, separator):
    world = build_world()
    client = _client(app, world, "trainer")
    response = client.get(f"/voortgang/groep/{world.cohort.public_id}/{export}", query_string={"separator": separator})
    assert response.status_code == 200
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert ";" in header


def test_the_comma_is_still_honoured(app):
    world = build_world()
    client = _client(app, world, "trainer")
    response = client.get(f"/voortgang/groep/{world.cohort.public_id}/voortgang.csv", query_string={"separator": ","})
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert "," in header and ";" not in header
