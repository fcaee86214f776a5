"""`flask content check`: every problem reported as file:line: message."""
from pathlib import Path

import pytest

from course.content.spec import read_content
from tests.factories_learn import DEFAULT_CONTENT, FIXTURES, SECOND_COURSE

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.name)
def test_each_broken_fixture_reports_exactly_its_expected_messages(case: Path):
    report = read_content(case)
    expected = (case / "expected.txt").read_text().splitlines()
    assert expected, "every broken fixture states the messages it must produce"
    assert [p.display(case) for p in report.problems] == expected
    assert not report.ok


def test_a_folder_with_many_problems_reports_all_of_them_not_just_the_first():
    report = read_content(FIXTURES / "broken" / "many-problems")
    files = {p.path.name for p in report.problems}
    assert len(report.problems) == 5
    assert files == {"course.yml", "quiz.yml", "assignment.md"}


def test_the_default_course_passes_the_check():
    report = read_content(DEFAULT_CONTENT)
    assert report.problems == []
    course = report.courses[0]
    assert course.slug == "welzijn-2-0"
    assert [m.slug for m in course.modules][:2] == ["introductie", "is-dit-echt-nodig"]


def test_the_default_course_meets_the_course_requirements():
    """Each module: a reading of 800+ words, a quiz of 6+ mixed questions with
    feedback on every option, an assignment with fields and a 3-5 criteria rubric."""
    course = read_content(DEFAULT_CONTENT).courses[0]
    assert len(course.modules) == 5
    for module in course.modules:
        reading = (DEFAULT_CONTENT / "welzijn-2-0" / module.slug / "reading.md").read_text()
        assert len(reading.split()) >= 800, module.slug
        questions = module.quiz.questions
        assert len(questions) >= 6, module.slug
        assert {"single", "multiple", "truefalse"} <= {q.type for q in questions}, module.slug
        assert all(o.feedback_html for q in questions for o in getattr(q, "options", []))
        assert all(q.feedback_html for q in questions if q.type in ("ordering", "matching"))
        assert module.assignment.fields
        assert 3 <= len(module.assignment.rubric) <= 5


def test_the_second_fixture_course_passes_the_check():
    report = read_content(SECOND_COURSE)
    assert report.problems == []
    module = report.courses[0].modules[0]
    assert 'src="leerlijn-media:luisteren.svg"' in module.reading.html
    assert module.assignment.fields[1].max_length == 20_000  # the default
    assert report.courses[0].settings["quiz_max_attempts"] == 2


def test_check_command_exits_non_zero_and_prints_every_problem(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "check", str(FIXTURES / "broken" / "many-problems")])
    assert result.exit_code != 0
    assert "missing field 'title' in course.yml" in result.output
    assert "question 1 has no correct answer" in result.output
    assert "5 problem(s) found" in result.output


def test_check_command_passes_on_the_default_content(app):
    result = app.test_cli_runner().invoke(args=["content", "check", str(DEFAULT_CONTENT)])
    assert result.exit_code == 0, result.output
    assert "Content OK: 1 course(s), 5 module(s)." in result.output


def test_check_without_a_path_uses_the_configured_content_folder(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output


def test_a_folder_not_listed_in_course_yml_is_a_warning_not_an_error(tmp_path):
    import shutil

    shutil.copytree(SECOND_COURSE, tmp_path / "feedback-geven")
    (tmp_path / "feedback-geven" / "concept").mkdir()
    report = read_content(tmp_path)
    assert report.ok
    assert [w.message for w in report.warnings] == [
        "this folder is not listed under 'modules' in course.yml; it is not loaded"]


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.name)
def test_the_check_command_reports_each_broken_fixture_without_a_traceback(app, case: Path):
    result = app.test_cli_runner().invoke(args=["content", "check", str(case)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for line in (case / "expected.txt").read_text().splitlines():
        assert line.split(":", 1)[1] in result.output       # the same line and message, path as given


def test_an_empty_content_folder_is_reported(tmp_path):
    report = read_content(tmp_path)
    assert [p.display(tmp_path.parent) for p in report.problems] == [
        f"{tmp_path.name}:1: no course folders found (each needs a course.yml)"]


def test_a_yaml_file_that_refers_to_itself_or_nests_endlessly_is_a_problem_not_a_crash(tmp_path):
    import shutil

    course = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, course)
    quiz = course / "goed-luisteren" / "quiz.yml"
    quiz.write_text("questions: &q\n  - *q\n")
    assert [p.display(tmp_path) for p in read_content(tmp_path).problems] == [
        "feedback-geven/goed-luisteren/quiz.yml:1: YAML references (&name and *name) are not supported: "
        "write the value out in full (a '*' or '&' at the start of a text needs quotes)"]
    quiz.write_text("questions: " + "[" * 3000 + "]" * 3000 + "\n")
    assert [p.message for p in read_content(tmp_path).problems] == ["the file is nested too deeply to read"]


def test_windows_line_ends_and_a_byte_order_mark_are_fine(tmp_path):
    import shutil

    course = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, course)
    for path in (course / "course.yml", course / "goed-luisteren" / "reading.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    report = read_content(tmp_path)
    assert report.problems == []
    assert report.courses[0].title == "Feedback geven in het sociaal werk"


def test_a_reading_heading_never_takes_an_id_the_module_page_uses_itself():
    """The introduction has a heading "Quiz": its anchor must not be the page's #quiz,
    or the module menu and the redirect after "I have read this" land inside the text."""
    from course.content.module_files import PAGE_IDS

    for module in read_content(DEFAULT_CONTENT).courses[0].modules:
        ids = [entry["id"] for entry in module.reading.toc]
        assert not set(ids) & PAGE_IDS, module.slug
        assert f'id="{ids[0]}"' in module.reading.html
    intro = read_content(DEFAULT_CONTENT).courses[0].modules[0]
    assert '<h3 id="quiz-1">Quiz</h3>' in intro.reading.html


def test_renamed_heading_anchors_keep_links_to_them_working(tmp_path):
    import shutil

    course = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, course)
    reading = course / "feedback-in-de-praktijk" / "reading.md"
    front, body = reading.read_text().split("---\n", 2)[1:]
    reading.write_text(f"---\n{front}---\n## Quiz\n\nZie [de quiz](#quiz).\n\n{body}")
    report = read_content(tmp_path)
    assert report.problems == []
    module = report.courses[0].modules[1]
    assert '<h2 id="quiz-1">Quiz</h2>' in module.reading.html
    assert '<a href="#quiz-1">de quiz</a>' in module.reading.html
    assert module.reading.toc[0]["id"] == "quiz-1"
