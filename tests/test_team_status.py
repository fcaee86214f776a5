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
from tests import factories
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
