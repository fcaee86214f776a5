"""The demo seed shows learning together (issue 14): a published team plan for Team Noord,
a discussion thread with the trainer's answer, and an answered check-in that appears
in the workbook. A second run creates nothing new."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Cohort, DiscussionPost, DiscussionThread, FollowupCheckin, TeamPlan, TeamPlanEntry, User


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (TeamPlan, TeamPlanEntry, DiscussionThread, DiscussionPost, FollowupCheckin)]


def test_the_demo_has_a_team_plan_a_discussion_and_a_check_in_and_a_second_run_adds_nothing(app, login_as, seed_demo):
    assert "Learning-together demo ready" in seed_demo()
    plan = db.session.scalar(sa.select(TeamPlan))
    assert plan.is_published and db.session.scalar(sa.select(sa.func.count(TeamPlanEntry.id))) > 0
    thread = db.session.scalar(sa.select(DiscussionThread))
    posts = db.session.scalar(sa.select(sa.func.count(DiscussionPost.id)).where(DiscussionPost.thread_id == thread.id))
    assert thread.title == "Hoe vaak posten jullie?" and posts == 2
    before = _counts()
    seed_demo()
    db.session.expire_all()
    assert _counts() == before

    org_admin = login_as(db.session.scalar(sa.select(User).where(User.email == "orgadmin@example.org")))
    listing = org_admin.get("/teamplannen").get_data(as_text=True)
    assert "Team Noord" in listing and "Gepubliceerd" in listing
    cohort_id = db.session.get(Cohort, plan.cohort_id).public_id
    assert "Ons socialemediaprotocol (Team Noord)" in org_admin.get(f"/groepen/{cohort_id}/teamplan").get_data(
        as_text=True)
    aziz = login_as(db.session.scalar(sa.select(User).where(User.email == "afgerond@example.org")))
    workbook = aziz.get("/mijn-werkboek/welzijn-2-0").get_data(as_text=True)
    assert "Meer jongeren bij de inloop op woensdag." in workbook
