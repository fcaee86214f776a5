"""Peer feedback through the pages (issue 14): consent on submit, allocation on demand,
feedback with the privacy check, the author's view and mail, the workbook choice, the
trainer's settings, overview and hiding (audited), and what the organisation admin sees."""
import sqlalchemy as sa

from course.extensions import db
from course.mail.sender import send_queued
from course.models import AuditEvent, OutboxMail, PeerConsent, PeerReview, PeerReviewStatus, PeerSetting
from course.peer import services
from tests import factories
from tests.factories_learn import field_form
from tests.factories_peer import peer_cohort, submit
from tests.querycount import count_queries

FEEDBACK = {"field-strengths": "Je doelgroep is **helder**.", "field-improvements": "Maak de boodschap korter.",
            "action": "submit"}


def _assignment(client, world):
    return client.get(f"/mijn-leren/{world.course.slug}/{world.module.slug}/opdracht")


def _allocate(client, world):
    return client.post(f"/mijn-leren/{world.course.slug}/{world.module.slug}/collega-feedback/volgende")


def test_the_consent_question_is_asked_on_submit_and_stored(app, login_as):
    world = peer_cohort(learners=2)
    client = login_as(world.users[0])
    html = _assignment(client, world).get_data(as_text=True)
    assert "Ja, collega&#39;s in mijn groep mogen mijn tekst lezen" in html or "mogen mijn tekst lezen" in html
    response = client.post(f"/mijn-leren/{world.course.slug}/{world.module.slug}/opdracht",
                           data={"action": "submit", "peer_consent": "y", **field_form(world.module)})
    assert response.status_code == 302
    [consent] = db.session.scalars(sa.select(PeerConsent)).all()
    assert consent.consented is True
    client2 = login_as(world.users[1])
    client2.post(f"/mijn-leren/{world.course.slug}/{world.module.slug}/opdracht",
                 data={"action": "submit", **field_form(world.module)})
    assert sorted(c.consented for c in db.session.scalars(sa.select(PeerConsent))) == [False, True]


def test_no_consent_question_where_peer_feedback_is_off(app, login_as):
    world = peer_cohort(learners=1)
    other_module = world.course.modules[1]
    html = login_as(world.users[0]).get(
        f"/mijn-leren/{world.course.slug}/{other_module.slug}/opdracht").get_data(as_text=True)
    assert "peer_consent" not in html and "Feedback van collega" not in html


def test_a_learner_reviews_a_colleague_and_the_author_reads_it_with_a_mail(app, login_as):
    world = peer_cohort(learners=2, names=["Anna Akker", "Bram Bos"])
    anna, bram = world.enrolments
    submit(anna, world.module, text="Anna schrijft over mantelzorgers.")
    submit(bram, world.module, text="Bram schrijft over jongeren.")
    client = login_as(world.users[0])
    response = _allocate(client, world)
    assert response.status_code == 302 and "/collega-feedback/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bram schrijft over jongeren." in page and "Bram Bos" in page  # named mode
    assert "Anna schrijft" not in page, "never one's own work"

    response = client.post(response.headers["Location"], data=FEEDBACK)
    assert response.status_code == 302
    review = db.session.scalar(sa.select(PeerReview))
    assert review.status == PeerReviewStatus.GIVEN and review.reviewer_enrolment_id == anna.id
    [mail] = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "peer_feedback")).all()
    assert mail.to_address == world.users[1].email and "Anna Akker" in mail.body_text
    assert f"/mijn-leren/{world.course.slug}/{world.module.slug}/opdracht#peer-feedback" in mail.body_text
    send_queued()
    assert db.session.get(OutboxMail, mail.id).status.value == "sent"

    html = _assignment(login_as(world.users[1]), world).get_data(as_text=True)
    assert 'id="peer-feedback"' in html and "<strong>helder</strong>" in html and "Van Anna Akker" in html


def test_anonymous_mode_hides_names_from_learners_not_from_the_trainer(app, login_as):
    world = peer_cohort(learners=2, anonymous=True, names=["Anna Akker", "Bram Bos"])
    anna, bram = world.enrolments
    submit(anna, world.module, text="Mijn plan.")
    submit(bram, world.module, text="Ons plan.")
    review = services.allocate_next(anna, world.module)
    client = login_as(world.users[0])
    page = client.get(f"/collega-feedback/{review.public_id}").get_data(as_text=True)
    assert "Bram Bos" not in page and "Een collega" in page
    client.post(f"/collega-feedback/{review.public_id}", data=FEEDBACK)
    author_page = _assignment(login_as(world.users[1]), world).get_data(as_text=True)
    assert "Anna Akker" not in author_page and "Van Een collega" in author_page
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "peer_feedback"))
    assert "Anna Akker" not in mail.body_text
    overview = login_as(world.trainer).get(f"/voortgang/groep/{world.cohort.public_id}/collega-feedback")
    html = overview.get_data(as_text=True)
    assert "Anna Akker aan Bram Bos" in html


def test_without_consent_the_work_is_not_shown_but_the_learner_still_gives_feedback(app, login_as):
    world = peer_cohort(learners=3, per_learner=1, names=["Anna Akker", "Bram Bos", "Cor Claes"])
    anna, bram, cor = world.enrolments
    submit(anna, world.module, consent=False, text="Anna's geheime tekst.")
    submit(bram, world.module)
    submit(cor, world.module)
    given_to = set()
    for enrolment in (bram, cor):
        review = services.allocate_next(enrolment, world.module)
        given_to.add(review.author_enrolment_id)
        page = login_as(enrolment.user).get(f"/collega-feedback/{review.public_id}").get_data(as_text=True)
        assert "geheime tekst" not in page
    assert anna.id not in given_to
    review = services.allocate_next(anna, world.module)  # Anna still gives feedback
    assert review.author_enrolment_id in (bram.id, cor.id)
    html = _assignment(login_as(anna.user), world).get_data(as_text=True)
    assert "Je hebt ervoor gekozen je tekst niet aan collega" in html


def test_before_submitting_there_is_nothing_to_review(app, login_as):
    world = peer_cohort(learners=2)
    submit(world.enrolments[1], world.module)
    client = login_as(world.users[0])
    response = _allocate(client, world)
    assert response.status_code == 302 and "#peer-give" in response.headers["Location"]
    assert db.session.scalars(sa.select(PeerReview)).all() == []
    html = _assignment(client, world).get_data(as_text=True)
    assert "Lever eerst je eigen opdracht in" in html


def test_a_privacy_hint_is_shown_on_a_peer_review_and_can_be_overridden(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    client = login_as(world.users[0])
    data = {**FEEDBACK, "field-strengths": "Mooi hoe je mevrouw Jansen beschrijft."}
    response = client.post(f"/collega-feedback/{review.public_id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "privacy-warning" in html and "mevrouw J." in html
    assert db.session.get(PeerReview, review.id).status == PeerReviewStatus.ASSIGNED, "nothing sent yet"
    assert "mevrouw Jansen beschrijft" in html, "the text is kept"
    response = client.post(f"/collega-feedback/{review.public_id}", data={**data, "action": "submit-anyway"})
    assert response.status_code == 302
    assert db.session.get(PeerReview, review.id).status == PeerReviewStatus.GIVEN


def test_the_privacy_check_answers_json_for_the_script(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    client = login_as(world.users[0])
    response = client.post(f"/collega-feedback/{review.public_id}/privacy",
                           json={"fields": {"strengths": "Bel haar op 06-12345678.", "improvements": ""}})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    [finding] = response.get_json()["findings"]
    assert finding["kind"] == "phone" and finding["field"] == "strengths"
    for bad in ({"fields": ["x"]}, {"fields": {"strengths": 3}}, [1, 2]):
        assert client.post(f"/collega-feedback/{review.public_id}/privacy", json=bad).status_code == 400


def test_empty_or_too_long_feedback_is_refused_with_the_text_kept(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    client = login_as(world.users[0])
    response = client.post(f"/collega-feedback/{review.public_id}",
                           data={"field-strengths": "", "field-improvements": "x" * 2001, "action": "submit"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "is nog leeg" in html and "2001 tekens" in html
    response = client.post(f"/collega-feedback/{review.public_id}",
                           data={**FEEDBACK, "level__onbekend": "x", "action": "submit"})
    assert response.status_code == 302, "the rubric is off: its fields are ignored"


def test_the_light_rubric_takes_known_levels_only_and_shows_no_points(app, login_as):
    world = peer_cohort(learners=2, use_rubric=True)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    client = login_as(world.users[0])
    page = client.get(f"/collega-feedback/{review.public_id}").get_data(as_text=True)
    form_part = page.split('id="give-title"')[1]
    assert "Helderheid" in form_part and "2 punten" not in form_part and "1 punt)" not in form_part
    bad = client.post(f"/collega-feedback/{review.public_id}", data={**FEEDBACK, "level__helderheid": "perfect"})
    assert bad.status_code == 400 and "Kies een van de getoonde niveaus" in bad.get_data(as_text=True)
    client.post(f"/collega-feedback/{review.public_id}", data={**FEEDBACK, "level__helderheid": "goed"})
    assert db.session.get(PeerReview, review.id).rubric_levels == {"helderheid": "goed"}
    html = _assignment(login_as(world.users[1]), world).get_data(as_text=True)
    assert "Helderheid: Goed" in html


def test_a_double_submit_of_feedback_is_stored_and_mailed_once(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    client = login_as(world.users[0])
    assert client.post(f"/collega-feedback/{review.public_id}", data=FEEDBACK).status_code == 302
    assert client.post(f"/collega-feedback/{review.public_id}", data=FEEDBACK).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_the_workbook_shows_peer_feedback_only_when_the_author_chooses(app, login_as):
    world = peer_cohort(learners=2, names=["Anna Akker", "Bram Bos"])
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    services.give_feedback(review, world.users[0], "Sterke opening.", "Korter graag.", {})
    author = login_as(world.users[1])
    url = f"/mijn-werkboek/{world.course.slug}"
    assert "Sterke opening." not in author.get(url).get_data(as_text=True)
    response = author.post(f"/mijn-leren/{world.course.slug}/collega-feedback/werkboek",
                           data={"show": "y", "module": world.module.slug})
    assert response.status_code == 302 and response.headers["Location"].endswith("#peer-feedback")
    assert "Sterke opening." in author.get(url).get_data(as_text=True)
    markdown = author.get(f"/werkboek/{world.enrolments[1].public_id}/werkboek.md").get_data(as_text=True)
    assert "Sterke opening." in markdown and "Feedback van Anna Akker" in markdown
    pdf = author.get(f"/werkboek/{world.enrolments[1].public_id}/werkboek.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    author.post(f"/mijn-leren/{world.course.slug}/collega-feedback/werkboek", data={"show": "n"})
    assert "Sterke opening." not in author.get(url).get_data(as_text=True)


def test_the_trainer_switches_it_on_and_bad_settings_are_refused(app, login_as):
    org = factories.make_organisation()
    trainer = factories.make_user(role="trainer")
    course = factories.make_course(modules=2)
    cohort = factories.make_cohort(org, course, trainers=[trainer])
    client = login_as(trainer)
    url = f"/voortgang/groep/{cohort.public_id}/collega-feedback"
    page = client.get(url)
    assert page.status_code == 200 and 'value="2"' in page.get_data(as_text=True), "2 reviews by default"
    for bad in ({"per_learner": "0"}, {"per_learner": "99999999999999999999"}, {"per_learner": "twee"},
                {"per_learner": "2", "modules": "999999"}, {"per_learner": "2", "modules": "x"}):
        response = client.post(url, data={"enabled": "y", **bad})
        assert response.status_code == 400, bad
    assert db.session.scalars(sa.select(PeerSetting)).all() == []
    response = client.post(url, data={"enabled": "y", "modules": str(course.modules[1].id), "per_learner": "3",
                                      "anonymous": "y"})
    assert response.status_code == 302
    setting = db.session.scalar(sa.select(PeerSetting))
    assert (setting.enabled, setting.module_ids, setting.reviews_per_learner, setting.anonymous) == (
        True, [course.modules[1].id], 3, True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "peer.settings_changed"))
    assert event.actor_id == trainer.id and event.details["per_learner"] == 3


def test_self_enrolled_learners_have_their_own_pool_per_course(app, login_as, platform_admin):
    course = factories.make_course(modules=1, open_enrolment=True)
    course_trainer = factories.make_user(role="trainer")
    factories.assign_course_trainer(course, course_trainer)
    client = login_as(course_trainer)
    url = f"/voortgang/cursus/{course.slug}/collega-feedback"
    assert client.post(url, data={"enabled": "y", "modules": str(course.modules[0].id),
                                  "per_learner": "1"}).status_code == 302
    org = factories.make_organisation()
    cohort = factories.make_cohort(org, course)
    solo = [factories.make_enrolment(factories.make_user(), course) for _ in range(2)]
    in_cohort = factories.make_enrolment(factories.make_user(org=org), course, cohort=cohort)
    for enrolment in solo + [in_cohort]:
        submit(enrolment, course.modules[0], consent=None if enrolment is in_cohort else True)
    review = services.allocate_next(solo[0], course.modules[0])
    assert review.author_enrolment_id == solo[1].id, "self-enrolled learners review each other, never a cohort"
    assert db.session.scalar(sa.select(PeerConsent).where(PeerConsent.submission_id == review.submission_id))
    html = client.get(url).get_data(as_text=True)
    assert solo[0].user.name in html and in_cohort.user.name not in html


def test_the_trainer_hides_inappropriate_feedback_audited_and_the_author_no_longer_sees_it(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    services.give_feedback(review, world.users[0], "Onaardige opmerking.", "Nog meer.", {})
    author = login_as(world.users[1])
    assert "Onaardige opmerking." in _assignment(author, world).get_data(as_text=True)
    trainer = login_as(world.trainer)
    response = trainer.post(f"/collega-feedback/{review.public_id}/verbergen", data={"action": "hide"})
    assert response.status_code == 302
    assert "Onaardige opmerking." not in _assignment(author, world).get_data(as_text=True)
    html = trainer.get(f"/voortgang/groep/{world.cohort.public_id}/collega-feedback").get_data(as_text=True)
    assert "Onaardige opmerking." in html and "Verborgen voor de ontvanger" in html
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "peer.review_hidden"))
    assert event.actor_id == world.trainer.id and event.subject_id == world.users[0].id
    trainer.post(f"/collega-feedback/{review.public_id}/verbergen", data={"action": "show"})
    assert "Onaardige opmerking." in _assignment(author, world).get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "peer.review_shown"))


def test_the_organisation_admin_never_sees_peer_feedback(app, login_as):
    world = peer_cohort(learners=2, names=["Anna Akker", "Bram Bos"])
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    services.give_feedback(review, world.users[0], "GEHEIM-PEER-7731 sterk.", "Scherper.", {})
    org_admin = login_as(factories.make_user(org=world.org, org_role="admin"))
    pages = [f"/organisatie/groepen/{world.cohort.public_id}",
             f"/organisatie/groepen/{world.cohort.public_id}/deelnemers/{world.enrolments[1].public_id}",
             "/organisatie"]
    for url in pages:
        response = org_admin.get(url)
        assert response.status_code == 200, url
        assert "GEHEIM-PEER-7731" not in response.get_data(as_text=True), url
    for url, method in ((f"/voortgang/groep/{world.cohort.public_id}/collega-feedback", "get"),
                        (f"/collega-feedback/{review.public_id}", "get"),
                        (f"/collega-feedback/{review.public_id}/verbergen", "post")):
        response = getattr(org_admin, method)(url)
        assert response.status_code in (403, 404), url
        assert "GEHEIM-PEER-7731" not in response.get_data(as_text=True)


def test_the_trainer_overview_uses_a_fixed_number_of_queries(app, login_as):
    small = peer_cohort(learners=2)
    large = peer_cohort(learners=8)
    for world in (small, large):
        for enrolment in world.enrolments:
            submit(enrolment, world.module)
        for enrolment in world.enrolments:
            review = services.allocate_next(enrolment, world.module)
            services.give_feedback(review, enrolment.user, "Sterk.", "Scherper.", {})
    counts = []
    for world in (small, large):
        client = login_as(world.trainer)
        with count_queries() as counter:
            assert client.get(f"/voortgang/groep/{world.cohort.public_id}/collega-feedback").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_assignment_page_uses_a_fixed_number_of_queries_for_received_feedback(app, login_as):
    counts = []
    for learners in (2, 5):
        world = peer_cohort(learners=learners, per_learner=learners - 1)
        for enrolment in world.enrolments:
            submit(enrolment, world.module)
        for enrolment in world.enrolments[1:]:
            while True:
                try:
                    review = services.allocate_next(enrolment, world.module)
                except services.NothingToReview:
                    break
                services.give_feedback(review, enrolment.user, "Sterk.", "Scherper.", {})
        client = login_as(world.users[0])
        with count_queries() as counter:
            assert _assignment(client, world).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_feedback_already_given_stays_readable_when_the_trainer_switches_it_off(app, login_as):
    world = peer_cohort(learners=2)
    for enrolment in world.enrolments:
        submit(enrolment, world.module)
    review = services.allocate_next(world.enrolments[0], world.module)
    services.give_feedback(review, world.users[0], "Blijft staan.", "Scherper.", {})
    services.save_setting(world.course, world.cohort, world.trainer, enabled=False, module_ids=[],
                          per_learner=2, anonymous=False, use_rubric=False)
    html = _assignment(login_as(world.users[1]), world).get_data(as_text=True)
    assert "Blijft staan." in html and "Geef feedback aan een collega" not in html
    html = _assignment(login_as(world.users[0]), world).get_data(as_text=True)
    assert 'id="peer-feedback"' not in html, "nothing received, and it is off: no peer section"


def _wanted_mails():
    return db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "peer_review_wanted")).all()


def test_a_late_submitter_s_work_brings_a_request_to_colleagues_who_gave_their_share(app):
    """Three colleagues submit and give their two reviews each; the fourth submits later.
    Nobody owes a review any more, so without a nudge the late work waits for colleagues
    who happen to come back: two of them (its missing reviews) are asked by mail."""
    world = peer_cohort(learners=4, per_learner=2)
    early, late = world.enrolments[:3], world.enrolments[3]
    for enrolment in early:
        submit(enrolment, world.module)
    for enrolment in early:
        for _ in range(2):
            review = services.allocate_next(enrolment, world.module)
            services.give_feedback(review, enrolment.user, "Sterk.", "Scherper.", {})
    assert _wanted_mails() == [], "on time, nobody is asked"
    submit(late, world.module)
    mails = _wanted_mails()
    early_addresses = {e.user.email for e in early}
    assert len(mails) == 2 and {m.to_address for m in mails} <= early_addresses
    assert late.user.name not in mails[0].body_text, "the request names nobody"
    assert f"/{world.module.slug}/opdracht#peer-give" in mails[0].body_text
    assert "wacht" in mails[0].subject  # Dutch first


def test_no_request_when_colleagues_still_owe_reviews_or_the_work_is_not_shared(app):
    world = peer_cohort(learners=4, per_learner=2)
    first, second, third, fourth = world.enrolments
    submit(first, world.module)
    submit(second, world.module)
    submit(third, world.module, consent=False)  # not shown: needs no reviews
    assert _wanted_mails() == [], "the first ones still owe their reviews"
    for enrolment in (first, second):
        review = services.allocate_next(enrolment, world.module)
        services.give_feedback(review, enrolment.user, "Sterk.", "Scherper.", {})
    submit(fourth, world.module)  # first, second and third still owe one review or more
    assert _wanted_mails() == []


def _consent_url(world):
    return f"/mijn-leren/{world.course.slug}/{world.module.slug}/collega-feedback/toestemming"


def test_the_author_withdraws_consent_after_submitting_and_can_give_it_again(app, login_as):
    """Consent is asked on submit, and like any consent it can be withdrawn later (the
    assignment itself stays locked): the work leaves colleagues' view and their open
    requests; given again, colleagues can review it."""
    world = peer_cohort(learners=2, names=["Anna Akker", "Bram Bos"])
    anna, bram = world.enrolments
    submit(anna, world.module)
    submission = submit(bram, world.module, text="Bram schrijft over jongeren.")
    task = services.allocate_next(anna, world.module)
    assert task.submission_id == submission.id
    task_id, task_public_id = task.id, task.public_id
    client = login_as(world.users[1])
    html = _assignment(client, world).get_data(as_text=True)
    assert "Mijn tekst niet meer aan collega&#39;s laten zien" in html or "Mijn tekst niet meer aan collega" in html

    response = client.post(_consent_url(world), data={"share": "n"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#peer-feedback")
    assert db.session.get(PeerConsent, submission.id).consented is False
    db.session.expire_all()
    assert db.session.get(PeerReview, task_id) is None, "the open request went with the consent"
    assert login_as(world.users[0]).get(f"/collega-feedback/{task_public_id}").status_code == 404
    html = _assignment(client, world).get_data(as_text=True)
    assert "Collega&#39;s zien je tekst niet meer" in html or "zien je tekst niet meer" in html

    assert client.post(_consent_url(world), data={"share": "y"}).status_code == 302
    assert db.session.get(PeerConsent, submission.id).consented is True
    assert services.allocate_next(anna, world.module).submission_id == submission.id


def test_consent_can_be_given_for_work_submitted_before_peer_feedback_was_on(app, login_as):
    world = peer_cohort(learners=2)
    first, second = world.enrolments
    setting = db.session.scalar(sa.select(PeerSetting))
    setting.module_ids = []
    db.session.commit()
    early = submit(first, world.module, consent=None)  # peer feedback off: no consent question, no row
    setting.module_ids = [world.module.id]
    db.session.commit()
    submit(second, world.module)
    client = login_as(world.users[0])
    assert "voordat feedback van collega" in _assignment(client, world).get_data(as_text=True)
    with __import__("pytest").raises(services.NothingToReview):
        services.allocate_next(second, world.module)
    assert client.post(_consent_url(world), data={"share": "y"}).status_code == 302
    assert services.allocate_next(second, world.module).submission_id == early.id


def test_only_the_author_of_submitted_work_changes_the_consent(app, login_as):
    world = peer_cohort(learners=2)
    first, second = world.enrolments
    client = login_as(world.users[0])
    response = client.post(_consent_url(world), data={"share": "y"}, follow_redirects=True)
    assert "Lever eerst je opdracht in" in response.get_data(as_text=True), "a draft has no consent to change"
    assert db.session.scalars(sa.select(PeerConsent)).all() == []
    submission = submit(second, world.module)
    from course import permissions

    assert permissions.can_change_peer_consent(world.users[1], submission)
    assert not permissions.can_change_peer_consent(world.users[0], submission)
    assert not permissions.can_change_peer_consent(world.trainer, submission)
    assert login_as(factories.make_user()).post(_consent_url(world), data={"share": "n"}).status_code == 404
    assert db.session.get(PeerConsent, submission.id).consented is True
