"""The Registerplein attendance list: linked from the trainer's and the organisation
admin's cohort pages, with points and accreditation number, and downloadable by
the organisation admin for their own cohorts only."""
import csv
import io

from tests import factories
from tests.factories_badges import completed_enrolment
from tests.factories_org import make_licence


def attendance_path(cohort) -> str:
    return f"/groepen/{cohort.public_id}/presentielijst.csv"


def accredited_cohort(organisation, trainer=None, **course_fields):
    course = factories.make_course(accreditation_points=8, accreditation_id="RP-2026-04173",
                                   accreditation_body="Registerplein", **course_fields)
    make_licence(organisation, course, seats=10)
    return factories.make_cohort(organisation, course, name="Groep Noord", trainers=[trainer] if trainer else [])


def rows_of(response, separator=";"):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=separator))


def test_the_org_admins_cohort_page_links_the_attendance_list(org_admin_client, organisation):
    cohort = accredited_cohort(organisation)
    html = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert f'href="{attendance_path(cohort)}" download>Presentielijst voor Registerplein (CSV)</a>' in html


def test_the_trainers_cohort_page_links_the_attendance_list(login_as, trainer, organisation):
    cohort = accredited_cohort(organisation, trainer)
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}").get_data(as_text=True)
    assert f'href="{attendance_path(cohort)}" download>Presentielijst voor Registerplein (CSV)</a>' in html
    comma = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}", query_string={"separator": ","})
    text = comma.get_data(as_text=True)
    assert f'href="{attendance_path(cohort)}?sep=,"' in text or f'href="{attendance_path(cohort)}?sep=%2C"' in text


def test_the_course_wide_page_has_no_attendance_link(login_as, trainer, organisation):
    cohort = accredited_cohort(organisation, trainer)
    response = login_as(trainer).get(f"/voortgang/cursus/{cohort.course.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and cohort.course.title in html  # the course-wide page itself
    assert "presentielijst.csv" not in html


def test_the_org_admin_downloads_their_own_cohorts_list_with_points_and_number(
        org_admin_client, organisation):
    cohort = accredited_cohort(organisation)
    done = completed_enrolment(factories.make_user(name="Anne Afgerond", registration_number="123456789"),
                               cohort.course, cohort=cohort)
    factories.make_enrolment(factories.make_user(name="Bram Bezig"), cohort.course, cohort=cohort)
    rows = rows_of(org_admin_client.get(attendance_path(cohort)))
    assert rows == [
        ["Naam", "Registratienummer", "Datum afgerond", "Studie-uren", "Sessiedata", "Contacturen",
         "Accreditatiepunten", "Accreditatienummer"],
        ["Anne Afgerond", "123456789", done.completed_at.date().isoformat(), "4", "", "", "8", "RP-2026-04173"],
        ["Bram Bezig", "", "", "", "", "", "", ""],
    ]


def test_a_course_without_accreditation_leaves_points_and_number_empty(org_admin_client, organisation):
    course = factories.make_course()
    make_licence(organisation, course)
    cohort = factories.make_cohort(organisation, course)
    completed_enrolment(factories.make_user(name="Anne"), course, cohort=cohort)
    assert rows_of(org_admin_client.get(attendance_path(cohort)))[1][3:] == ["4", "", "", "", ""]


def test_another_organisations_cohort_answers_404(login_as, org_admin, organisation, other_organisation):
    other = accredited_cohort(other_organisation)
    assert login_as(org_admin).get(attendance_path(other)).status_code == 404
    page = login_as(org_admin).get(f"/organisatie/groepen/{other.public_id}")
    assert page.status_code == 404
