"""Follow-up after the course (issue 14): check-ins mailed 30 and 90 days after
completion (once, never after opting out or erasure), answers in the workbook's
"Na de cursus" chapter, the trainer's overview and the organisation's counts."""
import io
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from course.extensions import db
from course.followup import queries, services
from course.models import CheckinStage, FollowupCheckin, FollowupOptOut, OutboxMail, utcnow
from course.permissions import sees_followup_answers
from course.privacy import erasure
from course.workbook import documents as workbook_documents
from course.workbook import queries as workbook
from course.worker.jobs import JOBS
from course.worker.runs import run_if_due
from tests import factories
from tests.factories_teamplan import completed, make_checkin
from tests.querycount import count_queries

DONE = datetime(2026, 3, 2, 9, 0)


def _mails():
    return db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "followup_checkin")
                              .order_by(OutboxMail.id)).all()


def _learner(app, organisation=None, days_ago=None, **fields):
    user = factories.make_user(org=organisation, **fields)
    course = factories.make_course(title="Sociale media in de zorg")
    enrolment = factories.make_enrolment(user, course, completed_at=DONE if days_ago is None
                                         else utcnow() - timedelta(days=days_ago))
    return user, course, enrolment


def test_truth_table_only_the_learner_and_their_trainers_see_answers():
    assert sees_followup_answers(own=True, reviews=False)
    assert sees_followup_answers(own=False, reviews=True)
    assert not sees_followup_answers(own=False, reviews=False)


def test_the_check_ins_go_out_on_day_30_and_day_90_once_each(app):
    user, course, enrolment = _learner(app)
    assert services.send_due_checkins(now=DONE + timedelta(days=29, hours=23)) == 0
    assert services.send_due_checkins(now=DONE + timedelta(days=30)) == 1
    assert services.send_due_checkins(now=DONE + timedelta(days=31)) == 0, "never twice"
    assert services.send_due_checkins(now=DONE + timedelta(days=89)) == 0
    assert services.send_due_checkins(now=DONE + timedelta(days=90)) == 1
    assert services.send_due_checkins(now=DONE + timedelta(days=95)) == 0
    stages = db.session.scalars(sa.select(FollowupCheckin.stage).order_by(FollowupCheckin.id)).all()
    assert stages == [CheckinStage.DAY_30, CheckinStage.DAY_90]
    first, second = _mails()
    assert first.to_address == user.email and first.recipient_id == user.id
    assert "Sociale media in de zorg" in first.subject
    checkin = db.session.scalar(sa.select(FollowupCheckin).where(FollowupCheckin.stage == CheckinStage.DAY_30))
    assert f"/na-de-cursus/{checkin.public_id}" in first.body_text
    assert "/na-de-cursus/afmelden/" in first.body_text


def test_a_course_completed_long_ago_gets_no_late_check_in(app):
    _learner(app)
    assert services.send_due_checkins(now=DONE + timedelta(days=400)) == 0
    assert services.send_due_checkins(now=DONE + timedelta(days=100)) == 1, "only the 90-day one, not both"
    assert [c.stage for c in db.session.scalars(sa.select(FollowupCheckin))] == [CheckinStage.DAY_90]


def test_the_worker_job_runs_it_and_never_mails_twice(app):
    user, course, enrolment = _learner(app, days_ago=31)
    job = next(j for j in JOBS if j.name == "followup_checkins")
    app.config["FOLLOWUP_TIME"] = "00:00"
    assert run_if_due(job) is True
    assert run_if_due(job) is False, "once per day"
    services.send_due_checkins()  # a second worker or a re-run the same day
    assert len(_mails()) == 1


def test_no_mail_after_opting_out_and_queued_check_ins_are_withdrawn(app):
    user, course, enrolment = _learner(app)
    services.send_due_checkins(now=DONE + timedelta(days=30))
    assert len(_mails()) == 1
    services.opt_out(user)
    assert _mails() == [], "the queued check-in is taken out of the outbox"
    assert services.send_due_checkins(now=DONE + timedelta(days=90)) == 0
    services.opt_in(user)
    assert services.send_due_checkins(now=DONE + timedelta(days=90)) == 1


def test_no_mail_after_erasure_and_answers_are_emptied(app):
    user, course, enrolment = _learner(app)
    make_checkin(enrolment, CheckinStage.DAY_30, answered=True, plan_md="GEHEIM-PLAN-77")
    erasure.erase_user(user)
    db.session.commit()
    assert services.send_due_checkins(now=DONE + timedelta(days=90)) == 0
    checkin = db.session.scalar(sa.select(FollowupCheckin))
    assert checkin.plan_md == "" and checkin.answered_at is not None, "the count stays, the text goes"


def test_the_signed_opt_out_link_needs_no_login_and_asks_first(app, client):
    user, course, enrolment = _learner(app)
    services.send_due_checkins(now=DONE + timedelta(days=30))
    link = re.search(r"http://leerlijn\.test(/na-de-cursus/afmelden/\S+)", _mails()[0].body_text).group(1)
    page = client.get(link)
    assert page.status_code == 200 and db.session.get(FollowupOptOut, user.id) is None, "a GET changes nothing"
    assert client.post(link).status_code == 200
    assert db.session.get(FollowupOptOut, user.id) is not None
    assert client.get("/na-de-cursus/afmelden/vervalst.token").status_code == 404
    assert client.post(link[:-3] + "abc").status_code == 404


def test_opting_out_and_in_on_the_account_page(app, login_as):
    user, course, enrolment = _learner(app)
    client = login_as(user)
    assert "na-de-cursus" in client.get("/mijn-account").get_data(as_text=True)
    assert client.post("/mijn-account/na-de-cursus", data={"wants": "0"}).status_code == 302
    assert queries.opted_out(user)
    client.post("/mijn-account/na-de-cursus", data={"wants": "1"})
    assert not queries.opted_out(user)
    client.post("/mijn-account/na-de-cursus", data={"wants": "iets"})
    assert not queries.opted_out(user)


def test_answers_become_the_after_the_course_chapter_in_html_markdown_and_pdf(app, login_as):
    user, course, enrolment = _learner(app)
    checkin = make_checkin(enrolment, CheckinStage.DAY_30)
    client = login_as(user)
    form = client.get(f"/na-de-cursus/{checkin.public_id}")
    assert form.status_code == 200
    assert client.post(f"/na-de-cursus/{checkin.public_id}", data={}).status_code == 400, "at least one answer"
    response = client.post(f"/na-de-cursus/{checkin.public_id}", data={
        "plan_md": "Elke dinsdag een post.", "goal_md": "Vijftig volgers.", "success_md": "Een **volle** avond.",
        "obstacles_md": "Roosters."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#na-de-cursus")
    page = client.get(f"/mijn-werkboek/{course.slug}").get_data(as_text=True)
    assert 'id="na-de-cursus"' in page and "Elke dinsdag een post." in page and "<strong>volle</strong>" in page
    book = workbook.compile_workbook(enrolment)
    markdown = workbook_documents.to_markdown(book)
    assert "## Na de cursus" in markdown or "## After the course" in markdown
    assert "Vijftig volgers." in markdown
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(workbook_documents.to_pdf(book))).pages)
    assert "Vijftig volgers." in text and "Roosters." in text


def test_another_person_cannot_open_or_answer_a_check_in(app, login_as):
    user, course, enrolment = _learner(app)
    checkin = make_checkin(enrolment, CheckinStage.DAY_30)
    other = login_as(factories.make_user())
    assert other.get(f"/na-de-cursus/{checkin.public_id}").status_code == 404
    assert other.post(f"/na-de-cursus/{checkin.public_id}", data={"plan_md": "gekaapt"}).status_code == 404
    assert login_as(user).get("/na-de-cursus/bestaat-niet").status_code == 404
    assert db.session.get(FollowupCheckin, checkin.id).plan_md == ""


def test_the_trainer_sees_their_learners_answers_the_org_admin_counts_only(app, login_as, organisation):
    trainer = factories.make_user(role="trainer", name="Tineke Trainer")
    org_admin = factories.make_user(org=organisation, org_role="admin")
    course = factories.make_course(title="Sociale media in de zorg")
    cohort = factories.make_cohort(organisation, course, name="Team Noord", trainers=[trainer])
    learners = [factories.make_user(org=organisation, name=f"Deelnemer {n}") for n in range(3)]
    enrolments = [completed(u, course, 40, cohort=cohort) for u in learners]
    make_checkin(enrolments[0], CheckinStage.DAY_30, answered=True, success_md="ANTWOORD-SUCCES-1")
    make_checkin(enrolments[1], CheckinStage.DAY_30)
    outsider_trainer = factories.make_user(role="trainer")

    overview = login_as(trainer).get(f"/na-de-cursus/overzicht/{course.slug}")
    html = overview.get_data(as_text=True)
    assert overview.status_code == 200 and "Deelnemer 0" in html and "Deelnemer 1" in html
    assert "1 / 2" in html, "answered / asked for the 30-day check-in"
    workbook_page = login_as(trainer).get(f"/werkboek/{enrolments[0].public_id}").get_data(as_text=True)
    assert "ANTWOORD-SUCCES-1" in workbook_page
    assert login_as(outsider_trainer).get(f"/na-de-cursus/overzicht/{course.slug}").status_code == 404

    counts = login_as(org_admin).get("/organisatie/na-de-cursus")
    html = counts.get_data(as_text=True)
    assert counts.status_code == 200 and "Team Noord" in html and "1 / 2" in html
    assert "ANTWOORD-SUCCES-1" not in html and "Deelnemer 0" not in html, "numbers only"
    assert login_as(org_admin).get(f"/werkboek/{enrolments[0].public_id}").status_code == 404
    assert login_as(org_admin).get(f"/na-de-cursus/overzicht/{course.slug}").status_code == 404


def test_the_overview_pages_use_a_fixed_number_of_queries(app, login_as, organisation):
    trainer = factories.make_user(role="trainer")
    org_admin = factories.make_user(org=organisation, org_role="admin")
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])

    def add(n):
        for _ in range(n):
            enrolment = completed(factories.make_user(org=organisation), course, 40, cohort=cohort)
            make_checkin(enrolment, CheckinStage.DAY_30, answered=True)

    add(1)
    pages = [(login_as(trainer), f"/na-de-cursus/overzicht/{course.slug}"),
             (login_as(trainer), "/na-de-cursus/overzicht"), (login_as(org_admin), "/organisatie/na-de-cursus")]
    small = []
    for client, url in pages:
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        small.append(counter.count)
    add(5)
    for (client, url), before in zip(pages, small, strict=True):
        with count_queries() as counter:
            client.get(url)
        assert counter.count == before, url


def test_the_data_export_holds_the_check_ins_and_the_sharing(app):
    from course.privacy.export import collect

    user, course, enrolment = _learner(app)
    make_checkin(enrolment, CheckinStage.DAY_30, answered=True, goal_md="DOEL-BEREIKT-9")
    services.opt_out(user)
    data = collect(user)
    assert data["follow_up"]["opted_out"] is True
    assert data["follow_up"]["checkins"][0]["goal_reached"] == "DOEL-BEREIKT-9"
    assert data["team_plan_sharing"] == []


def test_a_trainer_of_another_group_of_the_course_sees_only_their_own_learners(app, login_as, organisation):
    course = factories.make_course()
    mine, theirs = factories.make_user(role="trainer"), factories.make_user(role="trainer")
    other_org = factories.make_organisation()
    my_cohort = factories.make_cohort(organisation, course, trainers=[mine])
    their_cohort = factories.make_cohort(other_org, course, trainers=[theirs])
    make_checkin(completed(factories.make_user(name="Mijn Deelnemer"), course, 40, cohort=my_cohort),
                 CheckinStage.DAY_30, answered=True)
    make_checkin(completed(factories.make_user(name="Hun Deelnemer"), course, 40, cohort=their_cohort),
                 CheckinStage.DAY_30)
    html = login_as(mine).get(f"/na-de-cursus/overzicht/{course.slug}").get_data(as_text=True)
    assert "Mijn Deelnemer" in html and "Hun Deelnemer" not in html
    assert "1 / 1" in html, "the counts are of their own learners too"
    other_admin = factories.make_user(org=other_org, org_role="admin")
    counts = login_as(other_admin).get("/organisatie/na-de-cursus").get_data(as_text=True)
    assert their_cohort.name in counts and my_cohort.name not in counts


def test_two_workers_at_the_same_moment_send_one_check_in(app, monkeypatch):
    """Both have found the check-in due before either writes: the unique (enrolment,
    stage) key lets one insert it with its mail, the other skips. Both databases."""
    import threading

    user, course, enrolment = _learner(app)
    now = DONE + timedelta(days=30)
    both_checked = threading.Barrier(2, timeout=10)
    real = services._new_checkin
    enrolment_id = enrolment.id

    def after_both_checked(*args):
        both_checked.wait()
        return real(*args)

    monkeypatch.setattr(services, "_new_checkin", after_both_checked)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                results.append(services._send_one(enrolment_id, CheckinStage.DAY_30, now))
                db.session.remove()
        except Exception as error:  # noqa: BLE001  surfaced by the assertion below
            errors.append(repr(error))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(results) == [False, True]
    db.session.expire_all()
    assert len(_mails()) == 1
    assert db.session.scalar(sa.select(sa.func.count(FollowupCheckin.id))) == 1


def test_an_answer_as_long_as_the_page_allows_is_saved_whole(app, login_as):
    """The browser counts a line break as one character against maxlength but sends
    "\r\n": an answer the page accepted is neither refused nor cut short."""
    user, _course, enrolment = _learner(app)
    checkin = make_checkin(enrolment, CheckinStage.DAY_30)
    text = "regel\r\n" * (services.ANSWER_MAX // 6 - 1)
    assert len(text.replace("\r\n", "\n")) <= services.ANSWER_MAX < len(text)
    response = login_as(user).post(f"/na-de-cursus/{checkin.public_id}", data={"plan_md": text})
    assert response.status_code == 302
    assert db.session.get(FollowupCheckin, checkin.id).plan_md == text.replace("\r\n", "\n").strip()
