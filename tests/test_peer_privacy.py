"""Peer feedback and the person's rights: erasure removes what they wrote and what was
written on their work (walked over every text column, as tests/test_privacy_erasure.py
does), keeps the counts; the data export holds their peer feedback, given and received."""
import io
import json
import zipfile

import sqlalchemy as sa

from course.extensions import db
from course.models import PeerConsent, PeerReview, PeerReviewStatus
from course.peer import services
from course.privacy import erasure
from tests.factories_peer import peer_cohort, submit
from tests.test_privacy_erasure import where_found

NAME = "Fenna Zonneveld-Quist"
MARKER = "ZWALUWSTAART-7431"


def _world():
    """Fenna gives feedback to one colleague and receives it from another; one more
    allocation to her work stays open."""
    world = peer_cohort(learners=4, per_learner=1, names=[NAME, "Bram Bos", "Cor Claes", "Dirk Dekker"])
    fenna, bram, cor, dirk = world.enrolments
    for enrolment in world.enrolments:
        submit(enrolment, world.module, text=f"{MARKER} mijn werk" if enrolment is fenna else "Ons werk.")
    given = services.allocate_next(fenna, world.module)
    services.give_feedback(given, fenna.user, f"{MARKER} sterk, groet {NAME}", f"{MARKER} scherper", {})
    for colleague in (bram, cor, dirk):
        review = services.allocate_next(colleague, world.module)
        if review.author_enrolment_id == fenna.id and not db.session.scalar(sa.select(PeerReview).where(
                PeerReview.author_enrolment_id == fenna.id, PeerReview.status == PeerReviewStatus.GIVEN)):
            services.give_feedback(review, colleague.user, f"Over {NAME}: {MARKER}", "Korter.", {})
    return world


def test_erasure_removes_peer_feedback_texts_by_and_on_the_person(app):
    world = _world()
    fenna = world.enrolments[0]
    before = where_found((NAME, MARKER))
    assert {"peer_review.strengths", "peer_review.improvements", "submission_version.fields",
            "outbox_mail.body_text"} <= set(before), before
    received_before = db.session.scalar(sa.select(sa.func.count()).select_from(PeerReview).where(
        PeerReview.author_enrolment_id == fenna.id, PeerReview.status == PeerReviewStatus.GIVEN))
    given_before = db.session.scalar(sa.select(sa.func.count()).select_from(PeerReview).where(
        PeerReview.reviewer_enrolment_id == fenna.id))
    assert received_before == 1 and given_before == 1

    erasure.erase_user(fenna.user)
    db.session.commit()
    # Nothing she wrote, nothing written on her work, no mail naming her as reviewer.
    assert where_found((NAME, "Zonneveld", MARKER)) == {}
    rows = db.session.scalars(sa.select(PeerReview).where(sa.or_(
        PeerReview.author_enrolment_id == fenna.id, PeerReview.reviewer_enrolment_id == fenna.id))).all()
    assert all(r.status == PeerReviewStatus.GIVEN and r.strengths == "" == r.improvements for r in rows)
    assert len(rows) == 2, "the given reviews stay as rows: the trainer's counts do not change"
    assert not db.session.scalar(sa.select(PeerConsent.consented).join(
        PeerReview, PeerReview.submission_id == PeerConsent.submission_id).where(
        PeerReview.author_enrolment_id == fenna.id).limit(1))


def test_colleague_work_is_never_allocated_from_an_erased_account(app):
    world = peer_cohort(learners=2)
    erased, other = world.enrolments
    submit(erased, world.module)
    submit(other, world.module)
    erasure.erase_user(erased.user)
    db.session.commit()
    try:
        services.allocate_next(other, world.module)
    except services.NothingToReview:
        pass
    else:
        raise AssertionError("an erased person's work was allocated")


def test_the_export_holds_the_peer_feedback_given_and_received(app, login_as):
    world = _world()
    response = login_as(world.users[0]).get("/mijn-account/mijn-gegevens.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("mijn-gegevens.json"))
    peer = data["peer_feedback"]
    assert [g["strengths"] for g in peer["given"]] == [f"{MARKER} sterk, groet {NAME}"]
    assert [r["strengths"] for r in peer["received"]] == [f"Over {NAME}: {MARKER}"]
    assert [c["consented"] for c in peer["consents"]] == [True]
    names = {"Bram Bos", "Cor Claes", "Dirk Dekker"}
    assert not any(name in json.dumps(peer) for name in names), "colleagues are not named"
    html = archive.read("mijn-gegevens.html").decode()
    assert "Collegafeedback" in html and f"Over {NAME}: {MARKER}" in html
    other = json.loads(zipfile.ZipFile(io.BytesIO(
        login_as(world.users[3]).get("/mijn-account/mijn-gegevens.zip").data)).read("mijn-gegevens.json"))
    assert f"{MARKER} sterk, groet" not in json.dumps(other["peer_feedback"]["given"])
