"""`flask demo seed`: the demo accounts exist, log in and land on their own page; running it twice changes nothing."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Membership, Organisation, User

DEMO_LANDINGS = {
    "admin@example.org": "/beheer",
    "trainer@example.org": "/beoordelen",
    "orgadmin@example.org": "/organisatie",
    "leerling@example.org": "/mijn-leren",
    "afgerond@example.org": "/mijn-leren",
}


def _counts():
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in db.Model.__subclasses__() if hasattr(model, "__table__")}


def test_seed_creates_the_demo_accounts_and_is_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    after_first = _counts()
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert _counts() == after_first, "a second run creates nothing new"
    emails = set(db.session.scalars(sa.select(User.email)))
    assert set(DEMO_LANDINGS) <= emails
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Stichting Welzijn Voorbeeld"))
    admins = db.session.scalars(sa.select(Membership).where(Membership.organisation_id == org.id,
                                                             Membership.role == "admin")).all()
    assert "orgadmin@example.org" in {m.user.email for m in admins}


def test_demo_accounts_log_in_and_land_on_their_page(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["content", "load"])
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    for email, landing in DEMO_LANDINGS.items():
        client = app.test_client()
        response = client.post("/inloggen", data={"email": email, "password": "welzijn-demo"})
        assert response.status_code == 302 and response.headers["Location"] == landing, email
        assert client.get(landing).status_code == 200, email


def test_no_demo_accounts_without_the_seed(app):
    assert db.session.scalar(sa.select(User).where(User.email == "admin@example.org")) is None
