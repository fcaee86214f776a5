"""Attendance at live sessions (issue 13): the session's own trainers and the platform
admins; a trainer of another session (even of the same course, even the cohort's
trainer), organisation admins and learners get 404, visitors the login page."""
from . import Row, only


def prepare(w):
    from tests.factories_attendance import make_session, register

    # In-company session of world.cohort, given by `trainer`; a public one given by `other_trainer`.
    w.live_session = make_session(w.course, cohort=w.cohort, trainers=[w.trainer], title="Matrix-sessie")
    w.other_live_session = make_session(w.course, trainers=[w.other_trainer], title="Andere sessie")
    w.registration = register(w.learner, w.live_session)
    register(w.other_learner, w.other_live_session)


def _session(w, suffix="/aanwezigheid"):
    return f"/sessies/{w.live_session.public_id}{suffix}"


def theirs(ok=200):
    return only("trainer", "admin", ok=ok, denied=404)


ROWS = [
    Row("attendance.index", lambda w: "/aanwezigheid", only("trainer", "other_trainer", "admin"),
        note="the trainer's own sessions; trainers and admins only"),
    Row("attendance.take", lambda w: _session(w), theirs()),
    Row("attendance.take", lambda w: f"/sessies/{w.other_live_session.public_id}/aanwezigheid",
        only("other_trainer", "admin", denied=404), id="GET attendance.take (another trainer's session)"),
    Row("attendance.take", lambda w: "/sessies/bestaat-niet/aanwezigheid", only(denied=404, admin=404),
        id="GET attendance.take (unknown)"),
    Row("attendance.take", lambda w: _session(w), theirs(302), method="POST",
        data=lambda w: {f"status-{w.registration.public_id}": "present"}),
    Row("attendance.sheet_pdf", lambda w: _session(w, "/tekenlijst.pdf"), theirs(),
        note="names and registration numbers"),
    Row("attendance.export_csv", lambda w: _session(w, "/presentielijst.csv"), theirs()),
]
