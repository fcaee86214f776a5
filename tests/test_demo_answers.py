"""course/demo/answers.yml: every text the demo seed fills is there and fits its field,
and the seed really uses them (no placeholder texts in the demo)."""
import sqlalchemy as sa

from course.demo import answers
from course.demo.learning import FINISHED, PART_WAY
from course.demo.review import EXTRA_LEARNERS
from course.extensions import db
from course.models import Enrolment, FeedbackSnippet, Submission, User
from tests.factories_learn import load_default_course


def _assignment_modules():
    return [m for m in load_default_course().active_modules if m.has_assignment]


def _check_fields(texts: dict, module, where: str, complete: bool) -> list[str]:
    specs = {spec["id"]: spec for spec in module.assignment["fields"]}
    problems = [f"{where}: unknown field '{key}'" for key in set(texts) - set(specs)]
    if complete:
        problems += [f"{where}: no text for '{key}'" for key in specs if key not in texts]
    for key, text in texts.items():
        if key not in specs:
            continue
        if not (text or "").strip():
            problems.append(f"{where}: '{key}' is empty")
        elif len(text.strip()) > specs[key]["max_length"]:
            problems.append(f"{where}: '{key}' is {len(text.strip())} characters, the limit is "
                            f"{specs[key]['max_length']}")
    return problems


def _check_review(email: str, module) -> list[str]:
    where = f"{email} / {module.slug}"
    problems = [] if answers.feedback(email, module.slug) else [f"{where}: empty feedback"]
    comments = answers.rubric_comments(email, module.slug)
    criteria = {criterion["id"] for criterion in module.assignment["rubric"]}
    problems += [f"{where}: no rubric comment for '{c}'" for c in sorted(criteria - set(comments))]
    problems += [f"{where}: unknown rubric criterion '{c}'" for c in sorted(set(comments) - criteria)]
    problems += [f"{where}: empty rubric comment for '{c}'" for c, text in comments.items() if not text]
    return problems


def test_answers_cover_every_field_the_seed_fills_within_max_length(app):
    modules = _assignment_modules()
    first, second = modules[0], modules[1]
    problems = []
    # afgerond: every assignment submitted and approved.
    for module in modules:
        problems += _check_fields(answers.fields(FINISHED, module.slug), module, f"{FINISHED} / {module.slug}", True)
        problems += _check_review(FINISHED, module)
    # leerling: the first assignment sent back and resubmitted, the second a draft.
    where = f"{PART_WAY} / {first.slug}"
    original = answers.fields(PART_WAY, first.slug)
    revision = answers.revision(PART_WAY, first.slug)
    problems += _check_fields(original, first, where, True)
    problems += _check_review(PART_WAY, first)
    problems += _check_fields(revision, first, where + " (revision)", False)
    if not revision or all(original.get(key) == text for key, text in revision.items()):
        problems.append(f"{where}: the revision changes nothing")
    draft = answers.draft(PART_WAY, second.slug)
    problems += _check_fields(draft, second, f"{PART_WAY} / {second.slug} (draft)", False)
    if not draft:
        problems.append(f"{PART_WAY} / {second.slug}: the draft is empty")
    # The learners the review step adds: the first assignment, some of them approved.
    for email, _name, _days, approve in EXTRA_LEARNERS:
        problems += _check_fields(answers.fields(email, first.slug), first, f"{email} / {first.slug}", True)
        if approve:
            problems += _check_review(email, first)
    assert problems == []


def test_every_module_in_answers_exists_and_snippets_are_complete(app):
    slugs = {module.slug for module in _assignment_modules()}
    for email, modules in answers.load()["learners"].items():
        assert set(modules) <= slugs, email
    snippets = answers.snippets()
    assert len(snippets) == 2
    assert all(title and len(title) <= 120 and body for title, body in snippets)


def test_the_seed_uses_the_answers(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output

    def submissions(email):
        enrolment = db.session.scalar(sa.select(Enrolment).join(User).where(User.email == email))
        return {s.module.slug: s for s in db.session.scalars(
            sa.select(Submission).where(Submission.enrolment_id == enrolment.id))}

    finished = submissions(FINISHED)
    assert len(finished) == 5
    for slug, submission in finished.items():
        version = submission.versions[-1]
        assert version.fields == answers.fields(FINISHED, slug)
        assert version.review.feedback_md == answers.feedback(FINISHED, slug)
        assert {s.criterion_id: s.comment for s in version.review.scores} == answers.rubric_comments(FINISHED, slug)

    part_way = submissions(PART_WAY)
    first = part_way["introductie"]
    assert [v.number for v in first.versions] == [1, 2]
    assert first.versions[0].fields == answers.fields(PART_WAY, "introductie")
    assert first.versions[1].fields == {**answers.fields(PART_WAY, "introductie"),
                                        **answers.revision(PART_WAY, "introductie")}
    assert first.versions[0].review.feedback_md == answers.feedback(PART_WAY, "introductie")
    draft = part_way["is-dit-echt-nodig"].draft_fields
    assert {k: v for k, v in draft.items() if v} == answers.draft(PART_WAY, "is-dit-echt-nodig")

    for email, _name, _days, _approve in EXTRA_LEARNERS:
        assert submissions(email)["introductie"].versions[0].fields == answers.fields(email, "introductie")
    titles = set(db.session.scalars(sa.select(FeedbackSnippet.title)))
    assert titles == {title for title, _body in answers.snippets()}
    texts = " ".join(str(v.fields) for s in finished.values() for v in s.versions)
    assert "voorbeeldtekst" not in texts
