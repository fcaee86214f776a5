"""Everything a process would otherwise do on its first request, done before it serves.

A new gunicorn worker answered its first page 40-60 times slower than the next ones
(issue 16: Mijn leren 329 ms cold against 4-7 ms warm): SQLAlchemy configured its mappers
(0.29 s), Jinja compiled each template the page uses (0.18 s), Babel read its
catalogues and locale data, and Python-Markdown built its converters. Under load those
few slow first requests became the p95, because every connection waiting behind them
waited too.

`warm_up(app)` does that work up front: gunicorn's master calls it once before it forks
the workers (they inherit the result), or each worker calls it before its first request
when the app is not preloaded (gunicorn.conf.py). It touches no database.

Compiled templates are also kept on disk (TEMPLATE_CACHE_DIR), so a restart, or a worker
that loads the app itself, reads bytecode instead of compiling again. The cached code
carries a checksum of its source, so a changed template is compiled afresh; a folder
that cannot be written to only costs the speed-up.

What needs the database does not belong in the master before the fork (its connections
would be shared): `compile_statements(app)` runs in each worker instead, before its first
request. It opens the worker's first connection and has SQLAlchemy compile the pages'
registered statements (course/statements.py): a first review page spent 42 ms compiling
its submission query alone.
"""
import logging
import os
import pickle
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from jinja2 import FileSystemBytecodeCache, TemplateError
from sqlalchemy.orm import configure_mappers

log = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache in a private folder. A file it cannot read or write costs
    only the speed-up: the template is compiled from its source, as without a cache."""

    def __init__(self, directory: str):
        _private_folder(Path(directory))
        super().__init__(directory, "%s.jinja")
        self._warned = False

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError) as error:  # unreadable, cut short
            bucket.reset()
            self._warn(error)

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        if not self._warned:  # once per process, not once per template
            log.warning("Compiled templates are not kept in %s: %s", self.directory, error)
            self._warned = True


def _private_folder(path: Path) -> None:
    """Make the folder, or check an existing one: compiled code is executed when loaded,
    so nobody but this user may write there."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{path} may be written to by other users than this one")


def init_app(app: Flask) -> None:
    # Every template stays compiled in memory (Jinja's default keeps 400); there are ~200.
    app.jinja_env.cache = {}
    directory = app.config.get("TEMPLATE_CACHE_DIR")
    if not directory:
        return
    try:
        app.jinja_env.bytecode_cache = TemplateCache(directory)
    except OSError as error:
        log.warning("No template cache in %s: %s", directory, error)


def template_names(app: Flask) -> list[str]:
    """The app's page and mail templates (macros included: pages import them)."""
    return sorted(name for name in app.jinja_env.list_templates() if name.endswith(TEMPLATE_SUFFIXES))


def compile_templates(app: Flask) -> tuple[int, list[str]]:
    """Load every template into Jinja's in-memory cache (and the bytecode cache).

    Returns how many loaded and the names that failed; a broken template is logged and
    skipped, so the server still starts and only that page answers with an error page."""
    loaded, failed = 0, []
    for name in template_names(app):
        try:
            app.jinja_env.get_template(name)
            loaded += 1
        except TemplateError as error:
            log.error("Template %s does not compile: %s", name, error)
            failed.append(name)
    return loaded, failed


def _load_languages(app: Flask) -> None:
    """Read each language's catalogue and Babel's locale data, as a page in it would."""
    from flask_babel import force_locale, format_datetime, get_translations

    moment = datetime.now(UTC)
    with app.test_request_context("/"):
        for language in app.config.get("LANGUAGES", ()):
            with force_locale(language):
                get_translations()
                format_datetime(moment)  # the locale's data and the time zone's


def _prepare_text_converters() -> None:
    from course import text

    text.prepare_converters()


def compile_statements(app: Flask) -> tuple[int, int]:
    """In a worker: open its first connection and compile the registered statements.
    A database that cannot be reached is logged, not raised: the worker still starts and
    its pages say that the database is unavailable, as they would without this."""
    from course import statements
    from course.extensions import db

    if app.extensions.get("sqlalchemy") is not db:  # another app served with gunicorn.conf.py
        return 0, 0
    started = time.perf_counter()
    with app.app_context():
        try:
            compiled, failed = statements.prime(db.session)
        except sa.exc.SQLAlchemyError as error:
            log.warning("Statements not compiled ahead, the database is unavailable: %s", error)
            return 0, len(statements.registered())
        finally:
            db.session.remove()
    log.info("Compiled %s statements in process %s in %.3f s", compiled, os.getpid(),
             time.perf_counter() - started)
    return compiled, failed


def warm_up(app: Flask) -> dict[str, float]:
    """Do the first request's one-off work now; returns the seconds each step took."""
    steps = {"mappers": configure_mappers,
             "templates": lambda: compile_templates(app),
             "languages": lambda: _load_languages(app),
             "markdown": _prepare_text_converters}
    timings = {}
    for name, step in steps.items():
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 3)
    log.info("Warmed up in process %s: %s", os.getpid(), timings)
    return timings
