"""The editor's pages the journey does not reach, on the default course, pass axe (audit11):
the assignment with its rubric, ordering and matching questions, any file as text, the
upload with a refusal, the course preview, and a reading refused on a conflict."""
import zipfile

import pytest
import yaml
from playwright.sync_api import expect

from course.authoring import publishing
from tests import factories
from tests.factories_learn import DEFAULT_CONTENT, load_default_course

pytestmark = pytest.mark.browser

ED = "/auteur/welzijn-2-0"


def test_the_other_editor_pages_pass_axe(app, browser_page, axe_check, browser_login, tmp_path):
    load_default_course()
    publishing.record_loaded_versions(DEFAULT_CONTENT)
    factories.make_user(role="admin", email="anouk@welzijn.nl", name="Anouk Admin")
    page = browser_page
    browser_login(page, "anouk@welzijn.nl")

    page.goto(f"{ED}/modules/introductie/opdracht")
    expect(page.locator("h1")).to_be_visible()
    axe_check(page, "editor: assignment with fields and rubric")
    page.goto(f"{ED}/modules/introductie/quiz")
    axe_check(page, "editor: a quiz of the default course")
    for module, question in (("introductie", "vier-stappen-ordenen"),
                             ("waar-en-hoe-begin-je", "toepassingen-koppelen")):
        questions = yaml.safe_load((DEFAULT_CONTENT / "welzijn-2-0" / module / "quiz.yml").read_text())["questions"]
        number = [q["id"] for q in questions].index(question) + 1
        page.goto(f"{ED}/modules/{module}/quiz/vragen/{number}")
        expect(page.locator("#q-id")).to_have_value(question)
        axe_check(page, f"editor: {question}")
    page.goto(f"{ED}/bestand/course.yml")
    axe_check(page, "editor: a file as text")
    page.goto(f"{ED}/bekijken")
    axe_check(page, "editor: the course previewed as a learner")

    evil = tmp_path / "cursus.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../course.yml", "format: 1")
    page.goto(f"{ED}/upload")
    page.set_input_files("input[type=file]", str(evil))
    page.locator("main input[type=submit]").last.click()
    expect(page.locator(".field__error")).to_contain_text("buiten een cursusmap")
    axe_check(page, "editor: upload refused")

    page.goto(f"{ED}/modules/introductie/leestekst")
    page.evaluate("document.querySelector('input[name=lock]').value = '0'")  # someone else saved first
    page.fill("#f-body", "Mijn tekst die bewaard moet blijven.")
    page.get_by_role("button", name="Opslaan in het concept").click()
    expect(page.locator(".flashes")).to_contain_text("Iemand anders heeft dit deel")
    expect(page.locator("#f-body")).to_have_value("Mijn tekst die bewaard moet blijven.")
    axe_check(page, "editor: reading refused on a conflict")
