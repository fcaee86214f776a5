"""`flask content check [PATH]`, `flask content load [PATH]` and `flask content export COURSE DIR`."""
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

content_cli = AppGroup("content", help="Check, load and export the course content in modules/.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"])


def _show(problems, prefix: str = "") -> None:
    """Each problem as file:line: message, in the language LANG asks for (nl or en)."""
    from .messages import cli_language

    cwd, language = Path.cwd(), cli_language()
    for problem in problems:
        click.echo(prefix + problem.display(cwd, language), err=True)


@content_cli.command("check")
@click.argument("path", required=False)
def check_command(path):
    """Report every problem in the content (file:line: message); exit 1 if there are any."""
    from .messages import Msg, cli_language
    from .spec import read_content

    report = read_content(_root(path))
    _show(report.warnings, "warning: ")
    if report.problems:
        _show(report.problems)
        raise click.ClickException(Msg("cli.problems", count=len(report.problems)).in_language(cli_language()))
    modules = sum(len(course.modules) for course in report.courses)
    click.echo(Msg("cli.ok", courses=len(report.courses), modules=modules).in_language(cli_language()))


def _load(root: Path, keep_editor_changes: bool):
    """Everything under `root`; with keep_editor_changes, each course folder on its own,
    leaving out the courses published from the editor whose files did not change."""
    from course.authoring.queries import kept_from_the_editor

    from .loader import LoadResult, load_content
    from .spec import course_folders

    kept = kept_from_the_editor(root) if keep_editor_changes else set()
    if not kept:
        return load_content(root), kept
    total = LoadResult()
    for course_folder in course_folders(root):
        if course_folder.name in kept:
            continue
        part = load_content(course_folder)
        total.courses += part.courses
        total.created_modules += part.created_modules
        total.updated_modules += part.updated_modules
        total.retired_modules += part.retired_modules
        total.warnings += part.warnings
    return total, kept


@content_cli.command("load")
@click.argument("path", required=False)
@click.option("--keep-editor-changes", is_flag=True,
              help="Leave a course alone when it was published from the browser editor and its files "
                   "have not changed since they were last loaded (what `make run` does on every start).")
def load_command(path, keep_editor_changes):
    """Check and load the content in one transaction. Learner progress is never touched."""
    from .loader import ContentInvalid

    try:
        result, kept = _load(_root(path), keep_editor_changes)
    except ContentInvalid as error:
        _show(error.problems)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; nothing was loaded and the site keeps "
            "the content it had."
        ) from error
    from course.authoring.publishing import record_loaded_versions

    recorded = record_loaded_versions(_root(path))  # history starts here; images served from the database
    _show(result.warnings, "warning: ")
    for version in recorded:
        click.echo(f"Recorded published version {version.number} of {version.course_slug}.")
    for slug in sorted(kept):
        click.echo(f"Kept {slug} as published in the editor: its files have not changed since the last load.")
    click.echo(f"Loaded {len(result.courses)} course(s): {', '.join(result.courses)} "
               f"({result.created_modules} new module(s), {result.updated_modules} updated).")
    for slug in result.retired_modules:
        click.echo(f"Retired module (kept, hidden): {slug}")
    for slug in result.retired_courses:
        click.echo(f"Retired course (kept, hidden): {slug}")


@content_cli.command("export")
@click.argument("course")
@click.argument("directory")
def export_command(course, directory):
    """Write COURSE from the database to DIRECTORY/COURSE/ in the folder format; loading
    that folder gives the same content version."""
    from .export import ExportError, export_course

    try:
        folder = export_course(course, Path(directory))
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Exported {course} to {folder}")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
