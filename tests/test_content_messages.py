"""The content checker speaks Dutch too: one catalogue (course/content/messages.py),
the CLI following LANG, the web following the user's language."""
import string
from pathlib import Path

import pytest

from course.content.messages import CATALOGUE, Msg, cli_language, web_language
from course.content.spec import read_content
from tests import factories
from tests.factories_learn import FIXTURES

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())
MANY = FIXTURES / "broken" / "many-problems"


def _fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_has_a_dutch_text_with_the_same_placeholders(code):
    english, dutch = CATALOGUE[code]
    assert dutch and dutch != english
    assert _fields(dutch) == _fields(english)


def test_the_many_problems_fixture_in_dutch():
    report = read_content(MANY)
    assert [p.display(MANY, "nl") for p in report.problems] == [
        "kapot/course.yml:1: veld 'title' ontbreekt in course.yml",
        "kapot/course.yml:6: onbekende module 'twee': er is geen map kapot/twee",
        "kapot/een/quiz.yml:3: onbekend vraagtype 'open': gebruik single, multiple, truefalse, matching of ordering",
        "kapot/een/quiz.yml:5: vraag 1 heeft geen goed antwoord",
        "kapot/een/assignment.md:4: veld 'label' ontbreekt in veld 1",
    ]
    # the English stays exactly as before
    assert [p.display(MANY) for p in report.problems] == (MANY / "expected.txt").read_text().splitlines()


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.name)
def test_every_problem_of_every_broken_fixture_comes_from_the_catalogue(case: Path):
    for problem in read_content(case).problems:
        assert isinstance(problem.message, Msg), problem.message
        assert problem.message.in_language("nl") != str(problem.message)


def test_nested_places_are_translated_too(tmp_path):
    message = Msg("missing_field", key="text", where=Msg("where.option", number=2,
                                                          where=Msg("where.question", number=3)))
    assert message == "missing field 'text' in option 2 of question 3"
    assert message.in_language("nl") == "veld 'text' ontbreekt in antwoordoptie 2 van vraag 3"


@pytest.mark.parametrize("lang, expected", [("nl_NL.UTF-8", "nl"), ("nl_BE", "nl"), ("C.UTF-8", "en"),
                                            ("en_GB.UTF-8", "en"), ("", "en")])
def test_the_cli_language_follows_lang(lang, expected):
    assert cli_language({"LANG": lang}) == expected


def test_the_check_command_speaks_dutch_when_lang_is_dutch(app):
    runner = app.test_cli_runner()
    dutch = runner.invoke(args=["content", "check", str(MANY)], env={"LANG": "nl_NL.UTF-8"})
    assert dutch.exit_code == 1
    assert "vraag 1 heeft geen goed antwoord" in dutch.output
    assert "5 probleem/problemen gevonden; er is niets veranderd." in dutch.output
    english = runner.invoke(args=["content", "check", str(MANY)], env={"LANG": "C.UTF-8"})
    assert "question 1 has no correct answer" in english.output and "vraag 1" not in english.output


def test_the_web_language_is_the_users_language(app):
    # Flask-Babel caches the locale on the app context, which the test fixture shares: refresh per request
    from flask_babel import refresh
    from flask_login import login_user

    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert web_language() == "en"
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        refresh()
        assert web_language() == "nl"
    english = factories.make_user(locale="en")
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        refresh()
        login_user(english)
        refresh()
        assert web_language() == "en"
