"""The organisation's one-glance team status (issue 12): per group a status bar with its
counts in words, "Needs attention" with the reminder beside it, a mini progress bar per
person, and on the landing page every group with its seats, next live session and the
team plan's readiness. Counts and names only: never what anyone wrote."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import SeatLicence, SubmissionStatus, utcnow
from course.teamplan import services as teamplan
from tests import factories, factories_review
from tests.factories_org import complete_module, enrol_with_seat, make_submission, make_team
from tests.factories_sessions import make_live_session
from tests.factories_teamplan import approved_work, key, share
from tests.querycount import count_queries

MARKER = "GEHEIM-WERK-7731"


@pytest.fixture
def group(app, organisation, trainer):
    """Team Noord: Anna (new), Piet (busy), Ida (quiet for a month), Bram (work waiting),
    Carla (done); an in-company session in five days; a published team plan with one
    chapter agreed."""
    course, licence, cohort = make_team(organisation, seats=20, trainers=[trainer], title="Welzijn 2.0")
    cohort.name = "Team Noord"
    now = utcnow()
    people = {}
    people["anna"] = enrol_with_seat(factories.make_user(name="Anna Nieuw"), cohort, licence)
    people["piet"] = enrol_with_seat(factories.make_user(name="Piet Bezig"), cohort, licence, started_at=now,
                                     last_activity_at=now)
    complete_module(people["piet"], course.modules[0])
    approved_work(people["piet"], course.modules[1], trainer, {"doelgroep": f"Piet: {MARKER}", "boodschap": MARKER})
    share(people["piet"])
    month_ago = now - timedelta(days=30)
    people["ida"] = enrol_with_seat(factories.make_user(name="Ida Stil"), cohort, licence, started_at=month_ago,
                                    last_activity_at=month_ago, enrolled_at=month_ago)
    people["bram"] = enrol_with_seat(factories.make_user(name="Bram Wacht"), cohort, licence, started_at=month_ago,
                                     last_activity_at=month_ago, enrolled_at=month_ago)
    make_submission(people["bram"], course.modules[0], SubmissionStatus.SUBMITTED, fields={"doelgroep": MARKER})
    people["carla"] = enrol_with_seat(factories.make_user(name="Carla Klaar"), cohort, licence, started_at=month_ago,
                                      completed_at=now, last_activity_at=now)
    for module in course.modules:
        complete_module(people["carla"], module)
    make_live_session(course, cohort=cohort, title="Startbijeenkomst Noord", starts_in=timedelta(days=5))
    teamplan.save_plan(cohort, trainer, "Ons plan", MARKER, {key(course.modules[1], "doelgroep"):
                                                            people["piet"].public_id})
    teamplan.set_published(cohort, trainer, True)
    db.session.commit()
    return course, cohort, people


def legend(text: str) -> dict[str, int]:
    """The status bar's counts as the reader sees them: {"Afgerond": 1, ...}."""
    return {label.strip(): int(n) for label, n in re.findall(r"([A-Za-z][\w ]+): <strong>(\d+)</strong>", text)}


def test_the_group_page_shows_a_status_bar_whose_counts_are_in_words(org_admin_client, group):
    _course, cohort, _people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert legend(text) == {"Afgerond": 1, "Bezig": 1, "Niet begonnen": 1, "Inactief": 1, "Wacht op de trainer": 1}
    assert 'class="team-bar"' in text and text.count('class="team-bar__seg ') == 5
    # each count filters the list to exactly those people
    assert f"/organisatie/groepen/{cohort.public_id}?status=inactive#deelnemers" in text


def test_an_inactive_person_reads_inactive_not_in_progress(org_admin_client, group):
    _course, cohort, people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}?status=inactive").get_data(as_text=True)
    listed = text.split('id="deelnemers"', 1)[1]
    assert "Ida Stil" in listed and "Piet Bezig" not in listed
    row = listed.split("Ida Stil", 1)[1].split("</tr>", 1)[0]
    assert "Inactief" in row and "Bezig" not in row
    busy = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}?status=in_progress").get_data(as_text=True)
    assert "Piet Bezig" in busy.split('id="deelnemers"', 1)[1] and "Ida Stil" not in busy.split('id="deelnemers"')[1]


def test_needs_attention_names_the_quiet_and_the_waiting_with_the_reminder_beside_it(org_admin_client, group):
    _course, cohort, _people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    attention = text.split('id="aandacht"', 1)[1].split('id="deelnemers"', 1)[0]
    assert "Heeft aandacht nodig" in text
    assert "1 persoon langer dan 14 dagen inactief" in attention and "Ida Stil" in attention
    assert "1 persoon wacht op de trainer" in attention and "Bram Wacht" in attention
    assert f'action="/organisatie/groepen/{cohort.public_id}/herinneringen"' in attention
    assert "Herinneringen versturen" in attention
    for others in ("Anna Nieuw", "Piet Bezig", "Carla Klaar"):
        assert others not in attention


def test_the_attention_list_follows_the_number_of_days(org_admin_client, group):
    _course, cohort, _people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}?days=60").get_data(as_text=True)
    assert "Ida Stil" not in text.split('id="aandacht"', 1)[1].split('id="deelnemers"', 1)[0]
    assert legend(text)["Inactief"] == 0 and legend(text)["Bezig"] == 2


def test_nobody_needing_attention_says_so(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation)
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert "Niemand heeft nu aandacht nodig" in text


def test_each_person_has_a_mini_progress_bar_with_the_words_beside_it(org_admin_client, group):
    _course, cohort, _people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert '<progress max="2" value="1" aria-label="Modules afgerond door Piet Bezig">' in text
    assert '<progress max="2" value="2" aria-label="Modules afgerond door Carla Klaar">' in text
    row = text.split("Piet Bezig</a>", 1)[1].split("</tr>", 1)[0]
    assert "1 van 2" in row
    assert 'data-label="Modules afgerond"' in row  # the phone's cards name each value


def test_the_landing_page_shows_every_group_with_bar_seats_session_and_plan(org_admin_client, group, organisation):
    course, cohort, _people = group
    empty = factories.make_cohort(organisation, course, name="Team Zuid")
    text = org_admin_client.get("/organisatie").get_data(as_text=True)
    noord = text.split(f'id="group-{cohort.public_id}"', 1)[1].split('class="group-card__title"', 1)[0]
    assert legend(noord) == {"Afgerond": 1, "Bezig": 1, "Niet begonnen": 1, "Inactief": 1, "Wacht op de trainer": 1}
    assert "5 deelnemers" in noord
    assert "Plaatsen in gebruik" in noord and "5 van 20" in noord
    assert "Volgende live sessie" in noord and "Startbijeenkomst Noord" in noord
    assert "1 van 4 hoofdstukken afgesproken (gepubliceerd)" in noord
    zuid = text.split(f'id="group-{empty.public_id}"', 1)[1].split('class="seat-cards"', 1)[0]
    assert "0 deelnemers" in zuid and "Geen gepland" in zuid and "Nog niet begonnen" in zuid
    assert 'class="team-bar"' not in zuid  # nobody yet: the words say 0, no empty bar


def test_the_organisation_admin_never_sees_any_work_text(org_admin_client, group):
    _course, cohort, people = group
    for path in ("/organisatie", f"/organisatie/groepen/{cohort.public_id}",
                 f"/organisatie/groepen/{cohort.public_id}/deelnemers/{people['piet'].public_id}",
                 f"/organisatie/groepen/{cohort.public_id}/deelnemers/{people['bram'].public_id}",
                 f"/organisatie/groepen/{cohort.public_id}/voortgang.csv"):
        response = org_admin_client.get(path)
        assert response.status_code == 200, path
        assert MARKER not in response.get_data(as_text=True), path


def test_a_plan_in_draft_shows_its_count_and_that_it_is_a_draft(org_admin_client, group, trainer):
    _course, cohort, _people = group
    teamplan.set_published(cohort, trainer, False)
    text = org_admin_client.get("/organisatie").get_data(as_text=True)
    assert "1 van 4 hoofdstukken afgesproken (concept)" in text


def test_a_withdrawn_consent_no_longer_counts_as_agreed(org_admin_client, group):
    _course, _cohort, people = group
    teamplan.withdraw_consent(people["piet"])
    assert "0 van 4 hoofdstukken afgesproken" in org_admin_client.get("/organisatie").get_data(as_text=True)


def test_a_past_or_cancelled_session_is_not_the_next_one(org_admin_client, organisation):
    course, _licence, cohort = make_team(organisation)
    make_live_session(course, cohort=cohort, title="Al geweest", starts_in=timedelta(days=-3))
    make_live_session(course, title="Openbare sessie", starts_in=timedelta(days=2))  # not this group's
    text = org_admin_client.get("/organisatie").get_data(as_text=True)
    assert "Al geweest" not in text and "Openbare sessie" not in text and "Geen gepland" in text


def test_another_organisations_groups_are_not_on_my_landing_page(login_as, other_org_admin, group):
    text = login_as(other_org_admin).get("/organisatie").get_data(as_text=True)
    assert "Team Noord" not in text and "Startbijeenkomst Noord" not in text


def test_the_landing_page_stays_at_a_fixed_number_of_queries_with_more_groups(org_admin_client, group,
                                                                               organisation, trainer):
    course, _cohort, _people = group
    org_admin_client.get("/organisatie")
    with count_queries() as small:
        org_admin_client.get("/organisatie")
    lic = db.session.scalar(sa.select(SeatLicence).where(SeatLicence.course_id == course.id))
    for i in range(4):
        extra = factories.make_cohort(organisation, course, name=f"Extra {i}", trainers=[trainer])
        enrol_with_seat(factories.make_user(name=f"Extra deelnemer {i}"), extra, lic, started_at=utcnow())
        make_live_session(course, cohort=extra, title=f"Sessie {i}")
    with count_queries() as large:
        text = org_admin_client.get("/organisatie").get_data(as_text=True)
    assert "Extra 3" in text and "Sessie 3" in text
    assert small.count == large.count <= 10, large.statements


def test_the_pages_work_in_english(login_as, organisation, group):
    english = factories.make_user(email="eva@example.org", org=organisation, org_role="admin", locale="en")
    client = login_as(english)
    _course, cohort, _people = group
    text = client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert "Needs attention" in text and "Inactive: <strong>1</strong>" in text
    assert "1 of 4 chapters agreed (published)" in client.get("/organisatie").get_data(as_text=True)


def test_status_pills_carry_an_icon_class_beside_the_word(org_admin_client, group):
    _course, cohort, _people = group
    text = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert '<span class="status status--problem status--icon">Inactief</span>' in text
    assert '<span class="status status--done status--icon">Afgerond</span>' in text
    assert '<span class="status status--waiting status--icon">Wacht op de trainer</span>' in text


def test_every_pill_class_of_every_state_has_an_icon_in_the_stylesheet(app):
    from pathlib import Path

    import course
    from course.states import LabelledEnum

    css = (Path(course.__file__).parent.parent / "static" / "css" / "app.css").read_text()
    from course.review.queries.matrix import CellState

    classes, todo = set(), list(LabelledEnum.__subclasses__())  # the app has imported every area
    while todo:
        kind = todo.pop()
        todo += kind.__subclasses__()
        if kind is not CellState:  # the trainer's matrix cells have their own look (review.css), no pill
            classes |= {member.css for member in kind}
    assert classes == {"done", "waiting", "todo", "problem"}
    for css_class in classes:
        assert f".status--{css_class} {{ --status-icon: url(" in css, css_class


# ---- screens2: who wrote which chapter; no work text on any organisation page ----


def _card(text, cohort):
    return text.split(f'id="group-{cohort.public_id}"', 1)[1].split('class="group-card__title"', 1)[0]


def _owners(card):
    if 'class="plan-owners"' not in card:
        return []
    block = card.split('class="plan-owners"', 1)[1].split("</details>", 1)[0]
    assert "<summary>Wie schreef welk hoofdstuk</summary>" in block
    return [item.split("</li>")[0] for item in block.split("<li>")[1:]]


def test_each_agreed_chapter_names_whose_text_was_chosen_in_course_order(org_admin_client, group, trainer):
    course, cohort, people = group
    noord = _card(org_admin_client.get("/organisatie").text, cohort)
    assert "1 van 4 hoofdstukken afgesproken (gepubliceerd)" in noord
    assert _owners(noord) == ["Doelgroep: Piet Bezig"]
    # A second colleague's text for an earlier chapter comes first: course order, not the order chosen.
    approved_work(people["carla"], course.modules[0], trainer, {"doelgroep": MARKER, "boodschap": f"Carla {MARKER}"})
    share(people["carla"])
    teamplan.save_plan(cohort, trainer, "Ons plan", MARKER, {
        key(course.modules[1], "doelgroep"): people["piet"].public_id,
        key(course.modules[0], "boodschap"): people["carla"].public_id})
    text = org_admin_client.get("/organisatie").text
    noord = _card(text, cohort)
    assert "2 van 4 hoofdstukken afgesproken" in noord
    assert _owners(noord) == ["Kernboodschap: Carla Klaar", "Doelgroep: Piet Bezig"]
    assert MARKER not in text


def test_a_withdrawn_consent_takes_the_name_away_too(org_admin_client, group):
    _course, cohort, people = group
    teamplan.withdraw_consent(people["piet"])
    noord = _card(org_admin_client.get("/organisatie").text, cohort)
    assert _owners(noord) == [] and "Piet Bezig" not in noord


def test_a_group_without_a_plan_names_nobody(org_admin_client, group, organisation):
    course, _cohort, _people = group
    empty = factories.make_cohort(organisation, course, name="Team Zuid")
    zuid = _card(org_admin_client.get("/organisatie").text, empty).split('class="seat-cards"', 1)[0]
    assert "Nog niet begonnen" in zuid and 'class="plan-owners"' not in zuid


def test_the_names_cost_no_query_per_group_or_person(org_admin_client, group, organisation, trainer):
    course, _cohort, _people = group
    org_admin_client.get("/organisatie")
    with count_queries() as small:
        org_admin_client.get("/organisatie")
    lic = db.session.scalar(sa.select(SeatLicence).where(SeatLicence.course_id == course.id))
    for i in range(3):
        extra = factories.make_cohort(organisation, course, name=f"Extra {i}", trainers=[trainer])
        people = []
        for j in range(2):
            people.append(enrol_with_seat(factories.make_user(name=f"Collega {i}-{j}"), extra, lic,
                                          started_at=utcnow()))
            approved_work(people[j], course.modules[j], trainer, {"doelgroep": MARKER, "boodschap": MARKER})
            share(people[j])
        teamplan.save_plan(extra, trainer, "", "", {key(course.modules[0], "doelgroep"): people[0].public_id,
                                                    key(course.modules[1], "boodschap"): people[1].public_id})
    with count_queries() as large:
        text = org_admin_client.get("/organisatie").text
    assert "Doelgroep: Collega 2-0" in text and "Kernboodschap: Collega 2-1" in text and MARKER not in text
    assert small.count == large.count <= 10, large.statements


def _organisation_pages(app, organisation, cohort, people):
    """Every GET page under /organisatie, with the group's values filled in."""
    values = {"org_id": organisation.public_id, "public_id": cohort.public_id}
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/organisatie") or "GET" not in rule.methods:
            continue
        if rule.endpoint == "org.preview_upload":
            continue  # an uploaded CSV's preview: a list of names the admin sent, no work
        if "enrolment_id" in rule.arguments:
            pages += [rule.rule.replace("<public_id>", cohort.public_id).replace("<enrolment_id>", e.public_id)
                      for e in people.values()]
        else:
            pages.append(rule.rule.replace("<org_id>", values["org_id"]).replace("<public_id>", values["public_id"]))
    return pages


def test_no_text_of_anyone_s_work_appears_on_any_organisation_page(app, org_admin_client, group, organisation,
                                                                  trainer):
    """The marker stands in answers (approved, chosen for the plan, waiting), in a trainer's
    feedback and in the team plan's introduction."""
    course, cohort, people = group
    sent_back = factories_review.make_submission(people["ida"], course.modules[0], fields={"doelgroep": MARKER})
    factories_review.add_review(sent_back, trainer, feedback=f"Feedback {MARKER}")
    pages = _organisation_pages(app, organisation, cohort, people)
    assert len(pages) >= 12 and "/organisatie" in pages
    for path in pages:
        response = org_admin_client.get(path)
        assert response.status_code == 200, path
        assert MARKER not in response.get_data(as_text=True), path
    assert "Doelgroep: Piet Bezig" in org_admin_client.get("/organisatie").text  # the name is there
