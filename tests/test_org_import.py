"""CSV import details: a line break inside a quoted name, Dutch singular and plural
in the counts, and a light, paginated invitations list with 2,000 invitations."""
import io
import re
from datetime import timedelta

import sqlalchemy as sa

from course.extensions import db
from course.models import Invitation, UploadBatch, utcnow
from course.org.enrolment_files import parse_enrolment_file
from tests.factories_org import make_team
from tests.querycount import count_queries


def upload(client, cohort, data: bytes, name="team.csv"):
    return client.post(f"/organisatie/groepen/{cohort.public_id}/bestand",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_line_break_inside_a_quoted_name_becomes_a_space():
    data = b'naam;e-mail\n"Anne\nde Vries";anne@welzijn.nl\n"Bram\r\n  Smit";bram@welzijn.nl\n'
    rows = parse_enrolment_file("team.csv", data)
    assert [(r.name, r.email, r.problems) for r in rows] == [
        ("Anne de Vries", "anne@welzijn.nl", []), ("Bram Smit", "bram@welzijn.nl", [])]


def test_a_line_break_inside_an_excel_cell_becomes_a_space():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Naam", "E-mail"])
    sheet.append(["Anne\nde Vries", "anne@welzijn.nl"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = parse_enrolment_file("team.xlsx", buffer.getvalue())
    assert [r.name for r in rows] == ["Anne de Vries"]


def _confirm_message(client, cohort, data: bytes) -> str:
    upload(client, cohort, data)
    batch = db.session.scalar(sa.select(UploadBatch).order_by(UploadBatch.id.desc()))
    response = client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    return response.get_data(as_text=True)


def test_the_confirmation_counts_one_row_in_the_singular(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=10)
    text = _confirm_message(org_admin_client, cohort, b"naam;e-mail\nAnne;anne@welzijn.nl\nFout;geen-adres\n")
    assert "1 uitnodiging verstuurd; 1 rij overgeslagen." in text


def test_the_confirmation_counts_more_rows_in_the_plural(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=10)
    text = _confirm_message(org_admin_client, cohort,
                            b"naam;e-mail\nAnne;anne@welzijn.nl\nBram;bram@welzijn.nl\nX;fout\nY;ook-fout\n")
    assert "2 uitnodigingen verstuurd; 2 rijen overgeslagen." in text


def test_the_confirmation_with_nothing_skipped(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=10)
    text = _confirm_message(org_admin_client, cohort, b"naam;e-mail\nAnne;anne@welzijn.nl\n")
    assert "1 uitnodiging verstuurd; 0 rijen overgeslagen." in text


# ---- 2,000 invitations: paginated, light, a fixed number of queries -----------


def add_invitations(cohort, count, start=0):
    """Bulk-insert open invitations, the newest with the highest number."""
    now = utcnow()
    db.session.execute(sa.insert(Invitation), [
        {"organisation_id": cohort.organisation_id, "cohort_id": cohort.id, "email": f"deelnemer{i:04d}@welzijn.nl",
         "name": f"Deelnemer {i:04d}", "created_at": now - timedelta(seconds=count + start - i),
         "expires_at": now + timedelta(days=14)}
        for i in range(start, start + count)])
    db.session.commit()


def listed(text: str) -> list[str]:
    return re.findall(r"deelnemer\d{4}@welzijn\.nl", text)


def test_the_cohort_page_shows_2000_invitations_fifty_at_a_time(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=2500)
    add_invitations(cohort, 2000)
    path = f"/organisatie/groepen/{cohort.public_id}"
    response = org_admin_client.get(path)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.data) < 120_000, len(response.data)
    assert len(set(listed(text))) == 50 and listed(text)[0] == "deelnemer1999@welzijn.nl"
    assert "2000 uitnodigingen nog niet geaccepteerd" in text
    assert 'aria-label="Pagina\'s met openstaande uitnodigingen"' in text
    assert "Pagina 1 van 40" in text
    next_url = re.search(r'<a href="([^"]+)" rel="next">', text).group(1).replace("&amp;", "&")
    assert next_url == f"{path}?page=2#uitnodigingen"
    second = org_admin_client.get(next_url.split("#")[0]).get_data(as_text=True)
    assert listed(second)[0] == "deelnemer1949@welzijn.nl" and 'rel="prev"' in second
    last = org_admin_client.get(f"{path}?page=40").get_data(as_text=True)
    assert listed(last)[-1] == "deelnemer0000@welzijn.nl" and 'rel="next"' not in last
    assert org_admin_client.get(f"{path}?page=99").status_code == 200


def test_the_page_links_keep_the_progress_filters(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=100)
    add_invitations(cohort, 60)
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}?status=not_started").get_data(as_text=True)
    next_url = re.search(r'<a href="([^"]+)" rel="next">', text).group(1).replace("&amp;", "&")
    assert "status=not_started" in next_url and "page=2" in next_url


def test_the_enrol_page_paginates_the_invitations_too(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=2500)
    add_invitations(cohort, 120)
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/inschrijven").get_data(as_text=True)
    assert len(set(listed(text))) == 50 and "Pagina 1 van 3" in text
    assert f"/organisatie/groepen/{cohort.public_id}/inschrijven?page=2#uitnodigingen" in text


def test_the_invitations_list_uses_a_fixed_number_of_queries(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=2500)
    path = f"/organisatie/groepen/{cohort.public_id}"
    add_invitations(cohort, 60)
    org_admin_client.get(path)
    with count_queries() as small:
        assert org_admin_client.get(path + "?page=2").status_code == 200
    add_invitations(cohort, 1940, start=60)
    with count_queries() as large:
        assert org_admin_client.get(path + "?page=2").status_code == 200
    assert small.count == large.count, large.statements
