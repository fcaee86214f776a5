"""Cohort discussion (issue 14): threads and replies per module and group, editing and
deleting one's own posts, reports to the trainer, moderation, unread markers and
following, and who may read what."""
import itertools

import pytest
import sqlalchemy as sa

from course import permissions
from course.discussion import services
from course.extensions import db
from course.models import AuditEvent, DiscussionFollow, DiscussionReport, DiscussionThread
from course.permissions import DiscussionFacts, PostFacts
from tests.factories_discussion import list_url, make_world, posts_of, start
from tests.querycount import count_queries


@pytest.fixture
def w(app):
    return make_world()


# ---- the policy's truth table (pure, no database) --------------------------------------


def test_the_discussion_truth_table():
    for member, trains in itertools.product([False, True], repeat=2):
        facts = DiscussionFacts(member=member, trains=trains)
        assert permissions.reads_discussion(facts) == (member or trains)
        assert permissions.moderates_discussion(facts) == trains
        for author, deleted, hidden, locked in itertools.product([False, True], repeat=4):
            post = PostFacts(author=author, deleted=deleted, hidden=hidden, locked=locked)
            reads = member or trains
            assert permissions.edits_post(facts, post) == (reads and author and not (deleted or hidden or locked))
            assert permissions.deletes_post(facts, post) == (reads and author and not deleted)
            assert permissions.reports_post(facts, post) == (member and not trains and not author
                                                             and not deleted and not hidden)


def test_who_reads_the_cohort_discussion(w):
    readers = {u.name for u in (w.anna, w.bram, w.trainer, w.admin, w.other_trainer, w.org_admin, w.outsider, w.solo)
               if permissions.can_read_discussion(u, w.space)}
    assert readers == {w.anna.name, w.bram.name, w.trainer.name, w.admin.name}
    assert not permissions.can_read_discussion(w.org_admin, w.space), "the organisation admin never reads it"
    assert permissions.can_read_discussion(w.solo, w.self_space)
    assert not permissions.can_read_discussion(w.anna, w.self_space)


def test_a_course_trainer_reads_the_self_enrolled_discussion_but_not_the_cohorts(w):
    from tests import factories

    factories.assign_course_trainer(w.open_course, w.other_trainer)
    factories.assign_course_trainer(w.course, w.other_trainer)
    assert permissions.can_moderate_discussion(w.other_trainer, w.self_space)
    assert not permissions.can_read_discussion(w.other_trainer, w.space), "cohorts are their own trainers'"


# ---- threads, replies, edits, deletion ------------------------------------------------------


def test_a_learner_starts_a_thread_and_a_colleague_replies(w, login_as):
    anna, bram = login_as(w.anna), login_as(w.bram)
    response = anna.post(list_url(w.space) + "/nieuw", data={"title": "Wie doet mee?", "body": "Ik **begin** vast."})
    assert response.status_code == 302
    thread = db.session.scalar(sa.select(DiscussionThread))
    assert thread.cohort_id == w.cohort.id and thread.module_id == w.module.id
    assert db.session.get(DiscussionFollow, (w.anna.id, thread.id)) is not None, "authors follow their thread"

    page = bram.get(list_url(w.space)).text
    assert "Wie doet mee?" in page and "Nieuwe berichten" in page
    response = bram.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "Ik ook! <script>x()</script>"})
    assert response.status_code == 302
    html = bram.get(response.headers["Location"], follow_redirects=True).text
    assert "<strong>begin</strong>" in html, "Markdown is rendered"
    assert "<script>x()" not in html and "&lt;script&gt;" in html, "HTML typed in a post is shown as text"
    assert "Je reactie is geplaatst." in html


def test_a_learner_edits_and_deletes_her_own_post_and_the_thread_shows_verwijderd(w, login_as):
    thread = start(w.space, w.anna)
    services.reply(thread, w.bram, "Een reactie van Bram.")
    opening = posts_of(thread)[0]
    anna, bram = login_as(w.anna), login_as(w.bram)
    assert bram.get(f"/discussie/bericht/{opening.public_id}/bewerken").status_code == 403
    response = anna.post(f"/discussie/bericht/{opening.public_id}/bewerken",
                         data={"title": "Nieuwe titel", "body": "Beter verwoord."})
    assert response.status_code == 302
    html = anna.get(f"/discussie/draad/{thread.public_id}").text
    assert "Beter verwoord." in html and "Nieuwe titel" in html and "bewerkt" in html

    assert anna.post(f"/discussie/bericht/{opening.public_id}/verwijderen").status_code == 302
    html = bram.get(f"/discussie/draad/{thread.public_id}").text
    assert "Verwijderd: de schrijver heeft dit bericht weggehaald." in html
    assert "Beter verwoord." not in html and "Een reactie van Bram." in html
    db.session.refresh(opening)
    assert opening.body == "" and opening.deleted_at is not None, "the text is gone, not only hidden"



def test_a_reply_is_edited_without_a_title_field(w, login_as):
    """Only the opening post has a title; the edit page of a reply shows the text alone."""
    thread = start(w.space, w.anna)
    reply = services.reply(thread, w.bram, "Een reactie van Bram.")
    bram = login_as(w.bram)
    page = bram.get(f"/discussie/bericht/{reply.public_id}/bewerken")
    assert page.status_code == 200 and "Een reactie van Bram." in page.text
    assert 'name="title"' not in page.text
    response = bram.post(f"/discussie/bericht/{reply.public_id}/bewerken", data={"body": "Beter gezegd."})
    assert response.status_code == 302
    assert "Beter gezegd." in bram.get(f"/discussie/draad/{thread.public_id}").text

def test_deleting_the_only_post_deletes_the_thread(w, login_as):
    thread = start(w.space, w.anna)
    client = login_as(w.anna)
    response = client.post(f"/discussie/bericht/{posts_of(thread)[0].public_id}/verwijderen")
    assert response.headers["Location"].endswith(list_url(w.space))
    assert db.session.scalars(sa.select(DiscussionThread)).all() == []


def test_a_too_long_or_empty_post_is_refused_with_a_message_and_nothing_is_lost(w, login_as):
    thread = start(w.space, w.anna)
    client = login_as(w.bram)
    response = client.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "x" * 10_001})
    assert response.status_code == 400
    assert "Een bericht mag hoogstens 10000 tekens hebben." in response.text
    assert "x" * 10_001 in response.text, "the typed text is still in the form"
    response = client.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "   "})
    assert "Schrijf een bericht." in response.text
    assert len(posts_of(thread)) == 1


# ---- reports and moderation -------------------------------------------------------------------


def test_a_report_goes_to_the_trainer_who_hides_the_post_and_it_is_audited(w, login_as, outbox):
    thread = start(w.space, w.anna)
    post = services.reply(thread, w.bram, "Mevrouw Jansen van de Dorpsstraat 4 belde weer.")
    anna, trainer = login_as(w.anna), login_as(w.trainer)
    assert trainer.get(f"/discussie/bericht/{post.public_id}/melden").status_code == 403, "trainers hide, not report"
    report_url = f"/discussie/bericht/{post.public_id}/melden"
    response = anna.post(report_url, data={"reason": "Naam en adres van een cliënt."})
    assert response.status_code == 302
    again = anna.post(report_url, data={"reason": "Nog eens."}, follow_redirects=True)
    assert "Je hebt dit bericht al gemeld." in again.text
    assert db.session.scalar(sa.select(sa.func.count(DiscussionReport.id))) == 1
    [mail] = [m for m in outbox() if m.kind == "discussion_report"]
    assert mail.to_address == w.trainer.email and "Dorpsstraat" not in mail.body_text, "no post text in mail"

    listing = trainer.get("/discussie/gemelde-berichten").text
    assert "Naam en adres van een cliënt." in listing and "Dorpsstraat 4" in listing
    assert "Dorpsstraat" not in login_as(w.other_trainer).get("/discussie/gemelde-berichten").text

    response = trainer.post(f"/discussie/bericht/{post.public_id}/zichtbaarheid", data={"action": "hide"})
    assert response.status_code == 302
    assert "Verborgen: de trainer heeft dit bericht verborgen." in anna.get(f"/discussie/draad/{thread.public_id}").text
    assert "Dorpsstraat" not in anna.get(f"/discussie/draad/{thread.public_id}").text
    html = trainer.get(f"/discussie/draad/{thread.public_id}").text
    assert "Dorpsstraat 4" in html and "Verborgen voor deelnemers" in html
    assert "Geen open meldingen." in trainer.get("/discussie/gemelde-berichten").text, "hiding handles the report"
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions == ["discussion.post_hidden"]
    event = db.session.scalar(sa.select(AuditEvent))
    assert event.actor_id == w.trainer.id and event.subject_id == w.bram.id and event.organisation_id == w.org.id

    trainer.post(f"/discussie/bericht/{post.public_id}/zichtbaarheid", data={"action": "unhide"})
    assert "Dorpsstraat 4" in anna.get(f"/discussie/draad/{thread.public_id}").text


def test_a_trainer_resolves_a_report(w, login_as):
    thread = start(w.space, w.anna)
    post = services.reply(thread, w.bram, "Iets vervelends.")
    report = services.report_post(post, w.anna, "Niet aardig.")
    trainer = login_as(w.trainer)
    assert login_as(w.other_trainer).post(f"/discussie/gemelde-berichten/{report.public_id}/afhandelen") \
        .status_code == 404
    assert trainer.post(f"/discussie/gemelde-berichten/{report.public_id}/afhandelen").status_code == 302
    db.session.refresh(report)
    assert report.resolved_by_id == w.trainer.id
    assert "Niet aardig." in trainer.get("/discussie/gemelde-berichten?show=afgehandeld").text
    assert db.session.scalar(sa.select(AuditEvent.action)) == "discussion.report_resolved"


def test_a_locked_thread_refuses_replies_with_a_clear_message_and_keeps_the_text(w, login_as):
    thread = start(w.space, w.anna)
    trainer = login_as(w.trainer)
    assert trainer.post(f"/discussie/draad/{thread.public_id}/beheer", data={"action": "lock"}).status_code == 302
    bram = login_as(w.bram)
    html = bram.get(f"/discussie/draad/{thread.public_id}").text
    assert "Deze draad is gesloten door de trainer" in html and "Reactie plaatsen" not in html
    response = bram.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "Toch nog iets."})
    assert response.status_code == 409
    assert "Deze draad is gesloten door de trainer" in response.text and "Toch nog iets." in response.text
    assert len(posts_of(thread)) == 1
    with pytest.raises(services.ThreadLocked):
        services.reply(thread, w.bram, "Via de service.")
    trainer.post(f"/discussie/draad/{thread.public_id}/beheer", data={"action": "unlock"})
    assert bram.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "Nu wel."}).status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["discussion.thread_locked", "discussion.thread_unlocked"]


def test_pinned_threads_come_first(w, login_as):
    first = start(w.space, w.anna, title="Eerste draad")
    start(w.space, w.bram, title="Tweede draad")
    client = login_as(w.trainer)
    assert client.get(list_url(w.space)).text.index("Tweede draad") < client.get(list_url(w.space)).text.index(
        "Eerste draad")
    client.post(f"/discussie/draad/{first.public_id}/beheer", data={"action": "pin"})
    html = client.get(list_url(w.space)).text
    assert html.index("Eerste draad") < html.index("Tweede draad") and "Vastgezet" in html
    assert client.post(f"/discussie/draad/{first.public_id}/beheer", data={"action": "explode"}).status_code == 400


def test_a_learner_may_not_moderate(w, login_as):
    thread = start(w.space, w.anna)
    client = login_as(w.bram)
    assert client.post(f"/discussie/draad/{thread.public_id}/beheer", data={"action": "lock"}).status_code == 403
    assert client.post(f"/discussie/bericht/{posts_of(thread)[0].public_id}/zichtbaarheid",
                       data={"action": "hide"}).status_code == 403
    assert "Draad sluiten" not in client.get(f"/discussie/draad/{thread.public_id}").text


# ---- unread markers and following ------------------------------------------------------------


def test_unread_markers_per_person(w, login_as):
    thread = start(w.space, w.anna)
    bram = login_as(w.bram)
    assert "Nieuwe berichten" in bram.get(list_url(w.space)).text
    assert "Nieuw</span>" in bram.get(f"/discussie/draad/{thread.public_id}").text
    assert "Nieuwe berichten" not in bram.get(list_url(w.space)).text, "read after opening the thread"
    assert "Nieuwe berichten" not in login_as(w.anna).get(list_url(w.space)).text, "one's own post is read"
    services.reply(thread, w.anna, "Nog een bericht.")
    assert "Nieuwe berichten" in bram.get(list_url(w.space)).text


def test_following_and_unfollowing(w, login_as):
    thread = start(w.space, w.anna)
    bram = login_as(w.bram)
    bram.post(f"/discussie/draad/{thread.public_id}/volgen", data={"action": "follow"})
    assert db.session.get(DiscussionFollow, (w.bram.id, thread.id)) is not None
    assert "Niet meer volgen" in bram.get(f"/discussie/draad/{thread.public_id}").text
    bram.post(f"/discussie/draad/{thread.public_id}/volgen", data={"action": "unfollow"})
    assert db.session.get(DiscussionFollow, (w.bram.id, thread.id)) is None


def test_the_module_page_links_to_the_discussion_which_marks_what_is_new(w, login_as):
    start(w.space, w.anna)
    bram = login_as(w.bram)
    html = bram.get(f"/mijn-leren/{w.course.slug}/{w.module.slug}").text
    assert f'href="{list_url(w.space)}"' in html
    assert "thread-list__item--unread" in bram.get(list_url(w.space)).text and "Nieuwe berichten" in \
        bram.get(list_url(w.space)).text
    solo = login_as(w.solo).get(f"/mijn-leren/{w.open_course.slug}/module-1").text
    assert f'href="{list_url(w.self_space)}"' in solo


# ---- reach: other cohorts, organisations, the org admin ----------------------------------------


def test_everyone_outside_the_group_gets_404_and_the_self_enrolled_discussion_is_separate(w, login_as):
    thread = start(w.space, w.anna)
    solo_thread = start(w.self_space, w.solo, title="Alleen")
    for outsider in (w.outsider, w.other_trainer, w.org_admin, w.solo):
        client = login_as(outsider)
        assert client.get(list_url(w.space)).status_code == 404
        assert client.get(f"/discussie/draad/{thread.public_id}").status_code == 404
        assert client.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": "Hoi"}).status_code == 404
    assert login_as(w.anna).get(f"/discussie/draad/{solo_thread.public_id}").status_code == 404
    assert login_as(w.solo).get(f"/discussie/draad/{solo_thread.public_id}").status_code == 200
    overview = login_as(w.org_admin).get("/discussie").text
    assert "Je neemt nog aan geen enkele discussie deel." in overview


def test_the_overview_lists_the_groups_a_person_reads(w, login_as):
    start(w.space, w.anna)
    html = login_as(w.trainer).get("/discussie").text
    assert w.cohort.name in html and w.other_cohort.name not in html and "1 draad" in html
    assert w.cohort.name in login_as(w.bram).get("/discussie").text


# ---- privacy hints before sending (without JavaScript) --------------------------------------------


def test_a_post_with_personal_data_is_held_back_with_a_warning_until_sent_anyway(w, login_as):
    thread = start(w.space, w.anna)
    client = login_as(w.bram)
    text = "Bel meneer De Vries op 06-12345678."
    response = client.post(f"/discussie/draad/{thread.public_id}/reageren", data={"body": text, "action": "submit"})
    assert response.status_code == 200
    assert "In ‘Bericht’: een telefoonnummer (06-…)" in response.text and "Toch versturen" in response.text
    assert text in response.text and len(posts_of(thread)) == 1, "nothing was sent"
    response = client.post(f"/discussie/draad/{thread.public_id}/reageren",
                           data={"body": text, "action": "submit-anyway"})
    assert response.status_code == 302 and posts_of(thread)[-1].body == text


def test_the_privacy_check_answers_json_for_the_script(w, login_as):
    client = login_as(w.anna)
    response = client.post("/discussie/privacy", json={"fields": {"title": "Vraag", "body": "mail jan@voorbeeld.nl"}})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    [finding] = response.json["findings"]
    assert finding["field"] == "body" and finding["kind"] == "email" and "Toch versturen" in response.json["html"]
    assert client.post("/discussie/privacy", json={"fields": {"other": "x"}}).status_code == 400
    assert client.post("/discussie/privacy", json=["x"]).status_code == 400


def test_the_privacy_check_reads_no_further_than_a_post_can_be_long(w, login_as):
    """Text past the limit of a message (10,000 characters) cannot be posted: it is not
    checked, so a long text cannot slow the check down."""
    from course.discussion.forms import MAX_BODY

    client = login_as(w.anna)
    inside = "x" * (MAX_BODY - 30) + " mail jan@voorbeeld.nl"
    beyond = "x" * MAX_BODY + " mail jan@voorbeeld.nl"
    assert len(client.post("/discussie/privacy", json={"fields": {"body": inside}}).json["findings"]) == 1
    response = client.post("/discussie/privacy", json={"fields": {"body": beyond}})
    assert response.status_code == 200 and response.json["findings"] == []


# ---- fixed query counts ---------------------------------------------------------------------------


def test_the_pages_use_a_fixed_number_of_queries(w, login_as):
    client = login_as(w.trainer)
    thread = start(w.space, w.anna)
    report = services.report_post(services.reply(thread, w.bram, "Eerste reactie."), w.anna, "Reden")
    del report

    def counts():
        result = {}
        for name, url in (("list", list_url(w.space)), ("thread", f"/discussie/draad/{thread.public_id}"),
                          ("reports", "/discussie/gemelde-berichten"), ("index", "/discussie")):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result[name] = counter.count
        return result

    client.get(f"/discussie/draad/{thread.public_id}")  # read once: the next visits do the same work
    small = counts()
    for n in range(12):
        other = start(w.space, w.anna if n % 2 else w.bram, title=f"Draad {n}")
        services.reply(thread, w.bram if n % 2 else w.anna, f"Reactie {n}")
        services.report_post(services.reply(other, w.bram, f"Melding {n}"), w.anna, f"Reden {n}")
    client.get(f"/discussie/draad/{thread.public_id}")
    large = counts()
    assert small == large, (small, large)
    assert max(large.values()) <= 14, large


def test_long_threads_and_lists_are_paginated(w, login_as):
    thread = start(w.space, w.anna)
    for n in range(30):
        services.reply(thread, w.bram, f"Reactie nummer {n:02d}")
    client = login_as(w.anna)
    first = client.get(f"/discussie/draad/{thread.public_id}").text
    assert "Reactie nummer 23" in first and "Reactie nummer 24" not in first and "Pagina 1 van 2" in first
    last = services.reply(thread, w.bram, "Het laatste woord")
    response = client.get(f"/discussie/bericht/{last.public_id}")
    assert response.headers["Location"].endswith(f"?page=2#bericht-{last.public_id}")
    assert client.get(f"/discussie/draad/{thread.public_id}?page=99999999999").status_code == 200


def test_editing_a_post_gets_the_same_privacy_check(w, login_as):
    thread = start(w.space, w.anna)
    opening = posts_of(thread)[0]
    client = login_as(w.anna)
    data = {"title": "Vraag over cliënt Ahmed", "body": "Hoe pak ik dit aan?"}
    response = client.post(f"/discussie/bericht/{opening.public_id}/bewerken", data=data)
    assert response.status_code == 200 and "In ‘Titel’: een naam (Ahm…)" in response.text
    db.session.refresh(thread)
    assert thread.title == "Vraag over de doelgroep", "not saved before the learner chooses"
    client.post(f"/discussie/bericht/{opening.public_id}/bewerken", data={**data, "action": "submit-anyway"})
    db.session.refresh(thread)
    assert thread.title == "Vraag over cliënt Ahmed"


def test_trainers_find_the_discussions_in_the_menu_learners_through_their_module(w, login_as):
    assert 'href="/discussie"' in login_as(w.trainer).get("/mijn-leren").text
    assert 'href="/discussie"' not in login_as(w.org_admin).get("/mijn-leren").text


def test_a_line_break_counts_as_one_character_as_in_the_browser(w, login_as):
    """The browser sends a line break as "\r\n" but counts it as one character against
    the field's maxlength: a message it accepted is not refused as too long."""
    from course.discussion.forms import MAX_BODY

    thread = start(w.space, w.anna)
    text = "regel\r\n" * (MAX_BODY // 6 - 1)  # under the limit with one character per break
    assert len(text.replace("\r\n", "\n")) <= MAX_BODY < len(text)
    response = login_as(w.bram).post(f"/discussie/draad/{thread.public_id}/reageren",
                                     data={"body": text, "action": "submit-anyway"})
    assert response.status_code == 302
    assert posts_of(thread)[-1].body == text.replace("\r\n", "\n").strip()
