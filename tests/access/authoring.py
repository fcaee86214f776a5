"""The course editor (issue 11): authors of the course only (platform admins are authors of
every course). "other_trainer" is made the author of ANOTHER course: it may open the
editor's list, and gets 403 on every page of this course like the trainer, learners and
organisation admins. Visitors go to the login page; unknown courses and modules are 404."""
import io

from course.authoring import services
from course.extensions import db
from course.models import CourseAuthor, CourseVersion, VersionFile, VersionSource
from tests import factories

from . import Row, only

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def prepare(w):
    w.authored_elsewhere = factories.make_course(title="Andere cursus")
    db.session.add(CourseAuthor(course_id=w.authored_elsewhere.id, user_id=w.other_trainer.id))
    db.session.commit()
    draft = services.ensure_draft(w.course.slug, w.course, w.admin)
    services.save_files(draft, [(f"{w.module.slug}/plaatje.png", PNG, 0), ("voorplaat.png", PNG, 0)], w.admin)
    files = {f.path: f.data for f in draft.files}
    version = CourseVersion(course_slug=w.course.slug, number=1, content_hash=w.course.content_version,
                            source=VersionSource.LOAD)
    version.files = [VersionFile(path=path, data=data) for path, data in files.items()]
    db.session.add(version)
    db.session.commit()


def author(ok=200, **overrides):
    return only("admin", ok=ok, **overrides)


def ed(w, suffix=""):
    return f"/auteur/{w.course.slug}{suffix}"


def mod(w, suffix=""):
    return ed(w, f"/modules/{w.module.slug}{suffix}")


def _lock(w):
    return {"lock": "1"}


def _preview_answers(w):
    """The first option of every question of the draft's quiz (audit11)."""
    from course.authoring import folder, queries

    files = queries.draft_files(queries.draft_of(w.course.slug))
    quiz = folder.check_files(w.course.slug, files).course.module(w.module.slug).quiz
    return {f"q-{q.id}": q.options[0].id for q in quiz.questions}


def _zip(w):
    files = services.files_from_rows(w.course)
    from course.authoring.folder import to_zip

    return {"file": (io.BytesIO(to_zip(w.course.slug, files)), "cursus.zip")}


ROWS = [
    Row("authoring.index", lambda w: "/auteur", only("admin", "other_trainer")),
    Row("authoring.new_course", lambda w: "/auteur/nieuw", only("admin", ok=302), method="POST",
        data=lambda w: {"title": "Nieuwe cursus", "slug": "nieuwe-cursus"}),
    Row("authoring.overview", lambda w: ed(w), author()),
    Row("authoring.overview", lambda w: "/auteur/bestaat-niet", author(404, denied=404),
        id="GET authoring.overview (unknown)"),
    Row("authoring.overview", lambda w: "/auteur/Geen..Slug", author(404, denied=404),
        id="GET authoring.overview (bad slug)"),
    Row("authoring.settings", lambda w: ed(w, "/instellingen"), author()),
    Row("authoring.settings", lambda w: ed(w, "/instellingen"), author(302), method="POST",
        data=lambda w: {"title": "Nieuwe titel", "description": "Over de cursus.", **_lock(w)}),
    Row("authoring.add_module", lambda w: ed(w, "/modules"), author(302), method="POST",
        data=lambda w: {"title": "Een nieuwe module", **_lock(w)}),
    Row("authoring.move_module", lambda w: mod(w, "/verplaatsen"), author(302), method="POST",
        data=lambda w: {"direction": "down", **_lock(w)}),
    Row("authoring.retire_module", lambda w: mod(w, "/uit-gebruik"), author(302), method="POST", data=_lock),
    Row("authoring.restore_module", lambda w: mod(w, "/terug-in-gebruik"), author(302), method="POST", data=_lock),
    Row("authoring.delete_module", lambda w: mod(w, "/verwijderen"), author(302), method="POST", data=_lock),
    Row("authoring.reading", lambda w: mod(w, "/leestekst"), author()),
    Row("authoring.reading", lambda w: ed(w, "/modules/bestaat-niet/leestekst"), author(404),
        id="GET authoring.reading (unknown module)"),
    Row("authoring.reading", lambda w: mod(w, "/leestekst"), author(302), method="POST",
        data=lambda w: {"title": "Lezen", "body": "## Kop\n\nTekst.", **_lock(w)}),
    Row("authoring.reading_preview", lambda w: mod(w, "/voorbeeld"), author(), method="POST",
        data=lambda w: {"title": "Lezen", "body": "**vet**"}),
    Row("authoring.upload_image", lambda w: mod(w, "/afbeeldingen"), author(302), method="POST",
        data=lambda w: {"file": (io.BytesIO(PNG), "Schema 1.PNG"), "description": "Een schema"}),
    Row("authoring.delete_image", lambda w: mod(w, "/afbeeldingen/plaatje.png/verwijderen"), author(302),
        method="POST"),
    Row("authoring.upload_cover", lambda w: ed(w, "/omslag"), author(302), method="POST",
        data=lambda w: {"file": (io.BytesIO(PNG), "omslag.png"), "description": "Collega's aan tafel"}),
    Row("authoring.draft_cover", lambda w: ed(w, "/concept-omslag/voorplaat.png"), author()),
    Row("authoring.draft_cover", lambda w: ed(w, "/concept-omslag/geen.png"), author(404),
        id="GET authoring.draft_cover (not in the draft)"),
    Row("authoring.draft_media", lambda w: ed(w, f"/concept/{w.module.slug}/plaatje.png"), author()),
    Row("authoring.draft_media", lambda w: ed(w, f"/concept/{w.module.slug}/geen.png"), author(404),
        id="GET authoring.draft_media (unknown)"),
    Row("authoring.quiz", lambda w: mod(w, "/quiz"), author()),
    Row("authoring.quiz", lambda w: mod(w, "/quiz"), author(302), method="POST",
        data=lambda w: {"pass_mark": "80", **_lock(w)}),
    Row("authoring.question", lambda w: mod(w, "/quiz/vragen/1"), author()),
    Row("authoring.question", lambda w: mod(w, "/quiz/vragen/0"), author(404),
        id="GET authoring.question (new, no type)"),
    Row("authoring.question", lambda w: mod(w, "/quiz/vragen/99"), author(404),
        id="GET authoring.question (unknown)"),
    Row("authoring.question", lambda w: mod(w, "/quiz/vragen/1"), author(302), method="POST",
        data=lambda w: {"id": "m1q1", "text": "Vraag?", "options-0-id": "a", "options-0-text": "A",
                        "options-0-correct": "y", "options-0-feedback": "Ja.", "options-1-id": "b",
                        "options-1-text": "B", "options-1-feedback": "Nee.", **_lock(w)}),
    Row("authoring.change_question", lambda w: mod(w, "/quiz/vragen/1/wijzigen"), author(302), method="POST",
        data=lambda w: {"action": "down", **_lock(w)}),
    Row("authoring.add_quiz", lambda w: mod(w, "/quiz/toevoegen"), author(302), method="POST"),
    Row("authoring.remove_quiz", lambda w: mod(w, "/quiz/verwijderen"), author(302), method="POST"),
    Row("authoring.assignment", lambda w: mod(w, "/opdracht"), author()),
    Row("authoring.assignment", lambda w: mod(w, "/opdracht"), author(302), method="POST",
        data=lambda w: {"title": "Opdracht", "body": "Doe iets.", "fields.0.id": "a", "fields.0.label": "A",
                        "lock_assignment": "1", "lock_reading": "1"}),
    Row("authoring.add_assignment", lambda w: mod(w, "/opdracht/toevoegen"), author(302), method="POST"),
    Row("authoring.remove_assignment", lambda w: mod(w, "/opdracht/verwijderen"), author(302), method="POST"),
    Row("authoring.edit_file", lambda w: ed(w, "/bestand/course.yml"), author()),
    Row("authoring.edit_file", lambda w: ed(w, "/bestand/..%2F..%2Fetc%2Fpasswd"), author(404),
        id="GET authoring.edit_file (outside the course)"),
    Row("authoring.edit_file", lambda w: ed(w, "/bestand/course.yml"), author(302), method="POST",
        data=lambda w: {"text": "format: 1\n", **_lock(w)}),
    Row("authoring.preview_course", lambda w: ed(w, "/bekijken"), author()),
    Row("authoring.preview_module", lambda w: ed(w, f"/bekijken/{w.module.slug}"), author()),
    Row("authoring.preview_quiz", lambda w: ed(w, f"/bekijken/{w.module.slug}/quiz"), author(), method="POST",
        data=lambda w: _preview_answers(w)),
    Row("authoring.publish", lambda w: ed(w, "/publiceren"), author(302), method="POST",
        data=lambda w: {"note": "Eerste versie"}),
    Row("authoring.history", lambda w: ed(w, "/geschiedenis"), author()),
    Row("authoring.diff", lambda w: ed(w, "/verschil"), author()),
    Row("authoring.roll_back", lambda w: ed(w, "/versies/1/terugzetten"), author(302), method="POST"),
    Row("authoring.roll_back", lambda w: ed(w, "/versies/999999999999/terugzetten"), author(404), method="POST",
        id="POST authoring.roll_back (unknown)"),
    Row("authoring.discard", lambda w: ed(w, "/concept/weggooien"), author(302), method="POST"),
    Row("authoring.download", lambda w: ed(w, "/download.zip"), author()),
    Row("authoring.download_version", lambda w: ed(w, "/versies/1/download.zip"), author()),
    Row("authoring.download_version", lambda w: ed(w, "/versies/7/download.zip"), author(404),
        id="GET authoring.download_version (unknown)"),
    Row("authoring.upload", lambda w: ed(w, "/upload"), author()),
    Row("authoring.upload", lambda w: ed(w, "/upload"), author(302), method="POST", data=_zip),
]
