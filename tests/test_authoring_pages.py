"""The editor's pages: the checker's messages next to their fields in the user's language,
text kept on a conflict, questions of every registered type, preview, ZIP safety."""
import io
import shutil
import zipfile

import pytest
import sqlalchemy as sa
import yaml

from course.authoring import editors, folder, publishing, queries, services
from course.content.loader import load_content
from course.content.questions import QUESTION_TYPES
from course.extensions import db
from course.models import Course, CourseAuthor
from tests import factories
from tests.factories_learn import SECOND_COURSE

SLUG = "feedback-geven"
ED = f"/auteur/{SLUG}"


@pytest.fixture
def author(app, tmp_path):
    """An appointed (non-admin) author of the second fixture course, logged in."""
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / SLUG)
    load_content(root)
    publishing.record_loaded_versions(root)
    user = factories.make_user(role="trainer", name="Auteur")
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    db.session.add(CourseAuthor(course_id=course.id, user_id=user.id))
    db.session.commit()
    return user


def _lock(path):
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    return str(queries.draft_locks(services.ensure_draft(SLUG, course, None))[path])


def test_a_wrong_number_is_saved_and_explained_next_to_its_field_in_dutch(author, login_as):
    client = login_as(author)
    assert client.get(f"{ED}/instellingen").status_code == 200
    response = client.post(f"{ED}/instellingen", data={
        "title": "Feedback geven", "description": "Over feedback.", "study_hours": "acht",
        "colours.primary": "rood", "lock": _lock("course.yml")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="acht"' in page  # the text the author typed is kept
    field = page[page.index('id="f-study-hours"'):]
    assert "moet een geheel getal zijn" in field[:600]
    assert "rood" in page and "moet eruitzien als #0b5d6b" in page


def test_the_same_message_in_english_for_an_english_user(author, login_as):
    client = login_as(author)
    client.post("/taal", data={"lang": "en"})
    client.post(f"{ED}/instellingen", data={"title": "X", "description": "Y", "study_hours": "acht",
                                            "lock": _lock("course.yml")})
    page = client.get(f"{ED}/instellingen").get_data(as_text=True)
    assert "'study_hours' must be a whole number" in page.replace("&#39;", "'")


def test_two_authors_on_the_same_reading_the_second_is_refused_with_her_text_kept(author, login_as):
    first, second = login_as(author), login_as(factories.make_user(role="admin"))
    path = "goed-luisteren/reading.md"
    lock = _lock(path)
    first.post(f"{ED}/modules/goed-luisteren/leestekst",
               data={"title": "Goed luisteren", "body": "Tekst van de eerste auteur.", "lock": lock})
    response = second.post(f"{ED}/modules/goed-luisteren/leestekst",
                           data={"title": "Goed luisteren", "body": "Tekst van de tweede auteur.", "lock": lock})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Tekst van de tweede auteur." in page and "Iemand anders heeft dit deel" in page
    assert "Tekst van de eerste auteur." in folder.text_of(queries.draft_files(queries.draft_of(SLUG)), path)


def test_the_preview_renders_the_reading_as_learners_see_it(author, login_as):
    client = login_as(author)
    response = client.post(f"{ED}/modules/goed-luisteren/voorbeeld",
                           data={"title": "T", "body": "## Kop\n\n**vet** en ![Schema](luisteren.svg)"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h2 id="kop">Kop</h2>' in page and "<strong>vet</strong>" in page
    assert f'src="/auteur/{SLUG}/concept/goed-luisteren/luisteren.svg"' in page


@pytest.mark.parametrize("kind", sorted(QUESTION_TYPES))
def test_a_question_of_every_type_is_written_and_checked(author, login_as, kind):
    client = login_as(author)
    url = f"{ED}/modules/goed-luisteren/quiz/vragen/0"
    form = client.get(f"{url}?type={kind}").get_data(as_text=True)
    assert 'name="text"' in form
    cls = QUESTION_TYPES[kind]
    example = {"single": [("a", "Ja", "y"), ("b", "Nee", "")], "truefalse": [("waar", "Waar", "y"),
                                                                             ("niet-waar", "Niet waar", "")],
               "multiple": [("a", "Ja", "y"), ("b", "Ook", "y"), ("c", "Nee", "")]}
    data = {"type": kind, "id": f"nieuw-{kind}", "text": "Een nieuwe vraag?", "feedback": "Uitleg.",
            "lock": _lock("goed-luisteren/quiz.yml")}
    rows = cls.EDITOR.rows
    for i in range(5):
        for f in rows.fields:
            value = {"id": f"r{i}", "text": f"Onderdeel {i}", "match": f"Doel {i}", "feedback": "Zo is het."}.get(
                f.name, "")
            if kind in example:
                if i >= len(example[kind]):
                    value = ""
                elif f.name in ("id", "text"):
                    value = example[kind][i][0 if f.name == "id" else 1]
                elif f.name == "correct":
                    value = example[kind][i][2]
            if value:
                data[f"{rows.name}-{i}-{f.name}"] = value
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    files = queries.draft_files(queries.draft_of(SLUG))
    check = folder.check_files(SLUG, files)
    assert [p.message for p in check.problems] == []
    quiz = check.course.module("goed-luisteren").quiz
    assert quiz.questions[-1].id == f"nieuw-{kind}" and quiz.questions[-1].type == kind
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Een nieuwe vraag?" in page


def test_a_question_without_a_right_option_shows_the_message_at_the_options(author, login_as):
    client = login_as(author)
    response = client.post(f"{ED}/modules/goed-luisteren/quiz/vragen/1", data={
        "id": "q1", "text": "Vraag?", "options-0-id": "a", "options-0-text": "A", "options-0-feedback": "x",
        "options-1-id": "b", "options-1-text": "B", "options-1-feedback": "y",
        "lock": _lock("goed-luisteren/quiz.yml")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "heeft geen goed antwoord" in page
    assert 'value="A"' in page


def test_bad_input_is_never_a_500(author, login_as):
    client = login_as(author)
    for url, data in [
        (f"{ED}/instellingen", {"title": "x" * 5000, "lock": "99999999999999999"}),
        (f"{ED}/modules/goed-luisteren/opdracht", {"fields.999.id": "x", "rubric.5.levels.7.points": "-1",
                                                    "lock_assignment": "abc"}),
        (f"{ED}/modules/goed-luisteren/quiz/vragen/99", {}),
        (f"{ED}/modules/goed-luisteren/quiz/vragen/0?type=bestaat-niet", {}),
        (f"{ED}/modules/goed-luisteren/verplaatsen", {"direction": "sideways", "lock": "x"}),
        (f"{ED}/bestand/course.yml", {"text": "format: [1\n", "lock": _lock("course.yml")}),
    ]:
        assert client.post(url, data=data).status_code < 500, url
    assert client.get(f"{ED}/instellingen").status_code == 302  # course.yml unreadable: to the file editor
    assert client.get(f"{ED}/bestand/course.yml").status_code == 200
    assert client.get(f"{ED}/verschil?van=99&naar=1").status_code == 404
    assert client.get(f"{ED}/verschil?van=abc&naar=-1").status_code == 200


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _symlink(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize("entries, reason", [
    ([("../course.yml", b"format: 1")], "zip_bad_path"),
    ([("course.yml", b"format: 1"), ("/etc/passwd", b"x")], "zip_bad_path"),
    ([("course.yml", b"format: 1"), ("a/b/c.md", b"x")], "zip_bad_path"),
    ([("course.yml", b"format: 1"), ("m/run.sh", b"x")], "zip_bad_path"),
    ([("course.yml", b"format: 1"), (_symlink("m/reading.md"), b"/etc/passwd")], "zip_bad_entry"),
    ([("course.yml", b"format: 1"), ("m/reading.md", b"a" * (folder.MAX_TEXT_BYTES + 1))], "zip_file_too_large"),
    ([("m/reading.md", b"x")], "zip_no_course"),
    ([(f"m/f{i}.md", b"x") for i in range(folder.MAX_ZIP_FILES + 1)], "zip_too_many"),
])
def test_an_unsafe_zip_is_refused(entries, reason):
    with pytest.raises(folder.FolderError) as refused:
        folder.from_zip(_zip(entries))
    assert str(refused.value) == reason


def test_a_zip_bomb_is_stopped_while_reading():
    bomb = _zip([("course.yml", b"format: 1"), ("m/reading.md", b"\0" * 50_000_000)])
    assert len(bomb) < 200_000
    with pytest.raises(folder.FolderError):
        folder.from_zip(bomb)
    with pytest.raises(folder.FolderError):
        folder.from_zip(b"not a zip at all")


def test_an_svg_with_a_script_is_refused_and_a_plain_one_accepted():
    assert folder.image_problem("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    assert folder.image_problem("a.svg", b'<svg onload="x()"></svg>')
    assert folder.image_problem("a.png", b"<svg></svg>") == "image_not_that_type"
    assert folder.image_problem("luisteren.svg", (SECOND_COURSE / "goed-luisteren" / "luisteren.svg").read_bytes()) \
        is None


def test_download_then_upload_round_trips_and_becomes_a_draft_not_a_publish(author, login_as):
    client = login_as(author)
    data = client.get(f"{ED}/download.zip").data
    before = queries.draft_files(queries.draft_of(SLUG))
    files, top = folder.from_zip(data)
    assert top == SLUG and files == before
    changed = data.replace(b"", b"")  # same bytes: an upload of an unchanged course changes nothing
    response = client.post(f"{ED}/upload", data={"file": (io.BytesIO(changed), "cursus.zip")})
    assert response.status_code == 302
    assert queries.latest_version(SLUG).number == 1  # never published directly
    bad = _zip([(f"{SLUG}/course.yml", b"format: 1\ntitle: Zonder modules\n")])
    response = client.post(f"{ED}/upload", data={"file": (io.BytesIO(bad), "cursus.zip")}, follow_redirects=True)
    assert "probleem" in response.get_data(as_text=True)
    assert queries.latest_version(SLUG).number == 1
    assert folder.text_of(queries.draft_files(queries.draft_of(SLUG)), "course.yml").startswith("format: 1")


def test_learner_images_come_from_the_published_version_in_the_database(author, client):
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    course.source_path = "/bestaat/niet"  # another app server: no course folder on its disk
    db.session.commit()
    response = client.get(f"/cursussen/{SLUG}/media/goed-luisteren/luisteren.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def _add_modules(number):
    draft = queries.draft_of(SLUG)
    files = queries.draft_files(draft)
    data = folder.course_yml(files)
    new = [f"extra-{i}-{number}" for i in range(number)]
    changes = [("course.yml", folder.dump_yaml({**data, "modules": data["modules"] + new}).encode(),
                queries.draft_locks(draft)["course.yml"])]
    changes += [(f"{slug}/reading.md", b"---\ntitle: Extra\n---\nTekst.\n", 0) for slug in new]
    services.save_files(draft, changes, None)


def test_the_overview_and_history_use_a_fixed_number_of_queries(author, login_as):
    from tests.querycount import count_queries

    client = login_as(author)
    client.get(ED)
    counts = []
    for extra in (1, 4):
        _add_modules(extra)
        publishing.publish(queries.draft_of(SLUG), None)
        with count_queries() as overview:
            assert client.get(ED).status_code == 200
        with count_queries() as history:
            assert client.get(f"{ED}/geschiedenis").status_code == 200
        counts.append((overview.count, history.count))
    assert counts[0] == counts[1]


def test_an_appointed_author_finds_the_editor_on_her_account_page(author, login_as):
    page = login_as(author).get("/mijn-account").get_data(as_text=True)
    assert 'href="/auteur"' in page
    learner_page = login_as(factories.make_user()).get("/mijn-account").get_data(as_text=True)
    assert 'href="/auteur"' not in learner_page


def _assignment_form(values: dict) -> dict:
    """What the assignment page posts for `values` (as the page shows them)."""
    form = {"title": values["title"], "body": values["body"]}
    for i, row in enumerate(values["fields"]):
        form.update({f"fields.{i}.{key}": value for key, value in row.items()})
    for i, criterion in enumerate(values["rubric"]):
        form.update({f"rubric.{i}.{key}": value for key, value in criterion.items() if key != "levels"})
        for j, level in enumerate(criterion["levels"]):
            form.update({f"rubric.{i}.levels.{j}.{key}": value for key, value in level.items()})
    return form


def test_every_editor_page_of_the_default_course_opens_and_saving_it_unchanged_keeps_its_version(
        app, login_as):
    from course.content.questions import question_type
    from tests.factories_learn import DEFAULT_CONTENT

    load_content(DEFAULT_CONTENT)
    publishing.record_loaded_versions(DEFAULT_CONTENT)
    course = db.session.scalar(sa.select(Course).where(Course.slug == "welzijn-2-0"))
    loaded_version = course.content_version
    client = login_as(factories.make_user(role="admin"))
    base = "/auteur/welzijn-2-0"
    for url in (base, f"{base}/instellingen", f"{base}/bekijken", f"{base}/geschiedenis", f"{base}/upload"):
        assert client.get(url).status_code == 200, url
    files = queries.draft_files(queries.draft_of("welzijn-2-0"))
    types = set()
    for module in [m.slug for m in course.active_modules]:
        for part in ("leestekst", "quiz", "opdracht"):
            assert client.get(f"{base}/modules/{module}/{part}").status_code == 200, (module, part)
        assert client.get(f"{base}/bekijken/{module}").status_code == 200, module
        quiz = folder.load_yaml(folder.text_of(files, f"{module}/quiz.yml")) or {"questions": []}
        for number, question in enumerate(quiz["questions"], start=1):
            types.add(question["type"])
            page = client.get(f"{base}/modules/{module}/quiz/vragen/{number}")
            assert page.status_code == 200, (module, number)
            values = editors.question_values(question_type(question["type"]), question)  # saved back unchanged
            lock = queries.draft_locks(queries.draft_of("welzijn-2-0"))[f"{module}/quiz.yml"]
            saved = client.post(f"{base}/modules/{module}/quiz/vragen/{number}", data={**values, "lock": lock})
            assert saved.status_code == 302, (module, number)
    assert {"ordering", "matching"} <= types
    locks = queries.draft_locks(queries.draft_of("welzijn-2-0"))
    data = folder.course_yml(files)
    assert client.post(f"{base}/instellingen", data={**editors.settings_values(data),
                                                     "lock": locks["course.yml"]}).status_code == 302
    for module in [m.slug for m in course.active_modules]:
        values = editors.reading_values(folder.text_of(files, f"{module}/reading.md"))
        assert client.post(f"{base}/modules/{module}/leestekst",
                           data={**values, "lock": locks[f"{module}/reading.md"]}).status_code == 302
        if f"{module}/assignment.md" in files:
            form = _assignment_form(editors.assignment_values(folder.text_of(files, f"{module}/assignment.md")))
            reading = editors.reading_values(folder.text_of(files, f"{module}/reading.md"))
            locks = queries.draft_locks(queries.draft_of("welzijn-2-0"))
            assert client.post(f"{base}/modules/{module}/opdracht", data={
                **form, "remember": reading["remember"], "lock_assignment": locks[f"{module}/assignment.md"],
                "lock_reading": locks[f"{module}/reading.md"]}).status_code == 302
    version = publishing.publish(queries.draft_of("welzijn-2-0"), None)
    assert version.content_hash == loaded_version
    assert db.session.get(Course, course.id).content_version == loaded_version


def test_the_editor_sets_the_live_attendance_a_blended_course_needs(author, login_as):
    client = login_as(author)
    data = editors.settings_values(folder.course_yml(queries.draft_files(services.ensure_draft(
        SLUG, db.session.scalar(sa.select(Course).where(Course.slug == SLUG)), None))))
    page = client.get(f"{ED}/instellingen").get_data(as_text=True)
    assert "Bij te wonen livesessies" in page and "Bij te wonen contacturen" in page
    response = client.post(f"{ED}/instellingen", data={**data, "attendance.sessions": "1",
                                                        "attendance.hours": "6", "lock": _lock("course.yml")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    publishing.publish(queries.draft_of(SLUG), author)
    db.session.expire_all()
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    assert (course.attendance_sessions, course.attendance_hours) == (1, 6) and course.requires_attendance


def test_the_diff_names_what_happened_to_each_file(author, login_as):
    changes = folder.diff({"a.md": b"oud", "b.md": b"weg"}, {"a.md": b"nieuw", "c.md": b"erbij"})
    assert [(c.path, c.status) for c in changes] == [
        ("a.md", folder.FileChange.CHANGED), ("b.md", folder.FileChange.REMOVED), ("c.md", folder.FileChange.ADDED)]
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    services.save_files(services.ensure_draft(SLUG, course, None), [("extra.md", b"Nieuwe tekst\n", 0)], None)
    page = login_as(author).get(f"{ED}/verschil").get_data(as_text=True)
    assert "<code>extra.md</code> <span class=\"muted\">(toegevoegd)</span>" in page


def test_the_author_uploads_a_cover_image_with_its_description_from_the_settings(author, login_as):
    """A trainer who is not a programmer sets the course's cover in the browser: the image
    lands beside course.yml, and course.yml names it with its description."""
    client = login_as(author)
    page = client.get(f"{ED}/instellingen").get_data(as_text=True)
    assert "Een omslagafbeelding uploaden" in page
    response = client.post(f"{ED}/omslag", data={"file": (io.BytesIO(b"GIF89a" + b"\0" * 20), "Omslag 1.png"),
                                                 "description": "Collega's aan tafel"}, follow_redirects=True)
    assert response.status_code == 400 and "niet het soort afbeelding" in response.get_data(as_text=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    response = client.post(f"{ED}/omslag", data={"file": (io.BytesIO(png), "Omslag 1.png"),
                                                 "description": "Collega's   aan tafel"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/instellingen#cover-image")
    draft = services.ensure_draft(SLUG, None, author)
    files = {f.path: f.data for f in draft.files}
    [name] = [path for path in files if "/" not in path and path.endswith(".png")]
    assert files[name] == png
    settings = yaml.safe_load(files["course.yml"])
    assert settings["cover"] == name and settings["cover_alt"] == "Collega's aan tafel"
    page = client.get(f"{ED}/instellingen").get_data(as_text=True)
    assert f"/concept-omslag/{name}" in page and client.get(f"{ED}/concept-omslag/{name}").data == png


def test_the_editor_sets_whether_course_trainers_review_in_company_groups_or_leaves_it_to_the_staff_page(
        author, login_as):
    client = login_as(author)
    course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
    data = editors.settings_values(folder.course_yml(queries.draft_files(services.ensure_draft(SLUG, course, None))))
    assert data["course_trainers_see_cohorts"] == ""
    page = client.get(f"{ED}/instellingen").get_data(as_text=True)
    assert "Cursustrainers beoordelen ook incompanygroepen" in page and "Niet ingesteld" in page
    response = client.post(f"{ED}/instellingen", data={**data, "course_trainers_see_cohorts": "true",
                                                        "lock": _lock("course.yml")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    draft = folder.course_yml(queries.draft_files(queries.draft_of(SLUG)))
    assert draft["course_trainers_see_cohorts"] is True
    publishing.publish(queries.draft_of(SLUG), author)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Course.course_trainers_see_cohorts).where(Course.slug == SLUG)) is True
    # Back to "not set": the key leaves course.yml, so the staff page decides again.
    data = editors.settings_values(draft)
    assert data["course_trainers_see_cohorts"] == "true"
    client.post(f"{ED}/instellingen", data={**data, "course_trainers_see_cohorts": "", "lock": _lock("course.yml")})
    assert "course_trainers_see_cohorts" not in folder.course_yml(queries.draft_files(queries.draft_of(SLUG)))
