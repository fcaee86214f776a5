"""The organisation journey in a real browser: the organisation admin uploads a CSV,
checks the preview and confirms; the invited learner accepts through the mailed link
and starts; the admin sees the progress. Every page passes axe."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import OutboxMail, utcnow
from tests import factories
from tests.browser.dialogs import answer_confirmation
from tests.factories_org import enrol_with_seat, make_licence

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"
CSV = ("\ufeffNaam;E-mailadres;Afdeling\r\n"
       "Lotte Leerling;lotte@welzijn.nl;Jeugd\r\n"
       "Lotte Leerling;LOTTE@welzijn.nl;Jeugd\r\n"
       "Fout Adres;fout-adres;Wijk\r\n")


def test_org_admin_enrols_by_file_and_follows_the_learner(app, browser_page, axe_check, browser_login, tmp_path,
                                                           organisation, trainer):
    course = factories.make_course(title="Welzijn 2.0", open_enrolment=False)
    make_licence(organisation, course, seats=5)
    cohort = factories.make_cohort(organisation, course, name="Team Noord", trainers=[trainer])
    factories.make_user(email="olga@welzijn.nl", name="Olga Organisatie", org=organisation, org_role="admin")
    upload = tmp_path / "team.csv"
    upload.write_bytes(CSV.encode("utf-8"))
    page = browser_page

    # 1. The organisation admin uploads the file, checks the preview and confirms.
    browser_login(page, "olga@welzijn.nl")
    assert page.url.endswith("/organisatie")
    axe_check(page, "organisation overview")
    page.get_by_role("link", name="Team Noord").click()
    expect(page.locator("h1")).to_have_text("Groep Team Noord")
    axe_check(page, "cohort page, empty")
    page.get_by_role("link", name="Deelnemers inschrijven").click()
    axe_check(page, "enrol learners")
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.locator("h1")).to_have_text("Controleer het bestand voor het versturen")
    table = page.locator("table")
    expect(table).to_contain_text("Wordt uitgenodigd")
    expect(table).to_contain_text("Staat meer dan eens in het bestand")
    expect(table).to_contain_text("Dit is geen geldig e-mailadres")
    axe_check(page, "upload preview")
    page.get_by_role("button", name="1 uitnodiging versturen").click()
    expect(page.locator(".flashes")).to_contain_text("1 uitnodiging verstuurd; 2 rijen overgeslagen")
    # The cohort page lists the open invitation, not "no learners".
    expect(page.locator("h1")).to_have_text("Groep Team Noord")
    invitations = page.get_by_role("table", name="1 uitnodiging nog niet geaccepteerd")
    expect(invitations).to_contain_text("lotte@welzijn.nl")
    for action in ("Opnieuw versturen", "Intrekken"):  # each button names the address it acts on
        button = invitations.get_by_role("button", name=re.compile(rf"^{action}\s*:\s*lotte@welzijn\.nl$"))
        expect(button).to_be_visible()
    axe_check(page, "cohort page with an open invitation")
    page.get_by_role("button", name="Uitloggen").click()

    # 2. The invited learner accepts through the mailed link and starts.
    db.session.expire_all()
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.to_address == "lotte@welzijn.nl"))
    link = re.search(r"https?://\S+/uitnodiging/\S+", mail.body_text).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Je bent uitgenodigd voor Welzijn 2.0")
    axe_check(page, "invitation")
    page.fill("input[name=name]", "Lotte Leerling")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.get_by_role("button", name="Account aanmaken en meedoen").click()
    expect(page.locator(".flashes")).to_contain_text("Welkom in de groep Team Noord")
    assert "/mijn-leren" in page.url
    axe_check(page, "my learning after accepting")
    module = course.active_modules[0]
    page.goto(f"/mijn-leren/{course.slug}/{module.slug}")
    axe_check(page, "module page")
    page.get_by_role("button", name="Ik heb dit gelezen").click()
    expect(page.locator(".flashes")).to_contain_text("Gemarkeerd als gelezen")
    page.get_by_role("button", name="Uitloggen").click()

    # 3. The admin sees the progress.
    browser_login(page, "olga@welzijn.nl")
    page.goto(f"/organisatie/groepen/{cohort.public_id}")
    row = page.locator("tbody tr", has_text="Lotte Leerling")
    expect(row).to_have_count(1)
    expect(row).not_to_contain_text("Niet begonnen")
    expect(row).to_contain_text("0 van 2")
    expect(page.locator(".privacy-note")).to_contain_text("alleen de voortgang")
    axe_check(page, "cohort progress")
    row.get_by_role("link", name="Lotte Leerling").click()
    expect(page.locator("tbody tr").first).to_contain_text("Gelezen")
    axe_check(page, "learner progress")


def test_request_form_and_admin_pages_pass_axe(app, browser_page, axe_check, browser_login, organisation):
    from course.models import InCompanyRequest

    course = factories.make_course(title="Welzijn 2.0", slug="welzijn-2-0")
    make_licence(organisation, course, seats=5)
    cohort = factories.make_cohort(organisation, course, name="Team Zuid")
    factories.make_user(role="admin", email="anouk@welzijn.nl", name="Anouk Admin")
    page = browser_page

    page.goto("/cursussen/welzijn-2-0/in-company")
    axe_check(page, "in-company request form")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.locator("#form-errors")).to_contain_text("Vul dit veld in.")
    axe_check(page, "in-company request form with errors")
    page.fill("#organisation", "Stichting Buurtkracht")
    page.fill("#contact_name", "Fenna Fokkema")
    page.fill("#email", "fenna@buurtkracht.nl")
    page.fill("#team_size", "12")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.locator("h1")).to_have_text("Bedankt voor je aanvraag")
    axe_check(page, "request sent")

    db.session.expire_all()
    request = db.session.scalar(sa.select(InCompanyRequest))
    browser_login(page, "anouk@welzijn.nl")
    for path in ("/beheer", "/beheer/aanvragen", f"/beheer/aanvragen/{request.public_id}", "/beheer/organisaties",
                 "/beheer/organisaties/nieuw", f"/beheer/organisaties/{organisation.public_id}", "/beheer/trainers",
                 "/organisatie", f"/organisatie/groepen/{cohort.public_id}/bewerken",
                 f"/organisatie/{organisation.public_id}/groepen/nieuw",
                 f"/organisatie/groepen/{cohort.public_id}/inschrijven"):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        axe_check(page, path)
    page.goto(f"/beheer/aanvragen/{request.public_id}")
    page.get_by_role("button", name="Organisatie aanmaken en contactpersoon uitnodigen").click()
    expect(page.locator(".flashes")).to_contain_text("Stichting Buurtkracht is aangemaakt met 12 plaatsen")
    axe_check(page, "organisation after converting")


def test_secondary_and_danger_buttons_do_not_look_like_the_main_action(app, browser_page, axe_check, browser_login,
                                                                       organisation):
    course = factories.make_course(title="Welzijn 2.0")
    licence = make_licence(organisation, course, seats=5)
    cohort = factories.make_cohort(organisation, course, name="Team West")
    # enrolled a month ago and quiet since: the reminder stands beside them under "Needs attention"
    enrolment = enrol_with_seat(factories.make_user(name="Nog Niet Begonnen"), cohort, licence,
                                enrolled_at=utcnow() - timedelta(days=30))
    factories.make_user(email="olga@welzijn.nl", name="Olga Organisatie", org=organisation, org_role="admin")
    page = browser_page
    browser_login(page, "olga@welzijn.nl")
    page.goto(f"/organisatie/groepen/{cohort.public_id}")
    reminders = page.get_by_role("button", name="Herinneringen versturen")
    assert reminders.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 255, 255)"
    page.goto(f"/organisatie/groepen/{cohort.public_id}/deelnemers/{enrolment.public_id}")
    remove = page.get_by_role("button", name="Uit de groep halen")
    assert remove.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(164, 38, 44)"
    axe_check(page, "learner page with the remove button")
    remove.click()                                   # the page's own confirmation, not confirm()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Nog Niet Begonnen uit de groep halen?")
    expect(dialog.get_by_role("button", name="Annuleren")).to_be_focused()
    axe_check(page, "learner page with the confirmation open")
    page.keyboard.press("Escape")                    # Escape cancels, and focus goes back
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    remove.click()
    answer_confirmation(page)
    expect(page.locator(".flashes")).to_contain_text("Nog Niet Begonnen is uit de groep gehaald")
