"""The demo seed. Idempotent: every step looks up before it creates.

Each area contributes a step (a function returning a short report line); the
steps run in order and each commits its own work.
"""
import sqlalchemy as sa

from course.auth.passwords import hash_password
from course.extensions import db
from course.models import Membership, MembershipRole, Organisation, Role, User

DEMO_PASSWORD = "welzijn-demo"  # noqa: S105  (documented demo password)
DEMO_ORG = "Stichting Welzijn Voorbeeld"

ACCOUNTS = [
    # email, name, platform role, organisation role
    ("admin@example.org", "Anouk Admin", Role.ADMIN, None),
    ("trainer@example.org", "Tom Trainer", Role.TRAINER, None),
    ("orgadmin@example.org", "Olga Organisatie", Role.LEARNER, MembershipRole.ADMIN),
    ("leerling@example.org", "Lotte Leerling", Role.LEARNER, MembershipRole.MEMBER),
    ("afgerond@example.org", "Aziz Afgerond", Role.LEARNER, MembershipRole.MEMBER),
]



def get_or_create_org(name: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, contact_name="Olga Organisatie", contact_email="orgadmin@example.org")
        db.session.add(org)
        db.session.flush()
    return org


def get_or_create_user(email: str, name: str, role: Role) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role, locale="nl", password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
    return user


def seed_accounts() -> str:
    org = get_or_create_org(DEMO_ORG)
    for email, name, role, org_role in ACCOUNTS:
        user = get_or_create_user(email, name, role)
        if org_role and not any(m.organisation_id == org.id for m in user.memberships):
            db.session.add(Membership(user=user, organisation=org, role=org_role))
    db.session.commit()
    return f"Demo accounts ready (password: {DEMO_PASSWORD})."


def seed_all() -> list[str]:
    """Accounts first; then each area's step, in this order, each committing its own work."""
    from . import attendance, badges, learning, review, sessions, teams, together

    steps = (learning, review, teams, badges, sessions, attendance, together)
    return [seed_accounts()] + [step.seed() for step in steps]
