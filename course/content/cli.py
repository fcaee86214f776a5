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


@content_cli.command("load")
@click.argument("path", required=False)
def load_command(path):
    """Check and load the content in one transaction. Learner progress is never touched."""
    from .loader import ContentInvalid, load_content

    try:
        result = load_content(_root(path))
    except ContentInvalid as error:
        _show(error.problems)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; nothing was loaded and the site keeps "
            "the content it had."
        ) from error
    from course.authoring.services import record_loaded_versions

    recorded = record_loaded_versions(_root(path))  # history starts here; images served from the database
    _show(result.warnings, "warning: ")
    for version in recorded:
        click.echo(f"Recorded published version {version.number} of {version.course_slug}.")
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
