"""Mail about new posts in followed threads: right away, as a daily digest (sent by
the worker, never twice) or not at all; through the outbox, with a deep link to the
post, never with what was written, and never to an erased person."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from course.discussion import services
from course.extensions import db
from course.mail.sender import send_queued
from course.models import MailMode, OutboxMail
from course.privacy.erasure import erase_user
from course.worker.jobs import JOBS
from course.worker.runs import run_if_due
from tests.factories_discussion import make_world, start


@pytest.fixture
def w(app):
    world = make_world()
    # The group's trainer follows every new thread (tested at the end); in the tests
    # about learners' mail she chose none, so only what those tests set up is mailed.
    services.set_mail_mode(world.trainer, MailMode.OFF)
    return world


def _mails(kind):
    return db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)).all()


def test_right_away_mails_each_follower_with_a_link_to_the_post_and_no_text(w, login_as):
    thread = start(w.space, w.anna)  # Anna follows her own thread
    services.set_mail_mode(w.anna, MailMode.IMMEDIATE)
    services.set_mail_mode(w.trainer, MailMode.IMMEDIATE)
    services.set_following(thread, w.trainer, True)
    post = services.reply(thread, w.bram, "Geheim: cliënt Petra belde.")
    mails = _mails("discussion_post")
    assert sorted(m.to_address for m in mails) == sorted([w.anna.email, w.trainer.email]), "not to the author"
    mail = next(m for m in mails if m.to_address == w.anna.email)
    assert f"http://leerlijn.test/discussie/bericht/{post.public_id}" in mail.body_text
    assert "Petra" not in mail.body_text and "Bram" not in mail.body_text and thread.title not in mail.body_text
    assert w.module.title in mail.body_text and mail.subject == "Nieuw bericht in een discussie die je volgt"
    assert mail.recipient_id == w.anna.id
    response = login_as(w.anna).get(f"/discussie/bericht/{post.public_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#bericht-{post.public_id}")


def test_off_and_daily_get_no_mail_right_away_and_a_hidden_or_lost_reader_neither(w):
    thread = start(w.space, w.anna)
    services.set_mail_mode(w.anna, MailMode.OFF)
    services.set_following(thread, w.bram, True)  # Bram never chose: the daily digest
    services.set_mail_mode(w.outsider, MailMode.IMMEDIATE)
    db.session.add(services.DiscussionFollow(user_id=w.outsider.id, thread_id=thread.id))  # no longer a reader
    db.session.commit()
    services.reply(thread, w.trainer, "Een antwoord van de trainer.")
    assert _mails("discussion_post") == []
    assert services.send_digests() == [(w.bram.email, 1)], "Bram gets it in the digest, Anna (off) never"


def test_the_daily_digest_lists_new_posts_once(w):
    thread = start(w.space, w.anna)
    other = start(w.space, w.bram, title="Tweede")
    services.set_following(other, w.anna, True)
    services.reply(thread, w.bram, "Een")
    services.reply(thread, w.trainer, "Twee")
    services.reply(other, w.bram, "Drie")
    services.reply(thread, w.anna, "Mijn eigen bericht telt niet")
    assert services.send_digests() == [(w.anna.email, 3)], "Bram follows only his own thread: nothing new by others"
    [mail] = [m for m in _mails("discussion_digest") if m.to_address == w.anna.email]
    assert mail.subject == "3 nieuwe berichten in discussies die je volgt"
    assert mail.body_text.count("/discussie/bericht/") == 2, "one link per thread, to its first new post"
    assert "Drie" not in mail.body_text and "Tweede" not in mail.body_text, "no text, no titles"
    assert services.send_digests() == [], "a second run sends nothing again"
    services.reply(thread, w.bram, "Vier")
    assert services.send_digests() == [(w.anna.email, 1)]


def test_the_digest_is_a_worker_job_that_never_sends_twice(w, app):
    thread = start(w.space, w.anna)
    services.reply(thread, w.bram, "Nieuws")
    [job] = [j for j in JOBS if j.name == "discussion_digest"]
    app.config["DIGEST_TIME"] = "07:00"
    morning = datetime(2026, 12, 1, 6, 30)  # 07:30 in Amsterdam
    assert run_if_due(job, now=morning) is True
    assert run_if_due(job, now=morning + timedelta(hours=2)) is False
    # a run of another day (or a retried one) finds nothing new
    assert run_if_due(job, now=morning + timedelta(days=1)) is True
    assert len(_mails("discussion_digest")) == 1
    assert send_queued() == (1, 0)


def test_choosing_the_digest_later_does_not_bring_up_old_posts(w):
    thread = start(w.space, w.anna)
    services.set_mail_mode(w.anna, MailMode.IMMEDIATE)
    services.reply(thread, w.bram, "Al gemaild")
    services.set_mail_mode(w.anna, MailMode.DAILY)
    assert services.send_digests() == []


def test_an_erased_person_is_never_mailed(w):
    thread = start(w.space, w.anna)
    services.set_mail_mode(w.anna, MailMode.IMMEDIATE)
    services.reply(thread, w.bram, "Eerst")
    assert len(_mails("discussion_post")) == 1
    erase_user(w.anna)
    db.session.commit()
    assert _mails("discussion_post") == [], "queued mail to her is gone"
    services.reply(thread, w.bram, "Daarna")
    assert _mails("discussion_post") == [] and services.send_digests() == []


def test_the_setting_page_saves_the_choice(w, login_as):
    client = login_as(w.bram)
    assert "Een dagelijks overzicht" in client.get("/discussie/e-mail").text
    assert client.post("/discussie/e-mail", data={"mail_mode": "off"}).status_code == 302
    assert services.queries.mail_mode(w.bram) == MailMode.OFF
    response = client.post("/discussie/e-mail", data={"mail_mode": "vaak"})
    assert response.status_code == 200 and "Controleer het formulier" in response.text
    assert services.queries.mail_mode(w.bram) == MailMode.OFF


def test_a_report_mails_the_groups_trainers(w):
    thread = start(w.space, w.anna)
    post = services.reply(thread, w.bram, "Iets")
    services.report_post(post, w.anna, "Niet oké")
    [mail] = _mails("discussion_report")
    assert mail.to_address == w.trainer.email and "Niet oké" not in mail.body_text


def test_a_new_thread_reaches_the_groups_trainer_right_away_and_not_another_groups(w):
    services.set_mail_mode(w.trainer, MailMode.IMMEDIATE)
    services.set_mail_mode(w.other_trainer, MailMode.IMMEDIATE)
    thread = start(w.space, w.anna, title="Mag ik foto's van deelnemers delen?", body="Cliënt Petra vroeg het.")
    [mail] = _mails("discussion_post")
    assert mail.to_address == w.trainer.email, "the group's trainer, not the author nor another group's trainer"
    assert "/discussie/bericht/" in mail.body_text and w.module.title in mail.body_text
    assert "Petra" not in mail.body_text and thread.title not in mail.body_text, "no text, no title"


def test_a_trainer_on_the_digest_finds_the_new_thread_there_unless_she_unfollowed(w):
    services.set_mail_mode(w.trainer, MailMode.DAILY)
    start(w.space, w.anna)
    unfollowed = start(w.space, w.bram, title="Tweede vraag")
    services.set_following(unfollowed, w.trainer, False)
    assert services.send_digests() == [(w.trainer.email, 1)], "the opening post of the thread she still follows"
    services.reply(unfollowed, w.anna, "Een antwoord")
    assert (w.trainer.email, 1) not in services.send_digests()

