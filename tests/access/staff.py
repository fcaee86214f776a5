"""Course staff pages (issue 17): platform admins only; everyone else 403, visitors to the login page."""
from course.extensions import db
from course.models import CourseAuthor, CourseTrainer
from tests import factories

from . import Row, only


def prepare(w):
    w.course_trainer = factories.make_user(role="trainer", name="Cursus Trainer")
    w.course_author = factories.make_user(name="Cursus Auteur")
    db.session.add_all([CourseTrainer(course_id=w.course.id, user_id=w.course_trainer.id),
                        CourseAuthor(course_id=w.course.id, user_id=w.course_author.id)])
    db.session.commit()


def admin(ok=200):
    return only("admin", ok=ok)


def staff(w, suffix=""):
    return f"/beheer/cursussen/{w.course.slug}{suffix}"


ROWS = [
    Row("staff.courses", lambda w: "/beheer/cursussen", admin()),
    Row("staff.course_staff", lambda w: staff(w), admin()),
    Row("staff.course_staff", lambda w: "/beheer/cursussen/bestaat-niet", admin(404),
        id="GET staff.course_staff (unknown)"),
    Row("staff.add_trainer", lambda w: staff(w, "/trainers"), admin(302), method="POST",
        data=lambda w: {"trainer-email": w.other_trainer.email}),
    Row("staff.remove_trainer", lambda w: staff(w, f"/trainers/{w.course_trainer.public_id}/verwijderen"),
        admin(302), method="POST"),
    Row("staff.add_author", lambda w: staff(w, "/auteurs"), admin(302), method="POST",
        data=lambda w: {"author-email": w.trainer.email}),
    Row("staff.remove_author", lambda w: staff(w, f"/auteurs/{w.course_author.public_id}/verwijderen"),
        admin(302), method="POST"),
    Row("staff.save_setting", lambda w: staff(w, "/instelling"), admin(302), method="POST",
        data=lambda w: {"course_trainers_see_cohorts": "y"}),
]
