"""Issue 11, checked from outside (audit11): what an author, or an attacker with an
author's account, can send the editor. Every bad input gives a message and loses
nothing; two publishes at the same moment give one version and a message, never a 500."""
import io
import threading
import time
import zipfile

import sqlalchemy as sa

from course.authoring import folder, publishing, queries
from course.extensions import db
from course.models import CourseVersion
from tests import test_authoring_pages as pages
from tests.test_authoring_pages import ED, SLUG, _lock

author = pages.author  # the fixture: an appointed author of the second fixture course

# Nine references to nine references …: a few hundred bytes that unfold to 9**6 values.
REFERENCE_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcde", "bcdef",
                                                                                        strict=True))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(f"{SLUG}/{path}", data)
    return buffer.getvalue()


def _draft():
    _lock("course.yml")  # starts the draft
    return queries.draft_files(queries.draft_of(SLUG))


def test_yaml_references_are_refused_by_the_editor_as_by_the_checker(author, login_as):
    """A course.yml whose title is a reference bomb: without the refusal the settings page
    turns 9**6 values into text (9**8 took a minute and 2 GB)."""
    assert folder.load_yaml(REFERENCE_BOMB + "title: *f\n") is None
    assert folder.load_yaml("a: &x 1\nb: '*x'\n") == {"a": 1, "b": "*x"}  # an anchor alone, a quoted star: fine
    client = login_as(author)
    original = _draft()
    files = {**original, "course.yml": (REFERENCE_BOMB + "format: 1\ntitle: *f\nmodules: [goed-luisteren]\n").encode()}
    assert client.post(f"{ED}/upload", data={"file": (io.BytesIO(_zip(files)), "c.zip")}).status_code == 302
    started = time.monotonic()
    response = client.get(f"{ED}/instellingen")
    assert response.status_code == 302 and response.headers["Location"].endswith("/bestand/course.yml")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "YAML-verwijzingen" in page
    assert client.get(ED).status_code == 200
    bomb = "---\n" + REFERENCE_BOMB + "title: *f\n---\nTekst.\n"
    files = {**original, "goed-luisteren/assignment.md": bomb.encode()}
    assert client.post(f"{ED}/upload", data={"file": (io.BytesIO(_zip(files)), "c.zip")}).status_code == 302
    response = client.get(f"{ED}/modules/goed-luisteren/opdracht")
    assert response.status_code == 302 and response.headers["Location"].endswith("/goed-luisteren/assignment.md")
    assert time.monotonic() - started < 10


def test_two_publishes_at_the_same_moment_give_one_version_and_a_message(app, author, monkeypatch):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = author.get_id(), True
    assert client.get(ED).status_code == 200  # the draft exists before both requests
    before = db.session.scalar(sa.select(sa.func.count(CourseVersion.id)))
    both_counted = threading.Barrier(2, timeout=10)
    original = publishing._next_number

    def count_then_wait(slug):
        number = original(slug)
        both_counted.wait()
        return number

    monkeypatch.setattr(publishing, "_next_number", count_then_wait)
    responses, errors, user_id = [], [], author.get_id()

    def post():
        try:
            other = app.test_client()
            with other.session_transaction() as sess:
                sess["_user_id"], sess["_fresh"] = user_id, True
            responses.append(other.post(f"{ED}/publiceren", data={"note": "tegelijk"}))
        except Exception as error:  # noqa: BLE001  surfaced by the assertion below
            errors.append(repr(error))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], [(r.status_code, r.get_data(as_text=True)[-800:]) for r in responses]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "op hetzelfde moment gepubliceerd" in refused
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(CourseVersion.id))) == before + 1


def test_a_module_id_a_course_page_uses_is_refused_by_the_checker_and_the_editor(author, login_as):
    """/mijn-leren/<course>/afgerond is the completion page: a module "afgerond" could never be opened."""
    from flask import current_app

    from course.content.spec import RESERVED_MODULE_IDS

    rules = [rule.rule.split("/") for rule in current_app.url_map.iter_rules()]
    taken = {(tuple(parts[:i]), other[i]) for parts in rules for i, part in enumerate(parts)
             if part in ("<module_slug>", "<module>")
             for other in rules if len(other) > i and other[:i] == parts[:i] and not other[i].startswith("<")}
    assert {word for _prefix, word in taken} <= RESERVED_MODULE_IDS

    client = login_as(author)
    files = _draft()
    data = folder.course_yml(files)
    files["course.yml"] = folder.dump_yaml({**data, "modules": [*data["modules"], "afgerond"]}).encode()
    files["afgerond/reading.md"] = b"---\ntitle: Afgerond\n---\nTekst.\n"
    check = folder.check_files(SLUG, files)
    assert [p.message.in_language("nl") for p in check.problems] == [
        "'afgerond' kan geen module-id zijn: de cursus gebruikt het voor een eigen pagina (niet: afgerond, "
        "collega-feedback, weggooien); geef de modulemap een andere naam"]
    response = client.post(f"{ED}/modules", data={"title": "Afgerond", "lock": _lock("course.yml")})
    assert response.status_code == 400
    assert "De cursus gebruikt deze id voor een eigen pagina" in response.get_data(as_text=True)
    assert "afgerond" not in folder.module_list(folder.course_yml(_draft()))


def test_the_author_takes_the_drafts_quiz_in_the_preview_and_nothing_is_recorded(author, login_as):
    from course.models import ProgressEvent, QuizAttempt

    client = login_as(author)
    url = f"{ED}/bekijken/goed-luisteren"
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/quiz"' in page and 'name="q-eerst"' in page
    response = client.post(f"{url}/quiz", data={"q-eerst": "luisteren"})
    assert response.status_code == 400  # one question left open: said so, her answer kept
    page = response.get_data(as_text=True)
    assert "field--error" in page and 'value="luisteren" checked' in page.replace('checked=""', "checked")
    response = client.post(f"{url}/quiz", data={"q-eerst": "luisteren", "q-waar-of-niet": "niet-waar"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 van de 2 punten" in page and "Juist: eerst luisteren." in page and "Het helpt wel." in page
    assert client.post(f"{url}/quiz", data={"q-eerst": "bestaat-niet", "q-waar-of-niet": "waar"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))) == 0


def test_a_reading_image_needs_a_description_and_must_be_a_harmless_image(author, login_as):
    client = login_as(author)
    url = f"{ED}/modules/goed-luisteren/afbeeldingen"
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    script = b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>'
    for name, data, description, message in [
        ("schema.png", png, "", "Dit veld is vereist"),
        ("schema.svg", script, "Schema", "Deze SVG bevat een script"),
        ("schema.png", b"GIF89a", "Schema", "niet het soort afbeelding dat de naam zegt"),
        ("schema.exe", b"MZ", "Schema", "De afbeelding moet een .png-"),
    ]:
        response = client.post(url, data={"file": (io.BytesIO(data), name), "description": description})
        assert response.status_code == 400 and message in response.get_data(as_text=True), name
    files = _draft()
    assert not any(path.startswith("goed-luisteren/schema") for path in files)
    response = client.post(url, data={"file": (io.BytesIO(png), "Mijn Schema.PNG"), "description": "Het schema"})
    assert response.status_code == 302
    files = _draft()
    assert files["goed-luisteren/mijn-schema.png"] == png
    assert folder.text_of(files, "goed-luisteren/reading.md").endswith("![Het schema](mijn-schema.png)\n")


HOSTILE_COURSE_YML = {
    "a list": b"- a\n- b\n",
    "not UTF-8": "format: 1\ntitle: Caf\xe9\n".encode("latin-1"),
    "wrong types everywhere": b"format: one\ntitle: [1, 2]\ndescription: {a: 1}\nlanguage: 5\nstudy_hours: [x]\n"
                              b"sequential: maybe\nquiz: [1]\ncolours: red\nworkbook: 7\nmodules: {a: b}\nretired: 5\n",
    "a Python tag": b"format: 1\ntitle: !!python/object/apply:os.system ['echo hi']\nmodules: [goed-luisteren]\n",
}


def test_a_hostile_course_yml_becomes_a_draft_with_messages_never_a_500(author, login_as):
    client = login_as(author)
    original = _draft()
    for name, data in HOSTILE_COURSE_YML.items():
        files = {**original, "course.yml": data}
        response = client.post(f"{ED}/upload", data={"file": (io.BytesIO(_zip(files)), "c.zip")})
        assert response.status_code == 302, name
        for url in ("", "/instellingen", "/bestand/course.yml", "/bekijken", "/verschil", "/download.zip"):
            assert client.get(ED + url).status_code < 500, (name, url)
        response = client.post(f"{ED}/publiceren", data={"note": name})
        assert response.status_code == 400 and "Er is niets gepubliceerd" in response.get_data(as_text=True), name
    assert db.session.scalar(sa.select(sa.func.count(CourseVersion.id))) == 1  # nothing published
