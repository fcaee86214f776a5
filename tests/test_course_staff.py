"""Course staff (issue 17): the platform admin's page and `flask courses staff`,
and the course.yml key for whether course trainers see in-company cohorts."""
import shutil

import sqlalchemy as sa

from course.content.loader import ContentInvalid, load_content
from course.extensions import db
from course.models import Course, CourseAuthor, CourseTrainer, Role, User
from course.permissions import can_author_course, is_course_author
from tests import factories
from tests.factories_learn import SECOND_COURSE
from tests.querycount import count_queries


def page(course, suffix=""):
    return f"/beheer/cursussen/{course.slug}{suffix}"


def trainer_ids(course):
    return set(db.session.scalars(sa.select(CourseTrainer.user_id).where(CourseTrainer.course_id == course.id)))


def author_ids(course):
    return set(db.session.scalars(sa.select(CourseAuthor.user_id).where(CourseAuthor.course_id == course.id)))


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_courses_list_links_each_course_and_flags_one_without_trainers(admin_client, trainer):
    staffed = factories.make_course(title="Met trainer")
    factories.make_course(title="Zonder trainers")
    factories.assign_course_trainer(staffed, trainer)
    html = admin_client.get("/beheer/cursussen").get_data(as_text=True)
    assert "Cursussen en hun staf" in html
    assert f'href="/beheer/cursussen/{staffed.slug}"' in html
    assert html.count("Geen: alleen de platformbeheerders zien dit werk") == 1
    assert 'href="/beheer/cursussen"' in admin_client.get("/beheer").get_data(as_text=True)


def test_the_courses_list_uses_a_fixed_number_of_queries(admin_client, trainer):
    factories.make_course()
    admin_client.get("/beheer/cursussen")
    with count_queries() as small:
        admin_client.get("/beheer/cursussen")
    for _ in range(5):
        factories.assign_course_trainer(factories.make_course(), trainer)
    with count_queries() as large:
        admin_client.get("/beheer/cursussen")
    assert small.count == large.count, large.statements


def test_adding_a_trainer_account_by_email_makes_it_a_course_trainer(admin_client, trainer):
    course = factories.make_course()
    response = admin_client.post(page(course, "/trainers"), data={"trainer-email": " Trainer@Example.org "})
    assert response.status_code == 302 and response.headers["Location"].endswith("#trainers")
    assert trainer_ids(course) == {trainer.id}
    html = admin_client.get(page(course)).get_data(as_text=True)
    assert "beoordeelt nu de deelnemers die zich zelf voor deze cursus hebben ingeschreven" in html
    assert "trainer@example.org" in html and "deelnemersaccount" not in html.split("</h1>")[0]


def test_appointing_a_learner_account_promotes_it_to_trainer_and_says_so(admin_client, learner):
    course = factories.make_course()
    admin_client.post(page(course, "/trainers"), data={"trainer-email": learner.email})
    assert fresh(learner).role == Role.TRAINER
    assert trainer_ids(course) == {learner.id}
    html = admin_client.get(page(course)).get_data(as_text=True)
    assert "had een deelnemersaccount en heeft nu de rol trainer" in html


def test_an_unknown_or_erased_address_is_refused_in_dutch_and_keeps_what_was_typed(admin_client):
    course = factories.make_course()
    gone = factories.make_user(email="weg@example.org")
    gone.is_active_account = False
    db.session.commit()
    for email in ("niemand@example.org", "weg@example.org"):
        response = admin_client.post(page(course, "/trainers"), data={"trainer-email": email})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Er is geen actief account met dit e-mailadres." in html and f'value="{email}"' in html
    assert trainer_ids(course) == set()


def test_removing_a_course_trainer_ends_the_appointment_but_keeps_the_role(admin_client, trainer):
    course = factories.make_course()
    factories.assign_course_trainer(course, trainer)
    response = admin_client.post(page(course, f"/trainers/{trainer.public_id}/verwijderen"))
    assert response.status_code == 302
    assert trainer_ids(course) == set() and fresh(trainer).role == Role.TRAINER
    assert admin_client.post(page(course, "/trainers/bestaat-niet/verwijderen")).status_code == 404


def test_authors_are_appointed_and_removed_and_admins_author_everything(admin_client, learner, platform_admin):
    course = factories.make_course()
    other = factories.make_course()
    assert not is_course_author(learner, course)
    admin_client.post(page(course, "/auteurs"), data={"author-email": learner.email})
    assert author_ids(course) == {learner.id}
    assert fresh(learner).role == Role.LEARNER  # authoring needs no trainer role
    assert is_course_author(learner, course) and can_author_course(learner, course)
    assert not is_course_author(learner, other)
    assert is_course_author(platform_admin, other)
    response = admin_client.post(page(course, "/auteurs"), data={"author-email": platform_admin.email})
    assert response.status_code == 400 and "al auteur van elke cursus" in response.get_data(as_text=True)
    admin_client.post(page(course, f"/auteurs/{learner.public_id}/verwijderen"))
    assert author_ids(course) == set() and not is_course_author(learner, course)


def test_the_setting_is_off_by_default_and_switched_on_the_page(admin_client):
    course = factories.make_course()
    assert course.course_trainers_see_cohorts is False
    html = admin_client.get(page(course)).get_data(as_text=True)
    assert 'name="course_trainers_see_cohorts"' in html and "checked" not in html.split('id="instelling"')[1]
    admin_client.post(page(course, "/instelling"), data={"course_trainers_see_cohorts": "y"})
    db.session.expire_all()
    assert db.session.get(Course, course.id).course_trainers_see_cohorts is True
    admin_client.post(page(course, "/instelling"), data={})
    db.session.expire_all()
    assert db.session.get(Course, course.id).course_trainers_see_cohorts is False


def test_the_page_is_in_english_for_an_english_admin(login_as):
    admin = factories.make_user(role="admin", locale="en")
    course = factories.make_course()
    html = login_as(admin).get(page(course)).get_data(as_text=True)
    assert "Course trainers" in html and "Add a course trainer" in html


def test_removing_needs_the_csrf_token(make_app, platform_admin, trainer):
    course = factories.make_course()
    factories.assign_course_trainer(course, trainer)
    csrf_app = make_app(WTF_CSRF_ENABLED=True, _fresh=True)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = platform_admin.get_id()
    assert client.post(page(course, f"/trainers/{trainer.public_id}/verwijderen")).status_code == 400
    assert trainer_ids(course) == {trainer.id}


# ---- the command ----------------------------------------------------------------


def test_the_command_lists_adds_and_removes_staff(app, trainer, learner):
    course = factories.make_course(title="Welzijn 2.0")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "staff", course.slug])
    assert result.exit_code == 0, result.output
    assert "Course trainers: none" in result.output and "review in-company groups: no" in result.output
    result = runner.invoke(args=["courses", "staff", course.slug, "--add-trainer", trainer.email,
                                 "--add-trainer", learner.email, "--add-author", learner.email])
    assert result.exit_code == 0, result.output
    assert f"Course trainer added: {learner.email} (role changed to trainer)" in result.output
    assert trainer_ids(course) == {trainer.id, learner.id} and author_ids(course) == {learner.id}
    assert fresh(learner).role == Role.TRAINER
    result = runner.invoke(args=["courses", "staff", course.slug, "--remove-trainer", trainer.email,
                                 "--remove-author", learner.email])
    assert result.exit_code == 0, result.output
    assert trainer_ids(course) == {learner.id} and author_ids(course) == set()
    assert f"<{learner.email}>" in result.output and f"<{trainer.email}>" not in result.output


def test_the_command_refuses_unknown_courses_and_accounts(app):
    course = factories.make_course()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "staff", "bestaat-niet"])
    assert result.exit_code != 0 and "No course with slug 'bestaat-niet'" in result.output
    result = runner.invoke(args=["courses", "staff", course.slug, "--add-trainer", "niemand@example.org"])
    assert result.exit_code != 0 and "Er is geen actief account met dit e-mailadres" in result.output
    result = runner.invoke(args=["courses", "staff", course.slug, "--remove-author", "niemand@example.org"])
    assert result.exit_code != 0 and "No account with e-mail address" in result.output


# ---- course.yml -------------------------------------------------------------------


def _content(tmp_path, line: str | None):
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / "feedback-geven")
    if line is not None:
        yml = root / "feedback-geven" / "course.yml"
        yml.write_text(yml.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return root


def _loaded():
    db.session.expire_all()
    return db.session.scalar(sa.select(Course).where(Course.slug == "feedback-geven"))


def test_course_yml_sets_the_setting_and_its_absence_keeps_the_page_setting(app, tmp_path):
    load_content(_content(tmp_path / "a", "course_trainers_see_cohorts: true"))
    assert _loaded().course_trainers_see_cohorts is True
    load_content(_content(tmp_path / "b", "course_trainers_see_cohorts: false"))
    assert _loaded().course_trainers_see_cohorts is False
    course = _loaded()
    course.course_trainers_see_cohorts = True  # as the staff page sets it
    db.session.commit()
    load_content(_content(tmp_path / "c", None))
    assert _loaded().course_trainers_see_cohorts is True


def test_course_yml_refuses_a_setting_that_is_not_a_boolean(app, tmp_path):
    try:
        load_content(_content(tmp_path, "course_trainers_see_cohorts: soms"))
    except ContentInvalid as error:
        assert any("'course_trainers_see_cohorts' must be true or false" in p.message for p in error.problems)
    else:
        raise AssertionError("a non-boolean setting was loaded")


def test_the_trainers_page_points_to_the_course_staff_page(admin_client):
    html = admin_client.get("/beheer/trainers").get_data(as_text=True)
    assert 'Stel ze aan voor een cursus bij <a href="/beheer/cursussen">Cursussen en hun staf</a>' in html
