"""Consistent copies of the database, and putting one back.

SQLite: `sqlite3.Connection.backup` copies the live file page by page under SQLite's
own locking, so the copy is one consistent moment even while requests write.
PostgreSQL: `pg_dump --format=custom` reads one snapshot (a repeatable-read
transaction); `pg_restore --clean --single-transaction` puts it back all-or-nothing.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore, with argument lists, never a shell)
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from course.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def database_url() -> sa.engine.URL:
    return sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _kind(url: sa.engine.URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def _sqlite_file(url: sa.engine.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def default_path(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite" if _kind(database_url()) == "sqlite" else ".dump"
    return Path(current_app.config["BACKUP_DIR"]) / f"leerlijn-{stamp}{suffix}"


def _private(path: Path) -> None:
    """A backup holds everyone's personal data: readable by its owner only."""
    path.chmod(0o600)


def create(path: Path | None = None) -> Path:
    url = database_url()
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name.")
    if _kind(url) == "sqlite":
        _sqlite_copy(_sqlite_file(url), path)
    else:
        _pg_dump(url, path)
    _private(path)
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    src = sqlite3.connect(source, timeout=30)  # read only in effect; `ro` would refuse a WAL file
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_env(url: sa.engine.URL) -> tuple[str, dict]:
    """A libpq connection string without the password (that goes in PGPASSWORD, out of `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return libpq, env


def _tool(name: str) -> str:
    tool = current_app.config.get(name.upper().replace("-", "_")) or shutil.which(name)
    if not tool:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools "
                          f"(apt-get install postgresql-client) or set {name.upper().replace('-', '_')}.")
    return tool


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(url: sa.engine.URL, path: Path) -> None:
    libpq, env = _pg_env(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), "--dbname", libpq], env)


def _check_backup_file(path: Path, kind: str) -> None:
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with path.open("rb") as handle:
        header = handle.read(16)
    expected = SQLITE_HEADER if kind == "sqlite" else PG_CUSTOM_HEADER
    if not header.startswith(expected):
        raise BackupError(f"{path} is not a {'SQLite' if kind == 'sqlite' else 'pg_dump custom-format'} backup "
                          f"of this kind of database.")


def restore(path: Path) -> None:
    """Replace the configured database's contents with the backup. Everything written
    since the backup is lost: the command asks for confirmation."""
    url = database_url()
    kind = _kind(url)
    path = Path(path)
    _check_backup_file(path, kind)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old contents or a lock
    if kind == "sqlite":
        _sqlite_restore(path, _sqlite_file(url))
    else:
        libpq, env = _pg_env(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", libpq, str(path)], env)


def _sqlite_restore(backup: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup} is damaged (PRAGMA quick_check failed).")
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups that `create` named in `folder`."""
    backups = sorted(folder.glob("leerlijn-*.sqlite")) + sorted(folder.glob("leerlijn-*.dump"))
    backups.sort(key=lambda p: p.name)
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old
