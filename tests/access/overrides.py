"""Trainer overrides on the learner page: the learner's own trainers and admins;
the other trainer gets 404, non-trainers 403."""
from datetime import date, timedelta

from course.extensions import db
from course.models import Override, OverrideKind

from . import Row, only

# Moving a feedback date needs the review area's waiting submission.
NEEDS = ("review",)


def prepare(w):
    w.override = Override(enrolment_id=w.enrolment.id, module_id=w.module.id, kind=OverrideKind.EXTRA_ATTEMPTS,
                          amount=1, reason="Ziek geweest.", actor_id=w.trainer.id)
    db.session.add(w.override)
    db.session.commit()


def scoped(ok=302):
    return only("trainer", "admin", ok=ok, other_trainer=404)


def _move_date(w):
    # tests/access/review.py gives w.enrolment a waiting submission for w.module
    return {"due-module": w.module.slug, "due-new_date": (date.today() + timedelta(days=7)).isoformat(),
            "due-reason": "Trainer ziek."}


ROWS = [
    Row("review.grant_override", lambda w: f"/voortgang/deelnemer/{w.enrolment.public_id}/uitzondering/streefdatum",
        scoped(), method="POST", data=_move_date),
    Row("review.revoke_override",
        lambda w: f"/voortgang/deelnemer/{w.enrolment.public_id}/uitzondering/{w.override.public_id}/intrekken",
        scoped(), method="POST"),
]
