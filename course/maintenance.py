"""Database upkeep every deployment needs: the query planner's statistics.

SQLite chooses between indexes by the statistics ANALYZE leaves in sqlite_stat1; without
them it guesses, and for "the enrolments of this group in this course" it guessed the
course's index, reading all 10,000 enrolments of a course to show a group of 500 (issue 16:
the matrix's query took three times as long). PostgreSQL's autovacuum analyses by itself,
but not straight after a bulk import. So the worker refreshes the statistics every night
(`planner_statistics` in course/worker/jobs.py) and `flask maintenance analyse` does it
at once (`make run` after the demo data, the bench after its data set, an operator after
an import).

`flask maintenance compile-templates` is the deploy step beside it: it fills the template
cache (course/warmup.py) and fails, naming them, when a template does not compile."""
import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from course.extensions import db

# Rows SQLite samples per index: the statistics cost milliseconds, not a full scan, on any size.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics() -> str:
    """ANALYZE the database (one transaction); returns the dialect's name."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        db.session.execute(sa.text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return dialect


maintenance_cli = AppGroup("maintenance", help="Database upkeep and deploy steps.")


@maintenance_cli.command("analyse")
def analyse_command():
    """Refresh the query planner's statistics (after a bulk import; the worker does it nightly)."""
    click.echo(f"Planner statistics refreshed ({refresh_statistics()}).")


@maintenance_cli.command("compile-templates")
def compile_templates_command():
    """Compile every template into the template cache (a deploy step; warm-up does it too)."""
    from flask import current_app

    from course.warmup import compile_templates

    loaded, failed = compile_templates(current_app)
    click.echo(f"{loaded} templates compiled.")
    if failed:
        raise click.ClickException("These templates do not compile: " + ", ".join(failed))


def init_app(app: Flask) -> None:
    app.cli.add_command(maintenance_cli)
