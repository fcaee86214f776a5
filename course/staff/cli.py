"""`flask courses staff COURSE_SLUG`: list or change a course's trainers and authors."""
import click
from flask import Flask
from flask.cli import AppGroup

courses_cli = AppGroup("courses", help="Courses and their staff.")


@courses_cli.command("staff")
@click.argument("course_slug")
@click.option("--add-trainer", "add_trainers", multiple=True, metavar="EMAIL", help="Appoint a course trainer.")
@click.option("--remove-trainer", "remove_trainers", multiple=True, metavar="EMAIL", help="End a course trainer.")
@click.option("--add-author", "add_authors", multiple=True, metavar="EMAIL", help="Appoint a course author.")
@click.option("--remove-author", "remove_authors", multiple=True, metavar="EMAIL", help="End a course author.")
def staff_command(course_slug, add_trainers, remove_trainers, add_authors, remove_authors):
    """Without options: list the course's trainers and authors. Appointing a learner
    account as course trainer gives it the role trainer (needed to review)."""
    from course.errors import DomainError

    from . import services

    course = services.load_course(course_slug)
    if course is None:
        raise click.ClickException(f"No course with slug '{course_slug}'.")
    try:
        for email in add_trainers:
            user, promoted = services.add_course_trainer(course, email)
            click.echo(f"Course trainer added: {user.email}" + (" (role changed to trainer)" if promoted else ""))
        for email in remove_trainers:
            user = _existing(services, email)
            done = services.remove_course_trainer(course, user)
            click.echo(f"Course trainer removed: {user.email}" if done else f"{user.email} was not a course trainer.")
        for email in add_authors:
            user = services.add_course_author(course, email)
            click.echo(f"Course author added: {user.email}")
        for email in remove_authors:
            user = _existing(services, email)
            done = services.remove_course_author(course, user)
            click.echo(f"Course author removed: {user.email}" if done else f"{user.email} was not a course author.")
    except DomainError as error:
        raise click.ClickException(error.message) from error
    _print_staff(services, course)


def _existing(services, email):
    import sqlalchemy as sa

    from course.extensions import db
    from course.models import User

    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account with e-mail address {email}.")
    return user


def _print_staff(services, course) -> None:
    click.echo(f"{course.title} ({course.slug})")
    click.echo("Course trainers:" if (trainers := services.course_trainers(course)) else "Course trainers: none")
    for user in trainers:
        click.echo(f"  {user.name} <{user.email}>")
    click.echo("Authors (platform admins are authors of every course):" if (authors := services.course_authors(course))
               else "Authors: none besides the platform admins")
    for user in authors:
        click.echo(f"  {user.name} <{user.email}>")
    seeing = "yes" if course.course_trainers_see_cohorts else "no"
    click.echo(f"Course trainers review in-company groups: {seeing}")


def init_app(app: Flask) -> None:
    app.cli.add_command(courses_cli)
