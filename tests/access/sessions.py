"""Live sessions (issue 13). A public session is seen by everyone; the in-company
session of `world.cohort` only by its members, its organisation's admin, its trainer
and platform admins (everyone else 404, as for another organisation's objects).
Planning is for platform admins and course trainers; editing for those who manage
the session."""
from datetime import timedelta

from course.live import feeds
from course.models import utcnow
from tests.factories_sessions import make_live_session

from . import LOGIN, Row, everyone, logged_in, only

ROLES_SEEING_COMPANY = ("learner", "trainer", "org_admin", "admin")


def prepare(w):
    w.live_public = make_live_session(w.course, title="Open sessie", capacity=5)
    w.live_company = make_live_session(w.course, cohort=w.cohort, title="Teamsessie", capacity=5)
    w.live_other_company = make_live_session(w.course, cohort=w.other_cohort, title="Andere teamsessie")
    w.feed_token = feeds.new_feed(w.learner)


def company(ok=200, anonymous=404, **overrides):
    """The in-company session: `ok` for who sees it, 404 for the rest."""
    return only(*ROLES_SEEING_COMPANY, ok=ok, denied=404, anonymous=anonymous, **overrides)


def managers(ok=302, anonymous=LOGIN):
    """Managing the in-company session: its cohort trainer and platform admins; 404 for the rest."""
    return only("trainer", "admin", ok=ok, denied=404, anonymous=anonymous)


def _session_form(w, **extra):
    day = (utcnow() + timedelta(days=40)).date()
    return {"course": w.course.slug, "cohort": "public", "title": "Matrixsessie", "parts-0-day": day.isoformat(),
            "parts-0-starts": "09:00", "parts-0-ends": "12:00", "place": "Zaal 1", "capacity": "10",
            "deadline_day": (day - timedelta(days=3)).isoformat(), "deadline_time": "12:00", **extra}


def s(session, suffix=""):
    return f"/sessies/{session.public_id}{suffix}"


ROWS = [
    Row("live.detail", lambda w: s(w.live_public), everyone()),
    Row("live.detail", lambda w: s(w.live_company), company(), id="GET live.detail (in-company)"),
    Row("live.detail", lambda w: s(w.live_other_company),
        only("other_learner", "other_trainer", "other_org_admin", "admin", denied=404, anonymous=404),
        id="GET live.detail (other organisation's in-company)"),
    Row("live.detail", lambda w: "/sessies/bestaat-niet", everyone(404), id="GET live.detail (unknown)"),
    Row("live.sign_up", lambda w: s(w.live_public, "/aanmelden"), logged_in()),
    Row("live.sign_up", lambda w: s(w.live_company, "/aanmelden"), company(anonymous=LOGIN),
        id="GET live.sign_up (in-company)"),
    Row("live.sign_up", lambda w: s(w.live_public, "/aanmelden"), logged_in(302), method="POST"),
    Row("live.sign_up", lambda w: s(w.live_company, "/aanmelden"), company(302, anonymous=LOGIN), method="POST",
        id="POST live.sign_up (in-company)", note="the org admin and trainer are refused with a message"),
    Row("live.cancel_registration", lambda w: s(w.live_public, "/afmelden"), logged_in(302), method="POST"),
    Row("live.cancel_registration", lambda w: s(w.live_other_company, "/afmelden"),
        only("other_learner", "other_trainer", "other_org_admin", "admin", ok=302, denied=404),
        method="POST", id="POST live.cancel_registration (other organisation's in-company)"),
    Row("live.download_ics", lambda w: s(w.live_public, "/sessie.ics"), everyone()),
    Row("live.download_ics", lambda w: s(w.live_company, "/sessie.ics"), company(),
        id="GET live.download_ics (in-company)"),
    Row("live.feed", lambda w: f"/agenda/{w.feed_token}.ics", everyone()),
    Row("live.feed", lambda w: "/agenda/geraden-token.ics", everyone(404), id="GET live.feed (wrong token)"),
    Row("live.my_sessions", lambda w: "/mijn-sessies", logged_in()),
    Row("live.new_feed", lambda w: "/mijn-sessies/agenda", logged_in(), method="POST"),
    Row("live.revoke_feed", lambda w: "/mijn-sessies/agenda/intrekken", logged_in(302), method="POST"),
    Row("live.planning", lambda w: "/sessies",
        only("trainer", "other_trainer", "org_admin", "other_org_admin", "admin")),
    Row("live.create", lambda w: "/sessies/nieuw", only("admin"),
        note="trainers of no course have no course to plan for: 403"),
    Row("live.create", lambda w: "/sessies/nieuw", only("admin", ok=302), method="POST", data=_session_form),
    Row("live.edit", lambda w: s(w.live_company, "/bewerken"), managers(200)),
    Row("live.edit", lambda w: s(w.live_public, "/bewerken"), only("admin", denied=404),
        id="GET live.edit (public)", note="a cohort trainer does not manage public sessions"),
    Row("live.edit", lambda w: s(w.live_company, "/bewerken"), managers(), method="POST",
        data=lambda w: _session_form(w, version="1")),
    Row("live.cancel", lambda w: s(w.live_company, "/annuleren"), managers(), method="POST"),
    Row("live.duplicate", lambda w: s(w.live_company, "/dupliceren"), managers(), method="POST"),
    # audit13: a manager takes someone off the list (a made-up registration: a message, no change).
    Row("live.remove_participant", lambda w: s(w.live_company, "/deelnemers/bestaat-niet/afmelden"), managers(),
        method="POST"),
    Row("live.remove_participant", lambda w: s(w.live_other_company, "/deelnemers/bestaat-niet/afmelden"),
        only("other_trainer", "admin", ok=302, denied=404, anonymous=LOGIN), method="POST",
        id="POST live.remove_participant (other organisation's in-company)"),
]
