"""What is measured: the pages and writes, the login cookie per role (signed with
the bench's SECRET_KEY, CSRF token scripted the way Flask-WTF makes it), and the SQL
statements per request, counted in-process with the test client."""
import hashlib
import json
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urlencode

import sqlalchemy as sa
from flask_login.utils import _create_identifier
from itsdangerous import URLSafeTimedSerializer

from bench.load import USER_AGENT, Request

LEARNER, LIST = "learner", "list"   # which ceiling a page is compared with
REDIRECT = (302, 303)  # a form post that worked redirects; a 200 is the form again, with a message


@dataclass
class Page:
    name: str
    role: str
    path: str
    kind: str  # LEARNER pages vs the template-only ceiling, LIST pages vs the 50-row join


def pages(world: dict) -> list[Page]:
    course, first = world["course_slug"], world["module_slugs"][0]
    cohort, waiting = world["big_cohort"], world["waiting_submissions"][-1]
    return [
        Page("Mijn leren", "learner", "/mijn-leren", LEARNER),
        Page("module page", "learner", f"/mijn-leren/{course}/{first}", LEARNER),
        Page("workbook", "learner", f"/mijn-werkboek/{course}", LEARNER),
        Page("review page", "trainer", f"/beoordelen/{waiting}", LIST),
        Page("review queue", "trainer", "/beoordelen", LIST),
        Page("cohort matrix (500)", "trainer", f"/voortgang/groep/{cohort}", LIST),
        Page("progress CSV (500)", "trainer", f"/voortgang/groep/{cohort}/voortgang.csv", LIST),
        Page("team progress (500)", "org_admin", f"/organisatie/groepen/{cohort}", LIST),
        Page("organisation overview", "org_admin", "/organisatie", LIST),
    ]


class Sessions:
    """Session cookies as the app would set them after a login, with a CSRF token."""

    def __init__(self, app):
        self.app = app
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.csrf_serializer = URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key,
                                                      salt="wtf-csrf-token")
        with app.test_request_context(headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            self.identifier = _create_identifier()
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]

    def headers(self, login_id: str) -> tuple[dict, str]:
        """({Cookie, User-Agent}, the CSRF token for forms) for the user `login_id`."""
        raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324  (Flask-WTF's own token format)
        cookie = self.serializer.dumps({"_user_id": login_id, "_fresh": True, "_id": self.identifier,
                                        "csrf_token": raw})
        return {"Cookie": f"{self.cookie_name}={cookie}", "User-Agent": USER_AGENT}, self.csrf_serializer.dumps(raw)


def count_queries(app, sessions: Sessions, world: dict, page_list: list[Page]) -> dict[str, dict]:
    """SQL statements of one request per page (after one warm-up), and its status."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    client = app.test_client(use_cookies=False)
    results = {}
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        for page in page_list:
            headers, _token = sessions.headers(world[page.role])
            client.get(page.path, headers=headers).close()
            statements.clear()
            response = client.get(page.path, headers=headers)
            response.get_data()
            results[page.name] = {"queries": len(statements), "status": response.status_code}
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return results


# ---- writes ---------------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields of every POST form on a page: name → value (a radio group: its last
    option, which on the review page is "revision requested"; a textarea: a short text;
    a select: the form's n-th select takes its n-th option, so the places of an ordering
    question are all different)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.current: dict[str, str] | None = None
        self.select: str | None = None
        self.options: list[str] = []
        self.selects = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current, self.selects = {}, 0
            self.forms.append(self.current)
        elif tag == "option" and self.select is not None and attrs.get("value"):
            self.options.append(attrs["value"])
        elif self.current is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") == "radio":
            self.current[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") != "submit":  # a checkbox group: its first option
            self.current.setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "textarea":
            self.current[attrs["name"]] = "Bench: werk de doelgroep verder uit."
        elif tag == "select":
            self.select, self.options = attrs["name"], []

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            if self.options and self.current is not None:
                self.current[self.select] = self.options[self.selects % len(self.options)]
                self.selects += 1
            self.select = None


def form_fields(app, sessions: Sessions, login_id: str, path: str) -> dict[str, str]:
    """The page's main form (the POST form with the most fields: not the language switch)."""
    headers, _token = sessions.headers(login_id)
    response = app.test_client(use_cookies=False).get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in-process")
    parser = _FormFields()
    parser.feed(response.get_data(as_text=True))
    return max(parser.forms, key=len) if parser.forms else {}


def quiz_submits(app, sessions: Sessions, world: dict):
    """An endless stream of real quiz attempts: learner after learner, each at their next attempt."""
    course, module = world["course_slug"], world["module_slugs"][0]
    path = f"/mijn-leren/{course}/{module}/quiz"
    answers = {k: v for k, v in form_fields(app, sessions, world["quiz_learners"][0], path).items()
               if k.startswith("q-")}
    logins = [sessions.headers(login_id) for login_id in world["quiz_learners"]]
    for attempt in count(3):
        for headers, token in logins:
            body = urlencode({"csrf_token": token, "attempt": attempt, **answers}).encode()
            yield Request("POST", path, {**headers, "Content-Type": "application/x-www-form-urlencoded"}, body,
                          ok=REDIRECT)


def autosaves(app, sessions: Sessions, world: dict):
    course, module = world["course_slug"], world["module_slugs"][1]
    path = f"/mijn-leren/{course}/{module}/opdracht/autosave"
    form = form_fields(app, sessions, world["autosave_learners"][0], f"/mijn-leren/{course}/{module}/opdracht")
    field_ids = [name.removeprefix("field-") for name in form if name.startswith("field-")]
    logins = [sessions.headers(login_id) for login_id in world["autosave_learners"]]
    for round_number in count():
        for headers, token in logins:
            body = json.dumps({"fields": {f: f"Concept {round_number}: ons plan." for f in field_ids}}).encode()
            yield Request("POST", path, {**headers, "Content-Type": "application/json", "X-CSRFToken": token}, body)


def review_saves(app, sessions: Sessions, world: dict):
    """One decision per waiting submission (a decided one is no longer waiting), so the
    stream ends when the cohort's queue is empty."""
    waiting = list(world["waiting_submissions"][:-1])  # the last one stays: it is the review page measured
    headers, token = sessions.headers(world["trainer"])
    form = form_fields(app, sessions, world["trainer"], f"/beoordelen/{waiting[0]}")
    form = {k: v for k, v in form.items() if k != "save_next"}
    form.update({"csrf_token": token, "decision": "revision_requested",
                 "feedback_md": "Bench: werk de doelgroep verder uit."})
    body = urlencode(form).encode()
    for public_id in waiting:
        yield Request("POST", f"/beoordelen/{public_id}",
                      {**headers, "Content-Type": "application/x-www-form-urlencoded"}, body, ok=REDIRECT)


SIGN_UP_SESSIONS, SIGN_UP_CAPACITY = 6, 100


def session_sign_ups(app, sessions: Sessions, world: dict):
    """Live-session sign-ups (issue 13): the big cohort's learners one after another on
    public sessions of 100 places, so the first 100 get a place (with the confirmation
    mail and its .ics) and the rest go on the waiting list; then the next session. Every
    request is a real sign-up; the stream ends after SIGN_UP_SESSIONS sessions."""
    from datetime import timedelta

    from course.extensions import db
    from course.models import Course, LiveSession, SessionPart, utcnow

    start = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    with app.app_context():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == world["course_slug"]))
        public_ids = []
        for number in range(SIGN_UP_SESSIONS):
            live = LiveSession(course_id=course_id, title=f"Bench-sessie {number + 1}", place="Utrecht",
                               capacity=SIGN_UP_CAPACITY, registration_deadline=start - timedelta(days=1),
                               parts=[SessionPart(starts_at=start, ends_at=start + timedelta(hours=3))])
            db.session.add(live)
            db.session.flush()
            public_ids.append(live.public_id)
        db.session.commit()
        db.session.remove()
    logins = [sessions.headers(login_id) for login_id in world["quiz_learners"]]
    for public_id in public_ids:
        for headers, token in logins:
            yield Request("POST", f"/sessies/{public_id}/aanmelden",
                          {**headers, "Content-Type": "application/x-www-form-urlencoded"},
                          urlencode({"csrf_token": token}).encode(), ok=REDIRECT)


WRITES = {"quiz submit": quiz_submits, "autosave": autosaves, "review save": review_saves,
          "session sign-up": session_sign_ups}

