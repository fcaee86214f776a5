"""The scope rule of issue 17 through the app: a course trainer reviews the course's
self-enrolled learners; an in-company cohort is its cohort trainers' unless the course
says otherwise; work nobody sees is "zonder trainer" for the platform admins; the
learner is told who reviews; the organisation admin picks only the course's trainers."""
import itertools

import sqlalchemy as sa

from course import permissions
from course.extensions import db
from course.models import Cohort, CohortTrainer, Enrolment, ModuleProgress, Submission, utcnow
from course.permissions import ReviewFacts, reviews_learner
from course.review import services as review_services
from course.staff.services import reviewer_names
from tests import factories
from tests.factories_org import make_licence
from tests.factories_review import make_submission


def _world(organisation, course_trainer, cohort_trainer=None):
    course = factories.make_course(title="Welzijn 2.0")
    factories.assign_course_trainer(course, course_trainer)
    cohort = factories.make_cohort(organisation, course, name="Team Noord",
                                   trainers=[cohort_trainer] if cohort_trainer else [])
    own = factories.make_enrolment(factories.make_user(name="Zelf Ingeschreven"), course)
    team = factories.make_enrolment(factories.make_user(name="Team Lid", org=organisation), course, cohort=cohort)
    own_sub = make_submission(own, course.modules[0], fields={"doelgroep": "Eigen tekst", "boodschap": "x"})
    team_sub = make_submission(team, course.modules[0], fields={"doelgroep": "Teamtekst geheim", "boodschap": "x"})
    return course, cohort, own, team, own_sub, team_sub


def _see_cohorts(course, value=True):
    course.course_trainers_see_cohorts = value
    db.session.commit()


def test_a_course_trainer_sees_no_in_company_learner_until_the_course_says_so(app, login_as, trainer,
                                                                               other_trainer, organisation):
    course, cohort, own, team, own_sub, team_sub = _world(organisation, trainer, other_trainer)
    client = login_as(trainer)
    queue = client.get("/beoordelen").get_data(as_text=True)
    assert "Zelf Ingeschreven" in queue and "Team Lid" not in queue
    assert client.get(f"/beoordelen/{own_sub.public_id}").status_code == 200
    assert client.get(f"/beoordelen/{team_sub.public_id}").status_code == 404
    assert client.get(f"/voortgang/deelnemer/{team.public_id}").status_code == 404
    assert client.get(f"/voortgang/groep/{cohort.public_id}").status_code == 404
    assert client.get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv").status_code == 404
    matrix = client.get(f"/voortgang/cursus/{course.slug}").get_data(as_text=True)
    assert "Zelf Ingeschreven" in matrix and "Team Lid" not in matrix
    csv = client.get(f"/voortgang/cursus/{course.slug}/voortgang.csv").get_data(as_text=True)
    assert "Zelf Ingeschreven" in csv and "Team Lid" not in csv
    assert "Team Noord" not in client.get("/voortgang").get_data(as_text=True)
    # the cohort's own trainer still reviews the team, and only the team
    cohort_queue = login_as(other_trainer).get("/beoordelen").get_data(as_text=True)
    assert "Team Lid" in cohort_queue and "Zelf Ingeschreven" not in cohort_queue

    _see_cohorts(course)
    assert "Team Lid" in client.get("/beoordelen").get_data(as_text=True)
    assert "Teamtekst geheim" in client.get(f"/beoordelen/{team_sub.public_id}").get_data(as_text=True)
    assert client.get(f"/voortgang/deelnemer/{team.public_id}").status_code == 200
    assert client.get(f"/voortgang/groep/{cohort.public_id}").status_code == 200
    assert "Team Lid" in client.get(f"/voortgang/cursus/{course.slug}").get_data(as_text=True)


def test_the_course_trainers_digest_counts_only_the_learners_they_review(app, trainer, other_trainer,
                                                                         organisation, outbox):
    course, *_ = _world(organisation, trainer, other_trainer)
    assert dict(review_services.send_digests()) == {trainer.email: 1, other_trainer.email: 1}
    db.session.query(type(outbox()[0])).delete()
    db.session.commit()
    _see_cohorts(course)
    assert dict(review_services.send_digests()) == {trainer.email: 2, other_trainer.email: 1}


def test_the_sql_filters_agree_with_the_pure_rule_on_every_combination(app, organisation):
    """Each single-object predicate and each list filter is the truth table's twin."""
    for cohort_trainer, course_trainer, in_cohort, sees in itertools.product([False, True], repeat=4):
        trainer = factories.make_user(role="trainer")
        course = factories.make_course(modules=1, course_trainers_see_cohorts=sees)
        cohort = factories.make_cohort(organisation, course)
        if cohort_trainer:
            db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
            db.session.commit()
        if course_trainer:
            factories.assign_course_trainer(course, trainer)
        enrolment = factories.make_enrolment(factories.make_user(), course, cohort=cohort if in_cohort else None)
        submission = make_submission(enrolment, course.modules[0])
        expected = reviews_learner(ReviewFacts(trainer_role=True, cohort_trainer=cohort_trainer,
                                               course_trainer=course_trainer, in_cohort=in_cohort,
                                               course_trainers_see_cohorts=sees))
        case = (cohort_trainer, course_trainer, in_cohort, sees)
        assert permissions.trains_enrolment(trainer, enrolment) is expected, case
        listed = db.session.scalar(sa.select(sa.func.count(Submission.id)).select_from(Submission).join(
            Enrolment, Submission.enrolment_id == Enrolment.id).where(
            Submission.id == submission.id, permissions.submissions_visible_to(trainer)))
        assert bool(listed) is expected, case
        digest = db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(
            Enrolment.id == enrolment.id, permissions.enrolments_assigned_to(trainer)))
        assert bool(digest) is expected, case
        assert (trainer.name in reviewer_names([enrolment.id]).get(enrolment.id, [])) is expected, case
        unseen = db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(
            Enrolment.id == enrolment.id, permissions.enrolments_without_trainer()))
        assert bool(unseen) is not expected, case
        if in_cohort:
            assert permissions.trains_cohort(trainer, cohort) is expected, case
            in_list = db.session.scalar(sa.select(sa.func.count(Cohort.id)).where(
                Cohort.id == cohort.id, permissions.cohorts_reviewed_by(trainer)))
            assert bool(in_list) is expected, case


# ---- "zonder trainer" --------------------------------------------------------------


def _unassigned_world(organisation, trainer):
    """A course with a trainer whose in-company cohort has none: that team's work is nobody's."""
    course, cohort, own, team, own_sub, team_sub = _world(organisation, trainer)
    return course, team_sub


def test_the_admin_queue_labels_and_filters_work_without_a_trainer(login_as, admin_client, trainer, organisation):
    course, team_sub = _unassigned_world(organisation, trainer)
    html = admin_client.get("/beoordelen").get_data(as_text=True)
    assert "Zelf Ingeschreven" in html and "Team Lid" in html
    assert html.count('<span class="status status--problem">Zonder trainer</span>') == 1
    only = admin_client.get("/beoordelen", query_string={"trainer": "none"}).get_data(as_text=True)
    assert "Team Lid" in only and "Zelf Ingeschreven" not in only
    # a trainer is offered no such filter, and the parameter changes nothing
    page = login_as(trainer).get("/beoordelen", query_string={"trainer": "none"}).get_data(as_text=True)
    assert 'name="trainer"' not in page and "Zelf Ingeschreven" in page
    # once the team has a trainer, nothing is without one
    group_trainer = factories.make_user(role="trainer", name="Groeps Trainer")
    team_cohort = db.session.get(Enrolment, team_sub.enrolment_id).cohort
    team_cohort.trainers.append(group_trainer)
    db.session.commit()
    assert "Zonder trainer</span>" not in admin_client.get("/beoordelen").get_data(as_text=True)


def test_the_admin_queue_offers_the_filter(admin_client):
    html = admin_client.get("/beoordelen").get_data(as_text=True)
    assert 'name="trainer"' in html and '<option value="none">Zonder trainer</option>' in html


def test_the_staff_page_counts_work_without_a_trainer(admin_client, trainer, organisation):
    course, _team_sub = _unassigned_world(organisation, trainer)
    html = admin_client.get(f"/beheer/cursussen/{course.slug}").get_data(as_text=True)
    assert "1 inzending van deze cursus wacht zonder trainer" in html


def test_the_admin_digest_reports_work_without_a_trainer(app, platform_admin, trainer, organisation, outbox):
    _unassigned_world(organisation, trainer)
    sent = dict(review_services.send_digests())
    assert sent == {trainer.email: 1, platform_admin.email: 1}
    mail = next(m for m in outbox() if m.to_address == platform_admin.email)
    assert "Zonder trainer: 1 inzending wacht die geen trainer ziet" in mail.body_text
    assert "trainer=none" in mail.body_text
    assert "wacht op je feedback" not in mail.body_text  # the admin was assigned nothing
    trainer_mail = next(m for m in outbox() if m.to_address == trainer.email)
    assert "Zonder trainer" not in trainer_mail.body_text


def test_an_inactive_trainer_does_not_count_as_a_trainer(app, admin_client, trainer):
    course = factories.make_course()
    factories.assign_course_trainer(course, trainer)
    make_submission(factories.make_enrolment(factories.make_user(name="Zelf"), course), course.modules[0])
    assert "Zonder trainer</span>" not in admin_client.get("/beoordelen").get_data(as_text=True)
    trainer.is_active_account = False
    db.session.commit()
    assert "Zonder trainer</span>" in admin_client.get("/beoordelen").get_data(as_text=True)


# ---- what the learner is told ----------------------------------------------------------


def _waiting_learner(course):
    learner = factories.make_user(name="Lea Leerling")
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow(),
                                  quiz_passed_at=utcnow()))
    db.session.commit()
    make_submission(enrolment, module)
    return learner, module


def test_the_learner_is_told_the_admin_reviews_when_no_trainer_exists(login_as):
    course = factories.make_course(modules=1)
    learner, module = _waiting_learner(course)
    client = login_as(learner)
    for url in ("/mijn-leren", f"/mijn-leren/{course.slug}"):
        html = client.get(url).get_data(as_text=True)
        assert "De beheerder beoordeelt je werk." in html and "Je trainer beoordeelt" not in html
    assignment = client.get(f"/mijn-leren/{course.slug}/{module.slug}/opdracht").get_data(as_text=True)
    assert "Je tekst staat vast zolang de beheerder hem beoordeelt." in assignment


def test_the_learner_is_told_the_name_of_the_trainer_who_reviews(login_as, trainer):
    course = factories.make_course(modules=1)
    trainer.name = "Tom Trainer"
    factories.assign_course_trainer(course, trainer)
    learner, module = _waiting_learner(course)
    client = login_as(learner)
    html = client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "Tom Trainer beoordeelt je werk." in html and "De beheerder" not in html
    assignment = client.get(f"/mijn-leren/{course.slug}/{module.slug}/opdracht").get_data(as_text=True)
    assert "Je tekst staat vast zolang Tom Trainer hem beoordeelt." in assignment


def test_a_team_learner_is_not_promised_the_course_trainer(login_as, trainer, organisation):
    course = factories.make_course(modules=1)
    trainer.name = "Tom Trainer"
    factories.assign_course_trainer(course, trainer)
    cohort = factories.make_cohort(organisation, course)
    learner, _module = _waiting_learner(course)
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == learner.id))
    enrolment.cohort_id = cohort.id
    db.session.commit()
    html = login_as(learner).get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "De beheerder beoordeelt je werk." in html and "Tom Trainer" not in html


# ---- the organisation admin's cohort form -----------------------------------------------


def test_the_cohort_form_offers_only_the_course_trainers_by_name(org_admin_client, organisation, trainer,
                                                                other_trainer):
    course = factories.make_course(open_enrolment=False)
    make_licence(organisation, course)
    trainer.name = "Tom Trainer"
    other_trainer.name = "Olga Anders"
    factories.assign_course_trainer(course, trainer)
    html = org_admin_client.get(f"/organisatie/{organisation.public_id}/groepen/nieuw").get_data(as_text=True)
    assert f'value="{trainer.public_id}"' in html and ">Tom Trainer<" in html
    assert other_trainer.public_id not in html and "Olga Anders" not in html
    assert trainer.email not in html and "@example.org" not in html.split("<main")[-1].split("</form>")[0]
    response = org_admin_client.post(f"/organisatie/{organisation.public_id}/groepen/nieuw", data={
        "name": "Team Oost", "course": course.slug, "trainers": [other_trainer.public_id]})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "Team Oost")) is None


def test_a_trainer_of_another_course_is_refused_for_this_course(org_admin_client, organisation, trainer,
                                                               other_trainer):
    first = factories.make_course(title="Eerste", open_enrolment=False)
    second = factories.make_course(title="Tweede", open_enrolment=False)
    for course in (first, second):
        make_licence(organisation, course)
    factories.assign_course_trainer(first, trainer)
    factories.assign_course_trainer(second, other_trainer)
    html = org_admin_client.get(f"/organisatie/{organisation.public_id}/groepen/nieuw").get_data(as_text=True)
    assert f"{trainer.name} (Eerste)" in html and f"{other_trainer.name} (Tweede)" in html
    response = org_admin_client.post(f"/organisatie/{organisation.public_id}/groepen/nieuw", data={
        "name": "Team Mix", "course": first.slug, "trainers": [other_trainer.public_id]})
    assert "Kies alleen trainers van deze cursus." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "Team Mix")) is None


def test_editing_keeps_a_trainer_who_already_trains_the_cohort(org_admin_client, organisation, trainer):
    """A cohort trainer from before the rule stays offered, so saving does not drop them."""
    course = factories.make_course(open_enrolment=False)
    make_licence(organisation, course)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    url = f"/organisatie/groepen/{cohort.public_id}/bewerken"
    assert f'value="{trainer.public_id}"' in org_admin_client.get(url).get_data(as_text=True)
    response = org_admin_client.post(url, data={"name": cohort.name, "trainers": [trainer.public_id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [t.id for t in db.session.get(Cohort, cohort.id).trainers] == [trainer.id]
