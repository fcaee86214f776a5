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


# ---- content -------------------------------------------------------------

def quiz_json(prefix: str = "q") -> dict:
    """A three-question quiz in the loaded (JSON) form: single, multiple, true/false."""
    return {
        "pass_mark": None,
        "questions": [
            {"id": f"{prefix}1", "type": "single", "text_html": "<p>Eén antwoord?</p>", "options": [
                {"id": "a", "text_html": "Goed", "correct": True, "feedback_html": "Klopt."},
                {"id": "b", "text_html": "Fout", "correct": False, "feedback_html": "Nee."},
                {"id": "c", "text_html": "Ook fout", "correct": False, "feedback_html": "Nee."},
            ]},
            {"id": f"{prefix}2", "type": "multiple", "text_html": "<p>Meerdere?</p>", "options": [
                {"id": "a", "text_html": "Ja 1", "correct": True, "feedback_html": "Klopt."},
                {"id": "b", "text_html": "Ja 2", "correct": True, "feedback_html": "Klopt."},
                {"id": "c", "text_html": "Nee", "correct": False, "feedback_html": "Nee."},
            ]},
            {"id": f"{prefix}3", "type": "truefalse", "text_html": "<p>Waar?</p>", "options": [
                {"id": "waar", "text_html": "Waar", "correct": True, "feedback_html": "Klopt."},
                {"id": "niet-waar", "text_html": "Niet waar", "correct": False, "feedback_html": "Nee."},
            ]},
        ],
    }


def assignment_json(title: str = "Opdracht") -> dict:
    levels = [
        {"id": "onvoldoende", "title": "Onvoldoende", "points": 0, "description": "Nog niet."},
        {"id": "voldoende", "title": "Voldoende", "points": 1, "description": "In orde."},
        {"id": "goed", "title": "Goed", "points": 2, "description": "Sterk."},
    ]
    return {
        "title": title,
        "prompt_html": "<p>Schrijf je plan.</p>",
        "fields": [
            {"id": "doelgroep", "label": "Doelgroep", "help": "Voor wie?", "max_length": 2000},
            {"id": "boodschap", "label": "Kernboodschap", "help": "Wat?", "max_length": 2000},
        ],
        "rubric": [
            {"id": "helderheid", "title": "Helderheid", "description": "Is het helder?", "levels": levels},
            {"id": "haalbaarheid", "title": "Haalbaarheid", "description": "Is het haalbaar?", "levels": levels},
            {"id": "samenhang", "title": "Samenhang", "description": "Hangt het samen?", "levels": levels},
        ],
    }


def make_course(slug=None, modules=2, sequential=True, open_enrolment=True, **fields):
    """A small course built directly as rows (no files), with `modules` complete modules."""
    from course.models import Course, CourseModule

    n = _next()
    course = Course(slug=slug or f"cursus-{n}", title=fields.pop("title", f"Cursus {n}"),
                    sequential=sequential, open_enrolment=open_enrolment, study_hours=4,
                    content_version="v1", issuer="Leerlijn", **fields)
    db.session.add(course)
    for i in range(1, modules + 1):
        db.session.add(CourseModule(
            course=course, slug=f"module-{i}", position=i, title=f"Module {i}",
            reading_html=f"<h2>Lezen {i}</h2><p>Tekst.</p>", remember=[f"Onthoud {i}."],
            quiz=quiz_json(f"m{i}q"), assignment=assignment_json(f"Opdracht {i}"), content_version="v1",
        ))
    db.session.commit()
    return course


def make_cohort(organisation, course, name=None, trainers=(), **fields):
    from course.models import Cohort

    cohort = Cohort(organisation=organisation, course=course, name=name or f"Groep {_next()}", **fields)
    cohort.trainers.extend(trainers)
    db.session.add(cohort)
    db.session.commit()
    return cohort


def assign_course_trainer(course, trainer):
    from course.models import CourseTrainer

    db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
    db.session.commit()


def make_enrolment(user, course, cohort=None, **fields):
    from course.models import Enrolment

    enrolment = Enrolment(user=user, course=course, cohort=cohort, **fields)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment
