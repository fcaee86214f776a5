"""Database invariants that no request may break, checked by the fuzz lane after each
hostile example: versions numbered 1..n without gaps or twins, statuses that match the
versions and reviews, seats within the licence, valid foreign keys (SQLite only checks
them when asked; PostgreSQL always enforces them)."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Review, SeatLicence, Submission, SubmissionStatus, SubmissionVersion


def problems() -> list[str]:
    db.session.expire_all()
    return [*_version_numbers(), *_statuses(), *_seats(), *_live_session_places(), *_foreign_keys()]


def _version_numbers() -> list[str]:
    rows = db.session.execute(sa.select(SubmissionVersion.submission_id, SubmissionVersion.number)).all()
    numbers: dict[int, list[int]] = {}
    for submission_id, number in rows:
        numbers.setdefault(submission_id, []).append(number)
    return [f"submission {sid}: versions {sorted(n)}" for sid, n in numbers.items()
            if sorted(n) != list(range(1, len(n) + 1))]


def _statuses() -> list[str]:
    versions = sa.select(sa.func.count()).where(SubmissionVersion.submission_id == Submission.id) \
        .correlate(Submission).scalar_subquery()
    reviewed = sa.select(sa.func.count()).select_from(Review).join(SubmissionVersion) \
        .where(SubmissionVersion.submission_id == Submission.id).correlate(Submission).scalar_subquery()
    found = []
    for submission_id, status, n_versions, n_reviews in db.session.execute(
            sa.select(Submission.id, Submission.status, versions, reviewed)):
        if status == SubmissionStatus.DRAFT and n_versions:
            found.append(f"submission {submission_id}: draft with {n_versions} versions")
        if status != SubmissionStatus.DRAFT and not n_versions:
            found.append(f"submission {submission_id}: {status} without a version")
        if status == SubmissionStatus.SUBMITTED and n_reviews >= n_versions > 0:
            found.append(f"submission {submission_id}: waiting, yet every version is reviewed")
        if status in (SubmissionStatus.APPROVED, SubmissionStatus.REVISION_REQUESTED) and n_reviews != n_versions:
            found.append(f"submission {submission_id}: {status} with {n_reviews} reviews of {n_versions} versions")
    return found


def _seats() -> list[str]:
    return [f"licence {lid}: {used} of {seats} seats" for lid, seats, used in db.session.execute(
        sa.select(SeatLicence.id, SeatLicence.seats, SeatLicence.seats_used)) if not 0 <= used <= seats]


def _live_session_places() -> list[str]:
    """Live sessions (issue 13): never more places given than the capacity, and
    nobody waiting while an upcoming session has a free place."""
    from course.models import LiveSession, RegistrationStatus, SessionRegistration, SessionStatus, utcnow

    def count(status):
        return (sa.select(sa.func.count(SessionRegistration.id))
                .where(SessionRegistration.session_id == LiveSession.id, SessionRegistration.status == status)
                .correlate(LiveSession).scalar_subquery())

    found = []
    for session in db.session.execute(sa.select(LiveSession.id, LiveSession.capacity, LiveSession.status,
                                                count(RegistrationStatus.REGISTERED),
                                                count(RegistrationStatus.WAITING))):
        sid, capacity, status, taken, waiting = session
        if taken > capacity:
            found.append(f"live session {sid}: {taken} places of {capacity}")
        starts = db.session.get(LiveSession, sid).starts_at
        if status == SessionStatus.SCHEDULED and waiting and taken < capacity and starts and starts > utcnow():
            found.append(f"live session {sid}: {waiting} waiting while {capacity - taken} places are free")
    return found


def _foreign_keys() -> list[str]:
    if db.session.get_bind().dialect.name != "sqlite":
        return []
    return [f"foreign key: {tuple(row)}" for row in db.session.execute(sa.text("PRAGMA foreign_key_check"))]
