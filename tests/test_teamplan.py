"""The team plan (issue 14): composed by the group's trainer from approved work of
colleagues who agreed to share it; read by the group and the organisation admin."""
import pytest
import sqlalchemy as sa

from course import permissions
from course.errors import DomainError
from course.extensions import db
from course.models import AuditEvent, TeamPlan, TeamPlanConsent, TeamPlanEntry
from course.permissions import TeamPlanFacts, composes_team_plan, reads_team_plan
from course.teamplan import documents, queries, services
from tests import factories
from tests.factories_teamplan import key, team_world
from tests.querycount import count_queries


def _compose(w, **choices):
    return services.save_plan(w.cohort, w.trainer, "", "Zo doen wij het bij **Zorgzaam**.", choices)


def test_truth_table_of_reading_and_composing():
    assert reads_team_plan(TeamPlanFacts(platform_admin=True))
    assert reads_team_plan(TeamPlanFacts(cohort_trainer=True))  # the draft too
    assert not reads_team_plan(TeamPlanFacts(member=True)), "a draft is the trainer's"
    assert not reads_team_plan(TeamPlanFacts(org_admin=True))
    assert reads_team_plan(TeamPlanFacts(member=True, published=True))
    assert reads_team_plan(TeamPlanFacts(org_admin=True, published=True))
    assert not reads_team_plan(TeamPlanFacts(published=True)), "another group or organisation"
    assert composes_team_plan(TeamPlanFacts(cohort_trainer=True))
    assert not composes_team_plan(TeamPlanFacts(member=True, org_admin=True, published=True))


def test_only_approved_work_of_colleagues_who_share_can_be_chosen(app):
    w = team_world()
    found = queries.contributions(w.cohort)
    authors = {c.author for c in found[(w.module.id, "doelgroep")]}
    assert authors == {"Anna Altena", "Bram Bos"}, "not Chris (no consent), not Dirk (not approved)"
    with pytest.raises(DomainError):
        _compose(w, **{key(w.module, "doelgroep"): w.e_chris.public_id})
    with pytest.raises(DomainError):
        _compose(w, **{"999:doelgroep": w.e_anna.public_id})
    assert db.session.scalars(sa.select(TeamPlanEntry)).all() == [], "nothing stored from a refused save"


def test_the_composed_plan_credits_its_authors_in_html_markdown_and_pdf(app):
    w = team_world()
    _compose(w, **{key(w.module, "doelgroep"): w.e_bram.public_id, key(w.module, "boodschap"): w.e_anna.public_id})
    book = queries.compile_plan(w.cohort)
    first = book.chapters[0]
    assert [(s.label, s.chosen.author) for s in first.sections] == [("Doelgroep", "Bram Bos"),
                                                                      ("Kernboodschap", "Anna Altena")]
    assert book.contributors == ["Anna Altena", "Bram Bos"]
    assert book.chapters[1].sections[0].chosen is None
    markdown = documents.to_markdown(book)
    assert "# Social-media protocol of Stichting Zorgzaam" in markdown or "Socialemediaprotocol" in markdown
    assert "Bram: jongeren tot 23." in markdown and "Bram Bos" in markdown and "Chris" not in markdown
    assert "Zo doen wij het bij **Zorgzaam**." in markdown
    pdf = documents.to_pdf(book)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_withdrawing_consent_takes_the_text_out_of_the_plan(app):
    w = team_world()
    _compose(w, **{key(w.module, "doelgroep"): w.e_bram.public_id})
    plan = queries.plan_for(w.cohort)
    before = plan.updated_at
    assert services.withdraw_consent(w.e_bram) == 1
    db.session.expire_all()
    book = queries.compile_plan(w.cohort)
    assert book.chapters[0].sections[0].chosen is None
    assert "Bram" not in documents.to_markdown(book)
    assert db.session.get(TeamPlanConsent, w.e_bram.id) is None
    assert queries.plan_for(w.cohort).updated_at >= before
    services.give_consent(w.e_bram)
    assert queries.compile_plan(w.cohort).chapters[0].sections[0].chosen is None, "a new consent is no new choice"


def test_publishing_and_updating_a_published_plan_are_audited(app):
    w = team_world()
    _compose(w, **{key(w.module, "doelgroep"): w.e_anna.public_id})
    assert db.session.scalars(sa.select(AuditEvent)).all() == [], "a draft is not yet an event"
    services.set_published(w.cohort, w.trainer, True)
    _compose(w, **{key(w.module, "doelgroep"): w.e_bram.public_id})
    services.set_published(w.cohort, w.trainer, False)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["teamplan.published", "teamplan.updated", "teamplan.withdrawn"]
    assert {e.actor_id for e in events} == {w.trainer.id} and {e.organisation_id for e in events} == {w.org.id}
    assert events[0].details == {"chapters": 1}


def test_who_reads_a_draft_and_a_published_plan(app):
    w = team_world()
    other_org = factories.make_organisation()
    other_admin = factories.make_user(org=other_org, org_role="admin")
    other_cohort = factories.make_cohort(w.org, w.course, trainers=[factories.make_user(role="trainer")])
    outsider = factories.make_user(org=w.org)
    factories.make_enrolment(outsider, w.course, cohort=other_cohort)
    _compose(w)
    plan = queries.plan_for(w.cohort)
    assert permissions.can_read_team_plan(w.trainer, w.cohort, plan)
    assert not permissions.can_read_team_plan(w.anna, w.cohort, plan)
    assert not permissions.can_read_team_plan(w.org_admin, w.cohort, plan)
    services.set_published(w.cohort, w.trainer, True)
    plan = queries.plan_for(w.cohort)
    assert permissions.can_read_team_plan(w.chris, w.cohort, plan), "the whole group reads it"
    assert permissions.can_read_team_plan(w.org_admin, w.cohort, plan)
    assert not permissions.can_read_team_plan(other_admin, w.cohort, plan)
    assert not permissions.can_read_team_plan(outsider, w.cohort, plan), "another group of the same organisation"
    assert not permissions.can_compose_team_plan(w.org_admin, w.cohort)
    assert not permissions.can_compose_team_plan(w.anna, w.cohort)


def test_the_pages_as_trainer_member_and_org_admin(app, login_as):
    w = team_world()
    trainer = login_as(w.trainer)
    page = trainer.get(f"/groepen/{w.cohort.public_id}/teamplan/samenstellen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Anna: mantelzorgers in Noord." in html and "GEHEIM-NIET-GEDEELD" not in html
    assert "NOG-NIET-GOEDGEKEURD" not in html
    data = {"title": "Ons protocol", "intro_md": "Welkom, team.", "choice_0": w.e_anna.public_id,
            "choice_1": w.e_bram.public_id, "choice_2": "", "choice_3": ""}
    assert trainer.post(f"/groepen/{w.cohort.public_id}/teamplan/samenstellen", data=data).status_code == 302
    assert login_as(w.anna).get(f"/groepen/{w.cohort.public_id}/teamplan").status_code == 404, "not published"
    assert trainer.post(f"/groepen/{w.cohort.public_id}/teamplan/publiceren").status_code == 302
    for reader in (w.org_admin, w.chris):
        response = login_as(reader).get(f"/groepen/{w.cohort.public_id}/teamplan")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Ons protocol" in html and "Anna: mantelzorgers in Noord." in html and "Bram Bos" in html
        assert "Welkom, team." in html and "GEHEIM-NIET-GEDEELD" not in html
    md = login_as(w.org_admin).get(f"/groepen/{w.cohort.public_id}/teamplan.md")
    assert md.status_code == 200 and "Bram: vraag het ons gewoon." in md.get_data(as_text=True)
    assert md.headers["Content-Disposition"].endswith('.md"')
    pdf = login_as(w.org_admin).get(f"/groepen/{w.cohort.public_id}/teamplan.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    listing = login_as(w.org_admin).get("/teamplannen").get_data(as_text=True)
    assert "Team Noord" in listing


def test_a_bad_choice_answers_with_the_form_not_500(app, login_as):
    w = team_world()
    trainer = login_as(w.trainer)
    url = f"/groepen/{w.cohort.public_id}/teamplan/samenstellen"
    response = trainer.post(url, data={"choice_0": "bestaat-niet", "intro_md": "x" * 30_000})
    assert response.status_code == 400
    assert trainer.post(url, data={"choice_0": w.e_chris.public_id}).status_code == 400, "not among the choices"
    assert db.session.scalars(sa.select(TeamPlanEntry)).all() == []


def test_the_learner_gives_and_withdraws_consent_on_the_workbook_page(app, login_as):
    w = team_world()
    chris = login_as(w.chris)
    page = chris.get(f"/mijn-werkboek/{w.course.slug}").get_data(as_text=True)
    assert "You do not share your work in the team plan." in page or "Je deelt je werk niet" in page
    response = chris.post(f"/werkboek/{w.e_chris.public_id}/delen", data={"share": "1"})
    assert response.status_code == 302
    assert db.session.get(TeamPlanConsent, w.e_chris.id) is not None
    assert "Chris Claes" in {c.author for c in queries.contributions(w.cohort)[(w.module.id, "doelgroep")]}
    chris.post(f"/werkboek/{w.e_chris.public_id}/delen", data={"share": "0"})
    assert db.session.get(TeamPlanConsent, w.e_chris.id) is None
    assert login_as(w.anna).post(f"/werkboek/{w.e_chris.public_id}/delen", data={"share": "1"}).status_code == 404
    assert login_as(w.trainer).post(f"/werkboek/{w.e_chris.public_id}/delen", data={"share": "1"}).status_code == 404
    assert chris.post(f"/werkboek/{w.e_chris.public_id}/delen", data={"share": "misschien"}).status_code == 302
    assert db.session.get(TeamPlanConsent, w.e_chris.id) is None


def test_the_plan_pages_use_a_fixed_number_of_queries(app, login_as):
    from tests.factories_teamplan import approved_work, share

    w = team_world()
    _compose(w, **{key(w.module, "doelgroep"): w.e_anna.public_id})
    services.set_published(w.cohort, w.trainer, True)
    pages = [(login_as(w.org_admin), f"/groepen/{w.cohort.public_id}/teamplan"),
             (login_as(w.org_admin), "/teamplannen"),
             (login_as(w.trainer), f"/groepen/{w.cohort.public_id}/teamplan/samenstellen"),
             (login_as(w.trainer), f"/groepen/{w.cohort.public_id}/teamplan.md")]
    small = []
    for client, url in pages:
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        small.append(counter.count)
    for n in range(6):
        enrolment = factories.make_enrolment(factories.make_user(org=w.org), w.course, cohort=w.cohort)
        approved_work(enrolment, w.module, w.trainer, {"doelgroep": f"Tekst {n}", "boodschap": f"B {n}"})
        share(enrolment)
        factories.make_cohort(w.org, w.course, trainers=[w.trainer])
    for (client, url), before in zip(pages, small, strict=True):
        with count_queries() as counter:
            client.get(url)
        assert counter.count == before, url


def test_erasure_takes_the_person_out_of_the_team_plan_and_the_follow_up(app):
    """The person who did everything shares work in a published plan and answered a
    check-in: the walk finds them there before erasure, and nowhere after it."""
    from course.auth.services import erase_account
    from course.models import FollowupCheckin
    from tests.factories_privacy import MARKER, NAME, NEEDLES, person_who_did_everything
    from tests.test_privacy_erasure import where_found

    world = person_who_did_everything(app)
    found = where_found(NEEDLES)
    assert {"followup_checkin.plan_md", "followup_checkin.goal_md"} <= set(found)
    book = queries.compile_plan(world.cohort)
    assert NAME in book.contributors and MARKER in documents.to_markdown(book)
    erase_account(world.user)
    db.session.expire_all()
    assert where_found(NEEDLES) == {}
    book = queries.compile_plan(world.cohort)
    assert book.contributors == [] and MARKER not in documents.to_markdown(book)
    assert db.session.scalars(sa.select(TeamPlanConsent)).all() == []
    assert db.session.scalar(sa.select(sa.func.count(FollowupCheckin.id))) == 1, "the count stays"


def test_the_audit_page_shows_the_publication(app, login_as):
    w = team_world()
    services.set_published(w.cohort, w.trainer, True)
    admin = login_as(factories.make_user(role="admin"))
    html = admin.get("/beheer/logboek").get_data(as_text=True)
    assert "Teamplan gepubliceerd" in html and "Tineke Trainer" in html


def test_an_introduction_as_long_as_the_page_allows_is_saved(app, login_as):
    """The browser sends a line break as "\r\n" but counts one character against maxlength."""
    from course.teamplan.services import INTRO_MAX

    w = team_world()
    text = "regel\r\n" * (INTRO_MAX // 6 - 1)
    assert len(text.replace("\r\n", "\n")) <= INTRO_MAX < len(text)
    response = login_as(w.trainer).post(f"/groepen/{w.cohort.public_id}/teamplan/samenstellen",
                                        data={"intro_md": text})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(TeamPlan)).intro_md == text.replace("\r\n", "\n").strip()
