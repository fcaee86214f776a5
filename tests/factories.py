"""Plain factory functions for test data. Each commits, like a finished action would."""
from course.auth.passwords import hash_password
from course.extensions import db
from course.models import Membership, MembershipRole, Organisation, Role, User

PASSWORD = "correct horse battery"
_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_user(role="learner", email=None, name=None, org=None, org_role="member", password=PASSWORD,
              locale="nl", **fields) -> User:
    n = _next()
    user = User(email=(email or f"user{n}@example.org").lower(), name=name or f"Gebruiker {n}",
                role=Role(role), locale=locale, password_hash=hash_password(password), **fields)
    db.session.add(user)
    if org is not None:
        db.session.add(Membership(user=user, organisation=org, role=MembershipRole(org_role)))
    db.session.commit()
    return user


def make_organisation(name=None, **fields) -> Organisation:
    org = Organisation(name=name or f"Organisatie {_next()}", **fields)
    db.session.add(org)
    db.session.commit()
    return org
