"""Erasure and export reach the discussion: after erasing a person who posted,
reported, followed and chose a mail setting, no text column of any table (the same
metadata walk as tests/test_privacy_erasure.py) holds their name, address or words;
colleagues' posts stay. The data export holds the person's own posts."""
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from course.auth.services import erase_account
from course.discussion import services
from course.extensions import db
from course.models import (
    DiscussionFollow,
    DiscussionPost,
    DiscussionRead,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    MailMode,
)
from tests import factories
from tests.factories_discussion import make_world, posts_of, start
from tests.test_privacy_erasure import where_found

NAME = "Fenna Zonneveld-Quist"
EMAIL = "fenna.zq@example.org"
MARKER = "ZWALUWSTAART-7431"
NEEDLES = (NAME, "Zonneveld", EMAIL, "fenna.zq", MARKER)


@pytest.fixture
def world(app):
    w = make_world()
    w.fenna = factories.make_user(org=w.org, name=NAME, email=EMAIL)
    factories.make_enrolment(w.fenna, w.course, cohort=w.cohort)
    # a thread only she wrote in, one with a colleague's reply, a reply, a report, a follow, a setting
    w.alone = start(w.space, w.fenna, title=f"Alleen ik {MARKER}", body=f"Tekst {MARKER}")
    w.shared = start(w.space, w.fenna, title=f"Gedeeld {MARKER}", body=f"Opening {MARKER}")
    w.colleague_reply = services.reply(w.shared, w.anna, "Dank je, goed punt.")
    w.other = start(w.space, w.bram, title="Van Bram", body="Bram vraagt iets.")
    w.her_reply = services.reply(w.other, w.fenna, f"Mijn antwoord {MARKER}")
    w.bram_post = posts_of(w.other)[0]
    services.report_post(w.bram_post, w.fenna, f"Melding {MARKER}")
    services.report_post(w.her_reply, w.anna, "Klopt dit?")
    services.set_following(w.other, w.fenna, True)
    services.set_mail_mode(w.fenna, MailMode.IMMEDIATE)
    services.reply(w.other, w.bram, "Nog een reactie")  # mails her right away
    services.mark_read(w.other, w.fenna, posts_of(w.other))
    return w


def test_the_needles_are_there_before_erasure(world):
    found = where_found(NEEDLES)
    for column in ("discussion_post.body", "discussion_thread.title", "discussion_report.reason"):
        assert MARKER in found[column], column


def test_erasure_leaves_nothing_of_the_person_in_the_discussion(world, login_as):
    alone_id = world.alone.id
    erase_account(world.fenna)
    db.session.expire_all()
    assert where_found(NEEDLES) == {}
    fid = world.fenna.id
    assert db.session.get(DiscussionThread, alone_id) is None, "a thread only she wrote in goes"
    shared = db.session.get(DiscussionThread, world.shared.id)
    assert shared.author_id is None and shared.title == "Onderwerp verwijderd"
    assert [p.body for p in posts_of(shared)] == ["", "Dank je, goed punt."], "the colleague's reply stays"
    her_reply = db.session.get(DiscussionPost, world.her_reply.id)
    assert her_reply.author_id is None and her_reply.deleted_at is not None and her_reply.body == ""
    reports = db.session.scalars(sa.select(DiscussionReport)).all()
    assert [(r.post_id, r.reporter_id, r.reason) for r in reports] == [(world.bram_post.id, None, "")], \
        "her own report stays for the trainer without reason or reporter; the one on her post goes"
    for model in (DiscussionRead, DiscussionFollow, DiscussionSetting):
        assert db.session.scalars(sa.select(model).where(model.user_id == fid)).all() == []
    html = login_as(world.anna).get(f"/discussie/draad/{world.shared.public_id}").text
    assert "Verwijderd: de schrijver heeft dit bericht weggehaald." in html and "Dank je, goed punt." in html
    assert NAME not in html


def test_the_export_holds_her_own_posts_and_reports(world, login_as):
    response = login_as(world.fenna).get("/mijn-account/mijn-gegevens.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("mijn-gegevens.json"))["discussion"]
    assert [p["text"] for p in data["posts"]] == [f"Tekst {MARKER}", f"Opening {MARKER}", f"Mijn antwoord {MARKER}"]
    assert data["posts"][0]["started_thread"] is True and data["posts"][2]["thread"] == "Van Bram"
    assert [r["reason"] for r in data["reports"]] == [f"Melding {MARKER}"]
    assert "Van Bram" in data["following"] and data["mail"] == "immediate"
    assert "Bram vraagt iets." not in json.dumps(data), "nobody else's posts"
    html = archive.read("mijn-gegevens.html").decode()
    assert "Je berichten in discussies" in html and f"Mijn antwoord {MARKER}" in html
