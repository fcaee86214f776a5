"""CSV exports stream: the file is written chunk by chunk while it is sent, with the
same bytes (BOM, separator, neutralised cells) as when it was built in one piece."""
import csv
import io

from course import csvutil
from course.csvutil import csv_response
from tests import factories
from tests.factories_org import enrol_with_seat, make_team


def expected_csv(header, rows, separator):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def test_a_10000_row_export_streams_in_chunks_with_unchanged_content(app):
    header = ["Naam", "Score", "Datum"]
    rows = [[f"Deelnemer {n}; Łódź", n, "=SOM(A1)" if n == 7 else "2026-12-01"] for n in range(10_000)]
    expected_rows = [[r[0], str(r[1]), "'" + r[2] if r[2].startswith("=") else r[2]] for r in rows]
    with app.test_request_context("/"):
        response = csv_response("groot.csv", header, iter(rows))
        assert response.is_streamed
        chunks = list(response.response)
    assert len(chunks) == 2 + 10_000 // csvutil.CHUNK_ROWS  # BOM, full chunks, the (empty) rest
    assert max(len(chunk) for chunk in chunks) < 40_000  # never the whole ~400 kB file at once
    assert b"".join(chunks) == expected_csv(header, expected_rows, ";")


def test_comma_separator_streams_the_same_document(app):
    with app.test_request_context("/"):
        response = csv_response("x.csv", ["a", "b"], [["1", "2,5"]], separator=",")
        assert response.is_streamed
        assert response.get_data() == expected_csv(["a", "b"], [["1", "2,5"]], ",")


def test_the_org_team_export_is_streamed_over_http(org_admin_client, organisation):
    _course, licence, cohort = make_team(organisation)
    enrol_with_seat(factories.make_user(name="Stroom Test"), cohort, licence)
    response = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/voortgang.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeffNaam;E-mailadres;Groep;")
    assert "Stroom Test" in body
